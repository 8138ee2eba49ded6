"""PDF documents: the numbers on the invoice are the page's, and nothing a user typed can make
WeasyPrint fetch a file or a URL."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.roles import Role
from orders.documents import RefusedURLError, invoice_pdf, url_fetcher
from orders.models import CompanyProfile
from orders.services.purchasing import PurchaseLine, purchase_order_create
from orders.services.sales import SaleLine, sales_order_create
from orders.tests.factories import CustomerFactory
from products.tests.factories import ProductFactory
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def order(make_user):
    manager = make_user(Role.MANAGER)
    company = CompanyProfile.current()
    company.name, company.tax_number = "PT Toko Maju", "01.234.567.8-901.000"
    company.save()
    kopi = ProductFactory(name="Kopi Bubuk", sale_price=Decimal("15000"), tax_rate=Decimal(11))
    teh = ProductFactory(name="Teh Melati", sale_price=Decimal("3335"), tax_rate=Decimal(0))
    return sales_order_create(
        actor=manager, location=LocationFactory(name="Toko"),
        customer=CustomerFactory(name="Warung Bu Sri"),
        lines=[SaleLine(kopi, 3, Decimal(10)), SaleLine(teh, 3)],
    )  # fmt: skip


def test_the_invoice_shows_the_same_numbers_as_the_order_page(client, order):
    text = text_of(invoice_pdf(order))
    assert "PT Toko Maju" in text
    assert "Warung Bu Sri" in text
    assert order.number in text
    # 3 x 15,000 = 45,000, -10% = 40,500, +11% = 44,955; 3 x 3,335 = 10,005 untaxed
    assert order.total == Decimal("54960.00")
    client.force_login(order.created_by)
    page = client.get(order.get_absolute_url()).content.decode()
    for amount in ("44,955.00", "10,005.00", "55,005.00", "4,500.00", "4,455.00", "54,960.00"):
        assert amount in text, amount
        assert amount in page, amount


def test_user_text_is_printed_not_obeyed(make_user):
    manager = make_user(Role.MANAGER)
    sneaky = ProductFactory(
        name='<img src="file:///etc/passwd"><link rel=stylesheet href="http://evil.example/x.css">'
    )
    order = sales_order_create(
        actor=manager, location=LocationFactory(), lines=[SaleLine(sneaky, 1)],
        notes="<style>@import url(http://evil.example/y.css)</style>",
    )  # fmt: skip
    text = "".join(text_of(invoice_pdf(order)).split())  # long names wrap across lines
    assert '<imgsrc="file:///etc/passwd">' in text  # escaped: shown as text, not fetched
    assert "@importurl(http://evil.example/y.css)" in text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://evil.example/x.css",
        "https://127.0.0.1:8000/admin/",
        "app://documents/static/../../settings.py",
        "app://documents/media/products/x.png",
    ],
)
def test_the_url_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(RefusedURLError):
        url_fetcher(url)


def test_the_url_fetcher_serves_static_files_and_data_urls():
    assert url_fetcher("app://documents/static/favicon.svg").content_type == "image/svg+xml"
    assert url_fetcher("data:text/plain;base64,aGk=").read() == b"hi"


def test_invoice_and_receipt_download_for_who_may_see_the_order(client, order, make_user):
    client.force_login(order.created_by)
    response = client.get(reverse("orders:invoice_pdf", args=[order.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    receipt = client.get(reverse("orders:receipt_pdf", args=[order.pk]))
    assert "Warung" not in text_of(receipt.content)  # a receipt names the shop, not the buyer
    assert order.number in text_of(receipt.content)
    clerk = make_user(Role.STAFF)
    LocationFactory().users.add(clerk)  # works elsewhere
    client.force_login(clerk)
    assert client.get(reverse("orders:invoice_pdf", args=[order.pk])).status_code == 404


def test_the_purchase_order_pdf_is_for_those_who_see_costs(client, make_user):
    manager = make_user(Role.MANAGER)
    order = purchase_order_create(
        actor=manager, supplier=SupplierFactory(name="PT Sumber"), location=LocationFactory(),
        lines=[PurchaseLine(ProductFactory(name="Gula Pasir"), 24, Decimal("12500"))],
    )  # fmt: skip
    client.force_login(manager)
    text = text_of(client.get(reverse("orders:purchase_order_pdf", args=[order.pk])).content)
    assert "PT Sumber" in text
    assert "Gula Pasir" in text
    assert "300,000.00" in text
    client.force_login(make_user(Role.STAFF))
    assert client.get(reverse("orders:purchase_order_pdf", args=[order.pk])).status_code == 403
