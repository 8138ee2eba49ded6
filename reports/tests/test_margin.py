"""The gross margin report against hand-computed numbers: the cost of each sale is the moving
average the ledger held at that moment."""

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from orders.services.history import PastSale, orders_history_load
from orders.services.sales import SaleLine, counter_sale, sales_order_return
from products.tests.factories import CategoryFactory, ProductFactory
from reports.base import Params
from reports.library.margin import MarginReport
from stock.models import StockMovement
from stock.services import PastMovement, stock_receive
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db
MARCH = {"start": "2025-03-01", "end": "2025-03-31"}


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))  # noqa: DTZ001 - local time, made aware


def march() -> Params:
    return Params(start=date(2025, 3, 1), end=date(2025, 3, 31))


@pytest.fixture
def trade(make_user):
    """Coffee sells at 200: 10 arrive at 100, 4 sell, 10 more arrive at 130 (the average goes
    to (6 x 100 + 10 x 130) / 16 = 118.75), 6 sell. Tea sells at 50 and costs 30: 2 in
    February, 5 in March."""
    manager = make_user(Role.MANAGER)
    shop = LocationFactory(name="Toko")
    drinks, leaves = CategoryFactory(name="Kopi"), CategoryFactory(name="Teh")
    kopi = ProductFactory(
        sku="KOPI", name="Kopi", category=drinks, sale_price=200, tax_rate=11, cost_price=0
    )
    teh = ProductFactory(
        sku="TEH", name="Teh", category=leaves, sale_price=50, tax_rate=0, cost_price=0
    )
    orders_history_load(
        actor=manager,
        movements=[
            PastMovement("receipt", teh.pk, Decimal(20), at(2025, 2, 1, 8),
                         to_location_id=shop.pk, unit_cost=Decimal(30)),
            PastMovement("receipt", kopi.pk, Decimal(10), at(2025, 3, 2, 8),
                         to_location_id=shop.pk, unit_cost=Decimal(100)),
            PastMovement("receipt", kopi.pk, Decimal(10), at(2025, 3, 10, 8),
                         to_location_id=shop.pk, unit_cost=Decimal(130)),
        ],
        sales=[
            PastSale(shop.pk, at(2025, 2, 20, 10), [(teh.pk, Decimal(2))]),
            PastSale(shop.pk, at(2025, 3, 3, 10), [(kopi.pk, Decimal(4))]),
            PastSale(shop.pk, at(2025, 3, 12, 10), [(kopi.pk, Decimal(6))]),
            PastSale(shop.pk, at(2025, 3, 15, 10), [(teh.pk, Decimal(5))]),
        ],
    )  # fmt: skip
    return manager, shop, kopi, teh


def test_each_sale_costs_the_average_of_its_moment(trade):
    kopi = trade[2]
    costs = StockMovement.objects.filter(product=kopi, kind="sale").order_by("created_at")
    assert list(costs.values_list("quantity", "unit_cost")) == [
        (Decimal(4), Decimal(100)),
        (Decimal(6), Decimal("118.75")),
    ]


def test_the_figures_are_the_hand_computed_ones(trade):
    result = MarginReport().build(march())
    figures = {figure.key: figure for figure in result.figures}
    # Coffee: 4 x 200 + 6 x 200 = 2,000 for 4 x 100 + 6 x 118.75 = 1,112.50; tea: 5 x 50 = 250
    # for 5 x 30 = 150.
    assert figures["revenue"].value == Decimal("2250.00")
    assert figures["cost"].value == Decimal("1262.50")
    assert figures["margin"].value == Decimal("987.50")
    assert figures["margin_percent"].value == Decimal("43.9")  # 987.5 / 2,250 = 43.89%
    assert figures["units"].value == 15
    # February: two teas, 100 for 60.
    assert figures["margin"].previous == Decimal("40.00")
    assert figures["margin"].change == Decimal("2368.8")
    assert figures["margin_percent"].previous == Decimal("40.0")

    products = {row["product__sku"]: row for row in result.table("products").rows}
    assert products["KOPI"]["cost"] == Decimal("1112.50")
    assert products["KOPI"]["margin"] == Decimal("887.50")
    assert products["KOPI"]["margin_percent"] == Decimal("44.4")  # 44.375, half up
    assert products["KOPI"]["share"] == Decimal("89.9")  # 887.5 / 987.5
    assert products["TEH"]["margin"] == Decimal("100.00")
    assert [row["product__sku"] for row in result.table("lowest").rows] == ["TEH", "KOPI"]

    categories = {row["product__category__name"]: row for row in result.table("categories").rows}
    assert categories["Kopi"]["margin"] == Decimal("887.50")
    assert categories["Teh"]["margin_percent"] == Decimal("40.0")
    (period,) = result.table("periods").rows
    assert period["margin"] == Decimal("987.50")


