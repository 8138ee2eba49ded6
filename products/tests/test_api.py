from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from products.models import Category, Product
from products.tests.factories import CategoryFactory, ProductFactory, TagFactory
from suppliers.tests.factories import SupplierProductFactory

pytestmark = pytest.mark.django_db

PRODUCTS = reverse("api:product-list")


@pytest.fixture
def api_as(make_user):
    def login(role: Role) -> APIClient:
        client = APIClient()
        client.force_authenticate(make_user(role))
        return client

    return login


def test_staff_get_no_cost_fields_from_any_endpoint(api_as):
    item = SupplierProductFactory(
        product=ProductFactory(cost_price=Decimal("6.5432")), purchase_price=Decimal("7.1234")
    )
    staff = api_as(Role.STAFF)
    listed = staff.get(PRODUCTS).json()["results"][0]
    detail = staff.get(reverse("api:product-detail", args=[item.product_id])).json()
    catalogue = staff.get(reverse("api:supplier-product-list")).json()["results"][0]
    assert "cost_price" not in listed
    assert "cost_price" not in detail
    assert "purchase_price" not in catalogue
    assert "6.5432" not in str([listed, detail, catalogue])


def test_managers_get_cost_fields(api_as):
    SupplierProductFactory(product=ProductFactory(cost_price=Decimal("6.5432")))
    manager = api_as(Role.MANAGER)
    assert manager.get(PRODUCTS).json()["results"][0]["cost_price"] == "6.5432"
    assert (
        "purchase_price" in manager.get(reverse("api:supplier-product-list")).json()["results"][0]
    )


def test_manager_creates_a_product_and_staff_may_not(api_as):
    tag = TagFactory()
    data = {"sku": "API-1", "name": "Minyak Goreng 2L", "unit": "l", "sale_price": "35000",
            "cost_price": "30000", "tags": [tag.pk]}  # fmt: skip
    assert api_as(Role.STAFF).post(PRODUCTS, data, format="json").status_code == 403
    response = api_as(Role.MANAGER).post(PRODUCTS, data, format="json")
    assert response.status_code == 201, response.json()
    product = Product.objects.get(sku="API-1")
    assert product.cost_price == Decimal("30000")
    assert list(product.tags.all()) == [tag]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"sku": "dup-1"}, "sku"),  # DUP-1 exists: unique whatever the case
        ({"sale_price": "-5"}, "sale_price"),
        ({"tax_rate": "101"}, "tax_rate"),
        ({"sale_price": "abc"}, "sale_price"),
        ({"category": 999999}, "category"),
    ],
)
def test_bad_writes_get_field_errors(api_as, data, field):
    ProductFactory(sku="DUP-1")
    response = api_as(Role.MANAGER).post(
        PRODUCTS, {"sku": "NEW-9", "name": "X"} | data, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Product.objects.filter(name="X").exists()


def test_api_filters_match_the_page_filters(api_as):
    food = CategoryFactory(name="Food")
    ProductFactory(
        sku="CHIPS", name="Keripik", category=Category.objects.create(name="Snacks", parent=food)
    )
    ProductFactory(sku="SODA", name="Soda", category=CategoryFactory(name="Drinks"))
    ProductFactory(sku="OLD", name="Keripik lama", category=food, is_active=False)
    staff = api_as(Role.STAFF)

    def skus(**params):
        return {p["sku"] for p in staff.get(PRODUCTS, params).json()["results"]}

    assert skus(category=food.pk) == {"CHIPS"}
    assert skus(q="keripik") == {"CHIPS"}
    assert skus(q="keripik", status="all") == {"CHIPS", "OLD"}
    assert [
        p["sku"]
        for p in staff.get(PRODUCTS, {"ordering": "-sku", "status": "all"}).json()["results"]
    ] == ["SODA", "OLD", "CHIPS"]


@pytest.mark.parametrize("count", [3, 150])
def test_product_list_api_runs_a_fixed_number_of_queries(api_as, django_assert_num_queries, count):
    tags = TagFactory.create_batch(2)
    for product in ProductFactory.create_batch(count):
        product.tags.add(*tags)
    manager = api_as(Role.MANAGER)
    # role permissions, count, the page's keys, its rows, tags of the page
    with django_assert_num_queries(5):
        response = manager.get(PRODUCTS, {"page_size": 200})
    assert len(response.json()["results"]) == count


def test_admin_deletes_and_deleting_a_used_category_is_a_conflict(api_as):
    product = ProductFactory()
    admin = api_as(Role.ADMIN)
    conflict = admin.delete(reverse("api:category-detail", args=[product.category_id]))
    assert conflict.status_code == 409
    assert "still has products" in conflict.json()["detail"]
    assert admin.delete(reverse("api:product-detail", args=[product.pk])).status_code == 204
    assert (
        admin.delete(reverse("api:category-detail", args=[product.category_id])).status_code == 204
    )
    assert (
        api_as(Role.MANAGER).delete(reverse("api:tag-detail", args=[TagFactory().pk])).status_code
        == 403
    )


def test_every_api_error_body_is_an_object(api_as):
    response = api_as(Role.STAFF).get(reverse("api:category-list"), {"search": "a\x00b"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Null characters are not allowed."]}


def test_unknown_api_urls_answer_json_404(api_as):
    response = api_as(Role.STAFF).get("/api/v1/products/0.5/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
