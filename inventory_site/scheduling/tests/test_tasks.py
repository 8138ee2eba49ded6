import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.db.models import F
from django.utils import timezone

from accounts.models import Notification
from accounts.roles import Role
from inventory_site.scheduling import tasks
from inventory_site.scheduling.models import ScheduledSend
from orders.services.sales import SaleLine, counter_sale
from products.tests.factories import ProductFactory
from stock import services
from stock.models import StockLevel
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(make_user):
    manager = make_user(Role.MANAGER, email="boss@example.com")
    make_user(Role.MANAGER, email="")  # sees the app only
    make_user(Role.STAFF, email="clerk@example.com")
    store = LocationFactory(name="Toko Pusat")
    kopi = ProductFactory(sku="KOPI", sale_price=Decimal(10000), tax_rate=Decimal(0))
    kopi.reorder_point = Decimal(5)
    kopi.save(update_fields=["reorder_point"])
    services.stock_receive(actor=manager, product=kopi, location=store, quantity=8, unit_cost=1)
    return manager, store, kopi


def _sell(manager, store, product, quantity, method="card"):
    counter_sale(
        actor=manager,
        location=store,
        lines=[SaleLine(product, quantity)],
        payment_method=method,
        token=uuid.uuid4(),
    )


def test_the_sales_summary_goes_once_to_each_manager_with_an_email(shop):
    manager, store, kopi = shop
    _sell(manager, store, kopi, 2)
    today = timezone.localdate().isoformat()
    assert tasks.sales_summary_email(today) == 1
    assert tasks.sales_summary_email(today) == 0  # redelivered: nothing twice
    [message] = mail.outbox
    assert message.to == ["boss@example.com"]
    assert today in message.subject
    assert "Toko Pusat" in message.body
    assert "1 sale, takings IDR 20,000.00" in message.body
    assert "KOPI" in message.body


def test_the_sales_summary_reports_yesterday_by_default(shop):
    tasks.sales_summary_email()
    yesterday = timezone.localdate() - timedelta(days=1)
    assert ScheduledSend.objects.get().period == yesterday
    assert "No sales on this day." in mail.outbox[0].body


def test_the_digest_lists_low_stock_once_a_week(shop):
    manager, store, kopi = shop
    _sell(manager, store, kopi, 4)  # 4 left, reorder point 5
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    assert tasks.low_stock_digest_email() == 1
    assert tasks.low_stock_digest_email((monday + timedelta(days=2)).isoformat()) == 0
    [message] = mail.outbox
    assert "KOPI" in message.body
    assert "reorder point 5" in message.body
    assert ScheduledSend.objects.get().period == monday


def test_no_digest_when_nothing_is_low(shop):
    assert tasks.low_stock_digest_email() == 0
    assert mail.outbox == []


def test_the_stock_check_is_quiet_when_levels_agree(shop):
    assert tasks.stock_check_nightly() == 0
    assert not Notification.objects.filter(kind=Notification.Kind.STOCK_MISMATCH).exists()


def test_a_mismatch_alerts_each_admin_once(shop, make_user, django_capture_on_commit_callbacks):
    admin = make_user(Role.ADMIN, email="root@example.com")
    StockLevel.objects.update(on_hand=F("on_hand") + 1)  # a level changed behind the ledger
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.stock_check_nightly() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.stock_check_nightly() == 1  # the same night again: no second alert
    [alert] = Notification.objects.filter(kind=Notification.Kind.STOCK_MISMATCH)
    assert alert.recipient == admin
    assert [m.to for m in mail.outbox] == [["root@example.com"]]
    assert "disagree with the ledger" in mail.outbox[0].subject


def test_a_stock_total_out_of_step_alerts_the_admins(shop, make_user):
    admin = make_user(Role.ADMIN)
    with connection.cursor() as cursor:  # a total changed behind its levels
        cursor.execute("UPDATE stock_stocktotal SET available = available + 1")
        changed = cursor.rowcount
    assert changed > 0
    assert tasks.stock_check_nightly() == changed
    [alert] = Notification.objects.filter(kind=Notification.Kind.STOCK_MISMATCH)
    assert alert.recipient == admin
    assert "stock total(s) disagree with the stock levels" in alert.text
