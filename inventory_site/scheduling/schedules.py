"""The scheduled work of the site, defined here and synced into django-celery-beat's tables.

Celery beat runs with django-celery-beat's DatabaseScheduler: the schedule lives in the
database, where admins change times or switch entries off in Django admin (Periodic tasks).
`schedules_sync` (run after every `migrate` and by `manage.py setup_schedules`) creates the
entries that are missing and leaves existing ones alone, so an admin's edits survive.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Schedule:
    """One periodic task: a crontab in the site's time zone, or an interval in seconds."""

    name: str
    task: str
    description: str | Promise
    cron: dict[str, str] = field(default_factory=dict)
    every_seconds: int | None = None
    # Only scheduled while this app is installed (its task exists only then).
    requires_app: str | None = None


SCHEDULES: list[Schedule] = [
    Schedule(
        name="stock-check-nightly",
        task="inventory_site.scheduling.tasks.stock_check_nightly",
        description=_("Prove stock levels against the ledger; alert admins on any mismatch."),
        cron={"minute": "0", "hour": "2"},
    ),
    Schedule(
        # After midnight plus reports.snapshots.SETTLE: the day's snapshot can be written.
        name="stock-snapshots-nightly",
        task="reports.tasks.stock_snapshots_refresh",
        description=_("Write the stock snapshots the stock reports start from."),
        cron={"minute": "30", "hour": "1"},
    ),
    Schedule(
        # Forecasts for every product that sold, for the forecast and replenishment pages.
        name="forecasts-nightly",
        task="reports.tasks.forecast_run_nightly",
        description=_("Compute the demand forecasts of every product."),
        cron={"minute": "0", "hour": "3"},
    ),
    Schedule(
        name="sales-summary-daily",
        task="inventory_site.scheduling.tasks.sales_summary_email",
        description=_("Email yesterday's sales summary of every location to the managers."),
        cron={"minute": "0", "hour": "7"},
    ),
    Schedule(
        name="low-stock-digest-weekly",
        task="inventory_site.scheduling.tasks.low_stock_digest_email",
        description=_("Email the managers what is low and what to reorder."),
        cron={"minute": "30", "hour": "7", "day_of_week": "1"},
    ),
    Schedule(
        name="webhooks-resend-due",
        task="integrations.tasks.resend_due_webhooks",
        description=_("Send again the webhook deliveries whose retry is due."),
        every_seconds=60,
        requires_app="integrations",
    ),
]


def active_schedules() -> list[Schedule]:
    """The schedules whose tasks exist in this installation."""
    return [s for s in SCHEDULES if s.requires_app is None or apps.is_installed(s.requires_app)]


EVERY = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}


def _when(schedule: Schedule, *, using: str) -> dict:
    """The schedule row (interval or crontab) of `schedule`, shared with equal entries."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule

    if schedule.every_seconds:
        model, fields = IntervalSchedule, {"every": schedule.every_seconds, "period": "seconds"}
        key = "interval"
    else:
        model, fields = CrontabSchedule, EVERY | schedule.cron | {"timezone": settings.TIME_ZONE}
        key = "crontab"
    rows = model.objects.using(using)
    return {key: rows.filter(**fields).order_by("pk").first() or rows.create(**fields)}


def schedules_sync(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Create the periodic task of every schedule that has none; return the names created.

    An existing entry is never changed, whatever an admin did to it (time, enabled).
    """
    from django_celery_beat.models import PeriodicTask

    if PeriodicTask._meta.db_table not in connections[using].introspection.table_names():
        return []  # a partial migrate that has not reached django-celery-beat yet
    tasks = PeriodicTask.objects.using(using)
    created = []
    with transaction.atomic(using=using):
        existing = set(tasks.values_list("name", flat=True))
        for schedule in active_schedules():
            if schedule.name in existing:
                continue
            when = _when(schedule, using=using)
            _task, made = tasks.get_or_create(
                name=schedule.name,
                defaults={"task": schedule.task, "description": str(schedule.description)} | when,
            )
            if made:
                created.append(schedule.name)
    return created
