"""Each event is queued by the real services, inside their transaction, with its payload."""

from decimal import Decimal
from functools import partial

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from integrations.models import Event, WebhookDelivery
from orders.services.purchasing import (
    PurchaseLine,
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
)
from orders.services.sales import SaleLine, sales_order_confirm, sales_order_create
from products.tests.factories import ProductFactory
from stock import services
from stock.models import StockMovement
from stock.services import InsufficientStock
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierFactory

from .factories import WebhookFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    return ProductFactory(sku="KOPI-1", name="Kopi", reorder_point=Decimal(10)), LocationFactory()


@pytest.fixture
def stocked(shelf, admin_user):
    """15 of the product at the location, booked before any webhook exists."""
    product, store = shelf
    services.stock_receive(
        actor=admin_user, product=product, location=store, quantity=15, unit_cost=2
    )
    return shelf


def deliveries(event: str) -> list[WebhookDelivery]:
    return list(WebhookDelivery.objects.filter(event=event).order_by("pk"))


def test_a_receipt_queues_a_stock_level_event_for_each_subscribed_webhook(shelf, admin_user):
    first, second = WebhookFactory(), WebhookFactory()
    WebhookFactory(events=[Event.LOW_STOCK])  # not subscribed
    WebhookFactory(is_active=False)
    product, store = shelf

    movement = services.stock_receive(
        actor=admin_user, product=product, location=store, quantity=5, unit_cost=2
    )

    queued = deliveries(Event.STOCK_LEVEL_CHANGED)
    assert [d.webhook for d in queued] == [first, second]
    assert queued[0].event_id == queued[1].event_id  # one event, told to two receivers
    payload = queued[0].payload
    assert payload == {
        "product_id": product.pk,
        "sku": "KOPI-1",
        "location_id": store.pk,
        "on_hand": "5.000",
        "reserved": "0.000",
        "available": "5.000",
        "movement_kind": StockMovement.Kind.RECEIPT,
        "movement_ids": [movement.pk],
        "occurred_at": payload["occurred_at"],
    }
    assert {d.status for d in queued} == {WebhookDelivery.Status.PENDING}


def test_an_issue_and_an_adjustment_queue_the_new_level(stocked, admin_user):
    WebhookFactory(events=[Event.STOCK_LEVEL_CHANGED])
    product, store = stocked

    sale = services.stock_issue(actor=admin_user, product=product, location=store, quantity=2)
    [issued] = deliveries(Event.STOCK_LEVEL_CHANGED)
    assert (issued.payload["on_hand"], issued.payload["movement_kind"]) == ("13.000", "sale")
    assert issued.payload["movement_ids"] == [sale.pk]

    with transaction.atomic():  # a transaction of its own in production: here, a savepoint
        services.stock_adjust(
            actor=admin_user, product=product, location=LocationFactory(), change=3,
            reason=StockMovement.Reason.FOUND,
        )  # fmt: skip
    adjusted = deliveries(Event.STOCK_LEVEL_CHANGED)[-1]
    assert (adjusted.payload["on_hand"], adjusted.payload["movement_kind"]) == (
        "3.000",
        "adjustment",
    )


def test_a_transfer_queues_both_ends(stocked, admin_user):
    WebhookFactory(events=[Event.STOCK_LEVEL_CHANGED])
    product, store = stocked
    backroom = LocationFactory()

    services.stock_transfer(
        actor=admin_user, from_location=store, to_location=backroom,
        lines=[services.TransferLine(product, Decimal(4))],
    )  # fmt: skip

    levels = {
        d.payload["location_id"]: d.payload["on_hand"]
        for d in deliveries(Event.STOCK_LEVEL_CHANGED)
    }
    assert levels == {store.pk: "11.000", backroom.pk: "4.000"}


def test_two_changes_of_one_level_in_a_transaction_are_one_event(stocked, admin_user):
    WebhookFactory(events=[Event.STOCK_LEVEL_CHANGED])
    product, store = stocked

    with transaction.atomic():  # a counter sale: reserve, then issue what was reserved
        services.stock_reserve(actor=admin_user, product=product, location=store, quantity=3)
        sale = services.stock_issue(
            actor=admin_user, product=product, location=store, quantity=3, from_reserved=True
        )

    [event] = deliveries(Event.STOCK_LEVEL_CHANGED)
    assert (event.payload["on_hand"], event.payload["reserved"]) == ("12.000", "0.000")
    assert (event.payload["movement_kind"], event.payload["movement_ids"]) == ("sale", [sale.pk])


