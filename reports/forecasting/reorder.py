"""How much to order and when stock runs out, from a forecast: plain arithmetic that keeps
every intermediate value so a page can show the reasoning line by line.

The order covers the protection interval, lead time plus review period: stock ordered now
arrives after the lead time and must last until the order after this one arrives. Safety stock
covers the forecast error over that interval, which grows with its square root when errors of
different periods are independent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist

import numpy as np


@dataclass(frozen=True)
class ReorderAdvice:
    """The suggestion and every number it came from (quantities in stock units, days)."""

    protection_days: float  # lead time + review period
    demand_over_protection: float  # forecast demand over the protection interval
    z: float  # standard normal quantile of the service level
    sigma_over_protection: float  # forecast error sd over the interval: sigma * sqrt(periods)
    safety_stock: float  # z * sigma_over_protection
    target: float  # demand_over_protection + safety_stock: stock that should be available
    available: float  # on hand - reserved
    on_order: float  # open purchase orders not yet received
    position: float  # available + on_order
    shortfall: float  # max(0, target - position): what is missing before rounding
    suggested: float  # shortfall rounded up to the order multiple and at least the MOQ
    moq: float
    order_multiple: float | None
    run_out: date | None  # first day the forecast demand exceeds available stock
    days_of_cover: float | None  # days the available stock lasts (None beyond the horizon)
    beyond_horizon: bool  # True when the interval outran the forecast and the last rate was reused

    @property
    def should_order(self) -> bool:
        return self.suggested > 0


def daily_rates(forecast, period_days: float) -> np.ndarray:
    """Demand per day over the forecast horizon, each period's forecast spread evenly over its
    days (a day that starts within a period takes that period's rate)."""
    per_period = np.clip(np.asarray(forecast, dtype=float), 0.0, None)
    days = math.ceil(per_period.size * period_days - 1e-9)
    period = np.minimum((np.arange(days) // period_days).astype(int), per_period.size - 1)
    return per_period[period] / period_days


def demand_over(forecast, period_days: float, days: float) -> tuple[float, bool]:
    """Forecast demand over the first `days` days, prorating a fractional last period.

    Each period's demand is spread evenly over its days, so 10 days of a weekly forecast of 70
    then 140 is 70 + 3/7 * 140 = 130. Past the forecast the last period's rate carries on
    (flagged True).
    """
    per_period = np.clip(np.asarray(forecast, dtype=float), 0.0, None)
    if days <= 0:
        return 0.0, False
    if per_period.size == 0:
        return 0.0, True
    periods = days / period_days
    whole = min(int(periods), per_period.size)
    total = float(per_period[:whole].sum())
    remaining = periods - whole  # periods still to cover, maybe beyond the forecast
    if remaining > 0:
        if whole < per_period.size:
            total += remaining * float(per_period[whole])
        else:
            total += remaining * float(per_period[-1])
    return total, periods > per_period.size


def run_out_date(
    forecast, period_days: float, available: float, today: date
) -> tuple[date | None, float | None]:
    """First day whose forecast demand the available stock can no longer fully cover, and the
    days of cover (fractional); (None, None) when stock outlasts the forecast horizon.

    Day 0 is `today`. With 40 in stock and 10 a day, days 0 to 3 are covered and the stock
    runs out on day 4 (`today + 4`), with exactly 4.0 days of cover.
    """
    if available <= 0:
        return today, 0.0
    rates = daily_rates(forecast, period_days)
    used = np.cumsum(rates)
    # A small tolerance so that float noise in 40 units at 10 a day does not cost a day.
    short = np.flatnonzero(used > available + 1e-9)
    if short.size == 0:
        return None, None
    day = int(short[0])
    before = float(used[day - 1]) if day else 0.0
    cover = day + (available - before) / float(rates[day])
    return today + timedelta(days=day), cover


def round_order(quantity: float, moq: float = 0.0, order_multiple: float | None = None) -> float:
    """Round a needed quantity up to something the supplier accepts.

    Nothing needed stays 0. Otherwise: up to whole `order_multiple`s (whole units when there
    is none), then up to the minimum order quantity when still below it — a MOQ that is not
    itself a multiple is rounded up to one as well.
    """
    if quantity <= 0:
        return 0.0
    step = order_multiple if order_multiple and order_multiple > 0 else 1.0
    # Round half a millionth down first so that 2.0000000001 packs of float noise stay 2.
    rounded = math.ceil(quantity / step - 1e-9) * step
    if rounded < moq:
        rounded = math.ceil(moq / step - 1e-9) * step
    return float(rounded)


def reorder_advice(
    *,
    forecast,
    sigma: float,
    period_days: float,
    lead_days: float,
    review_days: float,
    service_level: float,
    available: float,
    on_order: float = 0.0,
    moq: float = 0.0,
    order_multiple: float | None = None,
    today: date | None = None,
) -> ReorderAdvice:
    """Suggest an order quantity for one product.

    `forecast` is demand per period starting today (a week, a day, ...: `period_days` long);
    `sigma` the standard deviation of the forecast error per period (the backtest RMSE).
    `available` is on hand minus reserved. The run-out date is computed only when `today`
    is given.
    """
    if not 0 < service_level < 1:
        raise ValueError("service_level must be strictly between 0 and 1")
    if period_days <= 0:
        raise ValueError("period_days must be positive")
    protection = float(lead_days) + float(review_days)
    demand, beyond = demand_over(forecast, period_days, protection)
    z = NormalDist().inv_cdf(service_level)
    sigma_over = float(sigma) * math.sqrt(max(protection, 0.0) / period_days)
    safety = max(0.0, z * sigma_over)
    target = demand + safety
    position = float(available) + float(on_order)
    shortfall = max(0.0, target - position)
    run_out, cover = (None, None)
    if today is not None:
        run_out, cover = run_out_date(forecast, period_days, float(available), today)
    return ReorderAdvice(
        protection_days=protection,
        demand_over_protection=demand,
        z=z,
        sigma_over_protection=sigma_over,
        safety_stock=safety,
        target=target,
        available=float(available),
        on_order=float(on_order),
        position=position,
        shortfall=shortfall,
        suggested=round_order(shortfall, moq, order_multiple),
        moq=float(moq),
        order_multiple=order_multiple,
        run_out=run_out,
        days_of_cover=cover,
        beyond_horizon=beyond,
    )
