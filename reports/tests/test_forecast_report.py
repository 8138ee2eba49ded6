"""The forecast report: the summary over all products and one product's page, from stored
forecasts, in every form."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from products.tests.factories import ProductFactory
from reports.forecast_runs import forecast_run_execute, forecast_run_start
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierFactory, SupplierProductFactory

from .demand_factories import sell_daily

pytestmark = pytest.mark.django_db


@pytest.fixture
def forecast(make_user, client):
    manager = make_user(Role.MANAGER)
    client.force_login(manager)
    shop, supplier = LocationFactory(name="Toko"), SupplierFactory()
    kopi = ProductFactory(sku="KOPI", name="Kopi", preferred_supplier=supplier)
    SupplierProductFactory(supplier=supplier, product=kopi, lead_time_days=7)
    sell_daily(manager, product=kopi, location=shop, per_day=2, weeks=20)
    teh = ProductFactory(sku="TEH", name="Teh")
    sell_daily(manager, product=teh, location=shop, per_day=1, weeks=3)  # too short a history
    run, _created = forecast_run_start(actor=manager, dispatch=False)
    forecast_run_execute(run_id=run.pk)
    return kopi, teh


def test_the_summary_lists_each_product_with_its_method_and_accuracy(client, forecast):
    response = client.get(reverse("reports:report", args=["forecast"]), {"format": "csv"})
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()

    assert rows[0].startswith("SKU,Product,Method,Accuracy,MASE,Next 4 weeks,Next 13 weeks")
    assert rows[1].startswith("KOPI,Kopi,")
    assert rows[2].startswith("TEH,Teh,Average of the history,not measured,,28,91,0,")
    assert "Too little history" in rows[2]
    page = client.get(reverse("reports:report", args=["forecast"])).content.decode()
    assert 'data-figure="products">2<' in page
    assert page.count('data-testid="report-chart"') == 2  # demand and accuracy


def test_a_products_page_shows_the_forecast_band_its_error_and_the_reorder_reasoning(
    client, forecast
):
    page = client.get(reverse("reports:report", args=["forecast"]), {"product": "kopi"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "likely range" in html  # the band's legend in the chart
    assert 'data-figure="mase"' in html
    assert "Typically within ±" in html
    assert "Reorder reasoning per location" in html
    assert "Toko" in html
    api = client.get(reverse("api:report-forecast"), {"product": "KOPI"}).json()
    assert api["tables"]["forecast"]["rows"][0]["forecast"] == pytest.approx(14, rel=0.05)
    pdf = client.get(
        reverse("reports:report", args=["forecast"]), {"product": "KOPI", "format": "pdf"}
    )
    assert pdf["Content-Type"] == "application/pdf"


def test_before_any_run_the_page_offers_to_run_the_forecasts(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    html = client.get(reverse("reports:report", args=["forecast"])).content.decode()
    assert "No forecast has been computed yet" in html
    assert 'data-testid="forecast-run-now"' in html
