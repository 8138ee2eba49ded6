"""Exponential smoothing (simple, Holt and additive Holt-Winters with damped trends) and
Croston/SBA, written as numpy recursions over a grid of smoothing parameters.

Why not statsmodels: its ExponentialSmoothing takes about 0.3 s per fit on a 50-point monthly
series, and the nightly run needs several fits per product for 10,000 products. Here one pass
over the history updates every parameter set of the grid at once, records the one-step squared
errors, and keeps a snapshot of the states at each backtest origin. The parameters used from an
origin are the grid point with the least squared error on the periods before that origin, so
the backtest re-estimates at every origin without looking ahead, for the cost of a single pass.

A censored period (out of stock) is treated as missing: the states move on by the model's own
prediction (no error update) and the period adds nothing to the squared error.
"""

from __future__ import annotations

import numpy as np

from .demand import Demand

SES, HOLT, HOLT_WINTERS, CROSTON, SBA = "ses", "holt", "holt_winters", "croston", "sba"


def _grid(*axes) -> list[np.ndarray]:
    """Every combination of the given parameter values, one flat array per parameter."""
    return [a.ravel() for a in np.meshgrid(*map(np.asarray, axes), indexing="ij")]


SES_ALPHA = np.array([0.02, 0.05, 0.08, 0.1, 0.13, 0.16, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 0.9])
# Holt: alpha, beta as a share of alpha (beta <= alpha), damping phi (1: an undamped trend).
HOLT_GRID = _grid(
    [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.55, 0.7, 0.85],
    [0.02, 0.05, 0.1, 0.2, 0.4],
    [0.8, 0.9, 0.95, 0.98, 1.0],
)
# Holt-Winters: as Holt, plus gamma as a share of (1 - alpha) so that gamma <= 1 - alpha.
HW_GRID = _grid(
    [0.05, 0.1, 0.2, 0.3, 0.45, 0.6],
    [0.02, 0.1, 0.3],
    [0.02, 0.1, 0.25, 0.5],
    [0.9, 0.98],
)
CROSTON_ALPHA = np.array([0.05, 0.1, 0.15, 0.2, 0.3, 0.4])


def _initial_line(demand: Demand, before: int, points: int = 10) -> tuple[float, float]:
    """Level and slope of a straight line through the first observed periods before `before`.

    The level is placed one period before the start, so that the first one-step forecast
    (level + slope) lands on the line.
    """
    t = np.flatnonzero(demand.observed[:before])[:points]
    if t.size == 0:
        return 0.0, 0.0
    values = demand.y[t]
    if t.size < 3:
        return float(values.mean()), 0.0
    slope, intercept = np.polyfit(t.astype(float), values, 1)
    return float(intercept - slope), float(slope)


class _GridModel:
    """A smoothing method run once over the history for every parameter set of its grid.

    Subclasses implement `_run` (the recursion, calling `_snapshot` at each origin) and
    `_points` (forecasts from snapshot rows for chosen grid points, vectorised over origins).
    """

    name = ""
    param_names: tuple[str, ...] = ()

    def __init__(self, demand: Demand, origins):
        self._demand = demand
        self.origins = sorted({int(o) for o in origins})
        self._index = {o: i for i, o in enumerate(self.origins)}
        self._snapshots: list[tuple] = []
        self._sse: list[np.ndarray] = []
        with np.errstate(all="ignore"):
            self._run(demand.y.tolist(), demand.observed.tolist())
        sse = np.array(self._sse)
        self._sse_at = np.where(np.isfinite(sse), sse, np.inf)
        # One array per state, indexed [snapshot row, ...state shape..., grid point].
        self._states = tuple(np.stack(states) for states in zip(*self._snapshots, strict=True))
        self._choice = np.argmin(self._sse_at, axis=1)  # grid point used from each origin

    @property
    def ok(self) -> bool:
        """False when every parameter set blew up (the method is then left out)."""
        return bool(np.isfinite(self._sse_at).any(axis=1).all())

    def _snapshot(self, sse: np.ndarray, *states: np.ndarray) -> None:
        self._sse.append(sse.copy())
        self._snapshots.append(tuple(state.copy() for state in states))

    def params(self, origin: int) -> dict:
        """The smoothing parameters used for a forecast made at `origin`."""
        g = self._choice[self._index[origin]]
        values = zip(self.param_names, self._params, strict=True)
        return {name: round(float(grid[g]), 4) for name, grid in values}

    def forecasts(self, origins, horizon: int) -> np.ndarray:
        """Forecasts (one row per origin, `horizon` steps) from origins given at construction."""
        rows = np.array([self._index[int(o)] for o in origins])
        with np.errstate(all="ignore"):
            points = self._points(rows, self._choice[rows], np.asarray(origins), horizon)
        return np.clip(np.where(np.isfinite(points), points, 0.0), 0.0, None)

    def forecast(self, origin: int, horizon: int) -> np.ndarray:
        return self.forecasts([origin], horizon)[0]

    def _run(self, y: list[float], observed: list[bool]) -> None:  # pragma: no cover
        raise NotImplementedError

    def _points(self, rows, grid, origins, horizon) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError


