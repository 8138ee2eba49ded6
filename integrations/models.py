"""Webhooks that admins register, and the log of every delivery and attempt made to them."""

import secrets
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What a webhook may subscribe to; the value is the `X-Inventory-Event` header."""

    STOCK_LEVEL_CHANGED = "stock.level_changed", _("Stock level changed")
    LOW_STOCK = "stock.low", _("Low stock")
    ORDER_STATUS_CHANGED = "order.status_changed", _("Order status changed")
    PURCHASE_ORDER_RECEIVED = "purchase_order.received", _("Purchase order received")


# Sent only by the admin's "send a test ping" action, to every webhook it is asked for.
PING = "ping"
DELIVERY_EVENTS = [*Event.choices, (PING, _("Test ping"))]


def new_secret() -> str:
    return secrets.token_hex(32)


class Webhook(models.Model):
    """A URL of another system and the events it is sent, signed with its own secret."""

    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(
        _("URL"),
        max_length=500,
        help_text=_("Receives a signed JSON POST for each event (http or https)."),
    )
    events = ArrayField(
        models.CharField(max_length=40, choices=Event.choices), verbose_name=_("events")
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=64,
        default=new_secret,
        editable=False,
        help_text=_("The receiver checks the X-Inventory-Signature header with it."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from .events import subscriptions_changed

        subscriptions_changed()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from .events import subscriptions_changed

        subscriptions_changed()
        return result

    def clean(self):
        from .targets import TargetRefused, resolve_target

        if self.url:
            try:
                resolve_target(self.url)
            except TargetRefused as refused:
                raise ValidationError({"url": refused.message}, code=refused.code) from None
        if not self.events:
            raise ValidationError({"events": _("Choose at least one event.")}, code="required")


class WebhookDelivery(models.Model):
    """One event for one webhook: sent until the receiver answers 2xx, or given up.

    `event_id` is what receivers deduplicate on: a delivery may reach them more than once when
    a worker dies after their answer and before it was recorded, never with another id.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook")
    )
    event = models.CharField(_("event"), max_length=40, choices=DELIVERY_EVENTS)
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, editable=False)
    payload = models.JSONField(_("payload"), encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last status code"), null=True)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "event_id"], name="integrations_delivery_event_unique"
            )
        ]
        indexes = [
            # The periodic resend looks for pending deliveries that are due.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="integrations_delivery_due_idx",
            ),
            models.Index(fields=["webhook", "-created_at"], name="integrations_delivery_hook_idx"),
        ]

    def __str__(self):
        return f"{self.get_event_display()} {self.event_id}"


class WebhookAttempt(models.Model):
    """One POST of a delivery (or its refusal), kept for the admin's delivery log."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        on_delete=models.CASCADE,
        related_name="attempt_log",
        verbose_name=_("delivery"),
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    at = models.DateTimeField(_("at"))
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="integrations_attempt_number_unique"
            )
        ]

    def __str__(self):
        return f"#{self.number} {self.status_code or self.error[:40]}"
