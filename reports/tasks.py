"""Background work of reports: importing a sales history file."""

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
