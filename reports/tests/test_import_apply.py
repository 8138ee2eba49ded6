import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections, transaction
from django.db.models import Sum
from django.utils import timezone
from openpyxl import Workbook

from accounts.roles import Role
from orders.models import Customer
from orders.tests.factories import CustomerFactory
from products.models import Product
from products.tests.factories import ProductFactory
from reports.importing.applying import sales_history_import_apply
from reports.importing.columns import guess_mapping
from reports.importing.planning import ImportOptions
from reports.importing.progress import ProgressWriter
from reports.importing.services import (
    AlreadyImportedError,
    sales_history_file_store,
    sales_history_preview,
)
from reports.models import ImportBatch, ImportedSale, SalesFact
from reports.tasks import sales_history_import
from stock.models import StockLevel, StockMovement
from stock.services import stock_receive
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

HEADER = "tanggal,no faktur,kode,nama barang,qty,harga,pelanggan\n"


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


@pytest.fixture
def products(db):
    return {
        sku: ProductFactory(sku=sku, cost_price=Decimal("4.0000"))
        for sku in ("KOPI-1", "TEH-1", "GULA-1")
    }


def store(manager, content, name="sales.csv"):
    data = content.encode() if isinstance(content, str) else content
    return sales_history_file_store(actor=manager, upload=SimpleUploadedFile(name, data))


def check(manager, content, name="sales.csv", **options):
    """Store and preview a file as a manager would; return the batch."""
    batch = store(manager, content, name)
    mapping = options.pop("mapping", None) or guess_mapping(batch.options["headers"])
    sales_history_preview(
        actor=manager, batch=batch, options=ImportOptions(mapping=mapping, **options)
    )
    return batch


def run(manager, content, name="sales.csv", **options) -> ImportBatch:
    return sales_history_import_apply(batch_id=check(manager, content, name, **options).pk)


def problem_lines(batch):
    return [problem["line"] for problem in batch.problems]


def test_a_clean_file_is_imported_with_revenue_cost_and_noon_dates(manager, products):
    batch = run(
        manager,
        HEADER
        + '2025-03-31,INV-1,KOPI-1,Kopi,2,"12,345",Toko Ani\n'
        + "2025-03-31,INV-1,teh-1,Teh,3,0.335,Toko Ani\n",
    )
    assert batch.status == ImportBatch.Status.DONE
    assert (batch.imported_rows, batch.skipped_rows, batch.total_rows) == (2, 0, 2)
    kopi, teh = ImportedSale.objects.order_by("line_number")
    assert (kopi.line_number, kopi.product, kopi.document_number) == (
        2,
        products["KOPI-1"],
        "INV-1",
    )
    assert (kopi.quantity, kopi.unit_price, kopi.revenue) == (2, Decimal("12345"), Decimal("24690"))
    assert teh.product == products["TEH-1"]  # codes match whatever their case
    assert teh.revenue == Decimal("1.01")  # 1.005 rounded half up
    assert kopi.unit_cost == Decimal("4.0000")
    local = timezone.localtime(kopi.occurred_at)
    assert (local.date(), local.hour) == (date(2025, 3, 31), 12)
    assert kopi.customer == teh.customer == Customer.objects.get(name="Toko Ani")


def test_a_bad_line_rejects_the_file_with_its_line_number_and_imports_nothing(manager, products):
    content = HEADER + "2025-03-31,A,KOPI-1,,2,5000,\n2025-03-31,A,TEH-1,,two,5000,\n"
    batch = check(manager, content)
    assert batch.report["problem_count"] == 1
    assert batch.problems == [
        {"line": 3, "column": "qty", "message": "“two” is not a valid quantity."}
    ]
    batch = sales_history_import_apply(batch_id=batch.pk)
    assert batch.status == ImportBatch.Status.FAILED
    assert problem_lines(batch) == [3]
    assert not ImportedSale.objects.exists()
    assert not Customer.objects.exists()


