"""Stock ageing, dead stock, turnover and days of cover over a back-dated ledger."""

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
from reports.library.ageing import StockAgeingReport
from reports.selectors.ageing import median
from stock.models import StockMovement
from stock.services import PastMovement, stock_adjust
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def ago(days: int):
    return timezone.now() - timedelta(days=days)


def history(actor, shop, *, receipts=(), sales=()):
    """Book receipts (product, quantity, unit cost, days ago) and sales (product, quantity,
    days ago) at `shop`."""
    orders_history_load(
        actor=actor,
        movements=[
            PastMovement(
                StockMovement.Kind.RECEIPT, product.pk, Decimal(quantity), ago(days),
                to_location_id=shop.pk, unit_cost=Decimal(cost),
            )
            for product, quantity, cost, days in receipts
        ],
        sales=[
            PastSale(shop.pk, ago(days), [(product.pk, Decimal(quantity))])
            for product, quantity, days in sales
        ],
    )  # fmt: skip


def last_days(days: int, **filters) -> Params:
    today = timezone.localdate()
    return Params(start=today - timedelta(days=days - 1), end=today, **filters)


@pytest.fixture
def aged(make_user):
    manager, shop = make_user(Role.MANAGER), LocationFactory()
    fresh, stale, old, never, gone = (
        ProductFactory(sku=sku, cost_price=0) for sku in ("FRESH", "STALE", "OLD", "NEVER", "GONE")
    )
    history(
        manager, shop,
        receipts=[(fresh, 10, 2, 100), (stale, 5, 3, 400), (old, 4, 10, 500), (never, 7, 1, 50),
                  (gone, 1, 1, 30)],
        sales=[(fresh, 2, 10), (stale, 1, 200), (old, 1, 400), (gone, 1, 20)],
    )  # fmt: skip
    return manager, shop


def by_sku(result) -> dict[str, dict]:
    return {row["sku"]: row for row in result.table("products").rows}


def test_products_in_stock_fall_in_buckets_by_days_since_the_last_sale(aged):
    rows = by_sku(StockAgeingReport().build(last_days(365)))
    assert set(rows) == {"FRESH", "STALE", "OLD", "NEVER"}  # GONE has nothing on hand
    fresh = rows["FRESH"]
    assert (fresh["sale_age"], fresh["receipt_age"]) == (10, 100)
    assert fresh["last_sale"] == timezone.localdate() - timedelta(days=10)
    assert fresh["bucket"] == "0-30 days"
    assert fresh["dead"] == ""
    assert fresh["value"] == Decimal("16.00")  # 8 on hand at 2
    assert rows["STALE"]["bucket"] == "181-365 days"
    assert rows["OLD"]["bucket"] == "over 365 days"
    assert rows["NEVER"]["bucket"] == "never sold"
    assert rows["NEVER"]["sale_age"] is None
    assert rows["NEVER"]["receipt_age"] == 50


def test_dead_stock_is_unsold_for_more_than_180_days_or_never(aged):
    result = StockAgeingReport().build(last_days(90))
    rows = by_sku(result)
    assert {sku for sku, row in rows.items() if row["dead"]} == {"STALE", "OLD", "NEVER"}
    # Dead first, never sold first, then the longest unsold.
    assert [row["sku"] for row in result.table("products").rows] == [
        "NEVER", "OLD", "STALE", "FRESH",
    ]  # fmt: skip
    figures = {figure.key: figure.value for figure in result.figures}
    # STALE 4 * 3 + OLD 3 * 10 + NEVER 7 * 1
    assert figures["dead_value"] == Decimal("49.00")
    assert figures["dead_products"] == 3
    assert figures["value"] == Decimal("65.00")
    buckets = {row["key"]: row for row in result.table("buckets").rows}
    assert buckets["never"]["value"] == Decimal("7.00")
    assert buckets["31-90"]["products"] == 0
    assert buckets["181-365"]["share"] == Decimal("18.5")  # 12 of 65


def test_a_sale_181_days_ago_is_dead_and_180_is_not(make_user):
    manager, shop = make_user(Role.MANAGER), LocationFactory()
    edge, over = ProductFactory(sku="EDGE"), ProductFactory(sku="OVER")
    history(
        manager, shop, receipts=[(edge, 2, 1, 300), (over, 2, 1, 300)],
        sales=[(edge, 1, 180), (over, 1, 181)],
    )  # fmt: skip
    rows = by_sku(StockAgeingReport().build(last_days(30)))
    assert (rows["EDGE"]["bucket"], rows["EDGE"]["dead"]) == ("91-180 days", "")
    assert (rows["OVER"]["bucket"], rows["OVER"]["dead"]) == ("181-365 days", "dead")


