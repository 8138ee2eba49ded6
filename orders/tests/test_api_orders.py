"""The orders API: the same rules and errors as the pages, idempotent stock actions."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from orders.models import SalesOrder
from products.tests.factories import ProductFactory
from stock import services
from stock.models import StockLevel, StockMovement
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierFactory, SupplierProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    manager = make_user(Role.MANAGER)
    store, supplier = LocationFactory(name="Toko"), SupplierFactory()
    kopi = ProductFactory(sku="KOPI", sale_price=Decimal("15000"), tax_rate=Decimal(11))
    SupplierProductFactory(supplier=supplier, product=kopi, purchase_price=Decimal("6000"))
    services.stock_receive(actor=manager, product=kopi, location=store, quantity=10, unit_cost=1)
    return manager, store, supplier, kopi


def api_post(client, name, data=None, args=(), **headers):
    return client.post(
        reverse(name, args=args), data or {}, content_type="application/json", headers=headers
    )


def test_a_purchase_order_through_the_api_received_once_per_key(client, world, make_user):
    manager, store, supplier, kopi = world
    client.force_login(manager)
    created = api_post(
        client, "api:purchase-order-list",
        {"supplier": supplier.pk, "location": store.pk, "lines": [{"product": kopi.pk, "quantity": "5"}]},  # noqa: E501
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    order = created.json()
    assert order["number"].startswith("PO-")
    assert order["lines"][0]["unit_cost"] == "6000.0000"
    assert api_post(client, "api:purchase-order-place", args=[order["id"]]).status_code == 200
    line = order["lines"][0]["id"]
    too_much = api_post(
        client, "api:purchase-order-receive", {"lines": [{"line": line, "quantity": "6"}]},
        args=[order["id"]],
    )  # fmt: skip
    assert too_much.status_code == 400
    assert "only 5 outstanding" in str(too_much.json())
    body = {"lines": [{"line": line, "quantity": "2"}]}
    first = api_post(
        client, "api:purchase-order-receive", body, args=[order["id"]], **{"Idempotency-Key": "r1"}
    )
    again = api_post(
        client, "api:purchase-order-receive", body, args=[order["id"]], **{"Idempotency-Key": "r1"}
    )
    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replay"] == "true"
    assert first.json()["status"] == "partially_received"
    assert StockMovement.objects.filter(purchase_order_line=line).count() == 1
    clerk = make_user(Role.STAFF)
    client.force_login(clerk)
    seen = client.get(reverse("api:purchase-order-detail", args=[order["id"]])).json()
    assert "unit_cost" not in seen["lines"][0]  # staff never see costs


def test_a_sales_order_through_the_api_with_the_shortfall_as_409(client, world):
    manager, store, _supplier, kopi = world
    client.force_login(manager)
    order = api_post(
        client, "api:sales-order-list",
        {"location": store.pk, "lines": [{"product": kopi.pk, "quantity": "12"}]},
    ).json()  # fmt: skip
    short = api_post(client, "api:sales-order-confirm", args=[order["id"]])
    assert short.status_code == 409
    assert "12 asked, 10 available" in short.json()["detail"]
    api_post(
        client, "api:sales-order-list",
        {"location": store.pk, "lines": [{"product": kopi.pk, "quantity": "3"}]},
    )  # fmt: skip
    order = SalesOrder.objects.order_by("-pk").first()
    confirmed = api_post(client, "api:sales-order-confirm", args=[order.pk])
    assert confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["total"] == "49950.00"
    line = order.lines.get().pk
    fulfilled = api_post(
        client, "api:sales-order-fulfil", {"lines": [{"line": line, "quantity": "3"}]},
        args=[order.pk],
    )  # fmt: skip
    assert fulfilled.json()["status"] == "fulfilled"
    returned = api_post(
        client, "api:sales-order-return-goods",
        {"lines": [{"line": line, "quantity": "1"}], "reason": "damaged"}, args=[order.pk],
    )  # fmt: skip
    assert returned.json()["lines"][0]["returned_quantity"] == "1.000"
    invoice = client.get(reverse("api:sales-order-invoice", args=[order.pk]))
    assert invoice["Content-Type"] == "application/pdf"
    assert StockLevel.objects.get(product=kopi, location=store).on_hand == 8


def test_a_counter_sale_through_the_api_is_made_once_per_token(client, world, make_user):
    _manager, store, _supplier, kopi = world
    clerk = make_user(Role.STAFF)
    store.users.add(clerk)
    client.force_login(clerk)
    sale = {
        "token": str(uuid.uuid4()), "location": store.pk, "payment_method": "cash",
        "amount_paid": "20000", "lines": [{"product": kopi.pk, "quantity": "1"}],
    }  # fmt: skip
    first = api_post(client, "api:counter-sale", sale)
    assert first.status_code == 201
    assert first.json()["change_due"] == "3350.00"
    again = api_post(client, "api:counter-sale", sale)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert StockLevel.objects.get(product=kopi, location=store).on_hand == 9
    short = api_post(
        client, "api:counter-sale", {**sale, "token": str(uuid.uuid4()), "amount_paid": "1"}
    )
    assert short.status_code == 400
    assert "less than the total" in str(short.json())
    other = make_user(Role.MANAGER)
    client.force_login(other)
    assert api_post(client, "api:counter-sale", sale).status_code == 403  # not their sale


def test_staff_cannot_sell_from_elsewhere_through_the_api(client, world, make_user):
    _manager, store, _supplier, kopi = world
    clerk = make_user(Role.STAFF)
    LocationFactory(name="Cabang").users.add(clerk)
    client.force_login(clerk)
    response = api_post(
        client, "api:counter-sale",
        {"token": str(uuid.uuid4()), "location": store.pk, "payment_method": "card",
         "lines": [{"product": kopi.pk, "quantity": "1"}]},
    )  # fmt: skip
    assert response.status_code == 403
    assert not SalesOrder.objects.exists()
