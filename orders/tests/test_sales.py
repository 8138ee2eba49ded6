"""Sales orders: confirm reserves, fulfil sells, cancel releases, returns book stock back; every
refusal leaves nothing behind; totals follow the one rounding rule."""

import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from orders.models import OrderStatusChange, SalesOrder, SalesReturn
from orders.services.common import OrderError
from orders.services.sales import (
    SaleLine,
    counter_sale,
    sales_order_cancel,
    sales_order_complete,
    sales_order_confirm,
    sales_order_create,
    sales_order_fulfil,
    sales_order_return,
)
from orders.tests.factories import CustomerFactory
from products.tests.factories import ProductFactory
from stock import services
from stock.models import StockLevel, StockMovement
from stock.services import InsufficientStock, LocationNotAllowed
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db
Status = SalesOrder.Status


@pytest.fixture
def shop():
    manager = UserFactory(role=Role.MANAGER)
    store = LocationFactory(name="Toko")
    kopi = ProductFactory(sku="KOPI", sale_price=Decimal("15000"), tax_rate=Decimal("11"))
    teh = ProductFactory(sku="TEH", sale_price=Decimal("7500"), tax_rate=Decimal("0"))
    for product in (kopi, teh):
        services.stock_receive(
            actor=manager, product=product, location=store, quantity=10, unit_cost=4000
        )
    return manager, store, kopi, teh


def level(product, location):
    return StockLevel.objects.get(product=product, location=location)


def make_order(shop, kopi_quantity=3, teh_quantity=2, discount=Decimal(10)):
    manager, store, kopi, teh = shop
    return sales_order_create(
        actor=manager, location=store, customer=CustomerFactory(),
        lines=[SaleLine(kopi, kopi_quantity, discount), SaleLine(teh, teh_quantity)],
    )  # fmt: skip


def test_a_draft_is_priced_with_today_s_prices_and_the_rounding_rule(shop):
    order = make_order(shop)
    assert order.number.startswith("SO-")
    kopi_line = order.lines.get(product__sku="KOPI")
    assert kopi_line.gross_amount == Decimal("45000.00")
    assert kopi_line.discount_amount == Decimal("4500.00")
    assert kopi_line.tax_amount == Decimal("4455.00")  # 11% of 40,500
    assert order.subtotal == Decimal("60000.00")
    assert order.discount_total == Decimal("4500.00")
    assert order.tax_total == Decimal("4455.00")
    assert order.total == Decimal("59955.00")


def test_confirming_fixes_prices_and_reserves_stock(shop):
    manager, store, kopi, teh = shop
    order = make_order(shop)
    kopi.sale_price = Decimal("16000")
    kopi.save()
    order = sales_order_confirm(actor=manager, order=order)
    assert order.status == Status.CONFIRMED
    assert order.lines.get(product=kopi).unit_price == Decimal("16000")  # copied on confirming
    assert (level(kopi, store).reserved, level(teh, store).reserved) == (3, 2)
    kopi.sale_price = Decimal("99999")
    kopi.save()
    assert order.lines.get(product=kopi).unit_price == Decimal("16000")  # and kept


def test_confirming_beyond_available_stock_is_refused_and_reserves_nothing(shop):
    manager, store, kopi, teh = shop
    order = make_order(shop, kopi_quantity=3, teh_quantity=11)
    with pytest.raises(InsufficientStock) as refusal:
        sales_order_confirm(actor=manager, order=order)
    assert refusal.value.product == teh
    assert refusal.value.available == 10
    order.refresh_from_db()
    assert order.status == Status.DRAFT
    assert level(kopi, store).reserved == 0  # the KOPI line reserved first was rolled back
    assert not OrderStatusChange.objects.filter(sales_order=order, to_status="confirmed")


def test_fulfilling_in_parts_turns_reservations_into_sales(shop):
    manager, store, kopi, teh = shop
    order = sales_order_confirm(actor=manager, order=make_order(shop))
    kopi_line = order.lines.get(product=kopi)
    order = sales_order_fulfil(actor=manager, order=order, quantities={kopi_line.pk: 1})
    assert order.status == Status.PARTIALLY_FULFILLED
    assert (level(kopi, store).on_hand, level(kopi, store).reserved) == (9, 2)
    sale = StockMovement.objects.get(kind="sale")
    assert sale.sales_order_line == kopi_line
    order = sales_order_fulfil(actor=manager, order=order)  # everything outstanding
    assert order.status == Status.FULFILLED
    assert (level(kopi, store).on_hand, level(kopi, store).reserved) == (7, 0)
    assert (level(teh, store).on_hand, level(teh, store).reserved) == (8, 0)
    assert sales_order_complete(actor=manager, order=order).status == Status.COMPLETED
    call_command("check_stock")


def test_fulfilling_a_draft_or_more_than_ordered_is_refused(shop):
    manager, store, kopi, _teh = shop
    order = make_order(shop)
    with pytest.raises(OrderError, match="is draft: it cannot be fulfilled"):
        sales_order_fulfil(actor=manager, order=order)
    order = sales_order_confirm(actor=manager, order=order)
    kopi_line = order.lines.get(product=kopi)
    with pytest.raises(OrderError, match="4 to send but only 3 outstanding"):
        sales_order_fulfil(actor=manager, order=order, quantities={kopi_line.pk: 4})
    assert level(kopi, store).on_hand == 10