def _damped_sums(phi: np.ndarray, horizon: int) -> np.ndarray:
    """phi + phi^2 + ... + phi^k for k = 1..horizon, one row per phi: how much of the trend
    each step ahead adds."""
    return np.cumsum(phi[:, None] ** np.arange(1, horizon + 1), axis=1)


class SimpleExponentialSmoothing(_GridModel):
    """A level that follows demand by a share alpha of each error; flat forecast."""

    name = SES
    param_names = ("alpha",)

    def _run(self, y, observed):
        alpha = SES_ALPHA
        self._params = (alpha,)
        level = np.full(alpha.size, _initial_line(self._demand, self.origins[0])[0])
        sse = np.zeros(alpha.size)
        snap = iter(self.origins)
        next_snap = next(snap)
        for t, (value, seen) in enumerate(zip(y, observed, strict=True)):
            if t == next_snap:
                self._snapshot(sse, level)
                next_snap = next(snap, -1)
            if seen:
                error = value - level
                sse += error * error
                level = level + alpha * error
        if next_snap == len(y):
            self._snapshot(sse, level)

    def _points(self, rows, grid, origins, horizon):
        return np.repeat(self._states[0][rows, grid][:, None], horizon, axis=1)


class Holt(_GridModel):
    """Level plus an additive trend that flattens out ahead (ETS A,Ad,N); the grid also holds
    phi = 1, the undamped linear trend, for histories whose trend has not flattened yet."""

    name = HOLT
    param_names = ("alpha", "beta", "phi")

    def _run(self, y, observed):
        share, beta_share, phi = HOLT_GRID
        alpha, beta = share, share * beta_share
        self._params = (alpha, beta, phi)
        level0, slope0 = _initial_line(self._demand, self.origins[0])
        level, trend = np.full(alpha.size, level0), np.full(alpha.size, slope0)
        sse = np.zeros(alpha.size)
        snap = iter(self.origins)
        next_snap = next(snap)
        for t, (value, seen) in enumerate(zip(y, observed, strict=True)):
            if t == next_snap:
                self._snapshot(sse, level, trend)
                next_snap = next(snap, -1)
            damped = phi * trend
            predicted = level + damped
            if seen:
                error = value - predicted
                sse += error * error
                level = predicted + alpha * error
                trend = damped + beta * error
            else:
                level, trend = predicted, damped
        if next_snap == len(y):
            self._snapshot(sse, level, trend)

    def _points(self, rows, grid, origins, horizon):
        level, trend = self._states
        ahead = _damped_sums(self._params[2][grid], horizon)
        return level[rows, grid][:, None] + ahead * trend[rows, grid][:, None]