def test_every_bad_line_is_reported(manager, products):
    content = (
        HEADER
        + "31/02/2025,A,KOPI-1,,2,5000,\n"  # no such date
        + "2025-03-31,A,TEH-1,,2,5000,\n"
        + "\n"
        + "2025-03-31,A,NOPE-1,,2,-5,\n"  # unknown code and a negative price
    )
    batch = run(manager, content)
    assert batch.status == ImportBatch.Status.FAILED
    assert problem_lines(batch) == [2, 5, 5]
    assert batch.report["problem_count"] == 3
    assert not ImportedSale.objects.exists()


def test_blank_lines_are_ignored_but_counted_in_line_numbers(manager, products):
    batch = run(manager, "\n" + HEADER + "\n\n2025-03-31,A,KOPI-1,,1,5,\n,,,,,,\n")
    assert batch.imported_rows == 1
    assert ImportedSale.objects.get().line_number == 5


def test_the_same_file_cannot_be_imported_twice(manager, products):
    content = HEADER + "2025-03-31,A,KOPI-1,,1,5,\n"
    run(manager, content)
    with pytest.raises(AlreadyImportedError):
        store(manager, content)
    assert ImportedSale.objects.count() == 1


def test_an_overlapping_file_adds_only_the_new_lines(manager, products):
    first = "2025-03-30,A,KOPI-1,,1,5,Ani\n2025-03-31,B,TEH-1,,1,5,Ani\n"
    run(manager, HEADER + first)
    batch = run(manager, HEADER + first + "2025-04-01,C,GULA-1,,1,5,Ani\n")
    assert (batch.imported_rows, batch.skipped_rows) == (1, 2)
    assert batch.report["already_imported"] == 2
    assert ImportedSale.objects.count() == 3
    assert Customer.objects.count() == 1


def test_a_file_with_nothing_new_is_not_imported(manager, products):
    run(manager, HEADER + "2025-03-30,A,KOPI-1,,1,5,\n")
    batch = run(manager, HEADER + "2025-03-30,A,KOPI-1,,1,5,\n\n")
    assert batch.status == ImportBatch.Status.FAILED
    assert "nothing new" in batch.problems[0]["message"]


def test_an_exact_duplicate_line_is_skipped_as_a_duplicate_of_the_first(manager, products):
    line = "2025-03-30,A,KOPI-1,,1,5,\n"
    batch = check(manager, HEADER + line + "2025-03-30,A,KOPI-1,,2,5,\n" + line)
    assert batch.report["duplicates"] == 1
    assert batch.report["skipped"] == [[4, "duplicate of line 2"]]
    batch = sales_history_import_apply(batch_id=batch.pk)
    assert sorted(ImportedSale.objects.values_list("line_number", flat=True)) == [2, 3]


def test_negative_quantities_are_returns(manager, products):
    run(manager, HEADER + "2025-03-30,A,KOPI-1,,5,10,\n2025-03-31,RET-A,KOPI-1,,-2,10,\n")
    ret = ImportedSale.objects.get(document_number="RET-A")
    assert (ret.quantity, ret.revenue) == (-2, Decimal("-20.00"))
    facts = SalesFact.objects.filter(imported=True).aggregate(q=Sum("quantity"), r=Sum("revenue"))
    assert facts == {"q": 3, "r": Decimal("30")}


def test_a_zero_quantity_is_a_problem_and_a_zero_price_is_free_goods(manager, products):
    batch = check(manager, HEADER + "2025-03-30,A,KOPI-1,,0,10,\n2025-03-30,A,TEH-1,,1,0,\n")
    assert problem_lines(batch) == [2]
    batch = run(manager, HEADER + "2025-03-30,A,TEH-1,,1,0,\n")
    assert batch.status == ImportBatch.Status.DONE
    assert ImportedSale.objects.get().revenue == 0


def test_excluded_codes_are_skipped(manager, products):
    batch = run(
        manager,
        HEADER
        + "2025-03-30,A,KOPI-1,,1,10,\n2025-03-30,A,ongkir,,1,9000,\n2025-03-30,A,FEE,,1,1,\n",
        excluded_codes=("ONGKIR", "FEE"),
    )
    assert (batch.imported_rows, batch.skipped_rows, batch.report["excluded"]) == (1, 2, 2)
    assert not Product.objects.filter(sku__iexact="ongkir").exists()


