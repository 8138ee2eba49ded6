"""Several products at once (stock_issue_many, stock_reserve_many, stock_release_many): all or
nothing, one ledger row per line, the levels locked in one statement in product order, so
overlapping sales in opposite orders neither deadlock nor oversell."""

import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from orders.models import SalesOrder
from orders.services.sales import SaleLine, counter_sale
from products.tests.factories import ProductFactory
from stock import services
from stock.models import LowStockAlert, StockLevel, StockMovement
from stock.services import InsufficientStock, IssueLine, StockError
from stock.tests.factories import LocationFactory
from stock.tests.test_concurrency import in_parallel


@pytest.fixture
def shelf(db):
    manager = UserFactory(role=Role.MANAGER)
    store = LocationFactory()
    products = [ProductFactory() for _ in range(4)]
    for product in products:
        services.stock_receive(
            actor=manager, product=product, location=store, quantity=10, unit_cost=3
        )
    return manager, store, products


def level(product, location) -> tuple[Decimal, Decimal]:
    row = StockLevel.objects.get(product=product, location=location)
    return row.on_hand, row.reserved


def test_issuing_several_products_books_one_movement_each_in_product_order(shelf):
    manager, store, products = shelf
    lines = [IssueLine(product, Decimal(n + 1)) for n, product in enumerate(products)]

    movements = services.stock_issue_many(
        actor=manager, location=store, lines=reversed(lines), note="SO-1"
    )

    assert [m.product_id for m in movements] == sorted(p.pk for p in products)
    assert [m.quantity for m in movements] == [1, 2, 3, 4]
    assert all(m.kind == "sale" and m.unit_cost == 3 and m.created_at for m in movements)
    assert [level(p, store) for p in products] == [(9, 0), (8, 0), (7, 0), (6, 0)]
    call_command("check_stock")


def test_the_first_short_product_in_product_order_refuses_the_whole_issue(shelf):
    manager, store, products = shelf
    first, second, third, _fourth = products
    with pytest.raises(InsufficientStock) as refusal:
        services.stock_issue_many(
            actor=manager, location=store,
            lines=[IssueLine(third, Decimal(11)), IssueLine(first, 1), IssueLine(second, 12)],
        )  # fmt: skip
    assert (refusal.value.product, refusal.value.available) == (second, 10)
    assert level(first, store) == (10, 0)  # nothing of it stays behind
    assert not StockMovement.objects.filter(kind="sale").exists()


def test_a_product_never_stocked_here_is_refused_without_a_level_left_behind(shelf):
    manager, _store, products = shelf
    elsewhere = LocationFactory()
    with pytest.raises(InsufficientStock) as refusal:
        services.stock_issue_many(
            actor=manager, location=elsewhere, lines=[IssueLine(products[0], 1)]
        )
    assert refusal.value.available == 0
    assert not StockLevel.objects.filter(location=elsewhere).exists()


def test_a_product_listed_twice_is_taken_twice_from_its_level(shelf):
    manager, store, products = shelf
    services.stock_issue_many(
        actor=manager, location=store,
        lines=[IssueLine(products[0], Decimal(4)), IssueLine(products[0], Decimal(5))],
    )  # fmt: skip
    assert level(products[0], store) == (1, 0)
    with pytest.raises(InsufficientStock):
        services.stock_issue_many(
            actor=manager, location=store,
            lines=[IssueLine(products[0], Decimal(1)), IssueLine(products[0], Decimal(1))],
        )  # fmt: skip
    call_command("check_stock")


def test_reserving_releasing_and_issuing_what_was_reserved_together(shelf):
    manager, store, products = shelf
    wanted = [(product, Decimal(3)) for product in products]
    services.stock_reserve_many(actor=manager, location=store, lines=wanted)
    assert {level(p, store) for p in products} == {(10, 3)}
    with pytest.raises(InsufficientStock):
        services.stock_reserve_many(
            actor=manager, location=store, lines=[(products[0], 1), (products[1], 8)]
        )
    assert level(products[0], store) == (10, 3)  # the first line's hold was rolled back
    services.stock_release_many(actor=manager, location=store, lines=wanted[:2])
    with pytest.raises(StockError, match="Only 0 is reserved"):
        services.stock_release_many(actor=manager, location=store, lines=wanted[:1])
    services.stock_issue_many(
        actor=manager, location=store, from_reserved=True,
        lines=[IssueLine(product, Decimal(3)) for product in products[2:]],
    )  # fmt: skip
    assert [level(p, store) for p in products] == [(10, 0), (10, 0), (7, 0), (7, 0)]
    call_command("check_stock")


@pytest.mark.parametrize("service", ["issue", "reserve"])
def test_ten_products_cost_the_queries_of_one(shelf, service):
    manager, store, _products = shelf
    # (no reorder points: an alert that fires writes its managers' notifications, per alert)
    products = [ProductFactory(reorder_point=0) for _ in range(10)]
    for product in products:
        services.stock_receive(
            actor=manager, product=product, location=store, quantity=5, unit_cost=1
        )

    def run(chosen):
        with CaptureQueriesContext(connection) as queries:
            if service == "issue":
                services.stock_issue_many(
                    actor=manager, location=store, lines=[IssueLine(p, 1) for p in chosen]
                )
            else:
                services.stock_reserve_many(
                    actor=manager, location=store, lines=[(p, 1) for p in chosen]
                )
        return len(queries)

    assert run(products[:1]) == run(products)


def test_several_products_falling_low_at_once_alert_each_once(shelf):
    manager, store, products = shelf
    for product in products[:2]:
        product.reorder_point = Decimal(8)
        product.save()
    services.stock_issue_many(
        actor=manager, location=store, lines=[IssueLine(p, Decimal(2)) for p in products]
    )
    assert set(LowStockAlert.objects.values_list("product", flat=True)) == {
        products[0].pk,
        products[1].pk,
    }
    assert Notification.objects.filter(recipient=manager).count() == 2
    services.stock_issue_many(
        actor=manager, location=store, lines=[IssueLine(p, Decimal(1)) for p in products]
    )
    assert Notification.objects.filter(recipient=manager).count() == 2  # still the same crossing


@pytest.mark.django_db(transaction=True)
def test_counter_sales_of_the_same_products_in_opposite_orders_neither_deadlock_nor_oversell():
    manager = UserFactory(role=Role.MANAGER)
    store = LocationFactory()
    products = [ProductFactory() for _ in range(5)]
    for product in products:
        services.stock_receive(
            actor=manager, product=product, location=store, quantity=30, unit_cost=1
        )

    def sell(n):
        made = refused = 0
        basket = products if n % 2 else list(reversed(products))
        for _ in range(10):
            try:
                counter_sale(
                    actor=manager, location=store, token=uuid.uuid4(), payment_method="card",
                    lines=[SaleLine(product, Decimal(1)) for product in basket],
                )  # fmt: skip
                made += 1
            except InsufficientStock:
                refused += 1
        return made, refused

    results = in_parallel(4, sell)
    assert sum(made for made, _ in results) == 30  # 4 x 10 tried, 30 of each product
    assert sum(refused for _, refused in results) == 10
    assert {level(p, store) for p in products} == {(0, 0)}
    assert SalesOrder.objects.filter(status="completed").count() == 30
    assert StockMovement.objects.filter(kind="sale").count() == 150
    call_command("check_stock")
