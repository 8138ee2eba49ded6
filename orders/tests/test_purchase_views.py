from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from orders.models import PurchaseOrder
from orders.services.purchasing import PurchaseLine, purchase_order_create, purchase_order_place
from products.tests.factories import ProductFactory
from stock.models import StockLevel
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierFactory, SupplierProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def buying(make_user):
    manager = make_user(Role.MANAGER)
    supplier, warehouse = SupplierFactory(name="PT Kopi"), LocationFactory(name="Gudang")
    kopi = ProductFactory(sku="KOPI-1", name="Kopi Bubuk")
    SupplierProductFactory(supplier=supplier, product=kopi, purchase_price=Decimal("6.25"))
    return manager, supplier, warehouse, kopi


def _order(buying, quantity=10, placed=True):
    manager, supplier, warehouse, kopi = buying
    order = purchase_order_create(
        actor=manager, supplier=supplier, location=warehouse, lines=[PurchaseLine(kopi, quantity)]
    )
    return purchase_order_place(actor=manager, order=order) if placed else order


def test_purchase_order_list_runs_a_fixed_number_of_queries(
    client, buying, django_assert_num_queries
):
    client.force_login(buying[0])
    _order(buying)
    url = reverse("orders:purchase_order_list")
    # session, user, permissions, role and unread count (navbar), count, page, and the
    # filter form's location choices (supplier: autocomplete, nothing until one is chosen)
    with django_assert_num_queries(8):
        client.get(url)
    for _ in range(30):
        _order(buying, placed=False)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["object_list"]) == 31


def test_a_manager_drafts_places_and_receives_an_order_in_the_browser_forms(client, buying):
    manager, supplier, warehouse, kopi = buying
    client.force_login(manager)
    response = client.post(
        reverse("orders:purchase_order_create"),
        {
            "supplier": supplier.pk, "location": warehouse.pk, "expected_date": "2026-12-01",
            "notes": "", "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0",
            "lines-0-product": "kopi-1", "lines-0-quantity": "12", "lines-0-unit_cost": "",
        },
        follow=True,
    )  # fmt: skip
    order = PurchaseOrder.objects.get()
    assert response.redirect_chain[-1][0] == order.get_absolute_url()
    assert order.lines.get().unit_cost == Decimal("6.25")
    client.post(reverse("orders:purchase_order_action", args=[order.pk, "place"]))
    order.refresh_from_db()
    assert order.status == "ordered"
    line = order.lines.get()
    page = client.post(
        reverse("orders:purchase_order_receive", args=[order.pk]), {f"line_{line.pk}": "13"}
    )
    assert page.status_code == 200  # more than outstanding: a field error, nothing booked
    assert page.context["form"].errors
    assert not StockLevel.objects.exists()
    client.post(reverse("orders:purchase_order_receive", args=[order.pk]), {f"line_{line.pk}": "5"})
    order.refresh_from_db()
    assert order.status == "partially_received"
    assert StockLevel.objects.get(product=kopi, location=warehouse).on_hand == 5
    html = client.get(order.get_absolute_url()).content.decode()
    assert "partially received" in html
    assert "ordered → partially received" in html  # the history, in words
    assert "6.2500" in html  # managers see the cost


def test_a_refused_action_is_a_message_not_an_error(client, buying):
    client.force_login(buying[0])
    order = _order(buying)
    response = client.post(
        reverse("orders:purchase_order_action", args=[order.pk, "close"]), follow=True
    )
    assert "cannot be closed" in response.content.decode()
    assert client.post(f"/orders/purchases/{order.pk}/explode/").status_code == 404


def test_staff_receive_at_their_location_without_seeing_costs(client, buying, make_user):
    order = _order(buying)
    clerk = make_user(Role.STAFF)
    order.location.users.add(clerk)
    client.force_login(clerk)
    html = client.get(order.get_absolute_url()).content.decode()
    assert "Receive goods" in html
    assert "6.2500" not in html
    assert "Place order" not in html
    line = order.lines.get()
    receive = reverse("orders:purchase_order_receive", args=[order.pk])
    client.post(receive, {f"line_{line.pk}": "10"})
    order.refresh_from_db()
    assert order.status == "received"


def test_staff_do_not_see_orders_of_other_locations(client, buying, make_user):
    order = _order(buying)
    clerk = make_user(Role.STAFF)
    LocationFactory(name="Toko").users.add(clerk)
    client.force_login(clerk)
    assert client.get(order.get_absolute_url()).status_code == 404
    listed = client.get(reverse("orders:purchase_order_list")).context["object_list"]
    assert order not in listed


def test_purchase_order_detail_runs_a_fixed_number_of_queries(
    client, buying, django_assert_num_queries
):
    manager, supplier, warehouse, _kopi = buying
    client.force_login(manager)
    small = _order(buying)
    big = purchase_order_create(
        actor=manager, supplier=supplier, location=warehouse,
        lines=[PurchaseLine(ProductFactory(), 5) for _ in range(40)],
    )  # fmt: skip
    purchase_order_place(actor=manager, order=big)
    # session, user, permissions, role and unread count (navbar), order, lines, history
    with django_assert_num_queries(8):
        client.get(small.get_absolute_url())
    with django_assert_num_queries(8):
        response = client.get(big.get_absolute_url())
    assert len(response.context["lines"]) == 40
