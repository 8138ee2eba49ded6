"""The quick start's demo data. Loading it takes about half a minute (two years of orders and
stock history), so one test loads it and checks everything a newcomer relies on."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from accounts.demo import DEMO_USERS
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_loads_believable_data_and_its_sign_ins_work(
    settings, client, capsys, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    out = capsys.readouterr().out
    for username, password, role, _ in DEMO_USERS:
        assert f"{username:<8} / {password}" in out
        response = client.post(
            reverse("accounts:login"), {"username": username, "password": password}
        )
        assert response.status_code == 302, username
        assert client.get(reverse("api:me")).json()["role"] == role.value
        client.post(reverse("accounts:logout"))
    _catalogue_is_believable()
    _stock_has_two_years_of_consistent_history()
    _orders_tell_the_same_story()
    assert mail.outbox == []  # demo data emails nobody


def _catalogue_is_believable():
    from products.models import Category, Product
    from suppliers.models import Supplier, SupplierProduct

    assert 300 <= Product.objects.count() <= 1000
    assert Category.objects.filter(parent__isnull=True).count() >= 3
    assert Category.objects.filter(parent__parent__isnull=True, parent__isnull=False).exists()
    assert Supplier.objects.count() == 12
    assert SupplierProduct.objects.values("supplier").distinct().count() == 12
    assert not Product.objects.filter(cost_price__gt=models.F("sale_price")).exists()


def _stock_has_two_years_of_consistent_history():
    from stock.models import Location, LocationMinimum, StockMovement

    assert Location.objects.count() == 3
    assert set(StockMovement.objects.values_list("kind", flat=True)) == {
        "receipt", "sale", "transfer", "adjustment", "count", "customer_return",
    }  # fmt: skip
    span = StockMovement.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert (span["last"] - span["first"]).days >= 720
    assert span["last"] < timezone.now()
    # both shops sell, on nearly every day; the staff member sells at the branch today
    sales = StockMovement.objects.filter(kind="sale")
    assert sales.values("from_location").distinct().count() == 2
    assert sales.dates("created_at", "day").count() >= 700
    assert sales.filter(user__username="staff", from_location__name="Toko Cabang").exists()
    assert LocationMinimum.objects.exists()
    assert list(
        Location.objects.filter(users__username="staff").values_list("name", flat=True)
    ) == ["Toko Cabang"]
    call_command("check_stock")


def _orders_tell_the_same_story():
    from orders.models import PurchaseOrder, SalesOrder, SalesReturn
    from stock.models import StockMovement

    sales = SalesOrder.objects.filter(status="completed")
    assert sales.count() >= 10000
    assert sales.filter(channel="order", customer__isnull=False).exists()
    assert not StockMovement.objects.filter(kind="sale", sales_order_line__isnull=True).exists()
    received = PurchaseOrder.objects.filter(status="received")
    assert received.count() >= 300
    late = [
        order for order in received.prefetch_related("status_changes")
        if order.expected_date < list(order.status_changes.all())[-1].created_at.date()
    ]  # fmt: skip
    assert 0.05 < len(late) / received.count() < 0.3  # some deliveries come late
    on_the_way = PurchaseOrder.objects.filter(status="ordered")
    assert on_the_way.count() >= 2  # on their way today
    assert on_the_way.filter(expected_date__lt=timezone.localdate()).exists()  # one late
    assert PurchaseOrder.objects.filter(status="draft").exists()
    assert SalesReturn.objects.count() >= 2


def test_load_demo_leaves_a_database_with_users_alone(settings, make_user, capsys):
    settings.DEBUG = True
    make_user(username="owner")
    call_command("load_demo")
    assert list(User.objects.values_list("username", flat=True)) == ["owner"]
    assert "not loaded" in capsys.readouterr().out


def test_load_demo_refuses_known_passwords_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")
    assert not User.objects.exists()
