"""Pick a forecasting method per product by backtest, and forecast with it.

`select()` is the one entry point: it decides which methods suit the history (intermittent
demand adds Croston and SBA, two full seasons add the seasonal methods), backtests each over
the recent past, keeps the one with the least error and returns its forecast together with
everything a page or the reorder arithmetic needs to explain and use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np
from django.utils.translation import gettext_lazy as _

from .backtest import (
    ACCURACY_LABELS,
    MIN_TRAIN,
    UNKNOWN,
    Score,
    accuracy_of,
    choose_origins,
    mase_scale,
)
from .backtest import score as backtest_score
from .demand import ADI_CUTOFF, Demand
from .simple import MEAN, MOVING_AVERAGE, NAIVE, SEASONAL_NAIVE, MovingAverage, Naive, SeasonalNaive
from .smoothing import (
    CROSTON,
    HOLT,
    HOLT_WINTERS,
    SBA,
    SES,
    Croston,
    Holt,
    HoltWinters,
    SimpleExponentialSmoothing,
)

DAY, WEEK, MONTH = "day", "week", "month"
SEASON_LENGTH = {DAY: 7, WEEK: 52, MONTH: 12}
PERIOD_DAYS = {DAY: 1.0, WEEK: 7.0, MONTH: 365.25 / 12}

MIN_HISTORY = 8  # observed periods below which no method is compared
MIN_HOLT = 8  # periods before the earliest origin for a trend to be estimated
MA_WINDOWS = (4, 8, 13, 26)
# An intermittent series is backtested over enough periods to hold about this many demands:
# a few windows of zeros would otherwise crown whichever method forecasts lowest.
INTERMITTENT_DEMANDS = 8
# A method later in the candidate order must beat the earlier ones by more than this share of
# error to be chosen: with a handful of backtest errors, a smaller lead is noise.
TOLERANCE = 0.02
# On intermittent demand the methods' errors differ by a few percent at most and mostly by
# chance, so the methods made for it (SBA, then Croston) keep the lead unless clearly beaten.
INTERMITTENT_TOLERANCE = 0.1

METHOD_LABELS = {
    MEAN: _("Average of the history"),
    NAIVE: _("Last period repeated"),
    MOVING_AVERAGE: _("Moving average"),
    SEASONAL_NAIVE: _("Same period last season"),
    SES: _("Exponential smoothing"),
    HOLT: _("Exponential smoothing with trend"),
    HOLT_WINTERS: _("Exponential smoothing with trend and season (Holt-Winters)"),
    CROSTON: _("Croston (intermittent demand)"),
    SBA: _("Croston, bias-corrected (SBA, intermittent demand)"),
}

NO_HISTORY, SHORT_HISTORY = "no_history", "short_history"
FALLBACK_REASONS = {
    NO_HISTORY: _("No demand history that can be trusted yet, so the forecast is zero."),
    SHORT_HISTORY: _(
        "Too little history to compare forecasting methods, so the forecast is the average "
        "of the periods there are and its accuracy is not measured."
    ),
}
ACCURACY_SENTENCES = {
    DAY: _("Typically within ±%(error)s units a day."),
    WEEK: _("Typically within ±%(error)s units a week."),
    MONTH: _("Typically within ±%(error)s units a month."),
}


@dataclass(frozen=True, eq=False)
class Forecast:
    """A product's forecast and the evidence behind it.

    `forecast`, `lower` and `upper` hold one value per period ahead, starting with the period
    after the history. `sigma` is the standard deviation of the forecast error per period (the
    backtest RMSE, or an estimate from the history's spread when there was no backtest): the
    reorder arithmetic scales it to the lead time. `mae`, `rmse`, `bias` and `mase` are None
    when no backtest ran (see `fallback`).
    """

    method: str
    params: dict
    forecast: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float  # coverage of the lower-upper band, e.g. 0.9
    sigma: float
    period: str
    season_length: int
    lead: int  # periods ahead each backtest origin forecast
    origins: tuple[int, ...]  # backtest origins (periods known at each)
    mae: float | None = None
    rmse: float | None = None
    bias: float | None = None
    mase: float | None = None
    accuracy: str = UNKNOWN
    fallback: str | None = None
    demand_class: str = ""
    adi: float = 0.0
    cv2: float = 0.0
    n_observed: int = 0
    n_censored: int = 0
    seasonal: bool = False  # a seasonal pattern was found and seasonal methods were tried
    scores: tuple[Score, ...] = field(default=())  # every method tried, best first

    @property
    def method_label(self):
        return METHOD_LABELS[self.method]

    @property
    def accuracy_label(self):
        return ACCURACY_LABELS[self.accuracy]

    @property
    def fallback_reason(self):
        return FALLBACK_REASONS[self.fallback] if self.fallback else None

    @property
    def accuracy_text(self) -> str:
        """'Typically within ±N units a week.', in the active language ('' when unmeasured)."""
        if self.mae is None:
            return ""
        error = f"{self.mae:.0f}" if self.mae >= 10 else f"{self.mae:.1f}"
        return ACCURACY_SENTENCES[self.period] % {"error": error}


def _candidates(demand: Demand, snapshots: list[int], season_length: int | None) -> list:
    """Models worth trying on this history, in order of preference (ties go to the earlier):
    the methods made for intermittent demand when it is intermittent, then the simple ones,
    and the seasonal ones when `season_length` is given."""
    first = snapshots[0]
    models = []
    if demand.adi() > ADI_CUTOFF:
        models += [Croston(demand, snapshots, debiased=True), Croston(demand, snapshots)]
    models.append(SimpleExponentialSmoothing(demand, snapshots))
    models += [MovingAverage(demand, k) for k in MA_WINDOWS if k <= first]
    models.append(Naive(demand))
    seasonal = season_length is not None
    if seasonal:
        models.append(SeasonalNaive(demand, season_length))
    if first >= MIN_HOLT:
        models.append(Holt(demand, snapshots))
    if seasonal:
        models.append(HoltWinters(demand, snapshots, season_length))
    return [model for model in models if getattr(model, "ok", True)]


def _band(point: np.ndarray, sigma: float, lead: int, level: float):
    """Normal band of `level` coverage; the error grows like sqrt(steps) beyond the lead."""
    z = NormalDist().inv_cdf(0.5 + level / 2)
    steps = np.arange(1, point.size + 1)
    spread = z * sigma * np.sqrt(np.maximum(1.0, steps / max(lead, 1)))
    return np.clip(point - spread, 0.0, None), point + spread


def _fallback(demand: Demand, horizon: int, period: str, m: int, level: float, **info):
    """The average of what there is, flagged, with a spread estimated from the history."""
    values = demand.values
    mean = float(values.mean()) if values.size else 0.0
    # With one observation there is no spread to measure: assume Poisson-like counts.
    sigma = float(values.std(ddof=1)) if values.size > 1 else float(np.sqrt(mean))
    point = np.full(horizon, mean)
    lower, upper = _band(point, sigma, horizon, level)
    return Forecast(
        method=MEAN,
        params={},
        forecast=point,
        lower=lower,
        upper=upper,
        level=level,
        sigma=sigma,
        period=period,
        season_length=m,
        lead=0,
        origins=(),
        fallback=NO_HISTORY if demand.n_observed == 0 else SHORT_HISTORY,
        **info,
    )


def select(
    history,
    *,
    horizon: int,
    period: str = WEEK,
    lead: int | None = None,
    censored=None,
    season_length: int | None = None,
    origins: int = 36,
    level: float = 0.9,
) -> Forecast:
    """Choose the method with the least backtest error on `history` and forecast `horizon`
    periods ahead with it.

    `history` is net demand per period (oldest first); `censored` flags periods when the
    product was out of stock for most of the period, which are treated as unknown demand.
    `lead` is how many periods ahead matter for ordering (lead time plus review period, in
    periods; default `horizon`): each backtest origin forecasts that far. `season_length`
    defaults to 7 for days, 52 for weeks and 12 for months. `origins` is how many backtest
    origins to use at most (the latest ones, one period apart, none in the first half of the
    history); intermittent series get more, to hold enough demands. `level` is the coverage
    of the lower-upper band.
    """
    if period not in SEASON_LENGTH:
        raise ValueError(f"period must be one of {', '.join(SEASON_LENGTH)}")
    if horizon < 1:
        raise ValueError("horizon must be at least one period")
    demand = Demand.from_history(history, censored)
    m = season_length or SEASON_LENGTH[period]
    info = {
        "demand_class": demand.demand_class(),
        "adi": demand.adi(),
        "cv2": demand.cv2(),
        "n_observed": demand.n_observed,
        "n_censored": demand.n - demand.n_observed,
    }
    if demand.n_observed < MIN_HISTORY:
        return _fallback(demand, horizon, period, m, level, **info)
    lead = max(1, min(lead or horizon, demand.n - MIN_TRAIN))
    if info["adi"] > ADI_CUTOFF:
        adi = min(info["adi"], demand.n)  # infinite when nothing was ever sold
        origins = max(origins, int(np.ceil(INTERMITTENT_DEMANDS * adi)) - lead + 1)
    # Every origin keeps at least half the history to learn from.
    earliest = max(MIN_TRAIN, demand.n // 2)
    chosen_origins = choose_origins(demand, lead, origins, earliest)
    if not chosen_origins:
        return _fallback(demand, horizon, period, m, level, **info)

    # Seasonal methods need a full season before the first origin (so two in all) and a
    # significant seasonal pattern.
    seasonal = chosen_origins[0] >= m and demand.is_seasonal(m)
    models = _candidates(demand, [*chosen_origins, demand.n], m if seasonal else None)
    scale = mase_scale(demand, m if seasonal else 1)
    scores = [backtest_score(model, demand, chosen_origins, lead, scale) for model in models]
    # Least RMSE: the error that safety stock is built on, and unlike MAE it does not reward
    # forecasting zero on intermittent demand.
    best_rmse = min(s.rmse for s in scores)
    tolerance = INTERMITTENT_TOLERANCE if info["adi"] > ADI_CUTOFF else TOLERANCE
    pick = next(i for i, s in enumerate(scores) if s.rmse <= best_rmse * (1 + tolerance))
    model, best = models[pick], scores[pick]

    point = model.forecast(demand.n, horizon)
    lower, upper = _band(point, best.rmse, lead, level)
    return Forecast(
        method=model.name,
        params=model.params(demand.n),
        forecast=point,
        lower=lower,
        upper=upper,
        level=level,
        sigma=best.rmse,
        period=period,
        season_length=m,
        lead=lead,
        origins=tuple(chosen_origins),
        mae=best.mae,
        rmse=best.rmse,
        bias=best.bias,
        mase=best.mase,
        accuracy=accuracy_of(best.mase),
        seasonal=seasonal,
        scores=tuple(sorted(scores, key=lambda s: s.rmse)),
        **info,
    )
