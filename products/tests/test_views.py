import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from products.models import Category, Product
from products.tests.factories import CategoryFactory, ProductFactory, TagFactory
from suppliers.tests.factories import SupplierProductFactory

pytestmark = pytest.mark.django_db

COST = Decimal("6.5432")  # an unmistakable number: must never reach staff


@pytest.fixture
def costly_product():
    product = ProductFactory(sku="KOP-01", name="Kopi Aren", cost_price=COST)
    SupplierProductFactory(product=product, purchase_price=Decimal("7.1234"))
    return product


def test_staff_see_no_cost_on_list_detail_or_supplier_pages(client, make_user, costly_product):
    client.force_login(make_user(Role.STAFF))
    supplier = costly_product.supplier_products.get().supplier
    for url in (
        reverse("products:product_list"),
        costly_product.get_absolute_url(),
        supplier.get_absolute_url(),
    ):
        html = client.get(url).content.decode()
        assert "6.5432" not in html, url
        assert "7.1234" not in html, url
        assert "Cost" not in html, url


def test_managers_see_cost_and_purchase_prices(client, make_user, costly_product):
    client.force_login(make_user(Role.MANAGER))
    html = client.get(costly_product.get_absolute_url()).content.decode()
    assert "6.5432" in html
    assert "7.1234" in html


