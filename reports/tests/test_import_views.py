import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.roles import Role
from products.tests.factories import ProductFactory
from reports.models import ImportBatch, ImportedSale

pytestmark = pytest.mark.django_db

UPLOAD = reverse("reports:import")
CSV = (
    "Tanggal;No Faktur;Kode;Nama Barang;Qty;Harga;Pelanggan\n"
    "31/03/2025;INV-1;KOPI-1;Kopi;2;12.500;Toko Ani\n"
    "31/03/2025;INV-1;ONGKIR;Ongkos kirim;1;9.000;Toko Ani\n"
    "01/04/2025;RET-1;KOPI-1;Kopi;-1;12.500;Toko Ani\n"
)
MAPPING = {
    "date": "0", "document": "1", "code": "2", "description": "3", "quantity": "4",
    "price": "5", "customer": "6", "location": "",
}  # fmt: skip


@pytest.fixture
def manager(client, make_user):
    user = make_user(Role.MANAGER)
    client.force_login(user)
    return user


def upload(client, content, name="sales.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data)})


def uploaded_batch(client, content=CSV, name="sales.csv") -> ImportBatch:
    response = upload(client, content, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("pk")


def test_upload_columns_preview_import_and_result(
    client, manager, django_capture_on_commit_callbacks
):
    ProductFactory(sku="KOPI-1", cost_price=Decimal(9000))
    batch = uploaded_batch(client)
    mapping_url = reverse("reports:import_mapping", args=[batch.pk])

    page = client.get(mapping_url)
    assert page.status_code == 200
    form = page.context["form"]
    guessed = {key: form[key].value() for key in MAPPING}
    assert guessed == MAPPING | {"location": ""}  # guessed from the Indonesian headers

    response = client.post(mapping_url, MAPPING | {"excluded_codes": "ONGKIR, FEE"})
    assert response.headers["Location"] == reverse("reports:import_preview", args=[batch.pk])
    assert not ImportedSale.objects.exists()  # a preview writes nothing

    preview = client.get(response.headers["Location"])
    html = preview.content.decode()
    assert 'data-testid="confirm-import"' in html
    assert "2 to import" in html
    assert "1 skipped" in html
    assert "1 new customer will be created" in html

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("reports:import_apply", args=[batch.pk]))
    assert started.headers["Location"] == reverse("reports:import_detail", args=[batch.pk])
    assert ImportedSale.objects.count() == 2
    assert sorted(ImportedSale.objects.values_list("quantity", flat=True)) == [-1, 2]
    assert ImportedSale.objects.get(quantity=2).unit_price == 12500

    result = client.get(reverse("reports:import_progress", args=[batch.pk])).content.decode()
    assert 'data-status="done"' in result
    assert "hx-trigger" not in result  # done: the page stops polling
    assert "Imported 2 sales lines" in result
    detail = client.get(started.headers["Location"])
    assert 'data-testid="import-progress"' in detail.content.decode()


def test_a_file_with_bad_lines_shows_every_line_and_offers_no_import(client, manager):
    ProductFactory(sku="KOPI-1")
    content = "date,code,qty,price\n2025-03-31,KOPI-1,2,x\n2025-03-31,NOPE,1,5\n"
    batch = uploaded_batch(client, content)
    mapping = {"date": "0", "code": "1", "quantity": "2", "price": "3"}
    client.post(reverse("reports:import_mapping", args=[batch.pk]), mapping)
    html = client.get(reverse("reports:import_preview", args=[batch.pk])).content.decode()
    assert 'data-testid="import-problems"' in html
    assert "<td>2</td><td><code>price</code></td>" in html
    assert "<td>3</td><td><code>code</code></td>" in html
    assert 'data-testid="confirm-import"' not in html

    refused = client.post(reverse("reports:import_apply", args=[batch.pk]))
    assert refused.headers["Location"] == reverse("reports:import_preview", args=[batch.pk])
    assert not ImportedSale.objects.exists()


def test_an_xlsx_upload_offers_its_columns(client, manager):
    workbook = Workbook()
    workbook.active.append(["Date", "SKU", "Quantity", "Unit price"])
    workbook.active.append(["2025-03-31", "A", 1, 5])
    content = io.BytesIO()
    workbook.save(content)
    batch = uploaded_batch(client, content.getvalue(), name="history.xlsx")
    page = client.get(reverse("reports:import_mapping", args=[batch.pk]))
    assert page.context["form"]["price"].value() == "3"


def test_a_file_already_imported_is_refused_at_upload(client, manager, make_user):
    content = "date,code,qty,price\n2025-03-31,KOPI-1,2,5\n"
    first = uploaded_batch(client, content)
    ImportBatch.objects.filter(pk=first.pk).update(status=ImportBatch.Status.DONE)
    response = upload(client, content)
    assert response.status_code == 400
    assert "already imported" in response.context["form"].errors["file"][0]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.csv", b""),
        ("blank.csv", b"\n\n  \n"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip"),
        ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("notes.pdf", b"%PDF-1.4"),
    ],
)
def test_unreadable_files_are_form_errors(client, manager, name, content):
    response = upload(client, content, name)
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists()


