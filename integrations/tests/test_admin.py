"""Webhooks in Django admin: registering, the secret, pings, the delivery log, retrying."""

import pytest
from django.urls import reverse

from integrations.models import Event, Webhook, WebhookDelivery

from .factories import WebhookDeliveryFactory, WebhookFactory

pytestmark = pytest.mark.django_db
ADD = reverse("admin:integrations_webhook_add")


@pytest.fixture
def signed_in(client, admin_user):
    client.force_login(admin_user)
    return client


def form(url: str) -> dict:
    return {
        "name": "ERP",
        "url": url,
        "events": [Event.STOCK_LEVEL_CHANGED, Event.LOW_STOCK],
        "is_active": "on",
    }


def test_an_admin_registers_a_webhook_and_sees_its_secret(signed_in, admin_user, fake_dns):
    fake_dns({"erp.example.com": "93.184.215.14"})
    assert signed_in.get(ADD).status_code == 200

    response = signed_in.post(ADD, form("https://erp.example.com/hooks"))

    assert response.status_code == 302
    webhook = Webhook.objects.get()
    assert webhook.events == [Event.STOCK_LEVEL_CHANGED, Event.LOW_STOCK]
    assert webhook.created_by == admin_user
    assert len(webhook.secret) == 64
    page = signed_in.get(reverse("admin:integrations_webhook_change", args=[webhook.pk]))
    assert webhook.secret in page.content.decode()


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8069/hooks", "http://localhost/hooks", "http://10.0.0.9/", "http://[::1]/"],
)
def test_a_loopback_or_private_url_is_a_form_error(signed_in, url):
    response = signed_in.post(ADD, form(url))

    assert response.status_code == 200
    assert "webhooks may only go to public addresses" in str(
        response.context["adminform"].form.errors["url"]
    )
    assert not Webhook.objects.exists()


def test_a_private_url_is_accepted_with_the_setting(signed_in, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    assert signed_in.post(ADD, form("http://192.168.1.20:8069/hooks")).status_code == 302


def test_the_list_shows_each_webhooks_last_delivery(signed_in):
    delivery = WebhookDeliveryFactory(status=WebhookDelivery.Status.FAILED)
    WebhookFactory(name="Shop")

    page = signed_in.get(reverse("admin:integrations_webhook_changelist")).content.decode()

    assert delivery.webhook.name in page
    assert "failed" in page
    assert "Stock level changed, Low stock" in page


def test_send_a_test_ping_queues_one(signed_in, receiver, hook, django_capture_on_commit_callbacks):
    changelist = reverse("admin:integrations_webhook_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            changelist, {"action": "send_ping", "_selected_action": [hook.pk]}, follow=True
        )

    assert "A test ping was queued" in response.content.decode()
    [request] = receiver.requests
    assert request.headers["X-Inventory-Event"] == "ping"


def test_the_delivery_page_shows_every_attempt(signed_in):
    delivery = WebhookDeliveryFactory(attempts=2, payload={"sku": "KOPI-1"})

    page = signed_in.get(reverse("admin:integrations_webhookdelivery_change", args=[delivery.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("boom") == 2  # each attempt's error, in the inline log
    assert "KOPI-1" in text


def test_retry_now_sends_the_selected_deliveries(
    signed_in, receiver, hook, django_capture_on_commit_callbacks
):
    delivery = WebhookDeliveryFactory(webhook=hook, status=WebhookDelivery.Status.FAILED)
    changelist = reverse("admin:integrations_webhookdelivery_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(changelist, {"action": "retry_now", "_selected_action": [delivery.pk]})

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 2)
    assert len(receiver.requests) == 1
