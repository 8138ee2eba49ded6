"""Spreadsheet import: what real files contain, all-or-nothing, and idempotence."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from accounts.roles import Role
from inventory_site.spreadsheets import UnreadableFileError, parse_decimal, read_sheet
from products.imports import product_import_apply, product_import_plan
from products.models import Category, Product, Tag
from products.tests.factories import ProductFactory
from suppliers.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "SKU,Name,Unit,Category,Tags,Sale Price,Cost Price,Tax Rate,Barcode,Active\n"
    'KOP-1,Kopi Aren,pcs,Drinks > Coffee,"promo, new",18000,9000.5,11,8991000000017,yes\n'
    'TEH-1,Teh Melati,box,Drinks,,"12,500.00",7000,11,,yes\n'
)


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


def plan_for(text: str, user, filename="products.csv"):
    content = text.encode("utf-8") if isinstance(text, str) else text
    return product_import_plan(read_sheet(filename, content), user=user)


def test_a_valid_file_creates_products_categories_and_tags(manager):
    plan = plan_for(GOOD_CSV, manager)
    assert plan.errors == []
    assert [(r.line, r.action) for r in plan.rows] == [(2, "create"), (3, "create")]
    assert plan.new_categories == [("Drinks",), ("Drinks", "Coffee")]
    assert plan.new_tags == ["new", "promo"]

    assert product_import_apply(plan, actor=manager) == {"created": 2, "updated": 0, "unchanged": 0}
    kopi = Product.objects.get(sku="KOP-1")
    assert kopi.category == Category.objects.get(name="Coffee", parent__name="Drinks")
    assert {t.name for t in kopi.tags.all()} == {"promo", "new"}
    assert kopi.cost_price == Decimal("9000.5")
    assert Product.objects.get(sku="TEH-1").sale_price == Decimal("12500.00")


def test_the_same_file_imported_twice_leaves_the_same_state(manager):
    product_import_apply(plan_for(GOOD_CSV, manager), actor=manager)
    snapshot = list(Product.objects.order_by("sku").values())
    second = plan_for(GOOD_CSV, manager)
    assert [r.action for r in second.rows] == ["unchanged", "unchanged"]
    product_import_apply(second, actor=manager)
    after = list(Product.objects.order_by("sku").values())
    assert [{**p, "updated_at": None} for p in after] == [
        {**p, "updated_at": None} for p in snapshot
    ]
    assert Category.objects.count() == 2
    assert Tag.objects.count() == 2


def test_rows_update_existing_products_matched_by_sku_whatever_the_case(manager):
    ProductFactory(sku="KOP-1", name="Old name", sale_price=Decimal("1"))
    plan = plan_for("sku,name,sale_price\nkop-1,New name,2\n", manager)
    assert [(r.action, r.changes) for r in plan.rows] == [("update", ["name", "sale_price"])]
    product_import_apply(plan, actor=manager)
    product = Product.objects.get()
    assert (product.sku, product.name, product.sale_price) == ("KOP-1", "New name", Decimal("2"))


def test_columns_missing_from_the_file_keep_their_values(manager):
    product = ProductFactory(sku="A-1", tax_rate=Decimal("11"), reorder_point=Decimal("7"))
    product_import_apply(plan_for("sku,name\nA-1,Renamed\n", manager), actor=manager)
    product.refresh_from_db()
    assert (product.name, product.tax_rate, product.reorder_point) == ("Renamed", 11, 7)


def test_one_bad_row_imports_nothing_and_every_error_has_line_and_column(manager):
    text = (
        "sku,name,sale_price,unit,active,preferred_supplier\n"
        "OK-1,Fine,10,pcs,yes,\n"
        "BAD-1,Broken,ten,crate,maybe,Nobody Ltd\n"
        "OK-2,Also fine,-5,pcs,no,\n"
        ",No sku,1,pcs,yes,\n"
        "ok-1,Duplicate,1,pcs,yes,\n"
    )
    plan = plan_for(text, manager)
    assert not plan.is_valid
    found = {(e.line, e.column) for e in plan.errors}
    assert found == {
        (3, "sale_price"),
        (3, "unit"),
        (3, "active"),
        (3, "preferred_supplier"),
        (4, "sale_price"),
        (5, "sku"),
        (6, "sku"),
    }
    duplicate = next(e for e in plan.errors if e.line == 6)
    assert "first on line 2" in duplicate.message
    with pytest.raises(ValueError, match="valid plan"):
        product_import_apply(plan, actor=manager)
    assert not Product.objects.exists()


def test_barcodes_must_stay_unique(manager):
    ProductFactory(sku="X-1", barcode="111")
    text = "sku,name,barcode\nY-1,A,111\nY-2,B,222\nY-3,C,222\n"
    errors = {(e.line, e.column) for e in plan_for(text, manager).errors}
    assert errors == {(2, "barcode"), (4, "barcode")}


def test_real_spreadsheet_quirks_are_tolerated(manager):
    text = (
        "\ufeff  SKU ; Product Name ;HARGA JUAL; cost ;Satuan;Is Active\r\n"
        "\r\n"
        "K-1;Gula 1 kg;15.000;12.345,50;kg;ya\r\n"
        " ; ; ; ; ; \r\n"
        "K-2;Beras 5 kg;1.250.000;1.000.000;dus;tidak\r\n"
    )
    plan = plan_for(text.encode("utf-8"), manager)
    assert plan.errors == []
    assert [r.line for r in plan.rows] == [3, 5]
    product_import_apply(plan, actor=manager)
    gula, beras = Product.objects.order_by("sku")
    assert (gula.sale_price, gula.cost_price, gula.unit, gula.is_active) == (
        Decimal("15000"), Decimal("12345.50"), "kg", True,
    )  # fmt: skip
    assert (beras.sale_price, beras.unit, beras.is_active) == (Decimal("1250000"), "box", False)


def test_xlsx_files_import_with_numbers_and_text_cells(manager):
    SupplierFactory(name="PT Segar")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Sku", "Name", "Sale price", "Barcode", "Preferred supplier"])
    sheet.append(["X-1", "Susu UHT", 6500, 8991234567890, "pt segar"])
    sheet.append([None, None, None, None, None])
    sheet.append(["X-2", "Roti", "7.500,50", None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = plan_for(buffer.getvalue(), manager, filename="Products.XLSX")
    assert plan.errors == []
    product_import_apply(plan, actor=manager)
    susu = Product.objects.get(sku="X-1")
    assert (susu.sale_price, susu.barcode, susu.preferred_supplier.name) == (
        Decimal("6500"), "8991234567890", "PT Segar",
    )  # fmt: skip
    assert Product.objects.get(sku="X-2").sale_price == Decimal("7500.50")


def test_staff_cannot_set_costs_through_an_import(make_user):
    staff = make_user(Role.STAFF)
    plan = plan_for("sku,name,cost_price\nA-1,A,5\n", staff)
    assert any("cost_price" in notice for notice in plan.notices)
    assert plan.rows[0].product.cost_price == 0


def test_a_file_without_an_sku_column_is_refused(manager):
    plan = plan_for("name,price\nA,1\n", manager)
    assert [(e.line, e.column) for e in plan.errors] == [(1, "sku")]


@pytest.mark.parametrize(
    ("filename", "content"),
    [("products.pdf", b"%PDF"), ("products.xlsx", b"not a zip"), ("products.csv", b"\n\n")],
)
def test_unreadable_files_are_refused_with_a_reason(filename, content):
    with pytest.raises(UnreadableFileError):
        read_sheet(filename, content)


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("1,234.50", False, "1234.50"),
        ("1.234,50", True, "1234.50"),
        ("12,5", None, "12.5"),
        ("1,234", None, "1234"),
        ("1.234.567", None, "1234567"),
        ("12.5", None, "12.5"),
        ("Rp 15.000", True, "15000"),
        ("-3", False, "-3"),
    ],
)
def test_numbers_are_read_as_people_write_them(text, decimal_comma, expected):
    assert parse_decimal(text, decimal_comma) == Decimal(expected)


def test_ten_thousand_rows_plan_and_apply_in_a_handful_of_queries(
    manager, django_assert_max_num_queries
):
    lines = ["sku,name,category,tags,sale_price"]
    lines += [f"BULK-{n},Product {n},Bulk > Group {n % 20},t{n % 5},{n}.50" for n in range(10_000)]
    with django_assert_max_num_queries(10):
        plan = plan_for("\n".join(lines), manager)
    assert plan.errors == []
    with django_assert_max_num_queries(80):
        result = product_import_apply(plan, actor=manager)
    assert result["created"] == 10_000
    assert Product.objects.filter(tags__name="t3").count() == 2_000