def test_a_latin1_file_with_odd_bytes_still_reaches_the_columns(client, manager):
    batch = uploaded_batch(client, b"tanggal,kode,qty,harga\n2025-03-31,A\x81\xff,1,5\n")
    assert client.get(reverse("reports:import_mapping", args=[batch.pk])).status_code == 200


def test_two_fields_on_one_column_and_a_missing_required_field_are_form_errors(client, manager):
    batch = uploaded_batch(client)
    url = reverse("reports:import_mapping", args=[batch.pk])
    response = client.post(url, MAPPING | {"description": "2"})
    assert response.status_code == 400
    assert response.context["form"].errors.as_data()["description"][0].code == "same_column"

    response = client.post(url, MAPPING | {"price": ""})
    assert response.status_code == 400
    assert "price" in response.context["form"].errors

    response = client.post(url, MAPPING | {"price": "99"})  # no such column
    assert response.status_code == 400


def test_preview_before_choosing_columns_goes_to_the_columns(client, manager):
    batch = uploaded_batch(client)
    response = client.get(reverse("reports:import_preview", args=[batch.pk]))
    assert response.headers["Location"] == reverse("reports:import_mapping", args=[batch.pk])


def test_a_running_import_is_polled_every_second(client, manager):
    batch = uploaded_batch(client)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING, stage="writing", total_rows=200, processed_rows=50
    )
    html = client.get(reverse("reports:import_progress", args=[batch.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'aria-valuenow="25"' in html
    # Its columns can no longer change.
    columns = client.get(reverse("reports:import_mapping", args=[batch.pk]))
    assert columns.headers["Location"] == reverse("reports:import_detail", args=[batch.pk])


def test_the_progress_fragment_costs_a_fixed_number_of_queries(
    client, manager, django_assert_num_queries
):
    batch = uploaded_batch(client)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.FAILED,
        problems=[{"line": n, "column": "qty", "message": "bad"} for n in range(2, 1002)],
    )
    url = reverse("reports:import_progress", args=[batch.pk])
    # Session, user, user and group permissions, the batch, the user's groups (navigation):
    # however many problems the batch holds.
    with django_assert_num_queries(5):
        html = client.get(url).content.decode()
    assert html.count("<tr>") == 1001  # the header and every problem


def test_staff_may_not_import(client, make_user):
    client.force_login(make_user(Role.STAFF))
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, CSV).status_code == 403
    assert not ImportBatch.objects.exists()


def test_a_file_with_only_a_header_has_nothing_to_import(client, manager):
    batch = uploaded_batch(client, "date,code,qty,price\n\n")
    url = reverse("reports:import_mapping", args=[batch.pk])
    client.post(url, {"date": "0", "code": "1", "quantity": "2", "price": "3"})
    html = client.get(reverse("reports:import_preview", args=[batch.pk])).content.decode()
    assert "nothing new to import" in html
    assert 'data-testid="confirm-import"' not in html