def test_falling_to_the_reorder_point_queues_a_low_stock_event_once(stocked, admin_user):
    WebhookFactory(events=[Event.LOW_STOCK])
    product, store = stocked

    services.stock_issue(actor=admin_user, product=product, location=store, quantity=5)  # 10
    services.stock_issue(actor=admin_user, product=product, location=store, quantity=1)  # 9

    [low] = deliveries(Event.LOW_STOCK)
    assert low.payload | {"occurred_at": None} == {
        "product_id": product.pk,
        "sku": "KOPI-1",
        "name": "Kopi",
        "location_id": None,
        "location_name": None,
        "available": "10.000",
        "reorder_point": "10.000",
        "occurred_at": None,
    }


def test_confirming_a_sales_order_queues_its_status_change(stocked, admin_user):
    product, store = stocked
    order = sales_order_create(actor=admin_user, location=store, lines=[SaleLine(product, 2)])
    WebhookFactory(events=[Event.ORDER_STATUS_CHANGED])

    sales_order_confirm(actor=admin_user, order=order)

    [changed] = deliveries(Event.ORDER_STATUS_CHANGED)
    assert changed.payload | {"at": None} == {
        "order_type": "sales_order",
        "order_id": order.pk,
        "number": order.number,
        "from": "draft",
        "to": "confirmed",
        "actor": {"id": admin_user.pk, "username": admin_user.username},
        "at": None,
    }


def test_receiving_a_purchase_order_queues_what_arrived(shelf, admin_user):
    product, store = shelf
    order = purchase_order_create(
        actor=admin_user, supplier=SupplierFactory(), location=store,
        lines=[PurchaseLine(product, Decimal(10), Decimal("2.5"))],
    )  # fmt: skip
    order = purchase_order_place(actor=admin_user, order=order)
    WebhookFactory()
    line = order.lines.get()

    purchase_order_receive(actor=admin_user, order=order, quantities={line.pk: Decimal(4)})

    [received] = deliveries(Event.PURCHASE_ORDER_RECEIVED)
    assert received.payload["number"] == order.number
    assert received.payload["status"] == "partially_received"
    assert received.payload["lines"] == [
        {
            "line_id": line.pk, "product_id": product.pk, "sku": "KOPI-1", "quantity": "4",
            "unit_cost": "2.5000", "received_quantity": "4.000", "ordered_quantity": "10.000",
        }
    ]  # fmt: skip
    [status] = deliveries(Event.ORDER_STATUS_CHANGED)
    assert (status.payload["from"], status.payload["to"]) == ("ordered", "partially_received")
    assert len(deliveries(Event.STOCK_LEVEL_CHANGED)) == 1


def test_a_rolled_back_transaction_queues_and_sends_nothing(
    shelf, admin_user, hook, receiver, django_capture_on_commit_callbacks
):
    product, store = shelf
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(InsufficientStock):
            services.stock_issue(actor=admin_user, product=product, location=store, quantity=1)
        with pytest.raises(RuntimeError):
            _receive_then_fail(admin_user, product, store)

    assert not WebhookDelivery.objects.exists()
    assert receiver.requests == []
    assert not [c for c in callbacks if isinstance(c, partial)]  # no delivery handed out


@transaction.atomic
def _receive_then_fail(actor, product, store):
    services.stock_receive(actor=actor, product=product, location=store, quantity=5, unit_cost=2)
    raise RuntimeError("the sale failed later on")


def test_without_webhooks_a_transaction_costs_one_query_and_queues_nothing(shelf, admin_user):
    product, store = shelf
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        services.stock_receive(
            actor=admin_user, product=product, location=store, quantity=5, unit_cost=2
        )
        services.stock_issue(actor=admin_user, product=product, location=store, quantity=1)
        services.stock_transfer(
            actor=admin_user, from_location=store, to_location=LocationFactory(),
            lines=[services.TransferLine(product, Decimal(1))],
        )  # fmt: skip

    ours = [query["sql"] for query in queries if "integrations_" in query["sql"]]
    assert len(ours) == 1
    assert ours[0].startswith("SELECT")
    assert not WebhookDelivery.objects.exists()
