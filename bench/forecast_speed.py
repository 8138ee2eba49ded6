"""Time the nightly forecast run: method selection for many weekly series on one core.

Usage (from the project root):

    .venv/bin/python bench/forecast_speed.py [--series 10000] [--weeks 104] [--lead 4]

Generates synthetic weekly demand (a quarter each flat, trending, yearly-seasonal and
intermittent, some with a stock-out flagged as censored), runs `select()` on every series in
this one process and prints the total and per-series time and which methods were picked.
Not part of the test suite: timings belong here, never in tests.
"""

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reports.forecasting import WEEK, select  # noqa: E402


def synthetic(count: int, weeks: int, seed: int = 0):
    """Yield (history, censored) pairs of four kinds of weekly demand."""
    rng = np.random.default_rng(seed)
    t = np.arange(weeks)
    for i in range(count):
        level = rng.uniform(5, 200)
        kind = i % 4
        if kind == 0:
            history = level + rng.normal(0, 0.2 * level, weeks)
        elif kind == 1:
            history = level + rng.uniform(-0.5, 1.0) * level / weeks * t
            history = history + rng.normal(0, 0.15 * level, weeks)
        elif kind == 2:
            season = 0.4 * level * np.sin(2 * np.pi * (t + rng.integers(52)) / 52)
            history = level + season + rng.normal(0, 0.15 * level, weeks)
        else:
            history = np.where(rng.random(weeks) < rng.uniform(0.1, 0.5), rng.poisson(4, weeks), 0)
        censored = np.zeros(weeks, dtype=bool)
        if rng.random() < 0.2:  # a stock-out of up to ten weeks somewhere
            start = int(rng.integers(0, weeks - 10))
            censored[start : start + int(rng.integers(1, 11))] = True
            history = np.where(censored, 0, history)
        yield np.clip(history, 0, None), censored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--lead", type=int, default=4, help="lead + review, in weeks")
    parser.add_argument("--origins", type=int, default=None, help="backtest origins")
    args = parser.parse_args()
    data = list(synthetic(args.series, args.weeks))
    options = {} if args.origins is None else {"origins": args.origins}

    picked: Counter = Counter()
    started, cpu_started = time.perf_counter(), time.process_time()
    for history, censored in data:
        result = select(
            history, horizon=13, period=WEEK, lead=args.lead, censored=censored, **options
        )
        picked[result.method] += 1
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started

    print(f"{args.series} series x {args.weeks} weeks, lead {args.lead}, one process:")
    per_series = 1000 * cpu / args.series
    print(f"  {seconds:.1f} s wall, {cpu:.1f} s CPU, {per_series:.2f} ms CPU a series")
    # Series are independent: split them in two halves, one process each.
    print(f"  two processes on two free cores: about {cpu / 2:.0f} s")
    print("picked:", ", ".join(f"{method} {n}" for method, n in picked.most_common()))


if __name__ == "__main__":
    main()