def test_staff_exports_have_no_cost_column(client, make_user, costly_product):
    client.force_login(make_user(Role.STAFF))
    response = client.get(reverse("products:product_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert "cost_price" not in rows[0]
    assert "6.5432" not in str(rows)
    xlsx = client.get(reverse("products:product_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert "cost_price" not in [c.value for c in sheet[1]]


def test_manager_export_follows_the_list_filters(client, make_user, costly_product):
    ProductFactory(sku="TEH-01", name="Teh Melati")
    client.force_login(make_user(Role.MANAGER))
    response = client.get(reverse("products:product_export", args=["csv"]), {"q": "kopi"})
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert [(r["sku"], r["cost_price"]) for r in rows] == [("KOP-01", "6.5432")]
    assert rows[0]["category"] == costly_product.category.name


@pytest.mark.parametrize("page_size_products", [5, 120])
def test_product_list_runs_a_fixed_number_of_queries(
    client, make_user, django_assert_num_queries, page_size_products
):
    tags = TagFactory.create_batch(2)
    for product in ProductFactory.create_batch(page_size_products):
        product.tags.add(*tags)
    client.force_login(make_user(Role.MANAGER))
    # session, user, permissions, role groups and unread count (navbar), count, the page's
    # keys and rows, and the filter form's tag choices (category and supplier: autocomplete)
    with django_assert_num_queries(9):
        response = client.get(reverse("products:product_list"))
    assert len(response.context["object_list"]) == min(page_size_products, 50)


def test_filtering_by_a_category_includes_its_sub_categories(client, make_user):
    food = CategoryFactory(name="Food")
    snacks = Category.objects.create(name="Snacks", parent=food)
    ProductFactory(sku="CHIPS", category=snacks)
    ProductFactory(sku="BREAD", category=food)
    ProductFactory(sku="SODA", category=CategoryFactory(name="Drinks"))
    client.force_login(make_user(Role.STAFF))
    listed = client.get(reverse("products:product_list"), {"category": food.pk})
    assert {p.sku for p in listed.context["object_list"]} == {"CHIPS", "BREAD"}


def test_list_shows_active_products_unless_asked(client, make_user):
    ProductFactory(sku="OLD", is_active=False)
    ProductFactory(sku="NEW")
    client.force_login(make_user(Role.STAFF))
    url = reverse("products:product_list")
    assert {p.sku for p in client.get(url).context["object_list"]} == {"NEW"}
    everything = client.get(url, {"status": "all"}).context["object_list"]
    assert {p.sku for p in everything} == {"OLD", "NEW"}


def test_list_filters_by_price_range_tag_and_sorts(client, make_user):
    promo = TagFactory(name="promo")
    ProductFactory(sku="A", sale_price=Decimal("5"), tags=[promo])
    ProductFactory(sku="B", sale_price=Decimal("15"), tags=[promo])
    ProductFactory(sku="C", sale_price=Decimal("25"))
    client.force_login(make_user(Role.STAFF))
    url = reverse("products:product_list")
    priced = client.get(url, {"min_price": "10", "max_price": "30", "ordering": "-price"})
    assert [p.sku for p in priced.context["object_list"]] == ["C", "B"]
    tagged = client.get(url, {"tag": promo.pk, "ordering": "sku"})
    assert [p.sku for p in tagged.context["object_list"]] == ["A", "B"]


def test_bad_filter_values_give_a_page_not_an_error(client, make_user):
    client.force_login(make_user(Role.STAFF))
    response = client.get(
        reverse("products:product_list"), {"min_price": "abc", "category": "999999", "page": "x"}
    )
    assert response.status_code in (200, 404)


def product_form(**overrides):
    return {
        "sku": "NEW-1",
        "barcode": "",
        "name": "Gula Pasir 1 kg",
        "description": "",
        "unit": "kg",
        "category": "",
        "cost_price": "12000",
        "sale_price": "15000",
        "tax_rate": "11",
        "reorder_point": "10",
        "reorder_quantity": "50",
        "is_active": "on",
    } | overrides


def test_manager_creates_a_product(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    tag = TagFactory(name="sembako")
    response = client.post(reverse("products:product_create"), product_form(tags=[tag.pk]))
    product = Product.objects.get(sku="NEW-1")
    assert response.headers["Location"] == product.get_absolute_url()
    assert product.barcode is None
    assert product.sale_price == Decimal("15000")
    assert list(product.tags.all()) == [tag]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sku": "kop-01"}, "sku"),  # exists as KOP-01
        ({"sale_price": "-1"}, "sale_price"),
        ({"tax_rate": "150"}, "tax_rate"),
        ({"sale_price": "1,5"}, "sale_price"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_product_input_gets_a_field_error(client, make_user, costly_product, overrides, field):
    client.force_login(make_user(Role.MANAGER))
    response = client.post(reverse("products:product_create"), product_form(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Product.objects.count() == 1


def test_deactivating_a_product_hides_it_from_the_default_list(client, make_user):
    product = ProductFactory()
    client.force_login(make_user(Role.MANAGER))
    client.post(reverse("products:product_activate", args=[product.pk]), {"active": "0"})
    product.refresh_from_db()
    assert not product.is_active


def test_admin_deletes_a_product_without_history(client, admin_user):
    product = ProductFactory()
    client.force_login(admin_user)
    response = client.post(reverse("products:product_delete", args=[product.pk]))
    assert response.headers["Location"] == reverse("products:product_list")
    assert not Product.objects.filter(pk=product.pk).exists()


def test_deleting_a_category_with_products_is_refused_with_a_message(client, admin_user):
    product = ProductFactory()
    client.force_login(admin_user)
    response = client.post(
        reverse("products:category_delete", args=[product.category_id]), follow=True
    )
    assert Category.objects.filter(pk=product.category_id).exists()
    assert "still has products" in response.content.decode()


def test_a_category_cannot_move_under_its_own_child(client, make_user):
    parent = CategoryFactory(name="Food")
    child = Category.objects.create(name="Snacks", parent=parent)
    client.force_login(make_user(Role.MANAGER))
    response = client.post(
        reverse("products:category_update", args=[parent.pk]),
        {"name": "Food", "parent": child.pk},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    parent.refresh_from_db()
    assert parent.parent is None


def test_category_tree_page_lists_categories_with_counts(client, make_user):
    food = CategoryFactory(name="Food")
    ProductFactory(category=Category.objects.create(name="Snacks", parent=food))
    client.force_login(make_user(Role.STAFF))
    nodes = client.get(reverse("products:category_list")).context["nodes"]
    assert [(n.category.name, n.depth, n.product_count) for n in nodes] == [
        ("Food", 0, 1),
        ("Snacks", 1, 1),
    ]


def test_a_product_image_is_uploaded_and_shown(client, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(buffer, format="PNG")
    client.force_login(make_user(Role.MANAGER))
    image = SimpleUploadedFile("kopi.png", buffer.getvalue(), content_type="image/png")
    client.post(reverse("products:product_create"), product_form(image=image))
    product = Product.objects.get(sku="NEW-1")
    assert product.image.name.startswith("products/kopi")
    assert product.image.url in client.get(product.get_absolute_url()).content.decode()


def test_a_file_that_is_not_an_image_is_refused(client, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(make_user(Role.MANAGER))
    fake = SimpleUploadedFile("kopi.png", b"not an image", content_type="image/png")
    response = client.post(reverse("products:product_create"), product_form(image=fake))
    assert "image" in response.context["form"].errors
    assert not Product.objects.exists()
