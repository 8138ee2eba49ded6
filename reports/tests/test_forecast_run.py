"""Forecast runs: one stored forecast per product that sold, updated in place, one run at a
time, progress to the end, started from the forecast page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from products.tests.factories import ProductFactory
from reports.forecast_runs import forecast_run_execute, forecast_run_start
from reports.models import ForecastRun, ProductForecast
from stock.tests.factories import LocationFactory

from .demand_factories import sell_daily

pytestmark = pytest.mark.django_db
Status = ForecastRun.Status


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


@pytest.fixture
def shop_with_sales(manager):
    shop = LocationFactory()
    sold = [ProductFactory(), ProductFactory(), ProductFactory()]
    for n, product in enumerate(sold):
        sell_daily(manager, product=product, location=shop, per_day=n + 1, weeks=12)
    ProductFactory()  # never sold: no forecast
    retired = ProductFactory()
    sell_daily(manager, product=retired, location=shop, per_day=1, weeks=12)
    retired.is_active = False
    retired.save(update_fields=["is_active"])
    return shop, sold


def _run(manager, **options) -> ForecastRun:
    run, created = forecast_run_start(actor=manager, dispatch=False)
    assert created
    return forecast_run_execute(run_id=run.pk, **options)


def test_a_run_stores_one_forecast_per_active_product_that_sold(manager, shop_with_sales):
    shop, sold = shop_with_sales

    run = _run(manager)

    assert run.status == Status.DONE
    assert run.total_products == run.processed_products == 3
    stored = {f.product_id: f for f in ProductForecast.objects.all()}
    assert set(stored) == {p.pk for p in sold}
    kopi = stored[sold[2].pk]
    assert kopi.forecast[0] == pytest.approx(21, rel=0.05)  # 3 a day
    assert len(kopi.forecast) == len(kopi.lower) == len(kopi.upper) == 26
    assert len(kopi.history) == len(kopi.censored) == 12
    assert kopi.location_shares == {str(shop.pk): 1.0}
    assert kopi.next_4_weeks == pytest.approx(sum(kopi.forecast[:4]))
    assert kopi.run == run


def test_a_second_run_updates_the_forecasts_in_place(manager, shop_with_sales):
    first = _run(manager)
    before = dict(ProductForecast.objects.values_list("product_id", "pk"))

    second = _run(manager)

    assert dict(ProductForecast.objects.values_list("product_id", "pk")) == before
    assert set(ProductForecast.objects.values_list("run", flat=True)) == {second.pk}
    assert second.pk != first.pk


def test_a_forecast_of_a_product_that_no_longer_qualifies_is_removed(manager, shop_with_sales):
    _shop, sold = shop_with_sales
    _run(manager)
    sold[0].is_active = False
    sold[0].save(update_fields=["is_active"])

    _run(manager)

    assert not ProductForecast.objects.filter(product=sold[0]).exists()
    assert ProductForecast.objects.count() == 2


def test_the_engine_work_in_two_processes_stores_the_same_forecasts(manager, shop_with_sales):
    _run(manager, processes=1)
    alone = {f.product_id: f.forecast for f in ProductForecast.objects.all()}

    run = _run(manager, chunk_size=1, processes=2)

    assert run.processed_products == 3
    assert {f.product_id: f.forecast for f in ProductForecast.objects.all()} == alone


def test_a_second_start_while_one_runs_returns_the_running_one(manager):
    run, created = forecast_run_start(actor=manager, dispatch=False)
    again, created_again = forecast_run_start(actor=manager, dispatch=False)

    assert (created, created_again) == (True, False)
    assert again.pk == run.pk
    assert ForecastRun.objects.count() == 1


def test_a_run_that_lost_its_worker_does_not_block_the_next(manager):
    stale = ForecastRun.objects.create(
        status=Status.RUNNING, heartbeat_at=timezone.now() - timedelta(hours=1)
    )

    run, created = forecast_run_start(actor=manager, dispatch=False)

    assert created
    assert run.pk != stale.pk
    stale.refresh_from_db()
    assert stale.status == Status.FAILED


def test_running_a_finished_run_again_changes_nothing(manager, shop_with_sales):
    run = _run(manager)
    computed = list(ProductForecast.objects.values_list("computed_at", flat=True))

    again = forecast_run_execute(run_id=run.pk)

    assert again.status == Status.DONE
    assert list(ProductForecast.objects.values_list("computed_at", flat=True)) == computed


def test_run_now_on_the_forecast_page_computes_and_shows_progress(
    client, manager, shop_with_sales, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:forecast_run"))
    assert response.status_code == 302
    run = ForecastRun.objects.get()
    assert run.status == Status.DONE
    assert ProductForecast.objects.count() == 3

    page = client.get(reverse("reports:report", args=["forecast"]))
    assert b'data-testid="forecast-run" data-status="done"' in page.content
    progress = client.get(reverse("reports:forecast_run_progress", args=[run.pk]))
    assert b"Forecasts of 3 products computed" in progress.content


def test_run_now_while_a_run_is_under_way_shows_that_one(client, manager):
    client.force_login(manager)
    running = ForecastRun.objects.create(
        status=Status.RUNNING, heartbeat_at=timezone.now(), total_products=10,
        processed_products=4,
    )  # fmt: skip

    response = client.post(reverse("reports:forecast_run"), follow=True)

    assert ForecastRun.objects.get() == running
    assert b"already under way" in response.content
    assert reverse("reports:forecast_run_progress", args=[running.pk]).encode() in response.content
    assert b"4 of 10 products" in response.content


def test_staff_cannot_start_a_run(client, make_user):
    client.force_login(make_user(Role.STAFF))
    assert client.post(reverse("reports:forecast_run")).status_code == 403
    assert not ForecastRun.objects.exists()
