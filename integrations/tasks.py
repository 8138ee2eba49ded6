"""Background work of integrations: sending webhook deliveries and resending those due.

`resend_due_webhooks` is meant to run every minute from Celery beat
(CELERY_BEAT_SCHEDULE: "integrations.tasks.resend_due_webhooks"): it retries deliveries whose
backoff is over, and sends those whose task never arrived (broker down at commit, worker lost)
or that ran eagerly (no broker: retries are never made inline, so a failing receiver costs a
request at most one attempt).
"""

import logging

from celery import shared_task
from django.conf import settings

from .delivery import deliveries_claim_due, delivery_attempt

logger = logging.getLogger(__name__)
RESEND_BATCH = 200


@shared_task(
    bind=True,
    acks_late=True,
    # Redelivering a message whose worker died is safe: the attempt number makes it a no-op
    # once the attempt is recorded.
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
    ignore_result=True,
)
def deliver_webhook(self, delivery_id: int, attempt: int | None = None) -> str:
    """Make attempt `attempt` (None: the next one) of a delivery; return what came of it.

    On a failure with attempts left, a worker retries the task after the backoff; run eagerly,
    the retry is left to `resend_due_webhooks`.
    """
    outcome = delivery_attempt(delivery_id, attempt=attempt)
    if outcome.status == "retry":
        logger.info("Webhook delivery %s: attempt %s failed", delivery_id, outcome.attempts)
        if not (self.request.is_eager or settings.CELERY_TASK_ALWAYS_EAGER):
            raise self.retry(
                args=(delivery_id, outcome.attempts + 1),
                countdown=outcome.retry_in,
                max_retries=None,
            )
    return outcome.status


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300, ignore_result=True)
def resend_due_webhooks(limit: int = RESEND_BATCH) -> int:
    """Hand every pending delivery that is due to `deliver_webhook`; return how many."""
    due = deliveries_claim_due(limit)
    for delivery_id, attempt in due:
        deliver_webhook.delay(delivery_id, attempt)
    return len(due)
