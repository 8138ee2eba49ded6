"""The low-stock page, reorder points per location, and their API."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from inventory_site.templatetags.formatting import money
from products.tests.factories import CategoryFactory, ProductFactory
from stock import services
from stock.models import LocationMinimum, LowStockAlert
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelves(make_user):
    """A manager, two locations and four products: two low over all, one low at the shop."""
    manager = make_user(Role.MANAGER)
    warehouse, shop = LocationFactory(name="Gudang"), LocationFactory(name="Toko")
    drinks = CategoryFactory(name="Drinks")
    supplier = SupplierFactory(name="PT Sumber")
    empty = ProductFactory(sku="EMPTY", reorder_point=5, category=drinks)  # 0 of 5
    low = ProductFactory(sku="LOW", reorder_point=10, preferred_supplier=supplier)
    fine = ProductFactory(sku="FINE", reorder_point=10)
    never = ProductFactory(sku="NEVER", reorder_point=0)  # no reorder point: never low
    for product, quantity in ((low, 8), (fine, 50)):
        services.stock_receive(
            actor=manager, product=product, location=warehouse, quantity=quantity, unit_cost=1
        )
    services.stock_receive(actor=manager, product=fine, location=shop, quantity=2, unit_cost=1)
    LocationMinimum.objects.create(product=fine, location=shop, reorder_point=3)
    return manager, warehouse, shop, {"empty": empty, "low": low, "fine": fine, "never": never}


def rows_of(response):
    return [
        (row.product.sku, row.location.name if row.location else None, row.available)
        for row in response.context["rows"]
    ]


def test_the_low_stock_page_lists_totals_and_locations_most_urgent_first(client, shelves):
    manager, _warehouse, _shop, _products = shelves
    client.force_login(manager)
    response = client.get(reverse("stock:low_stock"))
    assert rows_of(response) == [("EMPTY", None, 0), ("FINE", "Toko", 2), ("LOW", None, 8)]
    html = response.content.decode()
    assert "PT Sumber" in html
    assert "3 lines at or below their reorder point" in html


def test_the_low_stock_page_filters(client, shelves):
    manager, _warehouse, shop, products = shelves
    client.force_login(manager)
    url = reverse("stock:low_stock")
    drinks = products["empty"].category_id
    assert rows_of(client.get(url, {"category": drinks})) == [("EMPTY", None, 0)]
    supplier = products["low"].preferred_supplier_id
    assert rows_of(client.get(url, {"supplier": supplier})) == [("LOW", None, 8)]
    assert rows_of(client.get(url, {"location": shop.pk})) == [("FINE", "Toko", 2)]
    assert rows_of(client.get(url, {"q": "low"})) == [("LOW", None, 8)]
    response = client.get(url, {"location": "999999"})  # gone: an error on the field, no rows
    assert response.status_code == 200
    assert response.context["filter"].errors["location"]
    assert rows_of(response) == []


def test_the_low_stock_page_runs_a_fixed_number_of_queries(
    client, shelves, django_assert_num_queries
):
    manager, _warehouse, shop, _products = shelves
    client.force_login(manager)
    url = reverse("stock:low_stock")
    # session, user, permissions, role and unread count (navbar), the low rows (counted in
    # Python), their products, locations, on order, and the filter form's location choices
    # (category and supplier are autocompletes: nothing chosen, nothing read)
    with django_assert_num_queries(10):
        client.get(url)
    for product in ProductFactory.create_batch(40, reorder_point=2):
        LocationMinimum.objects.create(product=product, location=shop, reorder_point=1)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["rows"]) == 50  # a full page of 83 rows


def test_a_manager_sets_and_removes_reorder_points_per_location(client, shelves):
    manager, warehouse, shop, products = shelves
    client.force_login(manager)
    product = products["fine"]
    url = reverse("stock:location_minimums", args=[product.pk])
    page = client.get(url)
    assert [loc.name for loc, _field, _free in page.context["rows"]] == ["Gudang", "Toko"]
    response = client.post(
        url, {f"location_{warehouse.pk}": "20", f"location_{shop.pk}": ""}, follow=True
    )
    assert response.redirect_chain[-1][0] == product.get_absolute_url()
    assert list(
        LocationMinimum.objects.filter(product=product).values_list("location__name", flat=True)
    ) == ["Gudang"]
    assert "reorder point 20" in response.content.decode()  # shown on the product page


def test_a_negative_reorder_point_is_a_field_error(client, shelves):
    manager, warehouse, _shop, products = shelves
    client.force_login(manager)
    url = reverse("stock:location_minimums", args=[products["fine"].pk])
    response = client.post(url, {f"location_{warehouse.pk}": "-1"})
    assert response.status_code == 200
    assert response.context["form"].errors[f"location_{warehouse.pk}"]


def test_removing_a_location_reorder_point_ends_its_alert(client, shelves):
    manager, _warehouse, shop, products = shelves
    fine = products["fine"]
    services.stock_issue(actor=manager, product=fine, location=shop, quantity=1)
    assert LowStockAlert.objects.filter(product=fine, location=shop).exists()
    services.location_minimums_save(actor=manager, product=fine, points={shop: None})
    assert not LowStockAlert.objects.filter(product=fine).exists()


def test_the_low_stock_api_matches_the_page(client, shelves):
    manager, _warehouse, shop, _products = shelves
    client.force_login(manager)
    body = client.get(reverse("api:stock-low")).json()
    assert body["count"] == 3
    first = body["results"][0]
    assert first["sku"] == "EMPTY"
    assert first["location"] is None
    assert Decimal(first["shortfall"]) == 5
    assert [r["location"] for r in body["results"]] == [None, shop.pk, None]
    only_shop = client.get(reverse("api:stock-low"), {"location": shop.pk}).json()
    assert [r["sku"] for r in only_shop["results"]] == ["FINE"]
    assert client.get(reverse("api:stock-low"), {"location": "x"}).status_code == 400


def test_reorder_points_per_location_through_the_api(client, shelves):
    manager, warehouse, shop, products = shelves
    client.force_login(manager)
    url = reverse("api:location-minimum-list")
    data = {"product": products["low"].pk, "location": shop.pk, "reorder_point": "4"}
    created = client.post(url, data, content_type="application/json")
    assert created.status_code == 201
    again = client.post(url, data, content_type="application/json")
    assert again.status_code == 400
    assert "already has a reorder point here" in str(again.json())
    zero = client.post(
        url, {**data, "location": warehouse.pk, "reorder_point": "0"},
        content_type="application/json",
    )  # fmt: skip
    assert zero.status_code == 400
    assert "reorder_point" in zero.json()
    detail = reverse("api:location-minimum-detail", args=[created.json()["id"]])
    changed = client.patch(detail, {"reorder_point": "7"}, content_type="application/json")
    assert Decimal(changed.json()["reorder_point"]) == 7
    assert client.delete(detail).status_code == 204
    assert not LocationMinimum.objects.filter(product=products["low"]).exists()


def test_the_dashboard_counts_low_stock_and_values_stock_for_managers(client, shelves, make_user):
    manager, _warehouse, _shop, _products = shelves
    client.force_login(manager)
    response = client.get(reverse("home"))
    assert response.context["low_stock_count"] == 3
    assert response.context["stock_value"] == 60  # 8 + 50 + 2 units received at cost 1
    html = response.content.decode()
    assert reverse("stock:low_stock") in html
    assert money(Decimal(60), 0) in html
    client.force_login(make_user(Role.STAFF))
    response = client.get(reverse("home"))
    assert "stock_value" not in response.context
    assert "low_stock_count" not in response.context


def test_the_low_stock_page_shows_what_is_on_order(client, shelves):
    from orders.services.purchasing import (
        PurchaseLine,
        purchase_order_create,
        purchase_order_place,
    )

    manager, warehouse, shop, products = shelves
    for location, quantity in ((warehouse, 24), (shop, 6)):
        order = purchase_order_create(
            actor=manager, supplier=SupplierFactory(), location=location,
            lines=[PurchaseLine(products["fine"], quantity), PurchaseLine(products["low"], 12)],
        )  # fmt: skip
        purchase_order_place(actor=manager, order=order)
    purchase_order_create(  # a draft is not on order yet
        actor=manager, supplier=SupplierFactory(), location=warehouse,
        lines=[PurchaseLine(products["low"], 100)],
    )  # fmt: skip
    client.force_login(manager)
    rows = client.get(reverse("stock:low_stock")).context["rows"]
    on_order = {(row.product.sku, row.location and row.location.name): row.on_order for row in rows}
    assert on_order == {("EMPTY", None): 0, ("FINE", "Toko"): 6, ("LOW", None): 24}
