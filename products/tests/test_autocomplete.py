"""Options for the list filters' autocomplete: JSON, limited, for whoever sees the list."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from products.autocomplete import LIMIT
from products.models import Category
from products.tests.factories import CategoryFactory
from suppliers.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db

CATEGORIES = reverse("products:category_autocomplete")
SUPPLIERS = reverse("products:supplier_autocomplete")


def test_categories_match_by_name_and_show_their_path(client, make_user):
    food = CategoryFactory(name="Food")
    snacks = Category.objects.create(name="Snacks", parent=food)
    salty = Category.objects.create(name="Salty snacks", parent=snacks)
    CategoryFactory(name="Drinks")
    client.force_login(make_user(Role.STAFF))
    results = client.get(CATEGORIES, {"q": "SNACK"}).json()["results"]
    assert results == [
        {"value": salty.pk, "text": "Food \u203a Snacks \u203a Salty snacks"},
        {"value": snacks.pk, "text": "Food \u203a Snacks"},
    ]


def test_without_text_the_top_level_categories_are_offered(client, make_user):
    food = CategoryFactory(name="Food")
    Category.objects.create(name="Snacks", parent=food)
    drinks = CategoryFactory(name="Drinks")
    client.force_login(make_user(Role.STAFF))
    results = client.get(CATEGORIES).json()["results"]
    assert [r["value"] for r in results] == [drinks.pk, food.pk]


def test_answers_are_limited_and_take_one_query(client, make_user, django_assert_num_queries):
    for number in range(LIMIT + 5):
        CategoryFactory(name=f"Shelf {number}")
        SupplierFactory(name=f"PT Shelf {number}")
    client.force_login(make_user(Role.STAFF))
    # session, user, permissions, the options
    with django_assert_num_queries(4):
        categories = client.get(CATEGORIES, {"q": "shelf"}).json()["results"]
    with django_assert_num_queries(4):
        suppliers = client.get(SUPPLIERS, {"q": "shelf"}).json()["results"]
    assert len(categories) == len(suppliers) == LIMIT


def test_suppliers_answer_names_only(client, make_user):
    supplier = SupplierFactory(name="PT Kopi Nusantara", phone="+62 21 1234")
    SupplierFactory(name="CV Teh")
    client.force_login(make_user(Role.STAFF))
    response = client.get(SUPPLIERS, {"q": "kopi"})
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"results": [{"value": supplier.pk, "text": "PT Kopi Nusantara"}]}


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(CATEGORIES, {"q": "a"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
