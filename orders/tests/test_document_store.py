"""Rendered PDFs are stored under the hash of their HTML: asked again, the same document is
served from the store; any change to what it prints draws it anew; a worker can prepare it."""

import time
import uuid
from decimal import Decimal

import pytest

from accounts.roles import Role
from orders.documents import invoice_pdf, purchase_order_pdf, receipt_pdf
from orders.models import RenderedDocument
from orders.services.purchasing import PurchaseLine, purchase_order_create, purchase_order_place
from orders.services.sales import (
    SaleLine,
    counter_sale,
    sales_order_confirm,
    sales_order_create,
    sales_order_fulfil,
)
from orders.tasks import document_prepare
from products.tests.factories import ProductFactory
from stock import services
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(make_user):
    manager = make_user(Role.MANAGER)
    store = LocationFactory(name="Toko")
    kopi = ProductFactory(name="Kopi", sale_price=Decimal("15000"), tax_rate=Decimal(11))
    services.stock_receive(actor=manager, product=kopi, location=store, quantity=20, unit_cost=1)
    return manager, store, kopi


class CountingHTML:
    """WeasyPrint's HTML, counting how often a document is actually drawn."""

    drawn = 0

    def __init__(self, real):
        self.real = real

    def __call__(self, *args, **kwargs):
        CountingHTML.drawn += 1
        return self.real(*args, **kwargs)


@pytest.fixture
def drawings(monkeypatch):
    import weasyprint

    counter = CountingHTML(weasyprint.HTML)
    CountingHTML.drawn = 0
    monkeypatch.setattr(weasyprint, "HTML", counter)
    return CountingHTML


def test_the_same_document_is_drawn_once_and_served_after(shop, drawings):
    manager, store, kopi = shop
    order = sales_order_create(actor=manager, location=store, lines=[SaleLine(kopi, 2)])
    first = invoice_pdf(order)
    again = invoice_pdf(order)
    assert first == again
    assert first.startswith(b"%PDF")
    assert drawings.drawn == 1
    stored = RenderedDocument.objects.get()
    assert stored.subject == f"invoice:{order.pk}"
    assert bytes(stored.pdf) == first


def test_a_change_to_what_is_printed_draws_it_anew_and_keeps_only_the_latest(shop, drawings):
    manager, store, kopi = shop
    order = sales_order_create(actor=manager, location=store, lines=[SaleLine(kopi, 2)])
    draft = invoice_pdf(order)
    order = sales_order_confirm(actor=manager, order=order)
    confirmed = invoice_pdf(order)
    assert drawings.drawn == 2
    assert draft != confirmed
    assert RenderedDocument.objects.filter(subject=f"invoice:{order.pk}").count() == 1
    # the company profile is printed too
    from orders.models import CompanyProfile

    company = CompanyProfile.current()
    company.name = "PT Baru"
    company.save()
    assert invoice_pdf(order) != confirmed
    assert drawings.drawn == 3


def test_each_document_of_an_order_is_stored_apart(shop, drawings):
    manager, store, kopi = shop
    sale, _ = counter_sale(
        actor=manager, location=store, lines=[SaleLine(kopi, 1)], payment_method="card",
        token=uuid.uuid4(),
    )  # fmt: skip
    receipt_pdf(sale), invoice_pdf(sale)
    purchase = purchase_order_create(
        actor=manager, supplier=SupplierFactory(), location=store, lines=[PurchaseLine(kopi, 5)]
    )
    purchase_order_pdf(purchase)
    assert set(RenderedDocument.objects.values_list("subject", flat=True)) == {
        f"receipt:{sale.pk}", f"invoice:{sale.pk}", f"purchase-order:{purchase.pk}",
    }  # fmt: skip
    assert drawings.drawn == 3


