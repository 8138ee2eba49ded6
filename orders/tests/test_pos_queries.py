"""A counter sale, a confirmation and a fulfilment each cost a fixed number of SQL queries,
whatever the number of lines: the stock levels are locked in one statement, the lines, the
ledger rows and the status history written in one each, the low-stock check made once."""

import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.roles import Role
from integrations.events import subscriptions_changed
from integrations.models import Event, WebhookDelivery
from integrations.tests.factories import WebhookFactory
from orders.models import OrderStatusChange, SalesOrder
from orders.services.sales import SaleLine, sales_order_confirm, sales_order_create
from products.tests.factories import ProductFactory
from stock import services
from stock.models import StockLevel, StockMovement
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

# Signed in with a session: session, user, permissions. Then the location and the products
# (one query for all the lines), the token look-up; BEGIN, the number, the order, its lines;
# SAVEPOINT, the levels locked, written back, the ledger rows, which webhooks listen (once per
# transaction), the low-stock lock and check, RELEASE; the history; COMMIT; the lines of the
# answer. (Inside the test's transaction, BEGIN and COMMIT are a SAVEPOINT and its RELEASE.)
COUNTER_SALE_QUERIES = 21
# Session, user, permissions, the order; BEGIN (the action's, api.idempotency), SAVEPOINT
# (the service's), the order locked with its location, its lines; SAVEPOINT, the levels locked,
# written back, which webhooks listen, the low-stock lock and check, RELEASE; the order saved,
# the history, RELEASE; the lines of the answer, COMMIT.
CONFIRM_QUERIES = 20


@pytest.fixture
def shop(make_user):
    manager = make_user(Role.MANAGER)
    store = LocationFactory(name="Toko")
    products = [
        ProductFactory(sale_price=Decimal("1000") + n, tax_rate=Decimal(11)) for n in range(20)
    ]
    for product in products:
        services.stock_receive(
            actor=manager, product=product, location=store, quantity=50, unit_cost=400
        )
    return manager, store, products


def sell(client, store, products):
    return client.post(
        reverse("api:counter-sale"),
        {
            "token": str(uuid.uuid4()), "location": store.pk, "payment_method": "card",
            "lines": [{"product": product.pk, "quantity": "2"} for product in products],
        },
        content_type="application/json",
    )  # fmt: skip


def confirm(client, order):
    return client.post(
        reverse("api:sales-order-confirm", args=[order.pk]), {}, content_type="application/json"
    )


@pytest.mark.parametrize("lines", [1, 10])
def test_a_counter_sale_costs_the_same_queries_for_one_line_or_ten(
    client, shop, lines, django_assert_num_queries
):
    manager, store, products = shop
    client.force_login(manager)
    sell(client, store, products[10:11])  # a warm-up sale
    subscriptions_changed()  # as a new transaction would, read which webhooks listen again
    with django_assert_num_queries(COUNTER_SALE_QUERIES):
        response = sell(client, store, products[:lines])
    assert response.status_code == 201
    sale = SalesOrder.objects.get(pk=response.json()["id"])
    assert sale.status == SalesOrder.Status.COMPLETED
    assert len(response.json()["lines"]) == lines
    assert StockMovement.objects.filter(sales_order_line__order=sale).count() == lines
    assert list(sale.status_changes.values_list("from_status", "to_status")) == [
        ("", "draft"),
        ("draft", "confirmed"),
        ("confirmed", "fulfilled"),
        ("fulfilled", "completed"),
    ]
    level = StockLevel.objects.get(product=products[0], location=store)
    assert (level.on_hand, level.reserved) == (48, 0)
    call_command("check_stock")


def test_a_counter_sale_with_webhooks_adds_one_statement_per_kind_of_event(
    client, shop, django_assert_num_queries
):
    manager, store, products = shop
    WebhookFactory(events=[Event.STOCK_LEVEL_CHANGED, Event.ORDER_STATUS_CHANGED])
    client.force_login(manager)
    sell(client, store, products[10:11])
    for lines in (1, 10):
        subscriptions_changed()
        # + the stock level events, + the three status events
        with django_assert_num_queries(COUNTER_SALE_QUERIES + 2):
            response = sell(client, store, products[lines : lines * 2])
        assert response.status_code == 201
    sale = SalesOrder.objects.get(pk=response.json()["id"])
    statuses = WebhookDelivery.objects.filter(
        event=Event.ORDER_STATUS_CHANGED, payload__order_id=sale.pk
    ).order_by("pk")
    assert [(d.payload["from"], d.payload["to"]) for d in statuses] == [
        ("draft", "confirmed"),
        ("confirmed", "fulfilled"),
        ("fulfilled", "completed"),
    ]
    levels = WebhookDelivery.objects.filter(
        event=Event.STOCK_LEVEL_CHANGED, payload__movement_kind="sale"
    ).order_by("-pk")[:10]
    assert {(d.payload["reserved"], len(d.payload["movement_ids"])) for d in levels} == {
        ("0.000", 1)
    }


@pytest.mark.parametrize("lines", [1, 10])
def test_confirming_costs_the_same_queries_for_one_line_or_ten(
    client, shop, lines, django_assert_num_queries
):
    manager, store, products = shop
    client.force_login(manager)
    warm = sales_order_create(actor=manager, location=store, lines=[SaleLine(products[19], 1)])
    confirm(client, warm)
    order = sales_order_create(
        actor=manager, location=store, lines=[SaleLine(p, 3) for p in products[:lines]]
    )
    subscriptions_changed()
    with django_assert_num_queries(CONFIRM_QUERIES):
        response = confirm(client, order)
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    assert len(response.json()["lines"]) == lines
    level = StockLevel.objects.get(product=products[0], location=store)
    assert (level.on_hand, level.reserved) == (50, 3)
    assert OrderStatusChange.objects.filter(sales_order=order, to_status="confirmed").exists()


@pytest.mark.parametrize("lines", [1, 10])
def test_fulfilling_costs_the_same_queries_for_one_line_or_ten(
    client, shop, lines, django_assert_num_queries
):
    manager, store, products = shop
    client.force_login(manager)
    order = sales_order_create(
        actor=manager, location=store, lines=[SaleLine(p, 3) for p in products[:lines]]
    )
    order = sales_order_confirm(actor=manager, order=order)
    url = reverse("api:sales-order-fulfil", args=[order.pk])
    body = {"lines": [{"line": line.pk, "quantity": "3"} for line in order.lines.all()]}
    subscriptions_changed()
    # as confirming, + the lines' fulfilled quantities and the ledger rows
    with django_assert_num_queries(CONFIRM_QUERIES + 2):
        response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "fulfilled"
    level = StockLevel.objects.get(product=products[0], location=store)
    assert (level.on_hand, level.reserved) == (47, 0)
    assert StockMovement.objects.filter(sales_order_line__order=order).count() == lines
    call_command("check_stock")
