from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from inventory_site.scheduling.schedules import SCHEDULES, active_schedules, schedules_sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_schedule():
    PeriodicTask.objects.all().delete()


def test_migrate_leaves_every_schedule_registered():
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {s.name for s in active_schedules()} <= names


def test_sync_creates_each_schedule_at_its_time(empty_schedule):
    schedules_sync()
    tasks = {t.name: t for t in PeriodicTask.objects.select_related("crontab")}
    summary = tasks["sales-summary-daily"]
    assert summary.task == "inventory_site.scheduling.tasks.sales_summary_email"
    assert (summary.crontab.hour, summary.crontab.minute) == ("7", "0")
    digest = tasks["low-stock-digest-weekly"].crontab
    assert (digest.day_of_week, digest.hour, digest.minute) == ("1", "7", "30")
    assert tasks["forecasts-nightly"].task == "reports.tasks.forecast_run_nightly"
    assert tasks["forecasts-nightly"].crontab.hour == "3"
    assert tasks["stock-check-nightly"].crontab.hour == "2"


def test_sync_again_creates_nothing(empty_schedule):
    assert schedules_sync()
    assert schedules_sync() == []
    assert PeriodicTask.objects.count() == len(active_schedules())


def test_sync_keeps_an_admins_changes(empty_schedule):
    schedules_sync()
    task = PeriodicTask.objects.get(name="sales-summary-daily")
    task.crontab = CrontabSchedule.objects.create(minute="15", hour="6")
    task.enabled = False
    task.save()
    schedules_sync()
    task.refresh_from_db()
    assert (task.crontab.hour, task.crontab.minute, task.enabled) == ("6", "15", False)


def test_sync_brings_back_a_deleted_entry(empty_schedule):
    schedules_sync()
    PeriodicTask.objects.filter(name="stock-check-nightly").delete()
    assert schedules_sync() == ["stock-check-nightly"]


def test_webhook_resends_are_scheduled_only_with_the_integrations_app(settings):
    webhooks = next(s for s in SCHEDULES if s.task.startswith("integrations."))
    installed = "integrations" in settings.INSTALLED_APPS
    assert (webhooks in active_schedules()) == installed


def test_setup_schedules_command_reports_what_it_created(empty_schedule):
    out = StringIO()
    call_command("setup_schedules", stdout=out)
    assert "created sales-summary-daily" in out.getvalue()
    out = StringIO()
    call_command("setup_schedules", stdout=out)
    assert "0 created now" in out.getvalue()
