"""Real parallel connections against PostgreSQL: stock stays right under concurrent use."""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connections

from accounts.models import Notification
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from products.tests.factories import ProductFactory
from stock import services
from stock.models import LowStockAlert, StockLevel, StockMovement
from stock.services import InsufficientStock, TransferLine
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def in_parallel(workers: int, job) -> list:
    """Run job(worker_number) in `workers` threads, each on its own database connection,
    started together; return what each returned."""
    start = threading.Barrier(workers)

    def run(n):
        try:
            start.wait()
            return job(n)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, range(workers)))


def test_eight_workers_issuing_one_unit_each_never_oversell():
    manager = UserFactory(role=Role.MANAGER)
    product, store = ProductFactory(), LocationFactory()
    services.stock_receive(
        actor=manager, product=product, location=store, quantity=500, unit_cost=1
    )

    def sell_100(_n):
        sold = refused = 0
        for _ in range(100):
            try:
                services.stock_issue(actor=manager, product=product, location=store, quantity=1)
                sold += 1
            except InsufficientStock:
                refused += 1
        return sold, refused

    results = in_parallel(8, sell_100)
    assert sum(sold for sold, _ in results) == 500
    assert sum(refused for _, refused in results) == 300
    assert StockLevel.objects.get(product=product, location=store).on_hand == 0
    assert StockMovement.objects.filter(kind="sale").count() == 500
    call_command("check_stock")


def test_opposing_transfers_never_deadlock_and_conserve_stock():
    manager = UserFactory(role=Role.MANAGER)
    north, south = LocationFactory(), LocationFactory()
    products = ProductFactory.create_batch(3)
    for product in products:
        for location in (north, south):
            services.stock_receive(
                actor=manager, product=product, location=location, quantity=200, unit_cost=1
            )

    def shuttle(n):
        source, target = (north, south) if n % 2 else (south, north)
        lines = [TransferLine(p, Decimal(1)) for p in (products if n % 2 else products[::-1])]
        done = 0
        for _ in range(40):
            try:
                services.stock_transfer(
                    actor=manager, from_location=source, to_location=target, lines=lines
                )
                done += 1
            except InsufficientStock:
                pass
        return done

    done = in_parallel(6, shuttle)
    assert sum(done) > 0
    for product in products:
        total = sum(StockLevel.objects.filter(product=product).values_list("on_hand", flat=True))
        assert total == 400
    call_command("check_stock")


def test_concurrent_reservations_never_exceed_what_is_on_hand():
    manager = UserFactory(role=Role.MANAGER)
    product, store = ProductFactory(), LocationFactory()
    services.stock_receive(actor=manager, product=product, location=store, quantity=5, unit_cost=1)

    def reserve(_n):
        try:
            services.stock_reserve(actor=manager, product=product, location=store, quantity=1)
            return True
        except InsufficientStock:
            return False

    assert sum(in_parallel(8, reserve)) == 5
    assert StockLevel.objects.get(product=product, location=store).reserved == 5


def test_parallel_sales_at_several_locations_alert_once_per_crossing():
    """Each sale sees the others' committed changes before deciding (a per-product lock), so
    a crossing is announced exactly once and no sale fails on the alert bookkeeping."""
    manager = UserFactory(role=Role.MANAGER)
    product = ProductFactory(reorder_point=Decimal(10))
    stores = [LocationFactory() for _ in range(4)]
    for round_ in range(5):
        for store in stores:  # 4 x 4 = 16 available, 6 above the reorder point
            services.stock_receive(
                actor=manager, product=product, location=store, quantity=4, unit_cost=1
            )

        def sell(n):
            services.stock_issue(actor=manager, product=product, location=stores[n % 4], quantity=1)

        in_parallel(8, sell)  # 8 sold, 8 left: one crossing (at 10) per round
        assert LowStockAlert.objects.filter(product=product).count() == 1
        assert Notification.objects.filter(recipient=manager).count() == 2 * round_ + 1
        for store in stores:  # empty the shelves so the next round starts from nothing
            services.stock_issue(actor=manager, product=product, location=store, quantity=2)
        services.stock_receive(
            actor=manager, product=product, location=stores[0], quantity=20, unit_cost=1
        )
        assert not LowStockAlert.objects.exists()
        services.stock_issue(actor=manager, product=product, location=stores[0], quantity=20)
        assert Notification.objects.filter(recipient=manager).count() == 2 * round_ + 2
    call_command("check_stock")
