import pytest
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse

from accounts.demo import DEMO_USERS
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_demo_sign_ins_printed_by_load_demo_work_for_every_role(settings, client, capsys):
    settings.DEBUG = True
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


def test_demo_catalogue_is_believable(settings):
    from products.models import Category, Product
    from suppliers.models import Supplier, SupplierProduct

    settings.DEBUG = True
    call_command("load_demo")
    assert 300 <= Product.objects.count() <= 1000
    assert Category.objects.filter(parent__isnull=True).count() >= 3
    assert Category.objects.filter(parent__parent__isnull=True, parent__isnull=False).exists()
    assert Supplier.objects.count() == 12
    assert SupplierProduct.objects.values("supplier").distinct().count() == 12
    assert not Product.objects.filter(cost_price__gt=models.F("sale_price")).exists()


def test_demo_stock_is_consistent_and_the_staff_member_works_at_the_branch(settings):
    from stock.models import Location, StockMovement

    settings.DEBUG = True
    call_command("load_demo")
    assert Location.objects.count() == 3
    assert StockMovement.objects.values("kind").distinct().count() >= 4
    assert list(
        Location.objects.filter(users__username="staff").values_list("name", flat=True)
    ) == ["Toko Cabang"]
    call_command("check_stock")
