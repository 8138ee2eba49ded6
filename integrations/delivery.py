"""Sending one delivery: sign, POST, record the attempt, decide what comes next.

Exactly once: the attempt runs while holding the delivery's row lock (`SKIP LOCKED`: a second
worker on the same delivery gives up at once instead of sending it too), and the outcome is
written in that same transaction. A task message names the attempt it was sent for, so a
redelivered or duplicated message for an attempt already made does nothing, and a delivered
delivery is never sent again. What no lock can prevent: a worker that dies after the receiver
answered and before the commit leaves the delivery pending, and it is sent again with the same
X-Inventory-Delivery id; receivers drop a repeat by that id (see integrations.signing).
"""

import http.client
import json
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import signing
from .models import WebhookAttempt, WebhookDelivery
from .targets import TargetRefused, resolve_target
from .transport import post

Status = WebhookDelivery.Status
USER_AGENT = "Inventory-Webhooks/1.0"
# How long a delivery handed to a worker by the periodic resend is left to it before the resend
# hands it out again (a duplicate message then finds its attempt made and does nothing).
RESEND_LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Outcome:
    status: str  # "delivered", "retry", "failed" or "skipped"
    attempts: int = 0
    retry_in: int | None = None  # seconds until the next attempt, for "retry"


SKIPPED = Outcome("skipped")


def retry_delays() -> list[int]:
    """Seconds before each retry; a delivery gets one attempt more than there are delays."""
    return list(settings.WEBHOOK_RETRY_DELAYS)


def body_of(delivery: WebhookDelivery) -> bytes:
    """The exact bytes POSTed (and signed): the payload as compact JSON."""
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def _headers(delivery: WebhookDelivery, body: bytes, number: int) -> dict[str, str]:
    timestamp = int(time.time())
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.EVENT_HEADER: delivery.event,
        signing.DELIVERY_HEADER: str(delivery.event_id),
        signing.TIMESTAMP_HEADER: str(timestamp),
        signing.SIGNATURE_HEADER: signing.sign(
            delivery.webhook.secret, timestamp=timestamp, body=body
        ),
        "X-Inventory-Attempt": str(number),
    }


def _send(delivery: WebhookDelivery, number: int) -> tuple[int | None, str, bool]:
    """POST the delivery; return (status code or None, error, refused: never retry)."""
    try:
        target = resolve_target(delivery.webhook.url)
    except TargetRefused as refused:
        return None, _("Refused: %(reason)s") % {"reason": refused.message}, True
    body = body_of(delivery)
    try:
        code, answer = post(
            target,
            body=body,
            headers=_headers(delivery, body, number),
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        )
    except (OSError, http.client.HTTPException) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:1000], False
    if 200 <= code < 300:
        return code, "", False
    if 300 <= code < 400:
        return code, _("Redirects are not followed: register the final address."), False
    return code, answer or http.client.responses.get(code, ""), False


def delivery_attempt(delivery_id: int, *, attempt: int | None = None) -> Outcome:
    """Make the next attempt of a pending delivery, unless another worker is making it, it is
    no longer pending, or `attempt` (the attempt number a task message was sent for) was made
    already. Record it, then mark the delivery delivered (2xx), failed (refused target or out
    of attempts) or due again after its backoff. Holds the delivery's row lock throughout."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("webhook")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != Status.PENDING:
            return SKIPPED
        if attempt is not None and delivery.attempts != attempt - 1:
            return SKIPPED
        number = delivery.attempts + 1
        started, clock = timezone.now(), time.monotonic()
        code, error, refused = _send(delivery, number)
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            at=started,
            status_code=code,
            error=error,
            duration_ms=int((time.monotonic() - clock) * 1000),
        )
        delays = retry_delays()
        delivery.attempts, delivery.last_status_code, delivery.last_error = number, code, error
        retry_in = None
        if code is not None and 200 <= code < 300:
            delivery.status, delivery.delivered_at = Status.DELIVERED, timezone.now()
            delivery.next_attempt_at = None
        elif refused or number > len(delays):
            delivery.status, delivery.next_attempt_at = Status.FAILED, None
        else:
            retry_in = delays[number - 1]
            delivery.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
        delivery.save(
            update_fields=[
                "status", "attempts", "last_status_code", "last_error", "next_attempt_at",
                "delivered_at",
            ]
        )  # fmt: skip
    status = "retry" if retry_in is not None else delivery.status
    return Outcome(status, number, retry_in)


def deliveries_claim_due(limit: int) -> list[tuple[int, int]]:
    """Return (delivery id, next attempt number) of up to `limit` pending deliveries that are
    due, and push their next attempt RESEND_LEASE ahead so the next resend leaves them to the
    worker they are handed to now. Rows another transaction holds are skipped."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(status=Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", "attempts")[:limit]
        )
        WebhookDelivery.objects.filter(pk__in=[pk for pk, _attempts in due]).update(
            next_attempt_at=now + RESEND_LEASE
        )
    return [(pk, attempts + 1) for pk, attempts in due]


@transaction.atomic
def deliveries_retry_now(*, actor, deliveries) -> int:
    """Have each delivery that is not delivered yet attempted again now (a failed one gets one
    more attempt); return how many."""
    from .tasks import deliver_webhook

    rows = list(
        WebhookDelivery.objects.select_for_update()
        .filter(pk__in=[d.pk for d in deliveries])
        .exclude(status=Status.DELIVERED)
        .order_by("pk")
    )
    for delivery in rows:
        delivery.status, delivery.next_attempt_at = Status.PENDING, timezone.now()
        delivery.save(update_fields=["status", "next_attempt_at"])
        send = partial(deliver_webhook.delay, delivery.pk, delivery.attempts + 1)
        transaction.on_commit(send, robust=True)
    return len(rows)
