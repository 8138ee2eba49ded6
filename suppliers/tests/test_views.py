import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from products.tests.factories import ProductFactory
from suppliers.models import Supplier, SupplierProduct
from suppliers.tests.factories import SupplierFactory, SupplierProductFactory

pytestmark = pytest.mark.django_db


def test_manager_creates_and_edits_a_supplier(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    data = {"name": "PT Sumber Rejeki", "contact_person": "Pak Budi", "phone": "0812",
            "email": "order@sumber.example", "address": "Jl. Merdeka 1", "notes": "",
            "is_active": "on"}  # fmt: skip
    response = client.post(reverse("suppliers:supplier_create"), data)
    supplier = Supplier.objects.get(name="PT Sumber Rejeki")
    assert response.headers["Location"] == supplier.get_absolute_url()
    client.post(reverse("suppliers:supplier_update", args=[supplier.pk]), data | {"phone": "0813"})
    supplier.refresh_from_db()
    assert supplier.phone == "0813"


def test_supplier_names_are_unique_whatever_their_case(client, make_user):
    SupplierFactory(name="CV Maju")
    client.force_login(make_user(Role.MANAGER))
    response = client.post(reverse("suppliers:supplier_create"), {"name": "cv maju"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_manager_adds_and_edits_catalogue_entries(client, make_user):
    supplier, product = SupplierFactory(), ProductFactory()
    client.force_login(make_user(Role.MANAGER))
    entry = {"product": product.pk, "supplier_sku": "X-1", "purchase_price": "9.5",
             "lead_time_days": "3", "min_order_quantity": "24"}  # fmt: skip
    client.post(reverse("suppliers:catalogue_add", args=[supplier.pk]), entry)
    item = SupplierProduct.objects.get(supplier=supplier, product=product)
    assert item.purchase_price == Decimal("9.5")
    client.post(
        reverse("suppliers:catalogue_update", args=[supplier.pk, item.pk]),
        entry | {"purchase_price": "9.75"},
    )
    item.refresh_from_db()
    assert item.purchase_price == Decimal("9.75")


def test_listing_a_product_twice_for_one_supplier_is_a_form_error(client, make_user):
    item = SupplierProductFactory()
    client.force_login(make_user(Role.MANAGER))
    response = client.post(
        reverse("suppliers:catalogue_add", args=[item.supplier_id]),
        {"product": item.product_id, "purchase_price": "1", "lead_time_days": "1",
         "min_order_quantity": "1"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "This supplier already lists this product." in str(response.context["form"].errors)
    assert SupplierProduct.objects.count() == 1


def test_a_zero_minimum_order_quantity_is_refused(client, make_user):
    supplier, product = SupplierFactory(), ProductFactory()
    client.force_login(make_user(Role.MANAGER))
    response = client.post(
        reverse("suppliers:catalogue_add", args=[supplier.pk]),
        {"product": product.pk, "purchase_price": "1", "lead_time_days": "1",
         "min_order_quantity": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not SupplierProduct.objects.exists()


def test_an_entry_of_another_supplier_cannot_be_edited_through_this_one(client, make_user):
    item = SupplierProductFactory()
    other = SupplierFactory()
    client.force_login(make_user(Role.MANAGER))
    response = client.get(reverse("suppliers:catalogue_update", args=[other.pk, item.pk]))
    assert response.status_code == 404


def test_admin_removes_a_catalogue_entry(client, admin_user):
    item = SupplierProductFactory()
    client.force_login(admin_user)
    client.post(reverse("suppliers:catalogue_remove", args=[item.supplier_id, item.pk]))
    assert not SupplierProduct.objects.exists()


def test_supplier_list_counts_catalogue_and_runs_fixed_queries(
    client, make_user, django_assert_num_queries
):
    for supplier in SupplierFactory.create_batch(30):
        SupplierProductFactory.create_batch(2, supplier=supplier)
    client.force_login(make_user(Role.STAFF))
    with django_assert_num_queries(7):
        response = client.get(reverse("suppliers:supplier_list"))
    assert {s.catalogue_size for s in response.context["object_list"]} == {2}


def test_supplier_export_lists_the_filtered_suppliers(client, make_user):
    SupplierFactory(name="PT Kopi")
    SupplierFactory(name="CV Teh")
    client.force_login(make_user(Role.STAFF))
    response = client.get(reverse("suppliers:supplier_export", args=["csv"]), {"q": "kopi"})
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert [r["name"] for r in rows] == ["PT Kopi"]