def test_unknown_codes_are_a_problem_unless_new_products_are_asked_for(manager, products):
    content = HEADER + "2025-03-30,A,NEW-1,Kopi Susu,1,10,\n2025-03-31,B,NEW-1,,2,10,\n"
    refused = check(manager, content)
    assert problem_lines(refused) == [2, 3]
    assert refused.problems[0]["message"] == "Unknown product code “NEW-1”."

    batch = sales_history_import_apply(batch_id=check(manager, content, create_products=True).pk)
    assert batch.report["new_products"] == [["NEW-1", "Kopi Susu"]]
    product = Product.objects.get(sku="NEW-1")
    assert product.name == "Kopi Susu"
    assert ImportedSale.objects.filter(product=product).count() == 2


def test_customers_match_by_name_whatever_the_case_and_missing_ones_are_created(manager, products):
    ani = CustomerFactory(name="Toko Ani")
    batch = check(
        manager,
        HEADER + "2025-03-30,A,KOPI-1,,1,10,TOKO  ANI\n2025-03-30,B,KOPI-1,,1,10,Budi\n"
        "2025-03-30,C,KOPI-1,,1,10,budi\n2025-03-30,D,KOPI-1,,1,10,\n",
    )
    assert batch.report["new_customers"] == ["Budi"]
    sales_history_import_apply(batch_id=batch.pk)
    budi = Customer.objects.get(name="Budi")
    by_document = {s.document_number: s.customer for s in ImportedSale.objects.all()}
    assert by_document == {"A": ani, "B": budi, "C": budi, "D": None}


def test_locations_match_by_name_and_an_unknown_one_is_a_problem(manager, products):
    store_1 = LocationFactory(name="Toko Pusat")
    header = "date,invoice,sku,qty,price,location\n"
    batch = check(
        manager, header + "2025-03-30,A,KOPI-1,1,10,toko pusat\n2025-03-30,B,KOPI-1,1,10,Mars\n"
    )
    assert batch.problems == [
        {"line": 3, "column": "location", "message": "Unknown location “Mars”."}
    ]
    run(manager, header + "2025-03-30,A,KOPI-1,1,10,toko pusat\n")
    assert ImportedSale.objects.get().location == store_1


def test_date_formats_of_one_file_all_parse(manager, products):
    dates = ["2025-03-31", "31/03/2025", "31-03-2025", "31.03.2025", "2025/03/31", "31 Mar 2025"]
    lines = "".join(f"{d},D{n},KOPI-1,,1,10,\n" for n, d in enumerate(dates))
    run(manager, HEADER + lines)
    days = {timezone.localdate(s.occurred_at) for s in ImportedSale.objects.all()}
    assert days == {date(2025, 3, 31)}


def test_a_file_whose_dates_only_read_month_first_is_read_month_first(manager, products):
    batch = run(manager, HEADER + "03/04/2025,A,KOPI-1,,1,10,\n12/31/2025,B,KOPI-1,,1,10,\n")
    assert batch.report["month_first"] is True
    sale = ImportedSale.objects.get(document_number="A")
    assert timezone.localdate(sale.occurred_at) == date(2025, 3, 4)


def test_numbers_with_thousands_separators_in_either_convention(manager, products):
    semicolons = "tanggal;kode;qty;harga\n2025-03-30;KOPI-1;1.000;1.234,50\n"
    run(manager, semicolons)
    sale = ImportedSale.objects.get()
    assert (sale.quantity, sale.unit_price) == (1000, Decimal("1234.50"))
    commas = 'date,code,qty,price\n2025-03-30,TEH-1,"1,5","1,234.50"\n'
    run(manager, commas)
    sale = ImportedSale.objects.get(product__sku="TEH-1")
    assert (sale.quantity, sale.unit_price) == (Decimal("1.5"), Decimal("1234.50"))


