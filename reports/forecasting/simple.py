"""The simple methods: naive, seasonal naive and moving averages.

Each model is built once over the whole history and can then forecast from any origin (the
number of periods known at that moment), which is what the rolling-origin backtest needs.
Censored periods are skipped: they never stand in for demand.
"""

from __future__ import annotations

import numpy as np

from .demand import Demand

NAIVE, SEASONAL_NAIVE, MOVING_AVERAGE = "naive", "seasonal_naive", "moving_average"
MEAN = "mean"  # the fallback for short histories (selection._fallback)


class _SimpleModel:
    """Shared plumbing: prefix counts and sums of the observed periods before each origin."""

    name = ""

    def __init__(self, demand: Demand):
        self._values = demand.values
        # _count[o]: how many observed periods lie before origin o.
        self._count = np.concatenate(([0], np.cumsum(demand.observed)))
        self._cumsum = np.concatenate(([0.0], np.cumsum(self._values)))

    def _mean_of_last(self, origins: np.ndarray, k: int) -> np.ndarray:
        """Mean of the last k observed values before each origin (fewer if there are fewer)."""
        end = self._count[origins]
        start = np.maximum(0, end - k)
        total = self._cumsum[end] - self._cumsum[start]
        return np.divide(total, end - start, out=np.zeros(end.size), where=end > start)

    def _level(self, origins: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def forecasts(self, origins, horizon: int) -> np.ndarray:
        """Flat forecasts, one row per origin."""
        level = self._level(np.asarray(origins, dtype=int))
        return np.repeat(level[:, None], horizon, axis=1)

    def forecast(self, origin: int, horizon: int) -> np.ndarray:
        return self.forecasts([origin], horizon)[0]

    def params(self, origin: int) -> dict:
        return {}


class Naive(_SimpleModel):
    """The last observed value, carried forward."""

    name = NAIVE

    def _level(self, origins):
        end = self._count[origins]
        values = np.concatenate(([0.0], self._values))
        return values[end]  # values[end] is the end-th observed value, or 0 before any


class MovingAverage(_SimpleModel):
    """The mean of the last `window` observed values, flat over the horizon."""

    name = MOVING_AVERAGE

    def __init__(self, demand: Demand, window: int):
        super().__init__(demand)
        self.window = window

    def _level(self, origins):
        return self._mean_of_last(origins, self.window)

    def params(self, origin: int) -> dict:
        return {"window": self.window}


class SeasonalNaive:
    """The value of the same period one season earlier (last year's week, last week's day).

    A censored period is first filled with its own seasonal naive value (the same period a
    season before it), so a stock-out last year does not come back as zero demand this year.
    Origins must be at least one season into the history.
    """

    name = SEASONAL_NAIVE

    def __init__(self, demand: Demand, season_length: int):
        self.m = season_length
        filled = demand.y.copy()
        first = demand.observed[:season_length]
        fill_first = float(demand.y[:season_length][first].mean()) if first.any() else 0.0
        for t in np.flatnonzero(~demand.observed):
            filled[t] = filled[t - season_length] if t >= season_length else fill_first
        self._filled = filled

    def forecasts(self, origins, horizon: int) -> np.ndarray:
        steps = np.arange(horizon)
        # Step k (0-based) of a forecast made at an origin repeats the latest known same season.
        source = np.asarray(origins, dtype=int)[:, None] + steps - self.m * (steps // self.m + 1)
        return self._filled[source]

    def forecast(self, origin: int, horizon: int) -> np.ndarray:
        return self.forecasts([origin], horizon)[0]

    def params(self, origin: int) -> dict:
        return {"season_length": self.m}
