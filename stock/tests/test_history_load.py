"""Booking the past in bulk: time order, availability at each moment, all or nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from products.tests.factories import ProductFactory
from stock.models import StockLevel, StockMovement
from stock.services import InsufficientStock, PastMovement, StockError, stock_history_load
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def past():
    manager = UserFactory(role=Role.MANAGER)
    product = ProductFactory(cost_price=Decimal(0))
    warehouse, shop = LocationFactory(name="Gudang"), LocationFactory(name="Toko")
    days = [timezone.now() - timedelta(days=n) for n in range(30, 0, -1)]
    return manager, product, warehouse, shop, days


def test_history_is_booked_in_time_order_whatever_the_input_order(past):
    manager, product, warehouse, shop, days = past
    history = [
        PastMovement("sale", product.pk, Decimal(3), days[9], from_location_id=shop.pk),
        PastMovement("receipt", product.pk, Decimal(10), days[0], to_location_id=warehouse.pk,
                     unit_cost=Decimal(100)),
        PastMovement("transfer", product.pk, Decimal(5), days[5], from_location_id=warehouse.pk,
                     to_location_id=shop.pk),
        PastMovement("receipt", product.pk, Decimal(10), days[20], to_location_id=warehouse.pk,
                     unit_cost=Decimal(130)),
    ]  # fmt: skip
    assert stock_history_load(actor=manager, movements=history) == 4
    levels = {lv.location.name: lv.on_hand for lv in StockLevel.objects.select_related("location")}
    assert levels == {"Gudang": 15, "Toko": 2}
    product.refresh_from_db()
    # 10 at 100, then with 7 left 10 more at 130: (7 x 100 + 10 x 130) / 17
    assert product.cost_price == Decimal("117.6471")
    sale = StockMovement.objects.get(kind="sale")
    assert sale.created_at == days[9]
    assert sale.unit_cost == Decimal(100)  # the average of its moment
    call_command("check_stock")


def test_a_sale_before_its_goods_arrived_is_refused_and_nothing_is_booked(past):
    manager, product, warehouse, _shop, days = past
    history = [
        PastMovement("receipt", product.pk, Decimal(5), days[3], to_location_id=warehouse.pk),
        PastMovement("sale", product.pk, Decimal(2), days[1], from_location_id=warehouse.pk),
    ]
    with pytest.raises(InsufficientStock) as refusal:
        stock_history_load(actor=manager, movements=history)
    assert refusal.value.available == 0
    assert not StockMovement.objects.exists()
    assert not StockLevel.objects.filter(on_hand__gt=0).exists()


@pytest.mark.parametrize(
    "case", ["sale without a source", "transfer to itself", "in the future", "zero quantity"]
)
def test_impossible_history_is_refused_with_a_reason(past, case):
    manager, product, warehouse, _shop, days = past
    yesterday, tomorrow = days[-1], timezone.now() + timedelta(days=1)
    movement = {
        "sale without a source": PastMovement("sale", product.pk, Decimal(1), yesterday),
        "transfer to itself": PastMovement(
            "transfer", product.pk, Decimal(1), yesterday,
            from_location_id=warehouse.pk, to_location_id=warehouse.pk,
        ),
        "in the future": PastMovement(
            "receipt", product.pk, Decimal(1), tomorrow, to_location_id=warehouse.pk
        ),
        "zero quantity": PastMovement(
            "receipt", product.pk, Decimal(0), yesterday, to_location_id=warehouse.pk
        ),
    }[case]  # fmt: skip
    with pytest.raises(StockError):
        stock_history_load(actor=manager, movements=[movement])
    assert not StockMovement.objects.exists()
