"""Stock snapshots (reports/snapshots.py): a snapshot plus the movements after it gives what a
replay of the whole ledger gives; a snapshot older than a back-dated movement is not read."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from orders.services.history import PastSale, orders_history_load
from products.tests.factories import CategoryFactory, ProductFactory
from reports.base import Params
from reports.models import StockSnapshot, StockSnapshotLine
from reports.selectors.ageing import stock_ageing
from reports.selectors.valuation import stock_valuation, stock_value
from reports.snapshots import quarter_starts, refresh_snapshots
from stock.models import StockMovement
from stock.services import (
    PastMovement,
    TransferLine,
    stock_history_load,
    stock_issue,
    stock_transfer,
)
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

Kind = StockMovement.Kind


def ago(days: int, hours: int = 0):
    return timezone.now() - timedelta(days=days, hours=hours)


@pytest.fixture
def ledger(make_user):
    """Three products, two places, 400 days of receipts, sales and transfers: every quarter
    start of the last year falls among them."""
    manager = make_user(Role.MANAGER)
    warehouse, shop = LocationFactory(name="Gudang"), LocationFactory(name="Toko")
    category = CategoryFactory()
    products = [ProductFactory(category=category, cost_price=0) for _ in range(3)]
    movements, sales = [], []
    for n, product in enumerate(products):
        for day in range(400, 0, -37):
            movements.append(
                PastMovement(Kind.RECEIPT, product.pk, Decimal(30 + n), ago(day),
                             to_location_id=warehouse.pk, unit_cost=Decimal(10 + day % 7 + n))
            )  # fmt: skip
            movements.append(
                PastMovement(Kind.TRANSFER, product.pk, Decimal(8), ago(day, -3),
                             from_location_id=warehouse.pk, to_location_id=shop.pk)
            )  # fmt: skip
            sales.append(PastSale(shop.pk, ago(day - 5), [(product.pk, Decimal(3 + n))]))
    stock_history_load(actor=manager, movements=movements)
    orders_history_load(actor=manager, sales=sales)
    return manager, warehouse, shop, products


def moments() -> list[date]:
    today = timezone.localdate()
    return [today - timedelta(days=days) for days in (390, 300, 200, 95, 40, 3, 1, 0)]


def everything(shop) -> list:
    """Valuations at many days, whole and at one place, and ageing over several ranges."""
    found = []
    for day in moments():
        params = Params(start=day, end=day)
        found.append(stock_valuation(params))
        found.append(stock_valuation(replace(params, location=shop)))
    today = timezone.localdate()
    for start, end in ((400, 0), (200, 30), (95, 0), (30, 2)):
        params = Params(start=today - timedelta(days=start), end=today - timedelta(days=end))
        found.append(stock_ageing(params, limit=50))
        found.append(stock_ageing(replace(params, location=shop), limit=50))
    return found


def snapshots() -> list[tuple]:
    return list(StockSnapshot.objects.values_list("as_of", "kind", "stale"))


def test_a_snapshot_and_the_movements_since_give_the_ledgers_own_sums(ledger):
    shop = ledger[2]
    replayed = everything(shop)  # no snapshot yet: the whole ledger
    done = refresh_snapshots()
    assert done["written"] == len(snapshots()) >= 5
    assert all(not stale for _as_of, _kind, stale in snapshots())
    assert [kind for _as_of, kind, _stale in snapshots()].count("day") == 1
    assert everything(shop) == replayed
    # The lines are the ledger's sums at their moment.
    snapshot = StockSnapshot.objects.filter(kind="quarter").order_by("as_of")[1]
    for line in StockSnapshotLine.objects.filter(snapshot=snapshot):
        moved = StockMovement.objects.filter(
            product_id=line.product_id, created_at__lt=snapshot.as_of
        )
        quantity = sum(m.quantity for m in moved if m.to_location_id == line.location_id)
        quantity -= sum(m.quantity for m in moved if m.from_location_id == line.location_id)
        assert line.quantity == quantity
        sold = [m for m in moved if m.kind == Kind.SALE and m.from_location_id == line.location_id]
        assert line.sold_quantity == sum(m.quantity for m in sold)
        assert line.last_sale == max((m.created_at for m in sold), default=None)
        assert line.average_cost == max(moved, key=lambda m: (m.created_at, m.pk)).average_cost


def test_the_reports_read_a_good_snapshot_and_never_a_stale_one(ledger):
    shop = ledger[2]
    refresh_snapshots()
    day = timezone.localdate() - timedelta(days=2)
    params = Params(start=day, end=day)
    honest = stock_valuation(params)["total"]["quantity"]
    # Tamper with the snapshot the valuation starts from: the reports read it...
    latest = StockSnapshot.objects.filter(as_of__lte=params.until).order_by("-as_of").first()
    line = StockSnapshotLine.objects.filter(snapshot=latest, location=shop).first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reports_stocksnapshotline SET quantity = quantity + 1000"
            " WHERE snapshot_id = %s AND product_id = %s AND location_id = %s",
            [latest.pk, line.product_id, line.location_id],
        )
    assert stock_valuation(params)["total"]["quantity"] == honest + 1000
    # ... but not once it is stale: the one before it and the movements since.
    StockSnapshot.objects.filter(pk=latest.pk).update(stale=True)
    assert stock_valuation(params)["total"]["quantity"] == honest
    refresh_snapshots()  # written again from the ledger
    assert not StockSnapshot.objects.get(pk=latest.pk).stale
    assert stock_valuation(params)["total"]["quantity"] == honest


def test_a_back_dated_movement_makes_the_later_snapshots_stale(ledger):
    manager, _warehouse, shop, products = ledger
    refresh_snapshots()
    before = snapshots()
    when = ago(150)
    stock_history_load(
        actor=manager,
        movements=[
            PastMovement(Kind.RECEIPT, products[0].pk, Decimal(500), when,
                         to_location_id=shop.pk, unit_cost=Decimal(99))
        ],
    )  # fmt: skip
    after = snapshots()
    assert [as_of for as_of, _kind, _stale in after] == [as_of for as_of, *_rest in before]
    assert all(stale == (as_of > when) for as_of, _kind, stale in after)
    assert any(stale for *_rest, stale in after)
    assert not all(stale for *_rest, stale in after)
    # The reports count it at once: what a replay of the whole ledger says.
    read = everything(shop)
    StockSnapshot.objects.update(stale=True)
    assert everything(shop) == read
    refresh_snapshots()  # every snapshot written again, the movement in
    assert all(not stale for *_rest, stale in snapshots())
    assert everything(shop) == read
    assert refresh_snapshots()["written"] == 0  # nothing left to do


def test_movements_of_today_leave_the_snapshots_good(ledger):
    manager, warehouse, shop, products = ledger
    refresh_snapshots()
    stock_transfer(
        actor=manager, from_location=warehouse, to_location=shop,
        lines=[TransferLine(products[1], Decimal(2))],
    )  # fmt: skip
    stock_issue(actor=manager, product=products[1], location=shop, quantity=1)
    assert all(not stale for *_rest, stale in snapshots())
    today = timezone.localdate()
    valued = stock_valuation(Params(start=today, end=today), limit=5)
    assert valued["total"]["quantity"] == sum(
        level.on_hand for p in products for level in p.stock_levels.all()
    )


def test_quarters_start_at_local_midnight_on_the_first_of_the_month():
    starts = quarter_starts(ago(400), timezone.now())
    assert len(starts) in (4, 5)
    for moment in starts:
        local = timezone.localtime(moment)
        assert (local.day, local.month % 3, local.hour, local.minute) == (1, 1, 0, 0)


def test_an_empty_ledger_has_no_snapshot():
    assert refresh_snapshots() == {"written": 0, "lines": 0, "dropped": 0}
    assert not StockSnapshot.objects.exists()


def test_the_stock_value_alone_is_the_valuations_total(ledger):
    shop = ledger[2]
    refresh_snapshots()
    for day in moments():
        for params in (Params(start=day, end=day), Params(start=day, end=day, location=shop)):
            assert stock_value(params) == stock_valuation(params, limit=1)["total"]["value"]