def test_with_a_broker_a_status_change_asks_a_worker_once_per_transaction(
    shop, settings, django_capture_on_commit_callbacks
):
    manager, store, kopi = shop
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sale, _ = counter_sale(
            actor=manager, location=store, lines=[SaleLine(kopi, 1)], payment_method="card",
            token=uuid.uuid4(),
        )  # fmt: skip
    # confirm, fulfil and complete all move the status: one receipt to prepare
    prepared = [c.document for c in callbacks if hasattr(c, "document")]
    assert prepared == [("receipt", sale.pk)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order = sales_order_create(actor=manager, location=store, lines=[SaleLine(kopi, 1)])
    assert not [c for c in callbacks if hasattr(c, "document")]  # a draft: nothing yet
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sales_order_confirm(actor=manager, order=order)
    assert [c.document for c in callbacks if hasattr(c, "document")] == [("invoice", order.pk)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        purchase = purchase_order_create(
            actor=manager, supplier=SupplierFactory(), location=store,
            lines=[PurchaseLine(kopi, 5)],
        )  # fmt: skip
        purchase_order_place(actor=manager, order=purchase)
    assert [c.document for c in callbacks if hasattr(c, "document")] == [
        ("purchase-order", purchase.pk)
    ]


def test_without_a_broker_nothing_is_prepared_ahead(shop, django_capture_on_commit_callbacks):
    manager, store, kopi = shop
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order = sales_order_create(actor=manager, location=store, lines=[SaleLine(kopi, 1)])
        sales_order_confirm(actor=manager, order=order)
    assert not [c for c in callbacks if hasattr(c, "document")]


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_a_thread_prepares_it_after_the_response(shop, settings, drawings):
    """The quick start (no broker, background threads): confirming an order draws its invoice in
    a thread after commit, so the first download is served from the store."""
    manager, store, kopi = shop
    settings.BACKGROUND_THREADS = True
    order = sales_order_create(actor=manager, location=store, lines=[SaleLine(kopi, 2)])
    order = sales_order_confirm(actor=manager, order=order)
    for _wait in range(200):
        if RenderedDocument.objects.filter(subject=f"invoice:{order.pk}").exists():
            break
        time.sleep(0.05)
    assert drawings.drawn == 1
    order.refresh_from_db()
    assert invoice_pdf(order) == bytes(RenderedDocument.objects.get().pdf)
    assert drawings.drawn == 1  # served from the store, not drawn again


def test_demo_data_leaves_documents_to_the_first_download(
    shop, settings, django_capture_on_commit_callbacks
):
    manager, store, kopi = shop
    settings.BACKGROUND_THREADS = True
    settings.DOCUMENTS_PREPARE = False
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order = sales_order_create(actor=manager, location=store, lines=[SaleLine(kopi, 1)])
        sales_order_confirm(actor=manager, order=order)
    assert not [c for c in callbacks if hasattr(c, "document")]


def test_the_task_prepares_the_document_the_page_then_serves(shop, drawings):
    manager, store, kopi = shop
    order = sales_order_create(actor=manager, location=store, lines=[SaleLine(kopi, 2)])
    order = sales_order_fulfil(actor=manager, order=sales_order_confirm(actor=manager, order=order))
    assert document_prepare("invoice", order.pk) is True
    assert document_prepare("invoice", order.pk) is False  # redelivered: nothing drawn
    assert drawings.drawn == 1
    order.refresh_from_db()
    assert invoice_pdf(order) == bytes(RenderedDocument.objects.get().pdf)
    assert drawings.drawn == 1
    assert document_prepare("invoice", 10**9) is False  # gone: nothing to do


def test_the_store_key_covers_the_renderer_version(shop, drawings, monkeypatch):
    manager, store, kopi = shop
    order = sales_order_create(actor=manager, location=store, lines=[SaleLine(kopi, 2)])
    invoice_pdf(order)
    import weasyprint

    monkeypatch.setattr(weasyprint, "__version__", "999.0")
    invoice_pdf(order)
    assert drawings.drawn == 2
    assert RenderedDocument.objects.count() == 1
