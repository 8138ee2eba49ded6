"""The quick start's demo data. Loading it takes half a minute (months of stock history booked
through the stock services), so one test loads it and checks everything a newcomer relies on."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from accounts.demo import DEMO_USERS
from accounts.models import Notification, User

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
    _stock_has_months_of_consistent_history()
    # Low-stock alerts of the history are in the inbox (what is low today), emailed to nobody.
    assert Notification.objects.filter(recipient__username="manager").exists()
    assert mail.outbox == []


def _catalogue_is_believable():
    from products.models import Category, Product
    from suppliers.models import Supplier, SupplierProduct

    assert 300 <= Product.objects.count() <= 1000
    assert Category.objects.filter(parent__isnull=True).count() >= 3
    assert Category.objects.filter(parent__parent__isnull=True, parent__isnull=False).exists()
    assert Supplier.objects.count() == 12
    assert SupplierProduct.objects.values("supplier").distinct().count() == 12
    assert not Product.objects.filter(cost_price__gt=models.F("sale_price")).exists()


def _stock_has_months_of_consistent_history():
    from stock.models import Location, LocationMinimum, StockMovement

    assert Location.objects.count() == 3
    assert set(StockMovement.objects.values_list("kind", flat=True)) == {
        "receipt", "sale", "transfer", "adjustment", "count",
    }  # fmt: skip
    span = StockMovement.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert (span["last"] - span["first"]).days >= 85
    assert span["last"] < timezone.now()
    # both shops sell, on most days; the staff member sells at the branch
    sales = StockMovement.objects.filter(kind="sale")
    assert sales.values("from_location").distinct().count() == 2
    assert sales.dates("created_at", "day").count() >= 80
    assert sales.filter(user__username="staff", from_location__name="Toko Cabang").exists()
    assert LocationMinimum.objects.exists()
    assert list(
        Location.objects.filter(users__username="staff").values_list("name", flat=True)
    ) == ["Toko Cabang"]
    call_command("check_stock")


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