def test_turnover_and_days_of_cover_over_the_range(make_user):
    manager, shop = make_user(Role.MANAGER), LocationFactory()
    turning, slow = ProductFactory(sku="T", cost_price=0), ProductFactory(sku="U", cost_price=0)
    history(
        manager, shop, receipts=[(turning, 20, 5, 40), (slow, 10, 1, 40)],
        sales=[(turning, 6, 10), (turning, 4, 5), (slow, 2, 5)],
    )  # fmt: skip
    result = StockAgeingReport().build(last_days(30))
    rows = by_sku(result)
    # T: cost of goods sold 10 * 5 = 50; quantities 20 at the start, 10 at the end: average
    # 15 * 5 = 75; 50 / 75 = 0.67. Cover: 10 on hand / (10 sold / 30 days) = 30 days.
    assert rows["T"]["turnover"] == Decimal("0.67")
    assert rows["T"]["cover"] == Decimal("30.0")
    # U: 2 / ((10 + 8) / 2 * 1) = 0.22; cover 8 / (2 / 30) = 120 days.
    assert rows["U"]["turnover"] == Decimal("0.22")
    assert rows["U"]["cover"] == Decimal("120.0")
    figures = {figure.key: figure.value for figure in result.figures}
    assert figures["turnover"] == Decimal("0.62")  # 52 / (75 + 9)
    assert figures["cover"] == Decimal("75.0")  # median of 30 and 120


def test_turnover_counts_stock_that_moved_in_after_the_range(make_user):
    manager, shop = make_user(Role.MANAGER), LocationFactory()
    product = ProductFactory(sku="LATE", cost_price=0)
    history(manager, shop, receipts=[(product, 10, 2, 60)], sales=[(product, 5, 40)])
    stock_adjust(actor=manager, product=product, location=shop, change=3, reason="found")
    today = timezone.localdate()
    params = Params(start=today - timedelta(days=50), end=today - timedelta(days=20))
    row = by_sku(StockAgeingReport().build(params))["LATE"]
    # At the start 10, at the end 5 (the 3 found today come after): 5 * 2 / (7.5 * 2).
    assert row["turnover"] == Decimal("0.67")
    assert row["on_hand"] == 8


def test_location_filter_counts_only_stock_and_sales_there(aged, make_user):
    manager, shop = aged
    other = LocationFactory()
    product = ProductFactory(sku="ELSEWHERE")
    history(manager, other, receipts=[(product, 3, 1, 10)])
    rows = by_sku(StockAgeingReport().build(last_days(90, location=other)))
    assert set(rows) == {"ELSEWHERE"}
    assert by_sku(StockAgeingReport().build(last_days(90, location=shop))).keys() == {
        "FRESH", "STALE", "OLD", "NEVER",
    }  # fmt: skip


def test_ageing_draws_value_by_bucket_and_nothing_when_empty(aged):
    report = StockAgeingReport()
    drawn = report.charts(report.build(last_days(90)))
    assert len(drawn) == 1
    assert "<svg" in drawn[0].svg
    empty = report.build(last_days(90, category_ids=frozenset({0})))
    assert empty.table("products").rows == []
    assert report.charts(empty) == []


def test_ageing_page_runs_the_same_queries_with_more_data(client, make_user):
    manager, shop = make_user(Role.MANAGER), LocationFactory()
    client.force_login(manager)
    category = CategoryFactory()
    first = ProductFactory(category=category)
    history(manager, shop, receipts=[(first, 5, 1, 20)], sales=[(first, 1, 3)])
    url = reverse("reports:report", args=["stock-ageing"])

    def count(query) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query)
        assert response.status_code == 200
        assert b"<svg" in response.content
        return len(queries)

    few = count({"category": category.pk})
    more = [ProductFactory(category=category) for _ in range(30)]
    history(
        manager, shop, receipts=[(p, 5, 2, 700) for p in more],
        sales=[(p, 1, days) for days in (600, 100, 2) for p in more],
    )  # fmt: skip
    start = timezone.localdate() - timedelta(days=800)
    assert count({"category": category.pk, "start": start}) == few


@pytest.mark.parametrize(
    "values",
    [[], [4.5], [3.0, 1.0], [7.25, 1.0, 3.5], [0.1, 0.2, 0.30000000000000004, 10.0],
     [2.0, 2.0, 9.5, 1e-9, 3.3, 1e6]],
)  # fmt: skip
def test_the_median_of_the_parts_covers_is_postgresqls_percentile_cont(values):
    """The report is built in ranges of products; their covers meet in Python, whose median
    must be the one PostgreSQL took over all of them at once."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v) FROM unnest(%s::float8[]) v",
            [values],
        )
        assert median(values) == cursor.fetchone()[0]
