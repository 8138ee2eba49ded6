"""Rolling-origin backtest: forecast the recent past from just before it, the way the live
forecast will be used, and measure the errors.

From each origin o (the periods before o are known) a model forecasts the next `lead` periods;
the errors are actual minus forecast, so a positive mean error means the method under-forecasts.
Censored targets (out-of-stock periods) are not scored: their sales are not their demand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext_lazy as _

from .demand import Demand

MIN_TRAIN = 4  # periods a model sees at the earliest origin

GOOD, FAIR, POOR, UNKNOWN = "good", "fair", "poor", "unknown"
ACCURACY_LABELS = {
    GOOD: _("good"),
    FAIR: _("fair"),
    POOR: _("poor"),
    UNKNOWN: _("not measured"),
}
# MASE below 1 beats the naive method's in-sample one-step error.
GOOD_BELOW, FAIR_BELOW = 0.8, 1.2


def accuracy_of(mase: float | None) -> str:
    """Plain-language accuracy class of a backtest MASE."""
    if mase is None or not np.isfinite(mase):
        return UNKNOWN
    if mase < GOOD_BELOW:
        return GOOD
    return FAIR if mase < FAIR_BELOW else POOR


def choose_origins(demand: Demand, lead: int, count: int, earliest: int = MIN_TRAIN) -> list[int]:
    """The latest `count` origins, none before `earliest`, whose next `lead` periods hold at
    least one observed period.

    Origins move back one period at a time from the last one that still has a full lead ahead;
    origins whose whole window is censored are skipped rather than scored on nothing.
    """
    origins = []
    for origin in range(demand.n - lead, max(earliest, MIN_TRAIN) - 1, -1):
        if demand.observed[origin : origin + lead].any():
            origins.append(origin)
            if len(origins) == count:
                break
    return sorted(origins)


def mase_scale(demand: Demand, lag: int) -> float:
    """In-sample mean absolute change over `lag` periods (1: naive, m: seasonal naive).

    Only pairs of observed periods count. A flat history has no change to scale by; its mean
    level is used instead, and 1 when that is zero too (all errors are then zero or tiny).
    """
    y, seen = demand.y, demand.observed
    both = seen[lag:] & seen[:-lag] if demand.n > lag else np.zeros(0, dtype=bool)
    if both.any():
        scale = float(np.abs(y[lag:] - y[:-lag])[both].mean())
        if scale > 1e-9:
            return scale
    level = float(demand.values.mean()) if demand.n_observed else 0.0
    return level if level > 1e-9 else 1.0


@dataclass(frozen=True)
class Score:
    """Backtest errors of one method, pooled over origins and steps ahead."""

    method: str
    params: dict
    mae: float
    rmse: float
    bias: float  # mean of actual - forecast: above 0 means the method forecasts too low
    mase: float
    errors: int  # how many (origin, step) pairs were scored


def backtest_errors(model, demand: Demand, origins: list[int], lead: int) -> np.ndarray:
    """Errors (actual - forecast) per origin and step ahead; NaN where the target is censored."""
    target = np.asarray(origins)[:, None] + np.arange(lead)
    inside = target < demand.n
    target = np.minimum(target, demand.n - 1)
    actual = np.where(inside & demand.observed[target], demand.y[target], np.nan)
    return actual - model.forecasts(origins, lead)


def score(model, demand: Demand, origins: list[int], lead: int, scale: float) -> Score:
    """Backtest one model and summarise its errors (MASE uses the given in-sample scale)."""
    errors = backtest_errors(model, demand, origins, lead)
    errors = errors[np.isfinite(errors)]
    mae = float(np.abs(errors).mean())
    return Score(
        method=model.name,
        params=model.params(origins[-1]),
        mae=mae,
        rmse=float(np.sqrt((errors**2).mean())),
        bias=float(errors.mean()),
        mase=mae / scale,
        errors=int(errors.size),
    )
