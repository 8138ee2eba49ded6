"""The daily sales summaries (migration 0005) always equal the sales fact view summed again:
after sales, returns, an import, a deleted import, a changed order and rolled-back work."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from orders.models import SalesOrder
from orders.services.history import PastSale, orders_history_load
from orders.services.sales import SaleLine, counter_sale, sales_order_return
from orders.tests.factories import CustomerFactory
from products.tests.factories import ProductFactory
from reports.base import Params
from reports.importing.applying import sales_history_import_apply
from reports.importing.columns import guess_mapping
from reports.importing.planning import ImportOptions
from reports.importing.services import sales_history_file_store, sales_history_preview
from reports.library.sales import SalesReport
from reports.models import DailyOrderSale, DailySale, ImportedSale
from stock.services import PastMovement, stock_history_load, stock_receive
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

KEYS = {
    "reports_dailysale": "day, product_id, document, location_id, customer_id, channel, "
    "payment_method, imported",
    "reports_dailyordersale": "day, document, location_id, customer_id, channel, "
    "payment_method, imported",
}
MEASURES = "quantity, returned, facts, sale_facts, revenue, cost"


def stored(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {KEYS[table]}, {MEASURES} FROM {table} ORDER BY {KEYS[table]}"  # noqa: S608
        )
        return cursor.fetchall()


def recomputed(table: str) -> list[tuple]:
    """The view's facts summed by the table's keys, days in the app's time zone."""
    keys = KEYS[table].replace("day", "(occurred_at AT TIME ZONE %s)::date AS day", 1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {keys}, SUM(quantity), COALESCE(SUM(-quantity) FILTER (WHERE quantity < 0),"  # noqa: S608
            " 0), COUNT(*), COUNT(*) FILTER (WHERE quantity > 0), SUM(revenue), SUM(cost)"
            f" FROM reports_sales_fact GROUP BY {KEYS[table]} ORDER BY {KEYS[table]}",
            [timezone.get_current_timezone_name()],
        )
        return cursor.fetchall()


def assert_summaries_match_the_ledger() -> None:
    for table in KEYS:
        assert stored(table) == recomputed(table), table


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))  # noqa: DTZ001 - local time, made aware


@pytest.fixture
def shop(make_user):
    manager = make_user(Role.MANAGER)
    location = LocationFactory(name="Toko")
    kopi = ProductFactory(sku="KOPI", sale_price=Decimal(10000), tax_rate=10)
    teh = ProductFactory(sku="TEH", sale_price=Decimal(5000), tax_rate=0)
    for product in (kopi, teh):
        stock_receive(actor=manager, product=product, location=location, quantity=100,
                      unit_cost=Decimal(3000))  # fmt: skip
    return manager, location, kopi, teh


def sell(manager, location, lines, *, customer=None, payment="card") -> SalesOrder:
    sale, _ = counter_sale(
        actor=manager, location=location, lines=[SaleLine(p, q) for p, q in lines],
        payment_method=payment, token=uuid.uuid4(), customer=customer,
        amount_paid=Decimal(10**9) if payment == "cash" else None,
    )  # fmt: skip
    return sale


def import_file(manager, content: str):
    batch = sales_history_file_store(
        actor=manager, upload=SimpleUploadedFile("history.csv", content.encode())
    )
    mapping = guess_mapping(batch.options["headers"])
    sales_history_preview(actor=manager, batch=batch, options=ImportOptions(mapping=mapping))
    return sales_history_import_apply(batch_id=batch.pk)


def test_sales_and_returns_are_summed_per_day_product_and_document(shop):
    manager, location, kopi, teh = shop
    first = sell(manager, location, [(kopi, 2), (teh, 3)], customer=CustomerFactory())
    sell(manager, location, [(kopi, 1)], payment="cash")
    sales_order_return(
        actor=manager, order=first, quantities={first.lines.get(product=kopi).pk: 1},
        reason="damaged",
    )  # fmt: skip
    assert_summaries_match_the_ledger()
    kopi_first = DailySale.objects.get(product=kopi, document=first.number)
    assert (kopi_first.quantity, kopi_first.returned) == (1, 1)
    assert (kopi_first.facts, kopi_first.sale_facts) == (2, 1)
    assert DailyOrderSale.objects.count() == 2


