"""Each movement records the product's moving-average cost right after it; migration 0005
fills it in for an existing ledger with the services' own arithmetic."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.roles import Role
from products.tests.factories import ProductFactory
from stock import services
from stock.models import StockMovement
from stock.services import PastMovement, TransferLine
from stock.tests.factories import LocationFactory


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


def book_a_bit_of_everything(manager) -> None:
    """Receipts at changing prices between sales, a return, a transfer, an adjustment, a
    count, and past movements loaded in bulk. The product objects are never refreshed: the
    services must take the cost of the moment from the database, not from a stale copy."""
    product = ProductFactory(cost_price=Decimal(0))
    other = ProductFactory(cost_price=Decimal("3.3333"))
    warehouse, shop = LocationFactory(name="Gudang"), LocationFactory(name="Toko")
    past = [timezone.now() - timedelta(days=n) for n in (40, 35, 30)]
    services.stock_history_load(
        actor=manager,
        movements=[
            PastMovement("receipt", other.pk, Decimal(3), past[0], to_location_id=warehouse.pk,
                         unit_cost=Decimal("1.0001")),
            PastMovement("sale", other.pk, Decimal(1), past[1], from_location_id=warehouse.pk),
            PastMovement("receipt", other.pk, Decimal(7), past[2], to_location_id=warehouse.pk,
                         unit_cost=Decimal("2.0003")),
        ],
    )  # fmt: skip
    receive = services.stock_receive
    receive(actor=manager, product=product, location=warehouse, quantity=10, unit_cost=100)
    services.stock_issue(actor=manager, product=product, location=warehouse, quantity=4)
    receive(actor=manager, product=product, location=warehouse, quantity=10, unit_cost=130)
    receive(
        actor=manager, product=product, location=shop, quantity=1, unit_cost=90,
        kind=StockMovement.Kind.CUSTOMER_RETURN,
    )  # fmt: skip
    services.stock_transfer(
        actor=manager, from_location=warehouse, to_location=shop,
        lines=[TransferLine(product, Decimal(5))],
    )  # fmt: skip
    services.stock_adjust(
        actor=manager, product=product, location=shop, change=-2, reason="damaged"
    )
    services.stock_count(actor=manager, location=warehouse, counts={product: Decimal(9)})
    receive(actor=manager, product=product, location=shop, quantity=3, unit_cost="7.77")
    receive(actor=manager, product=other, location=shop, quantity=2, unit_cost="4.4444")


def recorded() -> list[tuple]:
    return list(StockMovement.objects.order_by("pk").values_list("kind", "average_cost"))


@pytest.mark.django_db
def test_every_movement_records_the_average_cost_after_it(manager):
    book_a_bit_of_everything(manager)
    product_costs = [
        cost
        for kind, cost in StockMovement.objects.filter(product__cost_price__gt=10)
        .order_by("pk")
        .values_list("kind", "average_cost")
    ]
    # 10 @ 100; sell 4 (6 left); 10 @ 130 -> (6 x 100 + 10 x 130) / 16 = 118.75; a return,
    # a transfer, an adjustment (-2) and a count (11 -> 9) carry it; then 3 @ 7.77 on the 13
    # held: (13 x 118.75 + 3 x 7.77) / 16 = 97.94125.
    assert product_costs == [
        Decimal("100.0000"), Decimal("100.0000"), Decimal("118.7500"), Decimal("118.7500"),
        Decimal("118.7500"), Decimal("118.7500"), Decimal("118.7500"), Decimal("97.9412"),
    ]  # fmt: skip
    assert None not in [cost for _kind, cost in recorded()]


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_in_what_the_services_record(manager):
    book_a_bit_of_everything(manager)
    written = recorded()
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("stock", "0004_movement_order_lines")])
        executor.loader.build_graph()
        executor.migrate([("stock", "0005_movement_average_cost")])
        assert recorded() == written
    finally:  # what depends on it (the reports' summaries and snapshots) comes back too
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
