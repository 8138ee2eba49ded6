"""Forecast runs: compute and store the weekly demand forecast of every product that sold.

A run reads two years of weekly history per product (reports.selectors.demand), lets the engine
choose a method per product by backtest (reports.forecasting.select) and upserts one
ProductForecast per product. Products go in chunks: one set of queries per chunk for the
histories, the engine on each product, one bulk upsert; each chunk commits on its own, so a
page reads the previous forecast of a product until its new one is written. The engine's work
goes to worker processes when this process may fork them (not inside a daemonic worker such as
Celery's prefork children, not from a thread of the web process).

One run at a time: starting takes a transaction-level advisory lock, and a run already queued
or running is returned instead of a new one. A run whose progress has not moved for a while has
lost its worker and is marked failed, so it never blocks the next one.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import threading
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.utils import timezone

from accounts.models import User
from products.models import Product

from .forecasting import WEEK, select
from .models import ForecastRun, ProductForecast
from .selectors.demand import (
    Window,
    demand_histories,
    location_shares,
    products_with_sales,
    sales_rows,
)
from .selectors.replenishment import DEFAULT_LEAD_DAYS, DEFAULT_REVIEW_DAYS, supplier_terms

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
HORIZON_WEEKS = 26
HISTORY_WEEKS = 104
# No progress for this long: the worker is gone (a chunk of 500 takes seconds).
STALE_RUNNING = timedelta(minutes=15)
STALE_QUEUED = timedelta(hours=2)
LOCK_KEY = 0x464F5243  # "FORC": the advisory lock that lets one start at a time through
Status, Stage = ForecastRun.Status, ForecastRun.Stage
STORED_FIELDS = [
    "run", "period", "history_start", "history", "censored", "forecast_start", "forecast",
    "lower", "upper", "level", "method", "params", "sigma", "mae", "bias", "mase", "accuracy",
    "fallback", "demand_class", "seasonal", "n_observed", "n_censored", "location_shares",
    "next_4_weeks", "next_13_weeks", "computed_at",
]  # fmt: skip


def active_run() -> ForecastRun | None:
    """The run queued or running now, if any; a stale one is marked failed on the way."""
    run = ForecastRun.objects.filter(status__in=[Status.QUEUED, Status.RUNNING]).first()
    if run is None:
        return None
    now = timezone.now()
    if run.status == Status.RUNNING:
        stale = (run.heartbeat_at or run.started_at or run.created_at) < now - STALE_RUNNING
    else:
        stale = run.created_at < now - STALE_QUEUED
    if stale:
        run.status, run.finished_at = Status.FAILED, now
        run.error = "The run stopped without finishing (its worker was lost)."
        run.save(update_fields=["status", "finished_at", "error"])
        return None
    return run


def latest_run() -> ForecastRun | None:
    return ForecastRun.objects.select_related("requested_by").first()


@transaction.atomic
def forecast_run_start(*, actor: User | None, dispatch: bool = True) -> tuple[ForecastRun, bool]:
    """Queue a forecast run and send it to a worker after commit; return (run, True).

    When a run is already queued or running, return (that run, False) and start nothing:
    concurrent starts wait for each other on an advisory lock, so only one of them creates a
    run. `dispatch=False` leaves running it to the caller (the nightly task runs it itself).
    """
    from inventory_site.background import run_after_commit

    from .tasks import forecast_run

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    running = active_run()
    if running is not None:
        return running, False
    run = ForecastRun.objects.create(
        requested_by=actor, horizon=HORIZON_WEEKS, history_weeks=HISTORY_WEEKS
    )
    if dispatch:
        run_after_commit(forecast_run, run.pk)
    return run, True


class RunProgress:
    """Writes a run's progress through a second connection of its own, in autocommit, so the
    page that polls it sees the progress whatever transaction the run is in. Use it as a
    context manager; call it as progress(stage, processed)."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        self._connection = None

    def __enter__(self) -> RunProgress:
        default = connections[DEFAULT_DB_ALIAS]
        self._connection = type(default)(dict(default.settings_dict), DEFAULT_DB_ALIAS)
        return self

    def __exit__(self, *exc_info) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __call__(self, stage: str, processed: int) -> None:
        if self._connection is None:
            return
        table = ForecastRun._meta.db_table
        try:
            with self._connection.cursor() as cursor:
                # Never wait on the run's row: a lock on it means the row is being written.
                cursor.execute("SET lock_timeout = '2s'")
                cursor.execute(
                    f"UPDATE {table} SET stage = %s, processed_products = %s,"  # noqa: S608
                    " heartbeat_at = %s WHERE id = %s",
                    [stage, processed, timezone.now(), self.run_id],
                )
        except DatabaseError:
            # Progress is a courtesy: losing it must not stop the run.
            logger.exception("Cannot report the progress of forecast run %s", self.run_id)
            self.__exit__()


