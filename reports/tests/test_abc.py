"""Top and bottom products, and ABC classes, over sales booked through the order services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from orders.services.history import PastSale, orders_history_load
from products.tests.factories import CategoryFactory, ProductFactory
from reports.base import Params
from reports.library.abc import ABCReport, TopProductsReport
from stock.models import StockMovement
from stock.services import PastMovement
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierProductFactory

pytestmark = pytest.mark.django_db


def book(actor, shop, lines, *, days_ago=2, stock_extra=0):
    """Receive then sell each (product, quantity) at `shop`, `days_ago` days back."""
    now = timezone.now()
    receipts = [
        PastMovement(
            StockMovement.Kind.RECEIPT, product.pk, Decimal(quantity + stock_extra),
            now - timedelta(days=days_ago + 1), to_location_id=shop.pk, unit_cost=Decimal(1),
        )
        for product, quantity in lines
        if quantity + stock_extra > 0
    ]  # fmt: skip
    sales = [
        PastSale(shop.pk, now - timedelta(days=days_ago), [(product.pk, Decimal(quantity))])
        for product, quantity in lines
        if quantity > 0
    ]
    orders_history_load(actor=actor, sales=sales, movements=receipts)


def last_days(days=30, **filters) -> Params:
    today = timezone.localdate()
    return Params(start=today - timedelta(days=days - 1), end=today, **filters)


@pytest.fixture
def five(make_user):
    """Revenue 50, 30, 10, 6, 4 (A1..A5) while units run the other way: 4, 6, 10, 30, 50."""
    manager, shop = make_user(Role.MANAGER), LocationFactory()
    prices = ["12.5", "5", "1", "0.2", "0.08"]
    units = [4, 6, 10, 30, 50]
    products = [
        ProductFactory(sku=f"A{n}", sale_price=Decimal(price))
        for n, price in enumerate(prices, start=1)
    ]
    book(manager, shop, list(zip(products, units, strict=True)))
    return manager, shop, products


def classes(table) -> dict[str, str]:
    return {row["sku"]: row["class"] for row in table.rows}


def test_abc_by_revenue_keeps_the_item_reaching_80_percent_in_a(five):
    result = ABCReport().build(last_days())
    revenue = result.table("revenue")
    # Cumulative 50, 80, 90, 96, 100; the share before each: 0, 50, 80, 90, 96.
    assert classes(revenue) == {"A1": "A", "A2": "A", "A3": "B", "A4": "B", "A5": "C"}
    assert [row["value"] for row in revenue.rows] == [50, 30, 10, 6, 4]
    assert [row["cumulative"] for row in revenue.rows] == [50, 80, 90, 96, 100]
    assert [row["rank"] for row in revenue.rows] == [1, 2, 3, 4, 5]


def test_abc_by_units_classes_the_same_products_on_their_own_ranking(five):
    units = ABCReport().build(last_days()).table("units")
    assert [row["sku"] for row in units.rows] == ["A5", "A4", "A3", "A2", "A1"]
    assert classes(units) == {"A5": "A", "A4": "A", "A3": "B", "A2": "B", "A1": "C"}
    assert [row["share"] for row in units.rows] == [50, 30, 10, 6, 4]


def test_abc_class_summary_counts_products_and_shares(five):
    result = ABCReport().build(last_days())
    summary = {row["class"]: row for row in result.table("classes").rows}
    assert summary["A"]["revenue_items"] == 2
    assert summary["A"]["revenue"] == Decimal("80.00")
    assert summary["A"]["revenue_share"] == 80
    assert summary["B"]["revenue_items"] == 2
    assert summary["B"]["revenue_share"] == 16
    assert summary["C"]["revenue_items"] == 1
    assert summary["C"]["revenue_items_share"] == 20
    assert summary["C"]["units"] == 4
    figures = {figure.key: figure.value for figure in result.figures}
    assert figures["a_revenue"] == 2
    assert figures["a_revenue_share"] == 80
    assert figures["products"] == 5


def test_abc_crossing_80_percent_midway_is_still_a(make_user):
    manager, shop = make_user(Role.MANAGER), LocationFactory()
    products = [ProductFactory(sku=f"X{n}", sale_price=Decimal(1)) for n in range(4)]
    book(manager, shop, list(zip(products, [70, 20, 6, 4], strict=True)))
    revenue = ABCReport().build(last_days()).table("revenue")
    # Before each: 0, 70 (crosses 80 on the way to 90: A), 90 (< 95: B), 96 (C).
    assert classes(revenue) == {"X0": "A", "X1": "A", "X2": "B", "X3": "C"}


def test_abc_draws_a_pareto_chart_and_nothing_without_sales(five, make_user):
    report = ABCReport()
    drawn = report.charts(report.build(last_days()))
    assert len(drawn) == 2
    assert "<svg" in drawn[0].svg
    empty = report.build(last_days(category=None, category_ids=frozenset({0})))
    assert empty.table("revenue").rows == []
    assert report.charts(empty) == []


def test_abc_filters_by_category(five):
    _manager, _shop, products = five
    category = products[0].category
    params = last_days(category=category, category_ids=frozenset({category.pk}))
    assert classes(ABCReport().build(params).table("revenue")) == {"A1": "A"}


@pytest.fixture
def ranked(make_user):
    manager, shop = make_user(Role.MANAGER), LocationFactory()
    # Revenue 40, 30, 20 (price 10); cost 1 each unit, so margins 36, 27, 18.
    sold = [ProductFactory(sku=f"S{n}", sale_price=Decimal(10)) for n in range(3)]
    book(manager, shop, list(zip(sold, [4, 3, 2], strict=True)))
    idle = ProductFactory(sku="IDLE")  # stocked, never sold
    gone = ProductFactory(sku="GONE", is_active=False)  # stocked but discontinued
    ProductFactory(sku="NONE")  # neither stocked nor sold
    book(manager, shop, [(idle, 0), (gone, 0)], stock_extra=5)
    return manager, shop, sold


def rows(result, key) -> list[str]:
    return [row["sku"] for row in result.table(key).rows]


def test_top_products_by_revenue_units_and_margin(ranked):
    result = TopProductsReport().build(last_days())
    assert rows(result, "top_revenue") == ["S0", "S1", "S2"]
    assert rows(result, "top_units") == ["S0", "S1", "S2"]
    top = result.table("top_margin").rows[0]
    assert (top["sku"], top["revenue"], top["margin"]) == ("S0", Decimal(40), Decimal(36))
    assert top["margin_percent"] == Decimal("90.0")


def test_bottom_products_are_active_ones_in_stock_or_sold_lowest_first(ranked):
    result = TopProductsReport().build(last_days())
    assert rows(result, "bottom_revenue") == ["IDLE", "S2", "S1", "S0"]
    assert rows(result, "bottom_margin") == ["IDLE", "S2", "S1", "S0"]
    figures = {figure.key: figure.value for figure in result.figures}
    assert figures == {"sold": 3, "unsold": 1}


def test_top_products_filter_by_supplier(ranked):
    _manager, _shop, sold = ranked
    link = SupplierProductFactory(product=sold[1])
    result = TopProductsReport().build(last_days(supplier=link.supplier))
    assert rows(result, "top_revenue") == ["S1"]
    assert rows(result, "bottom_revenue") == ["S1"]


def test_top_products_filter_by_location(ranked, make_user):
    other = LocationFactory()
    book(make_user(Role.MANAGER), other, [(ProductFactory(sku="ELSEWHERE"), 1)])
    assert rows(TopProductsReport().build(last_days(location=other)), "top_revenue") == [
        "ELSEWHERE"
    ]


@pytest.mark.parametrize("slug", ["abc", "top-products"])
def test_report_pages_run_the_same_queries_with_more_data(slug, client, make_user):
    manager, shop = make_user(Role.MANAGER), LocationFactory()
    client.force_login(manager)
    category = CategoryFactory()
    book(manager, shop, [(ProductFactory(category=category), 2)])
    url = reverse("reports:report", args=[slug])
    query = {"category": category.pk, "start": timezone.localdate() - timedelta(days=700)}

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query)
        assert response.status_code == 200
        assert b"<svg" in response.content
        return len(queries)

    few = count()
    more = [ProductFactory(category=category) for _ in range(30)]
    book(manager, shop, [(product, n + 1) for n, product in enumerate(more)], days_ago=400)
    book(manager, shop, [(product, 1) for product in more], days_ago=3, stock_extra=2)
    assert count() == few
