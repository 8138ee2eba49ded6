"""Webhooks in Django admin (admins only): register URLs and events, read the delivery log."""

import json

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .delivery import deliveries_retry_now
from .events import webhooks_ping
from .models import Event, Webhook, WebhookAttempt, WebhookDelivery


class WebhookForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=Webhook._meta.get_field("url").help_text,
    )
    events = forms.MultipleChoiceField(
        label=_("events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "events", "is_active"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ("name", "url", "event_list", "is_active", "last_delivery")
    list_filter = ("is_active",)
    search_fields = ("name", "url")
    actions = ["send_ping"]

    def get_queryset(self, request):
        last = WebhookDelivery.objects.filter(webhook=OuterRef("pk")).order_by("-created_at", "-pk")
        return (
            super().get_queryset(request).annotate(last_status=Subquery(last.values("status")[:1]))
        )

    def get_fields(self, request, obj=None):
        fields = ["name", "url", "events", "is_active"]
        # The secret exists once the webhook is saved: shown from then on, never editable.
        return fields if obj is None else [*fields, "secret", "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("secret", "created_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("events"))
    def event_list(self, obj):
        labels = dict(Event.choices)
        return ", ".join(str(labels.get(event, event)) for event in obj.events)

    @admin.display(description=_("last delivery"), ordering="last_status")
    def last_delivery(self, obj):
        labels = dict(WebhookDelivery.Status.choices)
        return labels.get(obj.last_status, "—")

    @admin.action(description=_("Send a test ping"))
    def send_ping(self, request, queryset):
        with transaction.atomic():
            sent = webhooks_ping(list(queryset), actor=request.user)
        self.message_user(
            request,
            ngettext(
                "A test ping was queued; its delivery log shows how it went.",
                "%(count)d test pings were queued; their delivery log shows how they went.",
                len(sent),
            )
            % {"count": len(sent)},
            messages.SUCCESS,
        )


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ("number", "at", "status_code", "error", "duration_ms")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: written by the delivery tasks, read here; old entries may be deleted."""

    list_display = (
        "created_at", "webhook", "event", "status", "attempts", "last_status_code",
        "next_attempt_at", "delivered_at",
    )  # fmt: skip
    list_filter = ("status", "event", "webhook")
    list_select_related = ("webhook",)
    search_fields = ("webhook__name",)
    date_hierarchy = "created_at"
    fields = (
        "webhook", "event", "event_id", "status", "attempts", "last_status_code", "last_error",
        "next_attempt_at", "created_at", "delivered_at", "payload_json",
    )  # fmt: skip
    readonly_fields = fields
    inlines = [WebhookAttemptInline]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("payload"))
    def payload_json(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, indent=2, ensure_ascii=False))

    @admin.action(description=_("Retry now"))
    def retry_now(self, request, queryset):
        count = deliveries_retry_now(actor=request.user, deliveries=list(queryset))
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery will be attempted again now.",
                "%(count)d deliveries will be attempted again now.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
