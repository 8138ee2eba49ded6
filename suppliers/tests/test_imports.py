from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from inventory_site.spreadsheets import read_sheet
from products.tests.factories import ProductFactory
from suppliers.imports import catalogue_import_apply, catalogue_import_plan
from suppliers.models import SupplierProduct
from suppliers.tests.factories import SupplierFactory, SupplierProductFactory

pytestmark = pytest.mark.django_db


def plan_for(text, user):
    return catalogue_import_plan(read_sheet("catalogue.csv", text.encode()), user=user)


@pytest.fixture
def shop(make_user):
    SupplierFactory(name="PT Segar")
    ProductFactory(sku="SUSU-1")
    ProductFactory(sku="ROTI-1")
    return make_user(Role.MANAGER)


def test_catalogue_import_adds_and_then_updates_entries(shop):
    text = (
        "Supplier;SKU;Purchase price;Lead time;MOQ\n"
        "pt segar;susu-1;5.250,50;3;24\n"
        "pt segar;ROTI-1;4000;2;12\n"
    )
    plan = plan_for(text, shop)
    assert plan.errors == []
    assert catalogue_import_apply(plan, actor=shop)["created"] == 2
    item = SupplierProduct.objects.get(product__sku="SUSU-1")
    assert (item.purchase_price, item.lead_time_days, item.min_order_quantity) == (
        Decimal("5250.50"), 3, Decimal("24"),
    )  # fmt: skip
    again = plan_for(text, shop)
    assert [r.action for r in again.rows] == ["unchanged", "unchanged"]
    changed = plan_for(text.replace("5.250,50", "5.300"), shop)
    assert [r.action for r in changed.rows] == ["update", "unchanged"]
    catalogue_import_apply(changed, actor=shop)
    assert SupplierProduct.objects.count() == 2
    item.refresh_from_db()
    assert item.purchase_price == Decimal("5300")


def test_one_bad_row_imports_nothing_and_says_where(shop):
    SupplierProductFactory(supplier__name="CV Lain", product__sku="X-1")
    text = (
        "supplier,sku,purchase_price,min_order_quantity\n"
        "PT Segar,SUSU-1,100,1\n"
        "Nobody,ROTI-1,100,1\n"
        "PT Segar,NOPE,abc,0\n"
        "PT Segar,SUSU-1,100,1\n"
        "PT Segar,ROTI-1,100,0\n"
    )
    plan = plan_for(text, shop)
    assert {(e.line, e.column) for e in plan.errors} == {
        (3, "supplier"), (4, "sku"), (5, "sku"), (6, "min_order_quantity"),
    }  # fmt: skip
    with pytest.raises(ValueError, match="valid plan"):
        catalogue_import_apply(plan, actor=shop)
    assert SupplierProduct.objects.count() == 1


def test_missing_required_columns_are_reported(shop):
    plan = plan_for("supplier,sku\nPT Segar,SUSU-1\n", shop)
    assert [(e.line, e.column) for e in plan.errors] == [(1, "purchase_price")]


def test_catalogue_import_page_previews_and_confirms(client, shop):
    client.force_login(shop)
    url = reverse("suppliers:catalogue_import")
    text = b"supplier,sku,purchase_price\nPT Segar,SUSU-1,9000\n"
    preview = client.post(url, {"file": SimpleUploadedFile("c.csv", text)})
    assert preview.context["plan"].is_valid
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert SupplierProduct.objects.get().purchase_price == Decimal("9000")
