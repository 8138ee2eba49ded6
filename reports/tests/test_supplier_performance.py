"""Supplier performance against hand-computed numbers: on time, lead time, fill rate, spend."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from orders.services.history import PastPurchase, orders_history_load
from orders.services.purchasing import (
    PurchaseLine,
    purchase_order_cancel,
    purchase_order_close,
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
)
from products.tests.factories import CategoryFactory, ProductFactory
from reports.base import Params
from reports.library.suppliers import SupplierPerformanceReport
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierFactory, SupplierProductFactory

pytestmark = pytest.mark.django_db
MARCH = Params(start=date(2025, 3, 1), end=date(2025, 3, 31))


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))  # noqa: DTZ001 - local time, made aware


def figures(result) -> dict:
    return {figure.key: figure.value for figure in result.figures}


def by_supplier(result) -> dict:
    return {row["supplier_name"]: row for row in result.table("suppliers").rows}


@pytest.fixture
def goods():
    kopi = ProductFactory(sku="KOPI", category=CategoryFactory(name="Kopi"))
    teh = ProductFactory(sku="TEH", category=CategoryFactory(name="Teh"))
    return kopi, teh


@pytest.fixture
def march(make_user, goods):
    """Sumber promises coffee in 5 days and tea in 7: three orders, the third received six days
    after its expected date. Makmur promises coffee in 3 days and set no expected date: due on
    5 March, it came on the 7th."""
    manager = make_user(Role.MANAGER)
    kopi, teh = goods
    shop = LocationFactory(name="Gudang")
    sumber, makmur = SupplierFactory(name="Sumber"), SupplierFactory(name="Makmur")
    SupplierProductFactory(supplier=sumber, product=kopi, lead_time_days=5)
    SupplierProductFactory(supplier=sumber, product=teh, lead_time_days=7)
    SupplierProductFactory(supplier=makmur, product=kopi, lead_time_days=3)
    orders_history_load(
        actor=manager,
        purchases=[
            PastPurchase(sumber.pk, shop.pk, at(2025, 3, 1, 10), date(2025, 3, 6),
                         at(2025, 3, 5, 14), [(kopi.pk, Decimal(10), Decimal(100))]),
            PastPurchase(sumber.pk, shop.pk, at(2025, 3, 3, 10), date(2025, 3, 8),
                         at(2025, 3, 8, 15), [(kopi.pk, Decimal(10), Decimal(100)),
                                              (teh.pk, Decimal(20), Decimal(30))]),
            PastPurchase(sumber.pk, shop.pk, at(2025, 3, 10, 10), date(2025, 3, 14),
                         at(2025, 3, 20, 9), [(teh.pk, Decimal(10), Decimal(35))]),
            PastPurchase(makmur.pk, shop.pk, at(2025, 3, 2, 10), None, at(2025, 3, 7, 9),
                         [(kopi.pk, Decimal(5), Decimal(90))]),
        ],
    )  # fmt: skip
    return manager, sumber, makmur


def test_on_time_rate_and_lead_times_are_the_hand_computed_ones(march):
    result = SupplierPerformanceReport().build(MARCH)
    sumber = by_supplier(result)["Sumber"]
    assert (sumber["orders"], sumber["on_time"], sumber["late"]) == (3, 2, 1)
    assert sumber["on_time_rate"] == Decimal("66.7")  # the one on its expected day counts
    assert sumber["lead_average"] == Decimal("6.3")  # 4, 5 and 10 days
    assert sumber["lead_worst"] == 10
    assert sumber["lead_promised"] == Decimal("6.0")  # lines: 5, 5, 7, 7
    assert sumber["fill_rate"] == Decimal("100.0")
    assert sumber["spend"] == Decimal("2950.00")  # 1,000 + 1,000 + 600 + 350
    makmur = by_supplier(result)["Makmur"]
    assert (makmur["on_time_rate"], makmur["lead_average"], makmur["lead_promised"]) == (
        Decimal("0.0"), Decimal("5.0"), Decimal("3.0"),
    )  # fmt: skip
    totals = figures(result)
    assert totals["on_time_rate"] == Decimal("50.0")
    assert (totals["orders"], totals["late"]) == (4, 2)
    assert totals["spend"] == Decimal("3400.00")
    late = result.table("late").rows
    assert [(row["supplier_name"], row["due"], row["days_late"]) for row in late] == [
        ("Sumber", date(2025, 3, 14), 6),
        ("Makmur", date(2025, 3, 5), 2),
    ]


def test_filters_narrow_to_the_lines_and_orders_asked_for(march, goods):
    makmur = march[2]
    teh = goods[1]
    tea = SupplierPerformanceReport().build(
        replace(MARCH, category=teh.category, category_ids=frozenset({teh.category_id}))
    )
    assert list(by_supplier(tea)) == ["Sumber"]
    assert by_supplier(tea)["Sumber"]["on_time_rate"] == Decimal("50.0")
    assert by_supplier(tea)["Sumber"]["lead_promised"] == Decimal("7.0")
    only = SupplierPerformanceReport().build(replace(MARCH, supplier=makmur))
    assert list(by_supplier(only)) == ["Makmur"]
    elsewhere = SupplierPerformanceReport().build(replace(MARCH, location=LocationFactory()))
    assert figures(elsewhere)["orders"] == 0
    assert figures(elsewhere)["on_time_rate"] is None


def test_a_partial_receipt_lowers_the_fill_rate_and_closing_short_is_late(make_user, goods):
    manager = make_user(Role.MANAGER)
    kopi, teh = goods
    shop, jaya = LocationFactory(), SupplierFactory(name="Jaya")
    SupplierProductFactory(supplier=jaya, product=kopi, lead_time_days=3)
    yesterday = timezone.localdate() - timedelta(days=1)

    def order(lines, expected=None):
        placed = purchase_order_create(
            actor=manager, supplier=jaya, location=shop, lines=lines, expected_date=expected
        )
        return purchase_order_place(actor=manager, order=placed)

    partial = order([PurchaseLine(kopi, Decimal(10), Decimal(50))])
    purchase_order_receive(
        actor=manager, order=partial, quantities={partial.lines.get().pk: Decimal(6)}
    )
    overdue = order([PurchaseLine(teh, Decimal(4), Decimal(20))], expected=yesterday)
    purchase_order_cancel(actor=manager, order=order([PurchaseLine(teh, Decimal(99))]))
    today = Params(start=timezone.localdate(), end=timezone.localdate())

    result = SupplierPerformanceReport().build(today)
    jaya_row = by_supplier(result)["Jaya"]
    # The cancelled order does not count; the partial one is within its 3 days, so only the
    # overdue one is judged.
    assert (jaya_row["orders"], jaya_row["judged"], jaya_row["late"]) == (2, 1, 1)
    assert jaya_row["on_time_rate"] == Decimal("0.0")
    assert jaya_row["fill_rate"] == Decimal("42.9")  # 6 of 10 + 4
    assert jaya_row["spend"] == Decimal("300.00")
    assert jaya_row["lead_average"] is None  # nothing has finished arriving
    (late,) = result.table("late").rows
    assert (late["number"], late["days_late"], late["fill_rate"]) == (
        overdue.number, 1, Decimal("0.0"),
    )  # fmt: skip

    purchase_order_close(actor=manager, order=partial)
    closed = by_supplier(SupplierPerformanceReport().build(today))["Jaya"]
    assert (closed["judged"], closed["late"]) == (2, 2)  # closed short
    assert (closed["lead_average"], closed["lead_worst"]) == (Decimal("0.0"), 0)


def test_the_page_runs_a_fixed_number_of_queries_and_draws_charts(client, march, goods):
    manager, sumber, _makmur = march
    client.force_login(manager)
    url = reverse("reports:report", args=["supplier-performance"])

    def queries(params) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    few, html = queries({"start": "2025-03-01", "end": "2025-03-31"})
    assert html.count("<svg") == 2
    suppliers = [SupplierFactory() for _ in range(5)]
    places = [LocationFactory() for _ in range(3)]
    start = timezone.now() - timedelta(days=300)
    orders_history_load(
        actor=manager,
        purchases=[
            PastPurchase(supplier.pk, place.pk, start + timedelta(days=day),
                         (start + timedelta(days=day + 4)).date(),
                         start + timedelta(days=day + 3 + day % 5),
                         [(item.pk, Decimal(5), Decimal(10)) for item in goods])
            for supplier in suppliers
            for place in places
            for day in range(0, 280, 20)
        ],
    )  # fmt: skip
    many, _html = queries({"start": "2024-06-01", "end": timezone.localdate()})
    assert few == many
    data = client.get(reverse("api:report-supplier-performance"), {"supplier": sumber.pk})
    assert data.status_code == 200
