import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from products.tests.factories import ProductFactory
from stock import services
from stock.models import StockLevel, StockMovement
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(make_user):
    manager = make_user(Role.MANAGER)
    a, b = LocationFactory(name="Gudang"), LocationFactory(name="Toko")
    products = ProductFactory.create_batch(3, cost_price=Decimal("6.5432"))
    for product in products:
        services.stock_receive(actor=manager, product=product, location=a, quantity=10, unit_cost=4)
    return manager, a, b, products


@pytest.mark.parametrize("extra", [0, 60])
def test_stock_overview_runs_a_fixed_number_of_queries(
    client, stocked, django_assert_num_queries, extra
):
    manager, a, _b, _products = stocked
    for product in ProductFactory.create_batch(extra):
        services.stock_receive(actor=manager, product=product, location=a, quantity=1, unit_cost=1)
    client.force_login(manager)
    # session, user, permissions, role and unread count (navbar), count, page (levels
    # summed per row in it), the filter form's location choices and the chosen location (the
    # category is an autocomplete: nothing chosen, nothing read)
    with django_assert_num_queries(9):
        response = client.get(reverse("stock:overview"), {"location": a.pk})
    assert len(response.context["object_list"]) == min(3 + extra, 50)


def test_movement_history_runs_a_fixed_number_of_queries(
    client, stocked, django_assert_num_queries
):
    manager, a, _b, products = stocked
    client.force_login(manager)
    # session, user, permissions, role and unread count (navbar), page (keyset: no
    # count), location choices, and the chosen location (users: autocomplete, none chosen)
    with django_assert_num_queries(8) as few:
        client.get(reverse("stock:movement_list"), {"location": a.pk})
    for product in products:
        services.stock_adjust(actor=manager, product=product, location=a, change=-1, reason="lost")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("stock:movement_list"), {"location": a.pk})
    assert len(response.context["object_list"]) == 6


def test_overview_sums_a_location_or_everything(client, stocked):
    manager, _a, b, products = stocked
    services.stock_receive(actor=manager, product=products[0], location=b, quantity=5, unit_cost=1)
    client.force_login(manager)
    url = reverse("stock:overview")
    at_b = {p.sku: p.on_hand for p in client.get(url, {"location": b.pk}).context["object_list"]}
    total = {p.sku: p.on_hand for p in client.get(url).context["object_list"]}
    assert at_b[products[0].sku] == 5
    assert total[products[0].sku] == 15


def test_staff_receive_without_seeing_or_setting_cost(client, make_user, stocked):
    _m, a, _b, products = stocked
    client.force_login(make_user(Role.STAFF))
    page = client.get(reverse("stock:receive")).content.decode()
    assert "unit_cost" not in page
    response = client.post(
        reverse("stock:receive"),
        {"location": a.pk, "product": products[0].sku.lower(), "quantity": "2", "unit_cost": "1"},
    )
    assert response.status_code == 302
    assert StockLevel.objects.get(product=products[0], location=a).on_hand == 12
    products[0].refresh_from_db()
    assert products[0].cost_price == Decimal("4.0000")  # booked at the current cost


def test_a_transfer_of_several_lines_from_the_page(client, stocked):
    manager, a, b, products = stocked
    client.force_login(manager)
    data = {
        "from_location": a.pk, "to_location": b.pk, "note": "restock",
        "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0",
        "lines-0-product": products[0].sku, "lines-0-quantity": "4",
        "lines-1-product": products[1].barcode or products[1].sku, "lines-1-quantity": "2",
        "lines-2-product": "", "lines-2-quantity": "",
    }  # fmt: skip
    response = client.post(reverse("stock:transfer"), data)
    assert response.status_code == 302
    assert StockLevel.objects.get(product=products[0], location=b).on_hand == 4
    assert StockMovement.objects.filter(kind="transfer").count() == 2


def test_a_transfer_beyond_stock_says_why_and_moves_nothing(client, stocked):
    manager, a, b, products = stocked
    client.force_login(manager)
    data = {
        "from_location": a.pk, "to_location": b.pk, "note": "",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0",
        "lines-0-product": products[0].sku, "lines-0-quantity": "99",
    }  # fmt: skip
    response = client.post(reverse("stock:transfer"), data)
    assert response.status_code == 200
    assert "99 asked, 10 available" in response.content.decode()
    assert not StockMovement.objects.filter(kind="transfer").exists()


