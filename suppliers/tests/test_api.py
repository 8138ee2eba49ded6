import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from products.tests.factories import ProductFactory
from suppliers.models import Supplier
from suppliers.tests.factories import SupplierFactory, SupplierProductFactory

pytestmark = pytest.mark.django_db


def client_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_manager_creates_a_supplier_with_a_catalogue_entry(make_user):
    manager = client_as(make_user(Role.MANAGER))
    supplier = manager.post(
        reverse("api:supplier-list"),
        {"name": "PT Segar", "email": "po@segar.example"},
        format="json",
    )
    assert supplier.status_code == 201, supplier.json()
    product = ProductFactory()
    entry = manager.post(
        reverse("api:supplier-product-list"),
        {"supplier": supplier.json()["id"], "product": product.pk, "purchase_price": "4.5",
         "lead_time_days": 2, "min_order_quantity": "10"},
        format="json",
    )  # fmt: skip
    assert entry.status_code == 201, entry.json()
    again = manager.post(
        reverse("api:supplier-product-list"),
        {"supplier": supplier.json()["id"], "product": product.pk, "purchase_price": "5"},
        format="json",
    )
    assert again.status_code == 400
    assert "This supplier already lists this product." in str(again.json())


def test_supplier_names_are_unique_whatever_their_case(make_user):
    SupplierFactory(name="CV Maju")
    response = client_as(make_user(Role.MANAGER)).post(
        reverse("api:supplier-list"), {"name": "cv MAJU"}, format="json"
    )
    assert response.status_code == 400
    assert "name" in response.json()
    assert Supplier.objects.count() == 1


def test_catalogue_filters_by_supplier(make_user):
    mine = SupplierProductFactory()
    SupplierProductFactory()
    staff = client_as(make_user(Role.STAFF))
    results = staff.get(reverse("api:supplier-product-list"), {"supplier": mine.supplier_id}).json()
    assert [r["id"] for r in results["results"]] == [mine.pk]
