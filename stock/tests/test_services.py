from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from accounts.roles import Role
from products.tests.factories import ProductFactory
from stock import services
from stock.models import StockLevel, StockMovement
from stock.services import InsufficientStock, LocationNotAllowed, StockError, TransferLine
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


@pytest.fixture
def shop():
    return ProductFactory(cost_price=Decimal("0")), LocationFactory(name="Gudang")


def level(product, location) -> StockLevel:
    return StockLevel.objects.get(product=product, location=location)


def test_receipt_adds_stock_writes_the_ledger_and_averages_the_cost(manager, shop):
    product, store = shop
    services.stock_receive(
        actor=manager, product=product, location=store, quantity=10, unit_cost=100
    )
    services.stock_receive(
        actor=manager, product=product, location=store, quantity=30, unit_cost=200
    )
    assert level(product, store).on_hand == 40
    product.refresh_from_db()
    assert product.cost_price == Decimal("175.0000")  # (10*100 + 30*200) / 40
    assert list(StockMovement.objects.values_list("kind", "quantity")) == [
        ("receipt", Decimal("30.000")),
        ("receipt", Decimal("10.000")),
    ]


def test_an_issue_beyond_availability_names_product_location_and_amounts(manager, shop):
    product, store = shop
    services.stock_receive(actor=manager, product=product, location=store, quantity=5, unit_cost=1)
    services.stock_reserve(actor=manager, product=product, location=store, quantity=2)
    with pytest.raises(InsufficientStock) as refused:
        services.stock_issue(actor=manager, product=product, location=store, quantity=4)
    assert (refused.value.requested, refused.value.available) == (4, 3)
    assert str(product) in refused.value.message
    assert "Gudang" in refused.value.message
    assert "4 asked, 3 available" in refused.value.message
    assert level(product, store).on_hand == 5  # nothing changed
    assert StockMovement.objects.count() == 1


def test_a_transfer_moves_several_lines_or_nothing(manager):
    a, b = LocationFactory(), LocationFactory()
    kopi, teh = ProductFactory(), ProductFactory()
    services.stock_receive(actor=manager, product=kopi, location=a, quantity=10, unit_cost=1)
    services.stock_receive(actor=manager, product=teh, location=a, quantity=1, unit_cost=1)
    with pytest.raises(InsufficientStock):
        services.stock_transfer(
            actor=manager, from_location=a, to_location=b,
            lines=[TransferLine(kopi, Decimal(4)), TransferLine(teh, Decimal(2))],
        )  # fmt: skip
    assert level(kopi, a).on_hand == 10
    assert not StockLevel.objects.filter(location=b, on_hand__gt=0).exists()
    services.stock_transfer(
        actor=manager, from_location=a, to_location=b,
        lines=[TransferLine(kopi, Decimal(4)), TransferLine(teh, Decimal(1))],
    )  # fmt: skip
    assert (level(kopi, a).on_hand, level(kopi, b).on_hand, level(teh, b).on_hand) == (6, 4, 1)


def test_adjustments_need_a_reason_and_go_either_way(manager, shop):
    product, store = shop
    with pytest.raises(StockError, match="reason"):
        services.stock_adjust(actor=manager, product=product, location=store, change=3, reason="")
    services.stock_adjust(actor=manager, product=product, location=store, change=3, reason="found")
    services.stock_adjust(
        actor=manager, product=product, location=store, change=-1, reason="damaged"
    )
    assert level(product, store).on_hand == 2
    with pytest.raises(InsufficientStock):
        services.stock_adjust(
            actor=manager, product=product, location=store, change=-5, reason="lost"
        )


def test_a_count_sets_on_hand_and_books_the_differences(manager):
    store = LocationFactory()
    more, less, same = ProductFactory(), ProductFactory(), ProductFactory()
    for product in (more, less, same):
        services.stock_receive(
            actor=manager, product=product, location=store, quantity=10, unit_cost=1
        )
    movements = services.stock_count(
        actor=manager, location=store, counts={more: 12, less: 7, same: 10}
    )
    assert sorted(
        (m.product_id, m.quantity, m.to_location_id is not None) for m in movements
    ) == sorted([(more.pk, 2, True), (less.pk, 3, False)])
    assert [level(p, store).on_hand for p in (more, less, same)] == [12, 7, 10]


def test_a_count_below_the_reserved_quantity_is_refused(manager, shop):
    product, store = shop
    services.stock_receive(actor=manager, product=product, location=store, quantity=10, unit_cost=1)
    services.stock_reserve(actor=manager, product=product, location=store, quantity=6)
    with pytest.raises(StockError, match="reserved"):
        services.stock_count(actor=manager, location=store, counts={product: 5})


@pytest.mark.parametrize("quantity", [0, -1, "abc", "NaN", "Infinity"])
def test_quantities_must_be_positive_numbers(manager, shop, quantity):
    product, store = shop
    with pytest.raises(StockError):
        services.stock_receive(
            actor=manager, product=product, location=store, quantity=quantity, unit_cost=1
        )


def test_reservations_are_held_and_released(manager, shop):
    product, store = shop
    services.stock_receive(actor=manager, product=product, location=store, quantity=5, unit_cost=1)
    services.stock_reserve(actor=manager, product=product, location=store, quantity=5)
    with pytest.raises(InsufficientStock):
        services.stock_reserve(actor=manager, product=product, location=store, quantity=1)
    services.stock_release(actor=manager, product=product, location=store, quantity=5)
    assert level(product, store).reserved == 0
    with pytest.raises(StockError):
        services.stock_release(actor=manager, product=product, location=store, quantity=1)


def test_staff_assigned_to_locations_work_only_there(make_user, manager):
    own, other = LocationFactory(), LocationFactory()
    product = ProductFactory()
    staff = make_user(Role.STAFF)
    staff.locations.add(own)
    services.stock_receive(actor=staff, product=product, location=own, quantity=1, unit_cost=1)
    with pytest.raises(LocationNotAllowed):
        services.stock_receive(
            actor=staff, product=product, location=other, quantity=1, unit_cost=1
        )
    services.stock_receive(actor=manager, product=product, location=other, quantity=3, unit_cost=1)
    with pytest.raises(LocationNotAllowed):  # transferring *from* a location that is not theirs
        services.stock_transfer(
            actor=staff, from_location=other, to_location=own,
            lines=[TransferLine(product, Decimal(1))],
        )  # fmt: skip


def test_check_stock_passes_and_then_finds_a_level_changed_behind_its_back(manager, shop, capsys):
    product, store = shop
    services.stock_receive(actor=manager, product=product, location=store, quantity=5, unit_cost=1)
    call_command("check_stock")
    assert "agree" in capsys.readouterr().out
    StockLevel.objects.filter(product=product).update(on_hand=7)  # what no code may do
    with pytest.raises(CommandError, match="1 stock level"):
        call_command("check_stock")
    assert "on hand 7.000, ledger 5.000" in capsys.readouterr().err
