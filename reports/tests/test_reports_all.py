"""What holds for every report: a fixed number of queries whatever the range and the volume,
every download form works, staff are refused everywhere, and a chart is drawn."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from orders.services.history import PastSale, orders_history_load
from orders.services.purchasing import PurchaseLine, purchase_order_create, purchase_order_place
from orders.services.sales import SaleLine, counter_sale
from products.tests.factories import CategoryFactory, ProductFactory
from reports.registry import reports
from stock.services import PastMovement, stock_history_load
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierFactory, SupplierProductFactory

pytestmark = pytest.mark.django_db
SLUGS = list(reports())


def trade(manager, *, products: int, days: int, shops: int = 1):
    """`products` products sold every day for `days` days up to yesterday at `shops` shops,
    with receipts, an adjustment and an open purchase order."""
    now = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    start = now - timedelta(days=days + 1)
    category = CategoryFactory(parent=CategoryFactory())
    supplier = SupplierFactory()
    places = [LocationFactory() for _ in range(shops)]
    items = [
        ProductFactory(category=category, sale_price=Decimal(100 + n), tax_rate=11,
                       reorder_point=5, preferred_supplier=supplier)
        for n in range(products)
    ]  # fmt: skip
    for item in items:
        SupplierProductFactory(supplier=supplier, product=item, lead_time_days=7)
    movements = [
        PastMovement("receipt", item.pk, Decimal(10 * days + 50), start, to_location_id=place.pk,
                     unit_cost=Decimal(60))
        for item in items
        for place in places
    ]  # fmt: skip
    movements.append(
        PastMovement("adjustment", items[0].pk, Decimal(3), start + timedelta(days=1),
                     from_location_id=places[0].pk, reason="damaged")
    )  # fmt: skip
    sales = [
        PastSale(place.pk, start + timedelta(days=day, hours=1),
                 [(item.pk, Decimal(1 + (day + n) % 4)) for n, item in enumerate(items)],
                 "card" if day % 2 else "cash")
        for day in range(1, days + 1)
        for place in places
    ]  # fmt: skip
    stock_history_load(actor=manager, movements=movements)
    orders_history_load(actor=manager, sales=sales)
    order = purchase_order_create(
        actor=manager, supplier=supplier, location=places[0],
        lines=[PurchaseLine(items[0], 20)], expected_date=timezone.localdate() - timedelta(days=1),
    )  # fmt: skip
    purchase_order_place(actor=manager, order=order)
    counter_sale(
        actor=manager, location=places[0], lines=[SaleLine(items[1], 1)], payment_method="cash",
        amount_paid=Decimal(1000), token=uuid.uuid4(),
    )  # fmt: skip
    return items, places


def _queries(client, slug, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:report", args=[slug]), params)
    assert response.status_code == 200, (slug, response.content[:500])
    return len(queries)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_report_page_runs_a_fixed_number_of_queries(client, make_user, slug):
    manager = make_user(Role.MANAGER)
    client.force_login(manager)
    today = timezone.localdate()
    trade(manager, products=2, days=10)
    short = _queries(client, slug, {"start": today - timedelta(days=7), "end": today})
    trade(manager, products=6, days=60, shops=2)
    long = _queries(client, slug, {"start": today - timedelta(days=730), "end": today})
    assert short == long, f"{slug}: {short} queries on little data, {long} on more"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_report_draws_a_chart_and_downloads_in_every_form(client, make_user, slug):
    manager = make_user(Role.MANAGER)
    client.force_login(manager)
    trade(manager, products=3, days=40)
    url = reverse("reports:report", args=[slug])
    page = client.get(url)
    assert page.status_code == 200
    assert b"<svg" in page.content, f"{slug} draws no chart"
    assert client.get(url, {"format": "pdf"})["Content-Type"] == "application/pdf"
    assert client.get(url, {"format": "xlsx"})["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    csv = client.get(url, {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert b"".join(csv.streaming_content)
    api = client.get(reverse(f"api:report-{slug}"))
    assert api.status_code == 200
    assert api.json()["report"] == slug


@pytest.mark.parametrize("slug", SLUGS)
def test_staff_are_refused_every_report_in_every_form(client, make_user, slug):
    client.force_login(make_user(Role.STAFF))
    url = reverse("reports:report", args=[slug])
    for fmt in ("", "pdf", "csv", "xlsx"):
        assert client.get(url, {"format": fmt} if fmt else {}).status_code == 403
    assert client.get(reverse(f"api:report-{slug}")).status_code == 403


def test_the_index_lists_every_report(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    html = client.get(reverse("reports:index")).content.decode()
    for slug in SLUGS:
        assert reverse("reports:report", args=[slug]) in html


def test_an_empty_shop_gets_every_report_without_error(client, make_user):
    client.force_login(make_user(Role.ADMIN))
    for slug in SLUGS:
        for fmt in ("", "pdf", "csv", "xlsx"):
            response = client.get(reverse("reports:report", args=[slug]), {"format": fmt})
            assert response.status_code == 200, (slug, fmt)


def test_dates_far_apart_are_refused(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    start = date(2000, 1, 1)
    response = client.get(reverse("reports:report", args=["sales"]), {"start": start})
    assert response.status_code == 400
