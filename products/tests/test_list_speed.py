"""The product list and API stay a fixed number of queries, whatever the filters and page."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from products.models import Category, Product
from products.selectors import product_list
from products.tests.factories import CategoryFactory, ProductFactory
from suppliers.tests.factories import SupplierFactory, SupplierProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as(make_user):
    def login(role: Role) -> APIClient:
        client = APIClient()
        client.force_authenticate(make_user(role))
        return client

    return login


@pytest.mark.parametrize("count", [5, 120])
def test_filtered_product_list_runs_a_fixed_number_of_queries(
    client, make_user, django_assert_num_queries, count
):
    food = CategoryFactory(name="Food")
    snacks = Category.objects.create(name="Snacks", parent=food)
    supplier = SupplierFactory()
    for product in ProductFactory.create_batch(count, category=snacks):
        SupplierProductFactory(supplier=supplier, product=product)
    client.force_login(make_user(Role.MANAGER))
    # session, user, permissions, role groups and unread count (navbar), the chosen category
    # and supplier, the category tree, count, the page's keys and rows, the tag choices
    with django_assert_num_queries(12):
        response = client.get(
            reverse("products:product_list"), {"category": food.pk, "supplier": supplier.pk}
        )
    assert len(response.context["object_list"]) == min(count, 50)


def test_list_renders_the_chosen_category_and_supplier_options_only(client, make_user):
    food = CategoryFactory(name="Food")
    snacks = Category.objects.create(name="Snacks", parent=food)
    CategoryFactory(name="Drinks")
    chosen, other = SupplierFactory(name="PT Chosen"), SupplierFactory(name="PT Other")
    ProductFactory(category=snacks, preferred_supplier=chosen)
    client.force_login(make_user(Role.STAFF))
    html = client.get(
        reverse("products:product_list"), {"category": snacks.pk, "supplier": chosen.pk}
    ).content.decode()
    assert f'<option value="{snacks.pk}" selected>Food \u203a Snacks</option>' in html
    assert f'<option value="{chosen.pk}" selected>PT Chosen</option>' in html
    assert "Drinks" not in html
    assert other.name not in html
    assert f'data-autocomplete-url="{reverse("products:category_autocomplete")}"' in html
    assert f'data-autocomplete-url="{reverse("products:supplier_autocomplete")}"' in html


def test_an_unknown_category_in_a_bookmark_shows_no_products_and_no_error_page(client, make_user):
    ProductFactory()
    client.force_login(make_user(Role.STAFF))
    response = client.get(reverse("products:product_list"), {"category": 999999})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []


def test_a_late_page_lists_the_same_products_as_an_offset_would(client, make_user):
    for number in range(130):
        ProductFactory(name=f"Product {number % 7}", sale_price=Decimal(number))
    ProductFactory(name="Product 0", is_active=False)
    client.force_login(make_user(Role.STAFF))
    expected = list(product_list().filter(is_active=True).order_by("name", "pk")[100:130])
    response = client.get(reverse("products:product_list"), {"page": 3})
    assert list(response.context["object_list"]) == expected
    assert response.context["page_obj"].paginator.count == 130

    by_price = client.get(reverse("products:product_list"), {"page": 2, "ordering": "-price"})
    prices = [p.sale_price for p in by_price.context["object_list"]]
    assert prices == [Decimal(n) for n in range(79, 29, -1)]


@pytest.mark.parametrize("page", [1, 3])
def test_api_late_page_runs_the_same_queries_as_the_first(api_as, django_assert_num_queries, page):
    ProductFactory.create_batch(120)
    manager = api_as(Role.MANAGER)
    # role permissions, count, the page's keys, its rows, tags of the page
    with django_assert_num_queries(5):
        response = manager.get(reverse("api:product-list"), {"page": page})
    ids = [row["id"] for row in response.json()["results"]]
    expected = Product.objects.order_by("name", "pk").values_list("pk", flat=True)
    assert ids == list(expected[(page - 1) * 50 : page * 50])


def test_supplier_filter_finds_catalogue_and_preferred_products_once(client, make_user):
    supplier = SupplierFactory()
    listed = SupplierProductFactory(supplier=supplier).product
    preferred = ProductFactory(preferred_supplier=supplier)
    both = ProductFactory(preferred_supplier=supplier)
    SupplierProductFactory(supplier=supplier, product=both)
    ProductFactory()
    client.force_login(make_user(Role.STAFF))
    response = client.get(reverse("products:product_list"), {"supplier": supplier.pk})
    assert sorted(p.pk for p in response.context["object_list"]) == sorted(
        [listed.pk, preferred.pk, both.pk]
    )
