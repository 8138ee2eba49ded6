"""Background work of reports: importing a sales history file, computing forecasts."""

from celery import shared_task
from django.db import OperationalError


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
    soft_time_limit=3 * 60 * 60,
    time_limit=3 * 60 * 60 + 60,
)
def sales_history_import(batch_id: int) -> str:
    """Import one previewed batch of sales history; return its status.

    Idempotent: a batch already imported is left alone, and a redelivered task that finds its
    batch still running (its worker died, its transaction rolled back) imports it afresh.
    """
    from .importing.applying import sales_history_import_apply

    batch = sales_history_import_apply(batch_id=batch_id)
    return batch.status if batch else "missing"


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
    soft_time_limit=60 * 60,
    time_limit=60 * 60 + 60,
)
def forecast_run(run_id: int) -> str:
    """Compute and store the forecasts of one queued run; return its status.

    Idempotent: a finished run is left alone; a redelivered one is computed afresh.
    """
    from .forecast_runs import forecast_run_execute

    run = forecast_run_execute(run_id=run_id)
    return run.status if run else "missing"


@shared_task
def forecast_run_nightly() -> str:
    """The scheduled run: queue one for a worker, unless one is already under way."""
    from .forecast_runs import forecast_run_start

    run, created = forecast_run_start(actor=None)
    return f"queued run {run.pk}" if created else f"run {run.pk} already under way"


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def stock_snapshots_refresh() -> str:
    """Write the stock snapshots that are due or stale (reports/snapshots.py)."""
    from .snapshots import refresh_snapshots

    done = refresh_snapshots()
    return f"{done['written']} written ({done['lines']} lines), {done['dropped']} dropped"
