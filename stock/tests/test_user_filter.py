"""The movement history's User filter: an autocomplete, so the page never lists every user."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from products.tests.factories import ProductFactory
from stock import services
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

USERS = reverse("stock:user_autocomplete")
MOVEMENTS = reverse("stock:movement_list")


def test_users_match_by_username_or_full_name(client, make_user):
    ana = make_user(Role.STAFF, username="ana", first_name="Ana", last_name="Wijaya")
    budi = make_user(Role.MANAGER, username="budi.s", first_name="", last_name="")
    make_user(Role.STAFF, username="citra", first_name="Citra", last_name="Lestari")
    client.force_login(make_user(Role.STAFF, username="zed"))
    assert client.get(USERS, {"q": "a wija"}).json()["results"] == [
        {"value": ana.pk, "text": "Ana Wijaya"}
    ]
    assert client.get(USERS, {"q": "BUDI"}).json()["results"] == [
        {"value": budi.pk, "text": "budi.s"}
    ]
    assert client.get(USERS, {"q": "nobody"}).json()["results"] == []


def test_user_options_take_one_query_and_are_limited(client, make_user, django_assert_num_queries):
    for n in range(25):
        make_user(Role.STAFF, username=f"kasir{n:02}", first_name="", last_name="")
    client.force_login(make_user(Role.STAFF, username="zed"))
    # session, user, permissions, the options
    with django_assert_num_queries(4):
        results = client.get(USERS).json()["results"]
    assert [row["text"] for row in results] == [f"kasir{n:02}" for n in range(20)]


def test_the_history_lists_only_the_chosen_user_and_their_movements(client, make_user):
    ana = make_user(Role.MANAGER, username="ana", first_name="Ana", last_name="Wijaya")
    budi = make_user(Role.MANAGER, username="budi", first_name="Budi", last_name="Santoso")
    store, product = LocationFactory(), ProductFactory()
    for who, quantity in ((ana, 3), (budi, 5)):
        services.stock_receive(
            actor=who, product=product, location=store, quantity=quantity, unit_cost=1
        )
    client.force_login(ana)
    response = client.get(MOVEMENTS, {"user": budi.pk})
    assert [m.quantity for m in response.context["object_list"]] == [5]
    html = response.content.decode()
    assert f'data-autocomplete-url="{USERS}"' in html
    assert f'<option value="{budi.pk}" selected>Budi Santoso</option>' in html
    assert "Ana Wijaya" not in html.split('name="user"')[1].split("</select>")[0]
    # An unknown user is a field error on the form, not an error page.
    assert client.get(MOVEMENTS, {"user": 999999}).status_code == 200