def test_filters_narrow_the_margin(trade):
    kopi, teh = trade[2:]
    tea = MarginReport().build(replace(march(), product=teh))
    assert tea.figures[2].value == Decimal("100.00")
    coffee = MarginReport().build(
        replace(march(), category=kopi.category, category_ids=frozenset({kopi.category_id}))
    )
    assert coffee.figures[2].value == Decimal("887.50")
    elsewhere = MarginReport().build(replace(march(), location=LocationFactory()))
    assert elsewhere.figures[2].value == 0
    assert elsewhere.table("products").rows == []


def test_a_return_takes_back_its_revenue_and_its_cost(make_user):
    manager = make_user(Role.MANAGER)
    shop = LocationFactory()
    kopi = ProductFactory(sale_price=Decimal(100), tax_rate=0, cost_price=0)
    stock_receive(actor=manager, product=kopi, location=shop, quantity=10, unit_cost=40)
    kopi.refresh_from_db()
    sale, _ = counter_sale(
        actor=manager, location=shop, lines=[SaleLine(kopi, 3)], payment_method="card",
        token=uuid.uuid4(),
    )  # fmt: skip
    sales_order_return(
        actor=manager, order=sale, quantities={sale.lines.get().pk: 1}, reason="damaged"
    )
    today = timezone.localdate()
    figures = {f.key: f.value for f in MarginReport().build(Params(today, today)).figures}
    assert (figures["revenue"], figures["cost"], figures["margin"]) == (
        Decimal("200.00"), Decimal("80.00"), Decimal("120.00"),
    )  # fmt: skip


def test_the_api_carries_the_page_numbers(client, trade):
    client.force_login(trade[0])
    page = client.get(reverse("reports:report", args=["margin"]), MARCH)
    assert page.status_code == 200
    assert 'data-figure="margin">' in page.content.decode()
    assert page.content.decode().count("<svg") == 2
    result = page.context["result"]
    data = client.get(reverse("api:report-margin"), MARCH).json()
    assert {f["key"]: Decimal(str(f["value"])) for f in data["figures"]} == {
        f.key: f.value for f in result.figures
    }
    api_products = {
        row["product__sku"]: Decimal(str(row["margin"]))
        for row in data["tables"]["products"]["rows"]
    }
    assert api_products == {
        row["product__sku"]: row["margin"] for row in result.table("products").rows
    }


def test_the_page_runs_a_fixed_number_of_queries(client, trade):
    manager = trade[0]
    client.force_login(manager)
    url = reverse("reports:report", args=["margin"])

    def queries(params) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured)

    few = queries(MARCH)
    others = [ProductFactory(category=CategoryFactory(), sale_price=20) for _ in range(8)]
    places = [LocationFactory() for _ in range(3)]
    start = timezone.now() - timedelta(days=300)
    orders_history_load(
        actor=manager,
        movements=[
            PastMovement("receipt", item.pk, Decimal(500), start, to_location_id=place.pk,
                         unit_cost=Decimal(n + 5))
            for n, item in enumerate(others)
            for place in places
        ],
        sales=[
            PastSale(place.pk, start + timedelta(days=day, hours=2),
                     [(item.pk, Decimal(1 + day % 3)) for item in others])
            for day in range(1, 290, 3)
            for place in places
        ],
    )  # fmt: skip
    many = queries({"start": "2024-01-01", "end": timezone.localdate(), "grain": "week"})
    assert few == many
