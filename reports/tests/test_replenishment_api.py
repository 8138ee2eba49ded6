"""The forecast API: stored forecasts, suggestions as the page shows them, draft purchase orders
made once per Idempotency-Key, and forecast runs."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from orders.models import PurchaseOrder
from products.tests.factories import ProductFactory
from reports.models import ForecastRun
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierFactory, SupplierProductFactory

from .demand_factories import stored_forecast

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop_and_products():
    shop, other = LocationFactory(), LocationFactory()
    supplier = SupplierFactory()
    products = []
    for weekly in (14, 30, 3):
        product = ProductFactory(preferred_supplier=supplier)
        SupplierProductFactory(supplier=supplier, product=product, lead_time_days=7,
                               min_order_quantity=Decimal(10))  # fmt: skip
        stored_forecast(product, weekly=weekly, sigma=2, shares={shop: 0.7, other: 0.3})
        products.append(product)
    return shop, products


@pytest.fixture
def api(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    return client


def test_the_suggestions_are_the_pages(api, shop_and_products):
    query = {"service_level": "0.99", "review_days": "14"}
    body = api.get(reverse("api:reorder-suggestion-list"), query).json()
    page = api.get(reverse("reports:replenishment"), query).content.decode()

    shown = dict(re.findall(r'data-key="([\d-]+)".*?data-testid="suggested">([\d.,]+)<', page,
                            re.DOTALL))  # fmt: skip
    assert body["count"] == len(shown) == 6
    assert {
        f"{line['product']}-{line['location']}": f"{Decimal(str(line['suggested'])):f}".rstrip(
            "0"
        ).rstrip(".")
        for line in body["results"]
    } == {key: value.replace(",", "") for key, value in shown.items()}
    assert body["service_level"] == 0.99
    assert body["review_days"] == 14


def test_bad_parameters_are_a_400(api):
    response = api.get(reverse("api:reorder-suggestion-list"), {"service_level": "0.5"})
    assert response.status_code == 400
    assert "service_level" in response.json()


def test_the_same_idempotency_key_creates_the_orders_once(api, shop_and_products):
    shop, products = shop_and_products
    url = reverse("api:reorder-suggestion-purchase-orders")
    body = {"lines": [{"product": p.pk, "location": shop.pk, "quantity": "12"} for p in products]}

    first = api.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replay"] == "true"
    [order] = first.json()["purchase_orders"]
    assert PurchaseOrder.objects.get().pk == order["id"]
    assert order["status"] == "draft"
    assert PurchaseOrder.objects.get().lines.count() == 3


def test_a_line_without_a_supplier_refuses_the_whole_request(api, shop_and_products):
    shop, products = shop_and_products
    stray = ProductFactory()
    lines = [{"product": products[0].pk, "location": shop.pk, "quantity": "5"},
             {"product": stray.pk, "location": shop.pk, "quantity": "5"}]  # fmt: skip

    response = api.post(reverse("api:reorder-suggestion-purchase-orders"), {"lines": lines},
                        content_type="application/json")  # fmt: skip

    assert response.status_code == 400
    assert response.json()["line"] == f"{stray.pk}-{shop.pk}"
    assert not PurchaseOrder.objects.exists()


def test_forecasts_are_listed_and_read_by_product(api, shop_and_products):
    _shop, products = shop_and_products
    listed = api.get(reverse("api:forecast-list")).json()
    assert [row["product"] for row in listed["results"]] == [p.pk for p in products[1::-1]] + [
        products[2].pk
    ]
    one = api.get(reverse("api:forecast-detail", args=[products[0].pk])).json()
    assert one["forecast"][0] == 14
    assert one["accuracy_label"] == "good"
    assert api.get(reverse("api:forecast-list"), {"product": products[2].pk}).json()["count"] == 1


def test_a_run_starts_once(api):
    url = reverse("api:forecast-run-list")
    started = api.post(url)
    assert started.status_code == 202
    assert started.json()["status"] == "queued"
    assert api.post(url).status_code == 409
    run = api.get(reverse("api:forecast-run-detail", args=[started.json()["id"]])).json()
    assert run["id"] == ForecastRun.objects.get().pk


def test_staff_get_nothing(client, make_user, shop_and_products):
    client.force_login(make_user(Role.STAFF))
    assert client.get(reverse("api:forecast-list")).status_code == 403
    assert client.get(reverse("api:reorder-suggestion-list")).status_code == 403
    response = client.post(reverse("api:reorder-suggestion-purchase-orders"), {"lines": []},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 403
