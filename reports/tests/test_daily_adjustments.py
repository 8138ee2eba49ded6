"""The daily adjustments summary (migration 0007) always equals the ledger's adjustments and
counts summed again, per location and over all locations: after adjustments both ways, counts,
back-dated history, work rolled back, concurrent writers, and a rebuild."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from products.tests.factories import ProductFactory
from stock.services import (
    PastMovement,
    stock_adjust,
    stock_count,
    stock_history_load,
    stock_receive,
)
from stock.tests.factories import LocationFactory
from stock.tests.test_concurrency import in_parallel


def stored() -> list[tuple]:
    """Both tables' rows as (product, day, location, quantity, movements), location None for
    the rows over all locations."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT product_id, day, location_id, quantity, movements"
            " FROM reports_dailyadjustment"
            " UNION ALL SELECT product_id, day, NULL, quantity, movements"
            " FROM reports_dailyproductadjustment"
            " ORDER BY 1, 2, 3 NULLS FIRST"
        )
        return cursor.fetchall()


def recomputed() -> list[tuple]:
    """The ledger's adjustments and counts summed per location and over all locations, in
    Python, days in the app's time zone."""
    from stock.models import StockMovement

    sums: dict[tuple, list] = {}
    for m in StockMovement.objects.filter(kind__in=["adjustment", "count"]):
        day = timezone.localtime(m.created_at).date()
        signed = m.quantity if m.to_location_id else -m.quantity
        for location in (m.to_location_id or m.from_location_id, None):
            entry = sums.setdefault((m.product_id, day, location), [Decimal(0), 0])
            entry[0] += signed
            entry[1] += 1
    return [
        (product, day, location, total, count)
        for (product, day, location), (total, count) in sorted(
            sums.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or 0)
        )
    ]


@pytest.fixture
def shop(db):
    manager = UserFactory(role=Role.MANAGER)
    return manager, LocationFactory(), LocationFactory()


@pytest.mark.django_db
def test_adjustments_and_counts_are_summed_per_location_and_in_all(shop):
    manager, first, second = shop
    kopi, teh = ProductFactory(), ProductFactory()
    for product in (kopi, teh):
        for store in (first, second):
            stock_receive(actor=manager, product=product, location=store, quantity=50,
                          unit_cost=1)  # fmt: skip
    stock_adjust(actor=manager, product=kopi, location=first, change=-3, reason="damaged")
    stock_adjust(actor=manager, product=kopi, location=first, change=Decimal("1.5"),
                 reason="found")  # fmt: skip
    stock_adjust(actor=manager, product=kopi, location=second, change=-2, reason="lost")
    stock_count(actor=manager, location=second, counts={kopi: 40, teh: 52})
    yesterday = timezone.now() - timedelta(days=1)
    stock_history_load(actor=manager, movements=[
        PastMovement("adjustment", teh.pk, Decimal(4), yesterday, from_location_id=first.pk,
                     reason="expired"),
        PastMovement("count", teh.pk, Decimal(1), yesterday, to_location_id=second.pk),
    ])  # fmt: skip

    rows = stored()
    assert rows == recomputed()
    today = timezone.localdate()
    all_kopi = [r for r in rows if r[0] == kopi.pk and r[2] is None]
    # -3 + 1.5 at the first store, -2 and the count's -8 (48 -> 40) at the second
    assert all_kopi == [(kopi.pk, today, None, Decimal("-11.5"), 4)]
    # Receipts are not adjustments: teh has only the count's day and yesterday's history.
    assert {r[1] for r in rows if r[0] == teh.pk} == {today, timezone.localtime(yesterday).date()}


@pytest.mark.django_db
def test_work_rolled_back_leaves_no_trace(shop):
    manager, first, _second = shop
    product = ProductFactory()
    stock_receive(actor=manager, product=product, location=first, quantity=10, unit_cost=1)
    stock_adjust(actor=manager, product=product, location=first, change=-1, reason="lost")
    before = stored()
    try:
        with transaction.atomic():
            stock_adjust(actor=manager, product=product, location=first, change=-2,
                         reason="lost")  # fmt: skip
            assert stored() != before
            raise RuntimeError("undo")
    except RuntimeError:
        pass
    assert stored() == before == recomputed()


@pytest.mark.django_db
def test_the_rebuild_writes_what_the_trigger_kept(shop):
    manager, first, second = shop
    product = ProductFactory()
    stock_receive(actor=manager, product=product, location=first, quantity=10, unit_cost=1)
    stock_adjust(actor=manager, product=product, location=first, change=-4, reason="lost")
    stock_adjust(actor=manager, product=product, location=second, change=7, reason="found")
    kept = stored()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reports_sales_summary_rebuild()")
    assert stored() == kept == recomputed()


@pytest.mark.django_db(transaction=True)
def test_concurrent_adjustments_of_one_product_add_up():
    manager = UserFactory(role=Role.MANAGER)
    product, stores = ProductFactory(), [LocationFactory() for _ in range(4)]
    for store in stores:
        stock_receive(actor=manager, product=product, location=store, quantity=100, unit_cost=1)

    def adjust(n):
        for _ in range(5):  # the same all-locations row from four connections at once
            stock_adjust(actor=manager, product=product, location=stores[n], change=-1,
                         reason="damaged")  # fmt: skip

    in_parallel(4, adjust)
    rows = stored()
    assert rows == recomputed()
    [total] = [r for r in rows if r[2] is None]
    assert total[3:] == (Decimal(-20), 20)