def test_past_sales_land_on_their_local_day(shop):
    manager, location, kopi, _teh = shop
    stock_history_load(
        actor=manager,
        movements=[PastMovement("receipt", kopi.pk, Decimal(50), at(2024, 1, 1),
                                to_location_id=location.pk, unit_cost=Decimal(3000))],
    )  # fmt: skip
    orders_history_load(
        actor=manager,
        sales=[
            PastSale(location.pk, at(2024, 3, 5, 0, 10), [(kopi.pk, Decimal(2))]),
            PastSale(location.pk, at(2024, 3, 5, 23, 50), [(kopi.pk, Decimal(1))]),
        ],
    )
    assert_summaries_match_the_ledger()
    days = set(DailySale.objects.filter(product=kopi).values_list("day", flat=True))
    assert at(2024, 3, 5).date() in days


def test_an_import_adds_its_lines_and_deleting_them_takes_them_away(shop):
    manager, location, kopi, _teh = shop
    sell(manager, location, [(kopi, 1)])
    batch = import_file(
        manager,
        "tanggal,no faktur,kode,nama barang,qty,harga\n"
        "2025-03-31,INV-1,KOPI,Kopi,2,12000\n"
        "2025-03-31,INV-1,TEH,Teh,-1,5000\n"
        "2025-04-01,,TEH,Teh,4,5000\n",
    )
    assert batch.imported_rows == 3
    assert_summaries_match_the_ledger()
    assert DailyOrderSale.objects.filter(imported=True).count() == 2
    ImportedSale.objects.filter(document_number="INV-1").delete()
    assert_summaries_match_the_ledger()
    assert not DailySale.objects.filter(document="INV-1").exists()
    ImportedSale.objects.update(quantity=5)
    assert_summaries_match_the_ledger()


def test_rolled_back_sales_and_imports_leave_no_trace(shop):
    manager, location, kopi, teh = shop
    sell(manager, location, [(kopi, 1)])
    batch = import_file(manager, "tanggal,kode,qty,harga\n2025-01-02,KOPI,1,100\n")
    before = {table: stored(table) for table in KEYS}

    def sell_import_and_delete_then_fail():
        with transaction.atomic():
            sell(manager, location, [(kopi, 2), (teh, 1)])
            ImportedSale.objects.create(
                batch=batch, line_number=9, occurred_at=at(2025, 1, 3, 12), product=teh,
                quantity=Decimal(1), unit_price=Decimal(1), revenue=Decimal(1),
                fingerprint="x" * 64,
            )  # fmt: skip
            batch.lines.exclude(line_number=9).delete()
            assert_summaries_match_the_ledger()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        sell_import_and_delete_then_fail()
    assert {table: stored(table) for table in KEYS} == before
    assert_summaries_match_the_ledger()


def test_changing_a_sold_orders_payment_or_customer_moves_its_summary(shop):
    manager, location, kopi, teh = shop
    sale = sell(manager, location, [(kopi, 2), (teh, 1)])
    SalesOrder.objects.filter(pk=sale.pk).update(payment_method="cash", customer=CustomerFactory())
    assert_summaries_match_the_ledger()
    assert set(DailySale.objects.values_list("payment_method", flat=True)) == {"cash"}
    line = sale.lines.get(product=teh)
    type(line).objects.filter(pk=line.pk).update(discount_amount=Decimal(1000))
    assert_summaries_match_the_ledger()


def test_the_rebuild_gives_the_same_rows(shop):
    manager, location, kopi, teh = shop
    sell(manager, location, [(kopi, 2), (teh, 1)])
    before = {table: stored(table) for table in KEYS}
    with connection.cursor() as cursor:
        cursor.execute("SELECT reports_sales_summary_rebuild()")
    assert {table: stored(table) for table in KEYS} == before


@override_settings(TIME_ZONE="Asia/Jakarta")
def test_days_follow_the_time_zone_the_summary_was_built_for(shop):
    """A sale at 20:00 UTC is the next day in Jakarta (UTC+7), for the report and the summary
    alike once it is rebuilt for that zone (the migration builds it for settings.TIME_ZONE)."""
    manager, location, kopi, _teh = shop
    stock_history_load(
        actor=manager,
        movements=[PastMovement("receipt", kopi.pk, Decimal(50), at(2024, 1, 1),
                                to_location_id=location.pk, unit_cost=Decimal(3000))],
    )  # fmt: skip
    late = datetime(2024, 3, 5, 20, tzinfo=UTC)
    orders_history_load(actor=manager, sales=[PastSale(location.pk, late, [(kopi.pk, 2)])])
    with connection.cursor() as cursor:
        cursor.execute("SELECT reports_sales_summary_rebuild('Asia/Jakarta')")
    assert_summaries_match_the_ledger()
    (row,) = DailySale.objects.filter(product=kopi)
    assert str(row.day) == "2024-03-06"
    day = row.day
    result = SalesReport().build(Params(start=day, end=day))
    assert result.figures[1].value == 2  # units sold that local day
