"""Low-stock alerts: once per crossing of a reorder point, for every manager, emailed after
commit; checked in the same transaction as the stock change."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.models import Notification
from accounts.roles import Role
from accounts.tasks import email_notifications
from accounts.tests.factories import UserFactory
from products.tests.factories import ProductFactory
from stock import services
from stock.models import LocationMinimum, LowStockAlert
from stock.services import InsufficientStock
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    """Two managers (one without an email address), a staff member and an admin."""
    return {
        "managers": [
            UserFactory(role=Role.MANAGER),
            UserFactory(role=Role.MANAGER, email=""),
        ],
        "staff": UserFactory(role=Role.STAFF),
        "admin": UserFactory(role=Role.ADMIN),
    }


@pytest.fixture
def shop(team):
    product = ProductFactory(reorder_point=Decimal(10), name="Kopi Bubuk", sku="KOPI-1")
    store = LocationFactory(name="Toko")
    services.stock_receive(
        actor=team["admin"], product=product, location=store, quantity=15, unit_cost=1
    )
    return product, store


def sell(actor, product, store, quantity):
    return services.stock_issue(actor=actor, product=product, location=store, quantity=quantity)


def test_falling_to_the_reorder_point_notifies_every_manager_once(team, shop):
    product, store = shop
    sell(team["admin"], product, store, 4)
    assert not Notification.objects.exists()  # 11 left, above 10

    sell(team["admin"], product, store, 1)  # 10: at the reorder point
    notes = Notification.objects.order_by("recipient_id")
    assert [n.recipient for n in notes] == team["managers"]
    assert notes[0].text == "Low stock: Kopi Bubuk (KOPI-1), 10 available, reorder point 10."
    assert notes[0].link == f"/products/{product.pk}/"
    assert notes[0].kind == Notification.Kind.LOW_STOCK
    assert not notes[0].is_read

    sell(team["admin"], product, store, 3)  # still low: no repeat
    sell(team["admin"], product, store, 1)
    assert Notification.objects.count() == 2
    assert LowStockAlert.objects.get().available == 10  # as it was when it fired


def test_rising_above_and_falling_again_is_a_new_crossing(team, shop):
    product, store = shop
    sell(team["admin"], product, store, 6)
    assert LowStockAlert.objects.count() == 1
    services.stock_receive(
        actor=team["admin"], product=product, location=store, quantity=20, unit_cost=1
    )
    assert not LowStockAlert.objects.exists()  # 29 available: the dip is over
    assert Notification.objects.count() == 2
    sell(team["admin"], product, store, 19)
    assert Notification.objects.count() == 4


def test_a_receipt_that_leaves_stock_low_is_not_news_but_the_next_sale_is(team):
    product, store = ProductFactory(reorder_point=Decimal(10)), LocationFactory()
    services.stock_receive(
        actor=team["admin"], product=product, location=store, quantity=4, unit_cost=1
    )
    assert not LowStockAlert.objects.exists()
    sell(team["admin"], product, store, 1)
    assert LowStockAlert.objects.get().available == 3
    assert Notification.objects.count() == 2


def test_a_reservation_counts_because_it_lowers_what_is_available(team, shop):
    product, store = shop
    services.stock_reserve(actor=team["admin"], product=product, location=store, quantity=5)
    assert LowStockAlert.objects.filter(product=product, location=None).exists()
    services.stock_release(actor=team["admin"], product=product, location=store, quantity=5)
    assert not LowStockAlert.objects.exists()


def test_stock_at_other_locations_counts_towards_the_total(team, shop):
    product, store = shop
    other = LocationFactory()
    services.stock_receive(
        actor=team["admin"], product=product, location=other, quantity=10, unit_cost=1
    )
    sell(team["admin"], product, store, 15)  # 0 here, 10 elsewhere: 10 in all
    assert LowStockAlert.objects.filter(location=None).count() == 1


def test_a_location_with_its_own_reorder_point_alerts_for_that_location(team, shop):
    product, store = shop
    warehouse = LocationFactory(name="Gudang")
    services.stock_receive(
        actor=team["admin"], product=product, location=warehouse, quantity=100, unit_cost=1
    )
    LocationMinimum.objects.create(product=product, location=store, reorder_point=Decimal(8))
    sell(team["admin"], product, store, 7)  # 8 at the store, 108 in all
    alert = LowStockAlert.objects.get()
    assert alert.location == store
    assert Notification.objects.filter(recipient=team["managers"][0]).get().text == (
        "Low stock at Toko: Kopi Bubuk (KOPI-1), 8 available, reorder point 8."
    )
    services.stock_transfer(
        actor=team["admin"],
        from_location=warehouse,
        to_location=store,
        lines=[services.TransferLine(product, Decimal(5))],
    )
    assert not LowStockAlert.objects.exists()  # the transfer filled the shop up again


def test_products_without_a_reorder_point_or_inactive_never_alert(team):
    store = LocationFactory()
    unwatched = ProductFactory(reorder_point=0)
    retired = ProductFactory(reorder_point=Decimal(5), is_active=False)
    for product in (unwatched, retired):
        services.stock_receive(
            actor=team["admin"], product=product, location=store, quantity=3, unit_cost=1
        )
        sell(team["admin"], product, store, 3)
    assert not LowStockAlert.objects.exists()
    assert not Notification.objects.exists()


def test_a_count_and_an_adjustment_alert_like_any_other_change(team, shop):
    product, store = shop
    services.stock_count(actor=team["admin"], location=store, counts={product: Decimal(2)})
    assert Notification.objects.count() == 2
    services.stock_adjust(
        actor=team["admin"], product=product, location=store, change=20, reason="found"
    )
    services.stock_adjust(
        actor=team["admin"], product=product, location=store, change=-12, reason="damaged"
    )
    assert Notification.objects.count() == 4


def test_a_rolled_back_change_leaves_no_alert_and_no_notification(team, shop):
    product, store = shop

    def sell_then_fail():
        with transaction.atomic():
            sell(team["admin"], product, store, 6)  # would alert...
            sell(team["admin"], product, store, 100)  # ...but the whole unit of work fails

    with pytest.raises(InsufficientStock):
        sell_then_fail()
    assert not LowStockAlert.objects.exists()
    assert not Notification.objects.exists()


def test_managers_get_an_email_after_commit_and_only_once(
    team, shop, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://inventory.example.com"
    product, store = shop
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sell(team["admin"], product, store, 5)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()  # the commit: the task runs (in-process without a broker)
    [email] = mail.outbox  # the manager without an address has only the in-app message
    assert email.to == [team["managers"][0].email]
    assert email.subject == "[Inventory] Low stock: Kopi Bubuk (KOPI-1), 10 available, " + (
        "reorder point 10."
    )
    assert f"https://inventory.example.com/products/{product.pk}/" in email.body
    assert Notification.objects.get(recipient=team["managers"][0]).emailed_at is not None

    ids = list(Notification.objects.values_list("pk", flat=True))
    assert email_notifications(ids) == 0  # a redelivered task sends nothing again
    assert len(mail.outbox) == 1


def test_history_booked_afterwards_dates_its_alerts_when_they_happened(team, shop):
    product, store = shop
    last_week = timezone.now() - timedelta(days=7)
    services.stock_issue(
        actor=team["admin"], product=product, location=store, quantity=5, occurred_at=last_week
    )
    assert LowStockAlert.objects.get().created_at == last_week
    assert {n.created_at for n in Notification.objects.all()} == {last_week}