def test_cancelling_a_confirmed_order_releases_what_was_not_handed_over(shop):
    manager, store, kopi, teh = shop
    order = sales_order_confirm(actor=manager, order=make_order(shop))
    kopi_line = order.lines.get(product=kopi)
    order = sales_order_fulfil(actor=manager, order=order, quantities={kopi_line.pk: 1})
    order = sales_order_cancel(actor=manager, order=order, note="customer changed their mind")
    assert order.status == Status.CANCELLED
    assert (level(kopi, store).on_hand, level(kopi, store).reserved) == (9, 0)  # 1 stays sold
    assert level(teh, store).reserved == 0
    assert order.status_changes.last().note == "customer changed their mind"
    with pytest.raises(OrderError, match="cannot be cancelled"):
        sales_order_cancel(actor=manager, order=order)


def test_a_fulfilled_order_cannot_be_cancelled(shop):
    manager, _store, _kopi, _teh = shop
    order = sales_order_fulfil(
        actor=manager, order=sales_order_confirm(actor=manager, order=make_order(shop))
    )
    with pytest.raises(OrderError, match="is fulfilled: it cannot be cancelled"):
        sales_order_cancel(actor=manager, order=order)


def test_a_return_books_stock_back_at_the_cost_it_left_with_and_says_why(shop):
    manager, store, kopi, _teh = shop
    order = sales_order_fulfil(
        actor=manager, order=sales_order_confirm(actor=manager, order=make_order(shop))
    )
    kopi_line = order.lines.get(product=kopi)
    sales_return = sales_order_return(
        actor=manager, order=order, quantities={kopi_line.pk: 2}, reason="damaged", note="dented"
    )
    assert sales_return.get_reason_display() == "damaged or faulty"
    back = StockMovement.objects.get(kind="customer_return")
    assert back.to_location == store
    assert back.unit_cost == Decimal("4000")
    assert back.sales_order_line == kopi_line
    assert level(kopi, store).on_hand == 9
    with pytest.raises(OrderError, match="2 returned but only 1 can come back"):
        sales_order_return(actor=manager, order=order, quantities={kopi_line.pk: 2}, reason="other")
    assert SalesReturn.objects.count() == 1  # the refused return left no record


def test_a_draft_cannot_take_returns(shop):
    manager, _store, _kopi, _teh = shop
    order = make_order(shop)
    with pytest.raises(OrderError, match="cannot be returned"):
        sales_order_return(
            actor=manager, order=order, quantities={order.lines.first().pk: 1}, reason="other"
        )


def test_staff_sell_only_at_their_locations(shop):
    _manager, store, kopi, _teh = shop
    clerk = UserFactory(role=Role.STAFF)
    LocationFactory(name="Cabang").users.add(clerk)
    order = make_order(shop)
    with pytest.raises(LocationNotAllowed):
        sales_order_confirm(actor=clerk, order=order)
    with pytest.raises(LocationNotAllowed):
        counter_sale(
            actor=clerk, location=store, lines=[SaleLine(kopi, 1)], payment_method="card",
            token=uuid.uuid4(),
        )  # fmt: skip
    assert not SalesOrder.objects.filter(channel="counter").exists()


def test_a_counter_sale_is_sold_in_one_step_with_change_for_cash(shop):
    manager, store, kopi, teh = shop
    token = uuid.uuid4()
    sale, created = counter_sale(
        actor=manager, location=store, lines=[SaleLine(kopi, 2), SaleLine(teh, 1)],
        payment_method="cash", amount_paid=Decimal("50000"), token=token,
    )  # fmt: skip
    assert created
    assert sale.status == Status.COMPLETED
    assert sale.total == Decimal("40800.00")  # 30,000 + 11% + 7,500
    assert sale.change_due == Decimal("9200.00")
    assert level(kopi, store).on_hand == 8
    again, created = counter_sale(
        actor=manager, location=store, lines=[SaleLine(kopi, 2)], payment_method="cash",
        amount_paid=Decimal("50000"), token=token,
    )  # fmt: skip
    assert (again, created) == (sale, False)
    assert level(kopi, store).on_hand == 8  # sold once


def test_cash_short_of_the_total_is_refused_and_nothing_is_sold(shop):
    manager, store, kopi, _teh = shop
    with pytest.raises(OrderError, match="less than the total"):
        counter_sale(
            actor=manager, location=store, lines=[SaleLine(kopi, 1)], payment_method="cash",
            amount_paid=Decimal("100"), token=uuid.uuid4(),
        )  # fmt: skip
    assert not SalesOrder.objects.exists()
    assert level(kopi, store).reserved == 0
    assert not StockMovement.objects.filter(kind="sale").exists()


def test_a_counter_sale_beyond_stock_is_refused_whole(shop):
    manager, store, kopi, teh = shop
    with pytest.raises(InsufficientStock):
        counter_sale(
            actor=manager, location=store, lines=[SaleLine(kopi, 1), SaleLine(teh, 50)],
            payment_method="card", token=uuid.uuid4(),
        )  # fmt: skip
    assert not SalesOrder.objects.exists()
    assert level(kopi, store).on_hand == 10


def test_a_bad_line_leaves_no_order_behind(shop):
    manager, store, kopi, teh = shop
    with pytest.raises(OrderError, match="above zero"):
        sales_order_create(
            actor=manager, location=store, lines=[SaleLine(kopi, 1), SaleLine(teh, 0)]
        )
    assert not SalesOrder.objects.exists()
    assert not OrderStatusChange.objects.exists()
