"""Purchase orders: every transition, the refused ones, and receipts into stock."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from orders.models import OrderStatusChange, PurchaseOrder
from orders.services.common import OrderError
from orders.services.purchasing import (
    PurchaseLine,
    purchase_order_cancel,
    purchase_order_close,
    purchase_order_create,
    purchase_order_delete,
    purchase_order_place,
    purchase_order_receive,
)
from products.tests.factories import ProductFactory
from stock.models import StockLevel, StockMovement
from stock.services import LocationNotAllowed
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierFactory, SupplierProductFactory

pytestmark = pytest.mark.django_db
Status = PurchaseOrder.Status


@pytest.fixture
def draft():
    manager = UserFactory(role=Role.MANAGER)
    supplier, warehouse = SupplierFactory(), LocationFactory(name="Gudang")
    kopi = ProductFactory(sku="KOPI", cost_price=Decimal("5"))
    teh = ProductFactory(sku="TEH", cost_price=Decimal("3"))
    SupplierProductFactory(supplier=supplier, product=kopi, purchase_price=Decimal("6.25"))
    order = purchase_order_create(
        actor=manager, supplier=supplier, location=warehouse,
        lines=[PurchaseLine(kopi, Decimal(10)), PurchaseLine(teh, Decimal(4), Decimal("2.5"))],
    )  # fmt: skip
    return manager, order, kopi, teh


def line_of(order, product):
    return order.lines.get(product=product)


def test_a_new_order_is_numbered_and_costs_come_from_the_supplier_catalogue(draft):
    manager, order, kopi, teh = draft
    assert order.number.startswith("PO-")
    assert len(order.number) == 9
    assert line_of(order, kopi).unit_cost == Decimal("6.25")  # the supplier's price
    assert line_of(order, teh).unit_cost == Decimal("2.5")  # typed in
    other = purchase_order_create(actor=manager, supplier=order.supplier, location=order.location)
    assert int(other.number[3:]) == int(order.number[3:]) + 1


def test_receiving_in_parts_books_stock_at_cost_and_moves_the_status(draft):
    manager, order, kopi, teh = draft
    purchase_order_place(actor=manager, order=order)
    order = purchase_order_receive(
        actor=manager, order=order, quantities={line_of(order, kopi).pk: Decimal(4)}
    )
    assert order.status == Status.PARTIALLY_RECEIVED
    movement = StockMovement.objects.get(product=kopi)
    assert movement.purchase_order_line == line_of(order, kopi)
    assert movement.unit_cost == Decimal("6.25")
    kopi.refresh_from_db()
    assert kopi.cost_price == Decimal("6.25")  # the moving average of nothing and 4 at 6.25
    order = purchase_order_receive(
        actor=manager, order=order,
        quantities={line_of(order, kopi).pk: "6", line_of(order, teh).pk: "4"},
    )  # fmt: skip
    assert order.status == Status.RECEIVED
    assert StockLevel.objects.get(product=kopi, location=order.location).on_hand == 10
    order = purchase_order_close(actor=manager, order=order)
    history = OrderStatusChange.objects.filter(purchase_order=order)
    assert [(h.from_status, h.to_status) for h in history] == [
        ("", "draft"), ("draft", "ordered"), ("ordered", "partially_received"),
        ("partially_received", "received"), ("received", "closed"),
    ]  # fmt: skip


def test_over_receiving_is_refused_and_nothing_is_booked(draft):
    manager, order, kopi, teh = draft
    purchase_order_place(actor=manager, order=order)
    with pytest.raises(OrderError, match="11 received but only 10 outstanding"):
        purchase_order_receive(
            actor=manager, order=order,
            quantities={line_of(order, teh).pk: 4, line_of(order, kopi).pk: 11},
        )  # fmt: skip
    assert not StockMovement.objects.exists()  # not even the good TEH line
    assert line_of(order, teh).received_quantity == 0


@pytest.mark.parametrize(
    ("quantities", "message"),
    [({}, "at least one line"), ({999999: 1}, "is not on"), ("bad", "not a quantity")],
)
def test_bad_receipts_say_what_is_wrong(draft, quantities, message):
    manager, order, kopi, _teh = draft
    purchase_order_place(actor=manager, order=order)
    if quantities == "bad":
        quantities = {line_of(order, kopi).pk: "lots"}
    with pytest.raises(OrderError, match=message):
        purchase_order_receive(actor=manager, order=order, quantities=quantities)


def test_a_draft_cannot_be_received_and_a_cancelled_order_neither(draft):
    manager, order, kopi, _teh = draft
    line = line_of(order, kopi).pk
    with pytest.raises(OrderError, match="is draft: it cannot be received"):
        purchase_order_receive(actor=manager, order=order, quantities={line: 1})
    purchase_order_cancel(actor=manager, order=order)
    with pytest.raises(OrderError, match="is cancelled: it cannot be received"):
        purchase_order_receive(actor=manager, order=order, quantities={line: 1})
    with pytest.raises(OrderError, match="cannot be ordered"):
        purchase_order_place(actor=manager, order=order)


def test_an_order_with_goods_in_cannot_be_cancelled_only_closed(draft):
    manager, order, kopi, _teh = draft
    purchase_order_place(actor=manager, order=order)
    purchase_order_receive(actor=manager, order=order, quantities={line_of(order, kopi).pk: 1})
    with pytest.raises(OrderError, match="cannot be cancelled"):
        purchase_order_cancel(actor=manager, order=order)
    assert purchase_order_close(actor=manager, order=order).status == Status.CLOSED


def test_only_drafts_are_deleted_and_empty_drafts_cannot_be_ordered(draft):
    manager, order, _kopi, _teh = draft
    empty = purchase_order_create(actor=manager, supplier=order.supplier, location=order.location)
    with pytest.raises(OrderError, match="at least one line"):
        purchase_order_place(actor=manager, order=empty)
    purchase_order_delete(actor=manager, order=empty)
    purchase_order_place(actor=manager, order=order)
    with pytest.raises(OrderError, match="cannot be deleted"):
        purchase_order_delete(actor=manager, order=order)


def test_staff_receive_only_at_their_locations(draft):
    manager, order, kopi, _teh = draft
    purchase_order_place(actor=manager, order=order)
    clerk = UserFactory(role=Role.STAFF)
    LocationFactory(name="Toko").users.add(clerk)
    with pytest.raises(LocationNotAllowed):
        purchase_order_receive(actor=clerk, order=order, quantities={line_of(order, kopi).pk: 1})
    order.location.users.add(clerk)
    purchase_order_receive(actor=clerk, order=order, quantities={line_of(order, kopi).pk: 1})


def test_duplicate_products_on_one_order_are_refused(draft):
    manager, order, kopi, _teh = draft
    with pytest.raises(OrderError, match="once"):
        purchase_order_create(
            actor=manager, supplier=order.supplier, location=order.location,
            lines=[PurchaseLine(kopi, 1), PurchaseLine(kopi, 2)],
        )  # fmt: skip
