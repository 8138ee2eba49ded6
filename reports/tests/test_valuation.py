"""Inventory valuation at a past day: the stock and the moving-average cost as they were then,
not as they are today."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from products.tests.factories import CategoryFactory, ProductFactory
from reports.base import Params
from reports.library.valuation import ValuationReport
from stock.services import PastMovement, stock_history_load, stock_receive
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierProductFactory

pytestmark = pytest.mark.django_db


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))  # noqa: DTZ001 - local time, made aware


def as_of(day: date, **filters) -> Params:
    return Params(start=day, end=day, **filters)


def figures(result) -> dict:
    return {figure.key: figure.value for figure in result.figures}


def rows(result, key: str, name: str) -> dict:
    return {row[name]: row for row in result.table(key).rows}


@pytest.fixture
def ledger(make_user):
    """Coffee: 10 arrive at the warehouse at 100 on 2 March, 4 sell on the 3rd; 10 more at 130
    on the 10th (average (6 x 100 + 10 x 130) / 16 = 118.75); 5 go to the shop on the 11th,
    6 sell at the warehouse on the 12th; 4 more arrive at 200 on 1 April (average
    (10 x 118.75 + 4 x 200) / 14 = 141.9643). Tea: 20 at 30 into the shop on 1 March."""
    manager = make_user(Role.MANAGER)
    warehouse, shop = LocationFactory(name="Gudang"), LocationFactory(name="Toko")
    drinks, leaves = CategoryFactory(name="Kopi"), CategoryFactory(name="Teh")
    kopi = ProductFactory(sku="KOPI", category=drinks, cost_price=0)
    teh = ProductFactory(sku="TEH", category=leaves, cost_price=0)
    stock_history_load(
        actor=manager,
        movements=[
            PastMovement("receipt", teh.pk, Decimal(20), at(2025, 3, 1, 8), to_location_id=shop.pk,
                         unit_cost=Decimal(30)),
            PastMovement("receipt", kopi.pk, Decimal(10), at(2025, 3, 2, 8),
                         to_location_id=warehouse.pk, unit_cost=Decimal(100)),
            PastMovement("sale", kopi.pk, Decimal(4), at(2025, 3, 3, 10),
                         from_location_id=warehouse.pk),
            PastMovement("receipt", kopi.pk, Decimal(10), at(2025, 3, 10, 8),
                         to_location_id=warehouse.pk, unit_cost=Decimal(130)),
            PastMovement("transfer", kopi.pk, Decimal(5), at(2025, 3, 11, 9),
                         from_location_id=warehouse.pk, to_location_id=shop.pk),
            PastMovement("sale", kopi.pk, Decimal(6), at(2025, 3, 12, 10),
                         from_location_id=warehouse.pk),
            PastMovement("receipt", kopi.pk, Decimal(4), at(2025, 4, 1, 8),
                         to_location_id=warehouse.pk, unit_cost=Decimal(200)),
        ],
    )  # fmt: skip
    return manager, warehouse, shop, kopi, teh


def test_a_past_day_is_valued_with_its_own_stock_and_cost(ledger):
    result = ValuationReport().build(as_of(date(2025, 3, 5)))
    products = rows(result, "products", "product_sku")
    assert products["KOPI"]["quantity"] == 6
    assert products["KOPI"]["cost"] == Decimal(100)
    assert products["KOPI"]["value"] == Decimal("600.00")
    assert products["TEH"]["value"] == Decimal("600.00")  # 20 x 30
    assert figures(result)["value"] == Decimal("1200.00")


def test_the_average_after_a_later_receipt_applies_from_its_day_on(ledger):
    eleventh = ValuationReport().build(as_of(date(2025, 3, 11)))
    locations = rows(eleventh, "locations", "location_name")
    assert locations["Gudang"]["quantity"] == 11
    assert locations["Gudang"]["value"] == Decimal("1306.25")  # 11 x 118.75
    assert locations["Toko"]["value"] == Decimal("1193.75")  # 5 x 118.75 + 20 x 30
    assert figures(eleventh)["value"] == Decimal("2500.00")
    assert figures(eleventh)["units"] == 36

    end_of_march = ValuationReport().build(as_of(date(2025, 3, 31)))
    categories = rows(end_of_march, "categories", "category_name")
    assert categories["Kopi"]["quantity"] == 10
    assert categories["Kopi"]["value"] == Decimal("1187.50")  # not today's 141.9643
    assert categories["Teh"]["value"] == Decimal("600.00")
    assert categories["Kopi"]["share"] == Decimal("66.4")  # 1,187.50 / 1,787.50


def test_today_is_valued_at_the_current_cost(ledger):
    manager, _warehouse, shop, kopi, teh = ledger
    kopi.refresh_from_db()
    assert kopi.cost_price == Decimal("141.9643")
    result = ValuationReport().build(as_of(timezone.localdate()))
    products = rows(result, "products", "product_sku")
    assert products["KOPI"]["quantity"] == 14
    assert products["KOPI"]["value"] == Decimal("1987.50")  # 14 x 141.9643 = 1,987.5002
    stock_receive(actor=manager, product=teh, location=shop, quantity=10, unit_cost=60)
    tea = ValuationReport().build(as_of(timezone.localdate()))
    assert rows(tea, "products", "product_sku")["TEH"]["value"] == Decimal("1200.00")  # 30 x 40


def test_before_anything_arrived_there_is_nothing(ledger):
    result = ValuationReport().build(as_of(date(2025, 2, 28)))
    assert figures(result)["value"] == 0
    assert result.table("categories").rows == []


def test_filters_narrow_the_valuation(ledger):
    _manager, _warehouse, shop, kopi, teh = ledger
    day = as_of(date(2025, 3, 11))
    only_shop = ValuationReport().build(replace(day, location=shop))
    assert figures(only_shop)["value"] == Decimal("1193.75")
    assert [row["location_name"] for row in only_shop.table("locations").rows] == ["Toko"]
    tea_only = ValuationReport().build(
        replace(day, category=teh.category, category_ids=frozenset({teh.category_id}))
    )
    assert figures(tea_only)["value"] == Decimal("600.00")
    offer = SupplierProductFactory(product=kopi)
    supplied = ValuationReport().build(replace(day, supplier=offer.supplier))
    assert figures(supplied)["value"] == Decimal("1900.00")  # 16 x 118.75


def test_the_page_and_the_api_agree_and_draw_charts(client, ledger):
    client.force_login(ledger[0])
    query = {"end": "2025-03-11"}
    page = client.get(reverse("reports:report", args=["valuation"]), query)
    assert page.status_code == 200
    assert page.content.decode().count("<svg") == 2
    assert 'data-figure="value">' in page.content.decode()
    data = client.get(reverse("api:report-valuation"), query).json()
    value = next(f for f in data["figures"] if f["key"] == "value")
    assert Decimal(str(value["value"])) == Decimal("2500.00")
    assert data["params"]["end"] == "2025-03-11"


def test_the_page_runs_a_fixed_number_of_queries(client, ledger):
    manager = ledger[0]
    client.force_login(manager)
    url = reverse("reports:report", args=["valuation"])

    def queries(params) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured)

    few = queries({"end": "2025-03-05"})
    items = [ProductFactory(category=CategoryFactory()) for _ in range(12)]
    places = [LocationFactory() for _ in range(4)]
    start = timezone.now() - timedelta(days=200)
    stock_history_load(
        actor=manager,
        movements=[
            PastMovement("receipt", item.pk, Decimal(100), start + timedelta(days=day),
                         to_location_id=place.pk, unit_cost=Decimal(day + 1))
            for item in items
            for place in places
            for day in range(0, 150, 30)
        ] + [
            PastMovement("sale", item.pk, Decimal(7), start + timedelta(days=day, hours=5),
                         from_location_id=place.pk)
            for item in items
            for place in places
            for day in range(0, 150, 10)
        ],
    )  # fmt: skip
    assert queries({"end": timezone.localdate() - timedelta(days=1)}) == few
    assert queries({}) == few