def test_a_cp1252_file_is_read(manager, products):
    content = (HEADER + "2025-03-30,A,KOPI-1,,1,10,Caf\u00e9 Ren\u00e9\n").encode("cp1252")
    run(manager, content)
    assert Customer.objects.get().name == "Caf\u00e9 Ren\u00e9"


def test_an_xlsx_file_with_date_cells_is_imported(manager, products):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Tanggal", "No Faktur", "Kode", "Qty", "Harga", "Pelanggan"])
    cell = datetime(2025, 3, 31, 9, 0)  # noqa: DTZ001 - spreadsheet dates are naive
    sheet.append([cell, "INV-9", "KOPI-1", 2, 12500.5, "Ani"])
    sheet.append([])
    sheet.append(["2025-04-01", 1001, "TEH-1", -1, 3000, None])
    content = io.BytesIO()
    workbook.save(content)
    batch = run(manager, content.getvalue(), name="sales.xlsx")
    assert batch.status == ImportBatch.Status.DONE, batch.problems
    kopi, teh = ImportedSale.objects.order_by("line_number")
    assert (kopi.line_number, kopi.unit_price, kopi.revenue) == (2, Decimal("12500.5"), 25001)
    assert timezone.localdate(kopi.occurred_at) == date(2025, 3, 31)
    assert (teh.line_number, teh.document_number, teh.quantity) == (4, "1001", -1)


def test_the_import_moves_no_stock(manager, products):
    location = LocationFactory()
    stock_receive(
        actor=manager, product=products["KOPI-1"], location=location, quantity=10, unit_cost=4
    )
    movements = StockMovement.objects.count()
    levels = list(StockLevel.objects.values_list("product", "location", "on_hand", "reserved"))
    run(
        manager,
        HEADER + "2025-03-30,A,KOPI-1,,4,10,\n2025-03-30,A,NEW,,4,10,\n",
        create_products=True,
    )
    assert StockMovement.objects.count() == movements
    assert (
        list(StockLevel.objects.values_list("product", "location", "on_hand", "reserved")) == levels
    )


def test_imported_lines_feed_the_sales_fact_view(manager, products):
    run(manager, HEADER + "2025-03-30,A,KOPI-1,,2,10,Ani\n2025-03-30,A,TEH-1,,1,0.5,Ani\n")
    facts = SalesFact.objects.filter(imported=True)
    assert facts.count() == 2
    assert facts.aggregate(r=Sum("revenue"), c=Sum("cost")) == {
        "r": Decimal("20.5"),
        "c": Decimal("12"),  # 3 units at the products' cost of 4
    }
    kopi = facts.get(product=products["KOPI-1"])
    assert (kopi.document, kopi.channel, kopi.customer.name) == ("A", "imported", "Ani")


def test_the_task_does_nothing_for_a_batch_already_imported(manager, products):
    batch = run(manager, HEADER + "2025-03-30,A,KOPI-1,,2,10,\n")
    assert sales_history_import.delay(batch.pk).get() == "done"
    assert ImportedSale.objects.count() == 1


def test_a_file_that_is_gone_fails_the_batch_with_a_message(manager, products):
    from django.core.files.storage import default_storage

    batch = check(manager, HEADER + "2025-03-30,A,KOPI-1,,2,10,\n")
    default_storage.delete(batch.options["file"]["key"])
    batch = sales_history_import_apply(batch_id=batch.pk)
    assert batch.status == ImportBatch.Status.FAILED
    assert "upload it again" in batch.problems[0]["message"]


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_to_others_while_the_import_transaction_is_open(make_user):
    batch = ImportBatch.objects.create(
        file_name="x.csv", file_sha256="1" * 64, uploaded_by=make_user(Role.MANAGER)
    )
    observer = connections.create_connection("default")
    try:
        with transaction.atomic(), ProgressWriter(batch.pk) as progress:
            ImportedSale.objects.filter(batch=batch).exists()  # the import's transaction is open
            progress("writing", 5000)
            with observer.cursor() as cursor:
                cursor.execute(
                    "SELECT stage, processed_rows FROM reports_importbatch WHERE id = %s",
                    [batch.pk],
                )
                assert cursor.fetchone() == ("writing", 5000)
    finally:
        observer.close()