def _plain(value):
    """JSON-safe parameters: numpy numbers as floats, non-finite ones as None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer | int):
        return int(value)
    if isinstance(value, np.floating | float):
        return float(value) if math.isfinite(value) else None
    return value


def _finite(value) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def forecast_items(items: list[tuple], horizon: int) -> list[dict]:
    """Run the engine on (product id, history, censored, lead in weeks) items; return plain
    dicts (picklable: this runs in worker processes)."""
    results = []
    for product_id, history, censored, lead in items:
        found = select(history, horizon=horizon, period=WEEK, lead=lead, censored=censored)
        point = [round(float(v), 4) for v in found.forecast]
        results.append(
            {
                "product_id": product_id,
                "forecast": point,
                "lower": [round(float(v), 4) for v in found.lower],
                "upper": [round(float(v), 4) for v in found.upper],
                "level": float(found.level),
                "method": found.method,
                "params": _plain(found.params),
                "sigma": _finite(found.sigma) or 0.0,
                "mae": _finite(found.mae),
                "bias": _finite(found.bias),
                "mase": _finite(found.mase),
                "accuracy": found.accuracy,
                "fallback": found.fallback or "",
                "demand_class": found.demand_class,
                "seasonal": bool(found.seasonal),
                "n_observed": found.n_observed,
                "n_censored": found.n_censored,
                "next_4_weeks": float(sum(point[:4])),
                "next_13_weeks": float(sum(point[:13])),
            }
        )
    return results


class _InProcess:
    """The executor interface, running each job at once in this process."""

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        future.set_result(fn(*args))
        return future

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return None


def worker_processes() -> int:
    """How many processes may do the engine's work: FORECAST_PROCESSES (default 2) when this
    process may fork, else 1 (a daemonic process such as a Celery prefork child cannot have
    children; forking from a thread of the web process would copy its other threads' locks)."""
    wanted = min(getattr(settings, "FORECAST_PROCESSES", 2), os.cpu_count() or 1)
    if wanted < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if multiprocessing.current_process().daemon:
        return 1
    if threading.current_thread() is not threading.main_thread():
        return 1
    return wanted


def _load_chunk(product_ids: list[int], window: Window, horizon: int, review_days: int):
    """Histories, leads and location shares of a chunk (four queries)."""
    rows = sales_rows(product_ids, window)
    histories = demand_histories(product_ids, window, rows)
    terms = supplier_terms(Product.objects.filter(pk__in=list(histories)))
    shares = location_shares(list(histories), window, rows)
    items = []
    for product_id, history in histories.items():
        lead_days = terms[product_id].lead_days if product_id in terms else DEFAULT_LEAD_DAYS
        lead = max(1, min(horizon, math.ceil((lead_days + review_days) / 7)))
        items.append((product_id, history.values.tolist(), history.censored.tolist(), lead))
    return items, histories, shares


def _store_chunk(run: ForecastRun, window: Window, results, histories, shares) -> int:
    now = timezone.now()
    rows = []
    for result in results:
        product_id = result.pop("product_id")
        history = histories[product_id]
        rows.append(
            ProductForecast(
                product_id=product_id, run=run, period=WEEK, history_start=history.start,
                history=[round(float(v), 4) for v in history.values],
                censored=[bool(v) for v in history.censored], forecast_start=window.end,
                location_shares=shares.get(product_id, {}), computed_at=now, **result,
            )
        )  # fmt: skip
    with transaction.atomic():
        ProductForecast.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["product"], update_fields=STORED_FIELDS
        )
    return len(rows)


def forecast_run_execute(
    *, run_id: int, chunk_size: int = CHUNK_SIZE, processes: int | None = None
) -> ForecastRun | None:
    """Compute and store the forecasts of a queued run; return the run (None if not found).

    Idempotent: a run already done or failed is left alone; a run found running (its worker
    died and the task was delivered again) is computed afresh, which upserts the same rows.
    At the end, forecasts of products that no longer qualify (inactive, or no sale in the
    window) are removed.
    """
    run = ForecastRun.objects.filter(pk=run_id).first()
    if run is None or run.status in (Status.DONE, Status.FAILED):
        return run
    now = timezone.now()
    run.status, run.stage, run.started_at, run.heartbeat_at = (
        Status.RUNNING, Stage.LISTING, now, now,
    )  # fmt: skip
    run.processed_products, run.error = 0, ""
    run.save(update_fields=[
        "status", "stage", "started_at", "heartbeat_at", "processed_products", "error",
    ])  # fmt: skip
    try:
        window = Window.ending_this_week(run.history_weeks)
        product_ids = products_with_sales(window)
        run.total_products = len(product_ids)
        run.stage = Stage.FORECASTING
        run.save(update_fields=["total_products", "stage"])
        chunks = [product_ids[i : i + chunk_size] for i in range(0, len(product_ids), chunk_size)]
        workers = processes or worker_processes()
        done = 0
        with RunProgress(run.pk) as progress:
            if workers > 1 and len(chunks) > 1:
                executor = ProcessPoolExecutor(
                    workers, mp_context=multiprocessing.get_context("fork")
                )
            else:
                workers, executor = 1, _InProcess()
            with executor:
                # The next chunk's queries run while the workers compute the previous ones.
                pending: deque = deque()
                for chunk in chunks:
                    items, histories, shares = _load_chunk(
                        chunk, window, run.horizon, DEFAULT_REVIEW_DAYS
                    )
                    future = executor.submit(forecast_items, items, run.horizon)
                    pending.append((future, histories, shares))
                    while len(pending) > workers:
                        future, histories, shares = pending.popleft()
                        done += _store_chunk(run, window, future.result(), histories, shares)
                        progress(Stage.FORECASTING, done)
                while pending:
                    future, histories, shares = pending.popleft()
                    done += _store_chunk(run, window, future.result(), histories, shares)
                    progress(Stage.FORECASTING, done)
            progress(Stage.CLEANING, done)
        ProductForecast.objects.exclude(run=run).delete()
    except OperationalError:
        # The task retries (see reports.tasks): leave the run to it.
        raise
    except Exception as error:
        run.status, run.finished_at = Status.FAILED, timezone.now()
        run.error = f"{type(error).__name__}: {error}"[:2000]
        run.save(update_fields=["status", "finished_at", "error"])
        raise
    run.status, run.stage, run.finished_at = Status.DONE, Stage.NONE, timezone.now()
    run.processed_products = done
    run.save(update_fields=["status", "stage", "finished_at", "processed_products"])
    return run
