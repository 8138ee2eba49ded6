"""Weekly demand per product, with the weeks it was out of stock, as the forecast run reads it.

Demand is net sales from the sales fact view: ledger sales minus customer returns, plus imported
history (returns negative there too). Cancelled orders never make sale movements, so they never
count. Weeks start on Monday in the site's time zone; the current week is never part of the
history (it is not over, and would read as a drop).

A week is *censored* when the product's stock over all locations (on hand, summed) was zero or
less at the end of at least four of its seven days: what sold then is not what was wanted, so
the engine treats that week as unknown demand rather than as low demand. The end-of-day stock is
rebuilt backwards from today's stock levels and the ledger's net movement per day (receipts,
returns and adjustments in, sales and write-offs out; transfers move nothing in total), all in
PostgreSQL: a product's level after a day with movements holds until its next such day. Before a
product's first ledger movement the system knew nothing of its stock (imported history from
before the system), so those weeks are taken at face value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from django.db import connection
from django.db.models import DateField, Sum
from django.db.models.functions import Trunc
from django.utils import timezone

from ..models import SalesFact

WEEK_DAYS = 7
CENSOR_DAYS = 4  # days out of stock that make a week censored (most of its seven)
SHARE_WEEKS = 13  # recent weeks whose sales split a product's forecast to locations


@dataclass(frozen=True)
class Window:
    """The weeks of history a run reads: from `start` (a Monday) up to `end`, excluded (the
    Monday of the current week, where the forecast starts)."""

    start: date
    end: date

    @classmethod
    def ending_this_week(cls, weeks: int, today: date | None = None) -> Window:
        today = today or timezone.localdate()
        end = week_start(today)
        return cls(start=end - timedelta(weeks=weeks), end=end)

    @property
    def weeks(self) -> int:
        return (self.end - self.start).days // WEEK_DAYS

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end, time.min))


@dataclass(frozen=True)
class DemandHistory:
    """One product's net demand per week from `start` (a Monday), oldest first."""

    start: date
    values: np.ndarray
    censored: np.ndarray


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def products_with_sales(window: Window) -> list[int]:
    """Ids of active products with any sale, return or imported line in the window."""
    return list(
        SalesFact.objects.filter(
            occurred_at__gte=window.since,
            occurred_at__lt=window.until,
            product__is_active=True,
        )
        .order_by("product_id")
        .values_list("product_id", flat=True)
        .distinct()
    )


def sales_rows(product_ids: Sequence[int], window: Window) -> list[tuple]:
    """(product id, location id or None, week, net units) for each product, location and week
    with sales in the window: what the weekly demand and the location shares are both made of,
    read in one pass over the sales (one query)."""
    rows = (
        SalesFact.objects.filter(
            product_id__in=product_ids,
            occurred_at__gte=window.since,
            occurred_at__lt=window.until,
        )
        .annotate(week=Trunc("occurred_at", "week", output_field=DateField()))
        .values_list("product_id", "location_id", "week")
        .annotate(units=Sum("quantity"))
        .order_by()
    )
    return [(product, location, week, float(units)) for product, location, week, units in rows]


def weekly_demand(
    product_ids: Sequence[int], window: Window, rows: list[tuple] | None = None
) -> dict[int, dict[date, float]]:
    """Net units per product and week (weeks without sales left out), from `rows` of
    `sales_rows` (read when not given)."""
    found: dict[int, dict[date, float]] = defaultdict(dict)
    for product_id, _location, week, units in (
        rows if rows is not None else sales_rows(product_ids, window)
    ):
        found[product_id][week] = found[product_id].get(week, 0.0) + units
    return found


# Constant text; values travel as parameters.
STOCKOUT_SQL = """
WITH moves AS (
    SELECT m.product_id,
           (m.created_at AT TIME ZONE %(tz)s)::date AS day,
           SUM(CASE WHEN m.from_location_id IS NULL THEN m.quantity
                    WHEN m.to_location_id IS NULL THEN -m.quantity
                    ELSE 0 END) AS net
      FROM stock_stockmovement m
     WHERE m.product_id = ANY(%(ids)s) AND m.created_at >= %(since)s
     GROUP BY 1, 2
    UNION ALL
    -- Stocked before the window: its level on the window's eve is known as well.
    SELECT p.id, %(eve)s::date, 0
      FROM unnest(%(ids)s::bigint[]) AS p(id)
     WHERE EXISTS (SELECT 1 FROM stock_stockmovement m
                    WHERE m.product_id = p.id AND m.created_at < %(since)s)
),
stock AS (
    SELECT product_id, SUM(on_hand) AS on_hand
      FROM stock_stocklevel
     WHERE product_id = ANY(%(ids)s)
     GROUP BY product_id
),
levels AS (
    SELECT d.product_id, d.day,
           LEAD(d.day) OVER (PARTITION BY d.product_id ORDER BY d.day) AS next_day,
           COALESCE(s.on_hand, 0) - COALESCE(SUM(d.net) OVER (
               PARTITION BY d.product_id ORDER BY d.day DESC
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS level
      FROM moves d
      LEFT JOIN stock s ON s.product_id = d.product_id
)
SELECT l.product_id, date_trunc('week', g)::date AS week, COUNT(*) AS days_out
  FROM levels l
 CROSS JOIN LATERAL generate_series(
           GREATEST(l.day, %(first)s::date),
           LEAST(COALESCE(l.next_day - 1, %(last)s::date), %(last)s::date),
           interval '1 day') AS g
 WHERE l.level <= 0
 GROUP BY 1, 2
"""

