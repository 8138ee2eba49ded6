import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from products.models import Product

pytestmark = pytest.mark.django_db

URL = reverse("products:product_import")


def upload(client, text: str, name="products.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, text.encode("utf-8"))})


def test_preview_then_confirm_imports_the_file(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    preview = upload(client, "sku,name,sale_price\nA-1,Apel,5000\nB-1,Beras,60000\n")
    assert preview.status_code == 200
    assert preview.context["plan"].is_valid
    assert not Product.objects.exists()  # a preview writes nothing

    done = client.post(URL, {"confirm": "1"})
    assert done.headers["Location"] == reverse("products:product_list")
    assert set(Product.objects.values_list("sku", flat=True)) == {"A-1", "B-1"}
    message = str(next(iter(client.get(reverse("products:product_list")).context["messages"])))
    assert message == "Imported: 2 created, 0 updated, 0 unchanged."


def test_a_file_with_one_bad_row_shows_line_and_column_and_cannot_be_confirmed(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    preview = upload(client, "sku,name,sale_price\nA-1,Apel,5000\nB-1,Beras,lots\n")
    html = preview.content.decode()
    assert 'data-testid="import-errors"' in html
    assert "<td>3</td><td><code>sale_price</code></td>" in html
    assert 'data-testid="confirm-import"' not in html

    client.post(URL, {"confirm": "1"})
    assert not Product.objects.exists()


def test_confirm_plans_again_against_the_current_database(client, make_user):
    from products.tests.factories import ProductFactory

    client.force_login(make_user(Role.MANAGER))
    upload(client, "sku,name,barcode\nA-1,Apel,12345\n")
    ProductFactory(sku="OTHER", barcode="12345")  # meanwhile someone took the barcode
    response = client.post(URL, {"confirm": "1"})
    assert response.status_code == 200
    assert response.context["plan"].errors[0].column == "barcode"
    assert not Product.objects.filter(sku="A-1").exists()


def test_confirm_without_a_preview_asks_for_the_file_again(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    response = client.post(URL, {"confirm": "1"}, follow=True)
    assert "the preview has expired" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("products.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx file."),
        ("products.xlsx", b"not really xlsx", "This is not a readable .xlsx file."),
        ("products.csv", b"", "The submitted file is empty."),
    ],
)
def test_unreadable_uploads_get_a_field_error(client, make_user, name, content, message):
    client.force_login(make_user(Role.MANAGER))
    response = client.post(URL, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]


def test_staff_cannot_import(client, make_user):
    client.force_login(make_user(Role.STAFF))
    assert upload(client, "sku,name\nA,B\n").status_code == 403
    assert not Product.objects.exists()
