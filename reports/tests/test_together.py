"""A report's independent queries side by side (reports.selectors.together): on other
connections that read the request's snapshot, or one after the other on the request's own
connection when they could not see what it sees."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from orders.services.history import PastSale, orders_history_load
from products.models import Product
from products.tests.factories import ProductFactory
from reports.base import Params
from reports.library.abc import ABCReport
from reports.library.ageing import StockAgeingReport
from reports.library.anomalies import UnusualDaysReport
from reports.library.dashboard import DashboardReport
from reports.library.margin import MarginReport
from reports.library.sales import SalesReport
from reports.selectors.ageing import stock_ageing
from reports.selectors.filters import report_queries
from reports.selectors.margin import margin_by_product
from reports.selectors.together import together
from stock.services import PastMovement
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def backend() -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return threading.get_ident(), cursor.fetchone()[0]


def products() -> int:
    return Product.objects.count()


def add_product_elsewhere() -> None:
    """Commit a product from a thread (so a connection) of its own."""

    def add():
        try:
            ProductFactory()
        finally:
            connection.close()

    thread = threading.Thread(target=add)
    thread.start()
    thread.join()


def test_calls_run_on_other_connections_that_share_the_request_snapshot():
    ProductFactory.create_batch(3)
    here = backend()
    with report_queries():
        found = together(
            {
                "late": lambda: (add_product_elsewhere(), products())[1],
                "where": backend,
                "also": products,
            }
        )
        # The request's own transaction has not read yet: it sees the late product.
        seen_here = products()
    assert found["late"] == found["also"] == 3  # the helpers read the snapshot of the start
    assert seen_here == 4
    assert found["where"][0] != here[0]
    assert found["where"][1] != here[1]


def test_a_transaction_that_wrote_runs_the_calls_itself():
    ProductFactory.create_batch(2)
    here = backend()
    with report_queries():
        ProductFactory()  # not committed: other connections could not see it
        found = together({"count": products, "where": backend})
    assert found == {"count": 3, "where": here}


def test_without_a_transaction_or_with_one_thread_the_calls_run_here():
    here = backend()
    assert together({"a": backend, "b": backend}) == {"a": here, "b": here}
    with override_settings(REPORT_QUERY_THREADS=1), report_queries():
        assert together({"a": backend, "b": backend}) == {"a": here, "b": here}


def test_helpers_queries_are_counted_with_the_requests():
    ProductFactory()
    with CaptureQueriesContext(connection) as queries, report_queries():
        together({"a": products, "b": products, "c": products})
    counted = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert len(counted) == 3


def test_helpers_speak_the_requests_language():
    with translation.override("id"), report_queries():
        found = together({"a": translation.get_language, "b": translation.get_language})
    assert found == {"a": "id", "b": "id"}


def test_a_failing_call_fails_the_whole():
    def broken():
        raise ValueError("no such thing")

    with report_queries(), pytest.raises(ValueError, match="no such thing"):
        together({"a": products, "b": broken, "c": products})


def _history():
    manager = UserFactory(role=Role.MANAGER)
    shop = LocationFactory()
    now = timezone.now()
    items = ProductFactory.create_batch(6)
    movements = [
        PastMovement("receipt", p.pk, Decimal(5000), now - timedelta(days=120),
                     to_location_id=shop.pk, unit_cost=Decimal(3))
        for p in items
    ]  # fmt: skip
    sales = []
    for ago in range(1, 100):
        for n, product in enumerate(items):
            if (ago + n) % (n + 2) == 0:
                units = Decimal(40 if ago == 7 * (n + 1) else 1 + (ago * n) % 4)
                sales.append(PastSale(shop.pk, now - timedelta(days=ago), [(product.pk, units)]))
        if ago % 9 == 0:
            movements.append(PastMovement("adjustment", items[ago % 6].pk, Decimal(ago % 5 + 1),
                                          now - timedelta(days=ago, hours=2),
                                          from_location_id=shop.pk, reason="damaged"))  # fmt: skip
    orders_history_load(actor=manager, movements=movements, sales=sales)


@pytest.mark.parametrize(
    "report",
    [DashboardReport, SalesReport, MarginReport, ABCReport, StockAgeingReport, UnusualDaysReport],
)
def test_reports_side_by_side_equal_one_after_the_other(report):
    _history()
    params = Params(start=timezone.localdate() - timedelta(days=60), end=timezone.localdate())
    with override_settings(REPORT_QUERY_THREADS=1):
        alone = report().build(params)
    with override_settings(REPORT_QUERY_THREADS=3):
        side_by_side = report().build(params)
    assert side_by_side.figures == alone.figures
    assert [t.rows for t in side_by_side.tables] == [t.rows for t in alone.tables]
    assert side_by_side.series == alone.series
    assert any(t.rows for t in alone.tables)


def test_stock_ageing_in_ranges_of_products_shows_the_first_rows_of_them_all():
    _history()
    params = Params(start=timezone.localdate() - timedelta(days=60), end=timezone.localdate())
    with override_settings(REPORT_QUERY_THREADS=1), report_queries():
        alone = stock_ageing(params, limit=4)
    with override_settings(REPORT_QUERY_THREADS=3), report_queries():
        in_parts = stock_ageing(params, limit=4)
    assert in_parts == alone
    assert len(alone["rows"]) == 4
    assert alone["summary"]["total_products"] == 6


def test_margin_by_product_in_ranges_of_products_adds_and_merges_them_all():
    _history()
    first, *_, last = Product.objects.order_by("pk")  # in the first and the last range
    Product.objects.filter(pk=last.pk).update(category=first.category)
    params = Params(start=timezone.localdate() - timedelta(days=60), end=timezone.localdate())
    with override_settings(REPORT_QUERY_THREADS=1), report_queries():
        alone = margin_by_product(params, top=2, lowest=2)
    with override_settings(REPORT_QUERY_THREADS=3), report_queries():
        in_parts = margin_by_product(params, top=2, lowest=2)
    assert in_parts == alone
    assert len(alone["top"]) == len(alone["lowest"]) == 2
    assert len(alone["category"]) == 5
