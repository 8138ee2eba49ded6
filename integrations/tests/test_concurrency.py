"""Exactly once with several workers: real commits, separate connections, one delivery."""

import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from integrations import tasks
from integrations.models import Event, WebhookDelivery
from products.tests.factories import ProductFactory
from stock import services
from stock.tests.factories import LocationFactory

from .factories import WebhookDeliveryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*jobs) -> list:
    """Run each job in its own thread (its own database connection), all at once."""
    barrier, results = threading.Barrier(len(jobs)), []

    def run(job):
        try:
            barrier.wait()
            results.append(job())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_workers_on_one_delivery_send_it_once(receiver, hook):
    receiver.delay = 0.5  # the first worker is still waiting for the answer when the second comes
    delivery = WebhookDeliveryFactory(webhook=hook, attempts=0)

    results = run_together(*[lambda: tasks.deliver_webhook(delivery.pk, 1)] * 2)

    assert sorted(results) == ["delivered", "skipped"]
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 1)


def test_duplicated_messages_and_the_resend_together_send_once(receiver, hook):
    receiver.delay = 0.3
    delivery = WebhookDeliveryFactory(webhook=hook, attempts=0)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    send = [lambda: tasks.deliver_webhook(delivery.pk, 1)] * 3

    run_together(*send, tasks.resend_due_webhooks, tasks.resend_due_webhooks)
    run_together(*send, tasks.resend_due_webhooks)  # all redelivered afterwards

    assert len(receiver.requests) == 1
    assert delivery.attempt_log.count() == 1


def test_a_committed_stock_change_is_delivered_after_commit(receiver, hook, admin_user):
    services.stock_receive(
        actor=admin_user, product=ProductFactory(), location=LocationFactory(), quantity=2,
        unit_cost=1,
    )  # fmt: skip

    delivery = WebhookDelivery.objects.get(event=Event.STOCK_LEVEL_CHANGED)
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert [r.verifies(hook.secret) for r in receiver.requests] == [True]


def test_without_a_broker_a_slow_receiver_never_holds_the_request(
    receiver, hook, admin_user, settings
):
    settings.BACKGROUND_THREADS = True  # as the quick start runs: no broker, threads
    receiver.delay = 1.5
    started = time.monotonic()

    services.stock_receive(
        actor=admin_user, product=ProductFactory(), location=LocationFactory(), quantity=2,
        unit_cost=1,
    )  # fmt: skip

    assert time.monotonic() - started < 1
    delivery = WebhookDelivery.objects.get(event=Event.STOCK_LEVEL_CHANGED)
    for _wait in range(50):
        time.sleep(0.1)
        delivery.refresh_from_db()
        if delivery.status == WebhookDelivery.Status.DELIVERED:
            break
    assert delivery.status == WebhookDelivery.Status.DELIVERED