def test_staff_cannot_move_stock_from_a_location_that_is_not_theirs(client, make_user, stocked):
    _m, a, b, products = stocked
    staff = make_user(Role.STAFF)
    staff.locations.add(b)
    client.force_login(staff)
    response = client.post(
        reverse("stock:receive"), {"location": a.pk, "product": products[0].sku, "quantity": "1"}
    )
    assert response.status_code == 200
    assert "location" in response.context["form"].errors
    assert StockLevel.objects.get(product=products[0], location=a).on_hand == 10


def test_unknown_product_codes_get_a_field_error(client, stocked):
    manager, a, _b, _p = stocked
    client.force_login(manager)
    response = client.post(
        reverse("stock:adjust"),
        {"location": a.pk, "product": "NOPE", "change": "1", "reason": "found"},
    )
    assert "No product has the SKU or barcode NOPE." in str(response.context["form"].errors)


def test_movement_export_hides_costs_from_staff(client, make_user, stocked):
    client.force_login(make_user(Role.STAFF))
    response = client.get(reverse("stock:movement_export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert "unit_cost" not in rows[0]
    assert len(rows) == 4


def test_product_detail_shows_stock_per_location_and_latest_movements(client, make_user, stocked):
    _m, _a, _b, products = stocked
    client.force_login(make_user(Role.STAFF))
    response = client.get(products[0].get_absolute_url())
    assert [(lv.location.name, lv.on_hand) for lv in response.context["stock_levels"]] == [
        ("Gudang", 10)
    ]
    assert len(response.context["movements"]) == 1


def test_manager_creates_a_location_and_assigns_staff(client, make_user):
    staff = make_user(Role.STAFF, username="kasir")
    client.force_login(make_user(Role.MANAGER))
    response = client.post(
        reverse("stock:location_create"),
        {
            "name": "Toko Pusat",
            "kind": "store",
            "address": "",
            "is_active": "on",
            "users": [staff.pk],
        },
    )
    assert response.status_code == 302
    assert list(staff.locations.values_list("name", flat=True)) == ["Toko Pusat"]
    duplicate = client.post(
        reverse("stock:location_create"), {"name": "toko pusat", "kind": "store"}
    )
    assert "name" in duplicate.context["form"].errors


def test_assigned_staff_see_their_own_stock_by_default(client, make_user, stocked):
    manager, _a, b, products = stocked
    services.stock_receive(actor=manager, product=products[0], location=b, quantity=2, unit_cost=1)
    staff = make_user(Role.STAFF)
    staff.locations.add(b)
    client.force_login(staff)
    rows = {p.sku: p.on_hand for p in client.get(reverse("stock:overview")).context["object_list"]}
    assert rows[products[0].sku] == 2  # only Toko, not Gudang's 10


def test_a_count_previews_the_differences_then_posts_them(client, stocked):
    manager, a, _b, products = stocked
    client.force_login(manager)
    url = reverse("stock:count") + f"?location={a.pk}"
    sheet = client.get(url)
    assert [row.product.sku for row in sheet.context["rows"]] == sorted(p.sku for p in products)
    counts = {f"count_{products[0].pk}": "8", f"count_{products[1].pk}": "10"}
    preview = client.post(url, {**counts, "preview": "1"})
    assert [(p.sku, diff) for p, _held, _c, diff in preview.context["preview"]] == [
        (products[0].sku, -2),
        (products[1].sku, 0),
    ]
    assert StockLevel.objects.get(product=products[0], location=a).on_hand == 10  # not yet
    posted = client.post(url, {**counts, "post": "1", "note": "monthly"})
    assert posted.status_code == 302
    assert StockLevel.objects.get(product=products[0], location=a).on_hand == 8
    assert StockMovement.objects.filter(kind="count").count() == 1


def test_a_count_with_a_bad_number_shows_it_on_the_row(client, stocked):
    manager, a, _b, products = stocked
    client.force_login(manager)
    url = reverse("stock:count") + f"?location={a.pk}"
    response = client.post(url, {f"count_{products[0].pk}": "-3", "post": "1"})
    assert response.status_code == 200
    assert f"count_{products[0].pk}" in response.context["sheet"].errors
    assert not StockMovement.objects.filter(kind="count").exists()