FIRST_MOVEMENT_SQL = """
SELECT product_id, (MIN(created_at) AT TIME ZONE %(tz)s)::date
  FROM stock_stockmovement
 WHERE product_id = ANY(%(ids)s)
 GROUP BY product_id
"""


def stockout_days(product_ids: Sequence[int], window: Window) -> dict[int, dict[date, int]]:
    """Days per product and week whose closing stock over all locations was zero or less
    (weeks with none left out); one query."""
    args = {
        "tz": timezone.get_current_timezone_name(),
        "ids": list(product_ids),
        "since": window.since,
        "eve": window.start - timedelta(days=1),
        "first": window.start,
        "last": window.end - timedelta(days=1),
    }
    found: dict[int, dict[date, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(STOCKOUT_SQL, args)
        for product_id, week, days in cursor.fetchall():
            found[product_id][week] = days
    return found


def first_movements(product_ids: Sequence[int]) -> dict[int, date]:
    """The local day of each product's first ledger movement; one query."""
    args = {"tz": timezone.get_current_timezone_name(), "ids": list(product_ids)}
    with connection.cursor() as cursor:
        cursor.execute(FIRST_MOVEMENT_SQL, args)
        return dict(cursor.fetchall())


def demand_histories(
    product_ids: Sequence[int], window: Window, rows: list[tuple] | None = None
) -> dict[int, DemandHistory]:
    """Weekly net demand and censored weeks of each product (three queries, two when the
    `sales_rows` are given).

    A product's history starts at the week of its first sale or first stock movement in the
    window, whichever is earlier: the weeks before it existed are not weeks of zero demand.
    Products without a sale in the window are left out.
    """
    sales = weekly_demand(product_ids, window, rows)
    out = stockout_days([pk for pk in product_ids if pk in sales], window)
    first_moved = first_movements([pk for pk in product_ids if pk in sales])
    weeks = [window.start + timedelta(weeks=n) for n in range(window.weeks)]
    histories = {}
    for product_id in product_ids:
        sold = sales.get(product_id)
        if not sold:
            continue
        start = min(sold)
        moved = first_moved.get(product_id)
        if moved is not None:
            start = max(window.start, min(start, week_start(moved)))
        days_out = out.get(product_id, {})
        span = [week for week in weeks if week >= start]
        histories[product_id] = DemandHistory(
            start=start,
            values=np.array([sold.get(week, 0.0) for week in span], dtype=float),
            censored=np.array([days_out.get(week, 0) >= CENSOR_DAYS for week in span]),
        )
    return histories


def location_shares(
    product_ids: Sequence[int], window: Window, rows: list[tuple] | None = None
) -> dict[int, dict[str, float]]:
    """Each location's share of each product's net sales over the last 13 weeks of the window
    (over the whole window when those hold no sales at a location), from `rows` of
    `sales_rows` (read when not given).

    Imported lines without a location do not count. A product that sold at no location gets
    no shares.
    """
    recent = window.end - timedelta(weeks=SHARE_WEEKS)
    recent_units: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    total_units: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for product_id, location_id, week, units in (
        rows if rows is not None else sales_rows(product_ids, window)
    ):
        if location_id is None:
            continue
        total_units[product_id][location_id] += units
        if week >= recent:
            recent_units[product_id][location_id] += units
    shares = {}
    for product_id in product_ids:
        for per_location in (recent_units.get(product_id, {}), total_units.get(product_id, {})):
            units = {place: max(0.0, value) for place, value in per_location.items()}
            whole = sum(units.values())
            if whole > 0:
                shares[product_id] = {
                    str(place): round(value / whole, 4)
                    for place, value in sorted(units.items())
                    if value > 0
                }
                break
    return shares
