"""Unusual days: robust z-scores of daily sales and adjustments per product."""

from datetime import timedelta
from decimal import Decimal

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from orders.services.history import PastSale, orders_history_load
from products.tests.factories import CategoryFactory, ProductFactory
from reports.base import Params
from reports.library.anomalies import UnusualDaysReport, weighted_median
from stock.models import StockMovement
from stock.services import PastMovement, stock_adjust
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def ago(days: int):
    return timezone.now() - timedelta(days=days)


def sell(actor, shop, product, quantities: dict[int, int]):
    """Receive enough, then sell `quantities` ({days ago: units}) of `product` at `shop`."""
    first = max(quantities) + 1
    orders_history_load(
        actor=actor,
        movements=[
            PastMovement(
                StockMovement.Kind.RECEIPT, product.pk, Decimal(sum(quantities.values()) + 100),
                ago(first), to_location_id=shop.pk, unit_cost=Decimal(1),
            )
        ],
        sales=[
            PastSale(shop.pk, ago(days), [(product.pk, Decimal(units))])
            for days, units in quantities.items()
        ],
    )  # fmt: skip


def last_days(days=30, **filters) -> Params:
    today = timezone.localdate()
    return Params(start=today - timedelta(days=days - 1), end=today, **filters)


def flagged(result) -> dict[tuple, dict]:
    return {(row["sku"], row["day"], row["kind"]): row for row in result.table("days").rows}


def day(days_ago: int):
    return timezone.localdate() - timedelta(days=days_ago)


@pytest.fixture
def shop(make_user):
    return make_user(Role.MANAGER), LocationFactory()


@pytest.fixture
def steady(shop):
    """Sold 9, 10 or 11 a day for 60 days (20, 20 and 19 days), and 60 three days ago."""
    manager, store = shop
    product = ProductFactory(sku="STEADY")
    normal = iter([9, 10, 11] * 19 + [9, 10])
    sell(manager, store, product, {d: 60 if d == 3 else next(normal) for d in range(1, 61)})
    return product


def test_a_day_far_above_a_steady_sellers_normal_is_flagged_with_its_z_score(steady):
    rows = flagged(UnusualDaysReport().build(last_days()))
    spike = rows[("STEADY", day(3), "sale")]
    # Median 10, MAD 1 (today counts as a day without sales): 0.6745 * 50 / 1.
    assert spike["quantity"] == 60
    assert spike["median"] == 10
    assert spike["z"] == Decimal("33.73")
    assert len(rows) == 1  # the days of 9, 10 and 11 are normal


def test_an_adjustment_on_a_product_never_adjusted_is_flagged(shop):
    manager, store = shop
    product = ProductFactory(sku="ADJ")
    sell(manager, store, product, {100: 1})
    stock_adjust(
        actor=manager, product=product, location=store, change=-50, reason="lost",
        occurred_at=ago(5),
    )  # fmt: skip
    result = UnusualDaysReport().build(last_days())
    row = flagged(result)[("ADJ", day(5), "adjustment")]
    # 120 days (30 + 90 before), one of them -50: MAD 0, so the mean absolute deviation
    # 50 / 120 * 1.253314 = 0.5222 would be the scale; one unit is the least: -50 / 1.
    assert row["quantity"] == -50
    assert row["median"] == 0
    assert row["z"] == Decimal("-50.00")
    figures = {figure.key: figure.value for figure in result.figures}
    assert figures == {"days": 1, "products": 1, "sales": 0, "adjustments": 1}


def test_a_count_correcting_a_unit_is_bookkeeping_not_an_unusual_day(steady, shop):
    manager, store = shop
    product = steady
    stock_adjust(
        actor=manager, product=product, location=store, change=-1, reason="correction",
        occurred_at=ago(4),
    )  # fmt: skip
    stock_adjust(
        actor=manager, product=product, location=store, change=-30, reason="lost",
        occurred_at=ago(2),
    )  # fmt: skip
    rows = flagged(UnusualDaysReport().build(last_days()))
    assert ("STEADY", day(4), "adjustment") not in rows
    # measured against the sales' spread (MAD 1): 0.6745 * -30 / 1 = -20.235
    assert rows[("STEADY", day(2), "adjustment")]["z"] == Decimal("-20.24")


