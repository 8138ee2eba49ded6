"""Sending: signed POSTs, retries with backoff and a log of every attempt, at most one success."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from integrations import signing, tasks
from integrations.delivery import delivery_attempt
from integrations.models import Event, WebhookDelivery
from products.tests.factories import ProductFactory
from stock import services
from stock.tests.factories import LocationFactory

from .factories import WebhookDeliveryFactory

pytestmark = pytest.mark.django_db
Status = WebhookDelivery.Status


@pytest.fixture
def receipt(admin_user, hook, django_capture_on_commit_callbacks):
    """A receipt whose stock level event is sent once its transaction commits."""
    product, store = ProductFactory(sku="TEH-1"), LocationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.stock_receive(
            actor=admin_user, product=product, location=store, quantity=5, unit_cost=2
        )
    return WebhookDelivery.objects.get(event=Event.STOCK_LEVEL_CHANGED)


def test_a_delivery_is_signed_and_the_receiver_verifies_it(hook, receiver, receipt):
    [request] = receiver.requests
    assert request.verifies(hook.secret)
    assert not request.verifies("another secret")
    assert request.path == "/hooks/"
    assert request.headers[signing.EVENT_HEADER] == "stock.level_changed"
    assert request.headers[signing.DELIVERY_HEADER] == str(receipt.event_id)
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.body) == receipt.payload
    assert receipt.payload["sku"] == "TEH-1"
    receipt.refresh_from_db()
    assert (receipt.status, receipt.attempts, receipt.last_status_code) == (
        Status.DELIVERED,
        1,
        200,
    )
    assert receipt.delivered_at is not None


def test_a_tampered_body_fails_the_receivers_check(hook, receiver, receipt):
    [request] = receiver.requests
    request.body = request.body.replace(b'"5.000"', b'"500.000"')
    assert not request.verifies(hook.secret)


def test_a_failing_receiver_gets_retries_and_the_log_shows_each(
    receiver, zero_backoff, admin_user, hook, django_capture_on_commit_callbacks
):
    receiver.statuses = [500, 503, 200]
    with django_capture_on_commit_callbacks(execute=True):
        services.stock_receive(
            actor=admin_user, product=ProductFactory(), location=LocationFactory(), quantity=1,
            unit_cost=1,
        )  # fmt: skip
    delivery = WebhookDelivery.objects.get()
    delivery.refresh_from_db()
    # Run eagerly (no broker), the failed attempt is not retried inline: the resend does it.
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        Status.PENDING,
        1,
        500,
    )

    assert tasks.resend_due_webhooks() == 1
    assert tasks.resend_due_webhooks() == 1
    assert tasks.resend_due_webhooks() == 0  # delivered: nothing is due any more

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        Status.DELIVERED,
        3,
        200,
    )
    log = list(delivery.attempt_log.values_list("number", "status_code"))
    assert log == [(1, 500), (2, 503), (3, 200)]
    assert delivery.attempt_log.get(number=1).error == "receiver says no"
    event_ids = {r.headers[signing.DELIVERY_HEADER] for r in receiver.requests}
    assert event_ids == {str(delivery.event_id)}  # the receivers' idempotency key never changes
    assert all(r.verifies(hook.secret) for r in receiver.requests)


def test_after_the_last_attempt_a_delivery_is_failed(receiver, zero_backoff, hook):
    receiver.statuses = [500]
    delivery = WebhookDeliveryFactory(webhook=hook, attempts=0)
    for _attempt in range(3):
        tasks.deliver_webhook(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        Status.FAILED,
        3,
        None,
    )
    assert tasks.deliver_webhook(delivery.pk) == "skipped"
    assert tasks.resend_due_webhooks() == 0
    assert len(receiver.requests) == 3


def test_a_worker_retries_after_the_backoff(receiver, hook, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as on a worker
    receiver.statuses = [500]
    delivery = WebhookDeliveryFactory(webhook=hook, attempts=0)
    retried = {}

    class RetryQueuedError(Exception):
        pass

    def retry(**options):
        retried.update(options)
        return RetryQueuedError()

    monkeypatch.setattr(tasks.deliver_webhook, "retry", retry)
    with pytest.raises(RetryQueuedError):
        tasks.deliver_webhook(delivery.pk, 1)

    assert retried["countdown"] == settings.WEBHOOK_RETRY_DELAYS[0] == 60
    assert retried["args"] == (delivery.pk, 2)
    delivery.refresh_from_db()
    expected = timezone.now() + timedelta(seconds=60)
    assert abs(delivery.next_attempt_at - expected) < timedelta(seconds=5)
    assert tasks.resend_due_webhooks() == 0  # not due before its backoff is over


def test_running_the_same_task_twice_sends_once(receiver, hook):
    delivery = WebhookDeliveryFactory(webhook=hook, attempts=0)
    assert tasks.deliver_webhook(delivery.pk, 1) == "delivered"
    assert tasks.deliver_webhook(delivery.pk, 1) == "skipped"  # the message redelivered
    assert tasks.deliver_webhook(delivery.pk) == "skipped"
    assert len(receiver.requests) == 1


def test_a_message_for_an_attempt_already_made_does_nothing(receiver, zero_backoff, hook):
    receiver.statuses = [500, 200]
    delivery = WebhookDeliveryFactory(webhook=hook, attempts=0)
    assert tasks.deliver_webhook(delivery.pk, 1) == "retry"
    assert tasks.deliver_webhook(delivery.pk, 1) == "skipped"  # a duplicate of attempt 1
    assert tasks.deliver_webhook(delivery.pk, 2) == "delivered"
    assert len(receiver.requests) == 2


def test_a_loopback_target_is_refused_at_send_time_without_retry(receiver, hook, settings):
    delivery = WebhookDeliveryFactory(webhook=hook, attempts=0)
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False  # or the host now resolves elsewhere

    assert delivery_attempt(delivery.pk).status == Status.FAILED

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        Status.FAILED,
        1,
        None,
    )
    assert delivery.last_error.startswith("Refused: 127.0.0.1 is a loopback")
    assert delivery.attempt_log.get().error == delivery.last_error
    assert receiver.requests == []


def test_a_host_that_now_resolves_to_loopback_is_refused_at_send_time(hook, fake_dns, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    hook.url = "https://erp.example.com/hooks"
    hook.save()
    fake_dns({"erp.example.com": "127.0.0.1"})
    delivery = WebhookDeliveryFactory(webhook=hook, attempts=0)

    assert delivery_attempt(delivery.pk).status == Status.FAILED
    delivery.refresh_from_db()
    assert "127.0.0.1" in delivery.last_error


def test_redirects_are_not_followed(receiver, zero_backoff, hook):
    receiver.statuses = [302]
    delivery = WebhookDeliveryFactory(webhook=hook, attempts=0)

    assert tasks.deliver_webhook(delivery.pk) == "retry"

    delivery.refresh_from_db()
    assert delivery.last_status_code == 302
    assert "Redirects are not followed" in delivery.last_error
    assert [r.path for r in receiver.requests] == ["/hooks/"]


def test_a_receiver_that_does_not_answer_in_time_is_a_failed_attempt(receiver, hook, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.delay = 1
    delivery = WebhookDeliveryFactory(webhook=hook, attempts=0)

    assert tasks.deliver_webhook(delivery.pk) == "retry"

    delivery.refresh_from_db()
    assert delivery.last_status_code is None
    assert "timed out" in delivery.last_error


def test_retry_now_gives_a_failed_delivery_one_more_attempt(
    receiver, hook, admin_user, django_capture_on_commit_callbacks
):
    from integrations.delivery import deliveries_retry_now

    delivery = WebhookDeliveryFactory(webhook=hook, status=Status.FAILED, attempts=8)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_retry_now(actor=admin_user, deliveries=[delivery]) == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.DELIVERED, 9)
    assert len(receiver.requests) == 1


def test_a_ping_reaches_an_inactive_webhook(
    receiver, hook, admin_user, django_capture_on_commit_callbacks
):
    from integrations.events import webhooks_ping

    hook.is_active = False
    hook.save()
    with django_capture_on_commit_callbacks(execute=True):
        [pk] = webhooks_ping([hook], actor=admin_user)

    [request] = receiver.requests
    assert request.headers[signing.EVENT_HEADER] == "ping"
    assert request.verifies(hook.secret)
    assert WebhookDelivery.objects.get(pk=pk).status == Status.DELIVERED


def test_the_resend_sends_deliveries_whose_task_never_ran(receiver, hook):
    stale = WebhookDeliveryFactory(webhook=hook, attempts=0)
    fresh = WebhookDeliveryFactory(webhook=hook, attempts=0)
    WebhookDelivery.objects.filter(pk=stale.pk).update(next_attempt_at=timezone.now())
    WebhookDelivery.objects.filter(pk=fresh.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=2)  # its task may still come
    )

    assert tasks.resend_due_webhooks() == 1

    assert WebhookDelivery.objects.get(pk=stale.pk).status == Status.DELIVERED
    assert WebhookDelivery.objects.get(pk=fresh.pk).status == Status.PENDING
    assert len(receiver.requests) == 1
