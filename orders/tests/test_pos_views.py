"""The counter page: scan, adjust, pay, finish once, print."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from orders.models import SalesOrder
from orders.pos import SESSION_KEY
from products.tests.factories import ProductFactory
from stock import services
from stock.models import StockLevel
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db
URL = "/orders/counter/"


@pytest.fixture
def counter(client, make_user):
    manager, clerk = make_user(Role.MANAGER), make_user(Role.STAFF)
    store = LocationFactory(name="Toko")
    store.users.add(clerk)
    kopi = ProductFactory(
        sku="KOPI-1", name="Kopi Bubuk", barcode="8991234567890",
        sale_price=Decimal("15000"), tax_rate=Decimal("11"),
    )  # fmt: skip
    ProductFactory(sku="TEH-1", name="Teh Melati", sale_price=Decimal("5000"))
    ProductFactory(sku="TEH-2", name="Teh Hijau", sale_price=Decimal("6000"))
    services.stock_receive(actor=manager, product=kopi, location=store, quantity=10, unit_cost=1)
    client.force_login(clerk)
    return clerk, store, kopi


def post(client, **data):
    return client.post(URL, data)


def test_staff_with_one_location_start_selling_there(client, counter):
    response = client.get(URL)
    assert response.context["location"] == counter[1]


def test_a_scan_adds_the_product_and_a_second_scan_adds_one_more(client, counter):
    post(client, action="scan", code="8991234567890")
    post(client, action="scan", code="kopi-1")
    lines = client.get(URL).context["lines"]
    assert [(line.product.sku, line.quantity) for line in lines] == [("KOPI-1", 2)]
    assert client.get(URL).context["totals"].total == Decimal("33300.00")


def test_typing_part_of_a_name_offers_the_matches(client, counter):
    response = post(client, action="scan", code="teh")
    assert [p.sku for p in response.context["matches"]] == ["TEH-2", "TEH-1"]
    response = client.post(URL, {"action": "scan", "code": "zzz"}, follow=True)
    assert "Nothing matches zzz." in response.content.decode()


def test_finishing_sells_once_even_when_the_form_is_sent_twice(client, counter):
    _clerk, store, kopi = counter
    post(client, action="scan", code="KOPI-1")
    post(client, action="quantity", product=kopi.pk, quantity="3")
    token = client.session[SESSION_KEY]["token"]
    payment = {"action": "finish", "token": token, "payment_method": "cash", "amount_paid": "50000"}
    first = client.post(URL, payment)
    sale = SalesOrder.objects.get()
    assert first["Location"] == reverse("orders:sales_receipt", args=[sale.pk])
    second = client.post(URL, payment)  # a double click or a resubmitted form
    assert second["Location"] == first["Location"]
    assert SalesOrder.objects.count() == 1
    assert StockLevel.objects.get(product=kopi, location=store).on_hand == 7
    assert sale.total == Decimal("49950.00")
    receipt = client.get(first["Location"]).content.decode()
    assert "49,950.00" in receipt
    assert "50.00" in receipt  # the change
    assert client.get(URL).context["lines"] == []  # a new basket


def test_short_cash_or_short_stock_keeps_the_basket_and_says_why(client, counter):
    _clerk, _store, kopi = counter
    post(client, action="scan", code="KOPI-1")
    token = client.session[SESSION_KEY]["token"]
    response = client.post(
        URL,
        {"action": "finish", "token": token, "payment_method": "cash", "amount_paid": "10"},
        follow=True,
    )
    assert "less than the total" in response.content.decode()
    post(client, action="quantity", product=kopi.pk, quantity="11")
    response = client.post(
        URL, {"action": "finish", "token": token, "payment_method": "card"}, follow=True
    )
    assert "10 available" in response.content.decode()
    assert not SalesOrder.objects.exists()
    assert len(client.get(URL).context["lines"]) == 1


def test_a_stale_form_does_not_sell_a_different_basket(client, counter):
    post(client, action="scan", code="KOPI-1")
    response = client.post(
        URL,
        {"action": "finish", "token": "8b0c8a52-0b7e-4a57-9d5e-1f8a3c1c0f00",
         "payment_method": "card"},
        follow=True,
    )  # fmt: skip
    assert "The basket changed meanwhile" in response.content.decode()
    assert not SalesOrder.objects.exists()


def test_staff_cannot_sell_from_another_location(client, counter):
    other = LocationFactory(name="Gudang")
    post(client, action="location", location=other.pk)
    assert client.get(URL).context["location"] == counter[1]  # still their own


def test_htmx_requests_get_the_counter_back_in_place(client, counter):
    response = client.post(URL, {"action": "scan", "code": "KOPI-1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="pos-counter"')
    assert "<html" not in html