def test_a_constant_seller_falls_back_to_the_mean_absolute_deviation(shop):
    manager, store = shop
    product = ProductFactory(sku="CONST")
    sell(manager, store, product, {d: 40 if d == 7 else 10 for d in range(1, 41)})
    rows = flagged(UnusualDaysReport().build(last_days()))
    # 41 days: 39 of 10, one of 40, today 0. Median 10, MAD 0; mean absolute deviation
    # (30 + 10) / 41: z = 30 / (1.253314 * 40 / 41) = 24.53.
    assert rows[("CONST", day(7), "sale")]["z"] == Decimal("24.53")
    assert len(rows) == 1


def test_a_product_that_sells_on_few_days_is_not_judged(shop):
    manager, store = shop
    product = ProductFactory(sku="SPARSE")
    sell(manager, store, product, {2: 30, 9: 1, 15: 1, 20: 2, 25: 1})
    assert flagged(UnusualDaysReport().build(last_days())) == {}


def test_a_low_sales_day_is_not_listed(shop):
    manager, store = shop
    product = ProductFactory(sku="DIP")
    sell(manager, store, product, {d: 1 if d == 4 else 20 + d % 3 for d in range(1, 50)})
    assert flagged(UnusualDaysReport().build(last_days())) == {}


def test_location_and_category_filters(steady, shop):
    manager, store = shop
    other = LocationFactory()
    elsewhere = ProductFactory(sku="ELSEWHERE")
    sell(manager, other, elsewhere, {10: 1})
    stock_adjust(
        actor=manager, product=elsewhere, location=other, change=-5, reason="damaged",
        occurred_at=ago(4),
    )  # fmt: skip
    at_store = flagged(UnusualDaysReport().build(last_days(location=store)))
    assert {key[0] for key in at_store} == {"STEADY"}
    at_other = flagged(UnusualDaysReport().build(last_days(location=other)))
    assert {key[0] for key in at_other} == {"ELSEWHERE"}  # its adjustment, read per location
    category = elsewhere.category
    in_category = last_days(category=category, category_ids=frozenset({category.pk}))
    assert {key[0] for key in flagged(UnusualDaysReport().build(in_category))} == {"ELSEWHERE"}


def test_unusual_days_chart_counts_flagged_days(steady):
    report = UnusualDaysReport()
    result = report.build(last_days())
    assert result.series["sale"] == {day(3): 1}
    drawn = report.charts(result)
    assert len(drawn) == 1
    assert "<svg" in drawn[0].svg
    assert report.charts(report.build(last_days(category_ids=frozenset({0})))) == []


def test_weighted_median_averages_the_middle_pair():
    frame = pd.DataFrame(
        {
            "product_id": [1, 1, 1, 2, 2],
            "kind": ["sale"] * 5,
            "value": [0.0, 4.0, 6.0, 3.0, 1.0],
            "weight": [3, 1, 2, 1, 1],
        }
    )
    medians = weighted_median(frame)
    # 0 0 0 4 6 6 -> (0 + 4) / 2; 1 3 -> 2
    assert medians.to_dict() == {(1, "sale"): 2.0, (2, "sale"): 2.0}


def test_unusual_days_page_runs_the_same_queries_with_more_data(client, shop):
    manager, store = shop
    client.force_login(manager)
    category = CategoryFactory()
    first = ProductFactory(category=category)
    sell(manager, store, first, {d: 50 if d == 2 else 10 for d in range(1, 40)})
    url = reverse("reports:report", args=["unusual-days"])

    def count(query) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query)
        assert response.status_code == 200
        assert b"<svg" in response.content
        return len(queries)

    few = count({"category": category.pk})
    for n in range(10):
        product = ProductFactory(category=category)
        sell(manager, store, product, {d: 30 if d == n + 2 else 5 for d in range(1, 300)})
    start = timezone.localdate() - timedelta(days=200)
    assert count({"category": category.pk, "start": start}) == few