class HoltWinters(_GridModel):
    """Damped additive trend and additive season (ETS A,Ad,A).

    The states start from the one or two seasons before the first origin, so the model needs
    at least one full season there.
    """

    name = HOLT_WINTERS
    param_names = ("alpha", "beta", "gamma", "phi")

    def __init__(self, demand: Demand, origins, season_length: int):
        self.m = season_length
        super().__init__(demand, origins)

    def _initial_states(self) -> tuple[float, float, np.ndarray]:
        """Level, slope and seasonal indices from the seasons before the first origin.

        A straight line through up to two seasons gives level and slope; the seasonal indices
        are the average distance of each season slot from that line (so a rising history does
        not end up as a saw-tooth season). A slot never observed starts at zero.
        """
        demand, m = self._demand, self.m
        end = min(2 * m, self.origins[0])
        level, slope = _initial_line(demand, end, points=end)
        t = np.arange(end)
        residual = np.where(demand.observed[:end], demand.y[:end] - (level + slope * (t + 1)), 0)
        seen = demand.observed[:end].astype(float)
        totals = np.bincount(t % m, weights=residual, minlength=m)
        counts = np.bincount(t % m, weights=seen, minlength=m)
        season = np.divide(totals, counts, out=np.zeros(m), where=counts > 0)
        return level, slope, season - season.mean()

    def _run(self, y, observed):
        share, beta_share, gamma_share, phi = HW_GRID
        alpha, beta, gamma = share, share * beta_share, (1 - share) * gamma_share
        self._params = (alpha, beta, gamma, phi)
        level0, slope0, season0 = self._initial_states()
        size, m = alpha.size, self.m
        level, trend = np.full(size, level0), np.full(size, slope0)
        season = np.repeat(season0[:, None], size, axis=1)  # (m, grid): one row per season slot
        sse = np.zeros(size)
        snap = iter(self.origins)
        next_snap = next(snap)
        for t, (value, seen) in enumerate(zip(y, observed, strict=True)):
            if t == next_snap:
                self._snapshot(sse, level, trend, season)
                next_snap = next(snap, -1)
            slot = season[t % m]
            damped = phi * trend
            predicted = level + damped
            if seen:
                error = value - predicted - slot
                sse += error * error
                level = predicted + alpha * error
                trend = damped + beta * error
                slot += gamma * error  # in place: updates row t % m of `season`
            else:
                level, trend = predicted, damped
        if next_snap == len(y):
            self._snapshot(sse, level, trend, season)

    def _points(self, rows, grid, origins, horizon):
        level, trend, season = self._states
        ahead = _damped_sums(self._params[3][grid], horizon)
        slots = (origins[:, None] + np.arange(horizon)) % self.m
        seasonal = season[rows[:, None], slots, grid[:, None]]
        return level[rows, grid][:, None] + ahead * trend[rows, grid][:, None] + seasonal


class Croston(_GridModel):
    """Croston's method for intermittent demand: smooth the sizes of the non-zero demands and
    the intervals between them separately; forecast the rate size / interval.

    With `debiased` it is the Syntetos-Boylan approximation (SBA), which multiplies by
    (1 - alpha / 2) to remove Croston's known upward bias. A censored period neither counts as
    an interval nor as a demand.
    """

    param_names = ("alpha",)

    def __init__(self, demand: Demand, origins, debiased: bool = False):
        self.debiased = debiased
        self.name = SBA if debiased else CROSTON
        super().__init__(demand, origins)

    def _run(self, y, observed):
        alpha = CROSTON_ALPHA
        self._params = (alpha,)
        factor = 1 - alpha / 2 if self.debiased else np.ones(alpha.size)
        size, interval = np.zeros(alpha.size), np.ones(alpha.size)
        started, since_last = False, 1
        sse = np.zeros(alpha.size)
        snap = iter(self.origins)
        next_snap = next(snap)
        for t, (value, seen) in enumerate(zip(y, observed, strict=True)):
            if t == next_snap:
                self._snapshot(sse, factor * size / interval)
                next_snap = next(snap, -1)
            if not seen:
                continue
            if started:
                error = value - factor * size / interval
                sse += error * error
            if value > 0:
                if started:
                    size = size + alpha * (value - size)
                    interval = interval + alpha * (since_last - interval)
                else:  # the first demand sets both states directly
                    size, interval = np.full(alpha.size, value), np.full(alpha.size, since_last)
                    started = True
                since_last = 1
            else:
                since_last += 1
        if next_snap == len(y):
            self._snapshot(sse, factor * size / interval)

    def _points(self, rows, grid, origins, horizon):
        return np.repeat(self._states[0][rows, grid][:, None], horizon, axis=1)
