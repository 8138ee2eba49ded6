"""Real parallel connections: confirmations never reserve more than is on hand, and one POS
token sells once even when the same sale arrives twice at the same moment."""

import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from orders.models import SalesOrder
from orders.services.sales import SaleLine, counter_sale, sales_order_confirm, sales_order_create
from products.tests.factories import ProductFactory
from stock import services
from stock.models import StockLevel, StockMovement
from stock.services import InsufficientStock
from stock.tests.factories import LocationFactory
from stock.tests.test_concurrency import in_parallel

pytestmark = pytest.mark.django_db(transaction=True)


def test_many_workers_confirming_orders_for_a_scarce_product_never_over_reserve():
    manager = UserFactory(role=Role.MANAGER)
    product, store = ProductFactory(), LocationFactory()
    services.stock_receive(actor=manager, product=product, location=store, quantity=25, unit_cost=1)
    orders = [
        sales_order_create(actor=manager, location=store, lines=[SaleLine(product, Decimal(2))])
        for _ in range(24)
    ]

    def confirm(n):
        results = []
        for order in orders[n::8]:
            try:
                sales_order_confirm(actor=manager, order=order)
                results.append("confirmed")
            except InsufficientStock:
                results.append("refused")
        return results

    outcomes = [result for results in in_parallel(8, confirm) for result in results]
    assert outcomes.count("confirmed") == 12  # 12 x 2 = 24 of 25
    assert outcomes.count("refused") == 12
    level = StockLevel.objects.get(product=product, location=store)
    assert (level.on_hand, level.reserved) == (25, 24)
    assert SalesOrder.objects.filter(status="confirmed").count() == 12
    call_command("check_stock")


def test_the_same_counter_sale_sent_twice_at_once_sells_once():
    manager = UserFactory(role=Role.MANAGER)
    product, store = ProductFactory(), LocationFactory()
    services.stock_receive(actor=manager, product=product, location=store, quantity=10, unit_cost=1)
    token = uuid.uuid4()

    def sell(_n):
        sale, created = counter_sale(
            actor=manager, location=store, lines=[SaleLine(product, Decimal(3))],
            payment_method="card", token=token,
        )  # fmt: skip
        return sale.pk, created

    results = in_parallel(4, sell)
    assert len({pk for pk, _ in results}) == 1  # every request answers with the same sale
    assert sorted(created for _, created in results) == [False, False, False, True]
    assert StockMovement.objects.filter(kind="sale").count() == 1
    assert StockLevel.objects.get(product=product, location=store).on_hand == 7
    call_command("check_stock")
