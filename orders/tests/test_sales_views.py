from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from orders.models import SalesOrder
from orders.services.sales import SaleLine, sales_order_create, sales_order_update
from orders.tests.factories import CustomerFactory
from products.tests.factories import ProductFactory
from stock import services
from stock.models import StockLevel
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def selling(make_user):
    manager = make_user(Role.MANAGER)
    store = LocationFactory(name="Toko")
    kopi = ProductFactory(sku="KOPI-1", sale_price=Decimal("15000"), tax_rate=Decimal("11"))
    services.stock_receive(actor=manager, product=kopi, location=store, quantity=10, unit_cost=1)
    return manager, store, kopi


def test_sales_order_list_runs_a_fixed_number_of_queries(
    client, selling, django_assert_num_queries
):
    manager, store, kopi = selling
    client.force_login(manager)
    url = reverse("orders:sales_order_list")

    def add(count):
        for _ in range(count):
            sales_order_create(
                actor=manager, location=store, customer=CustomerFactory(),
                lines=[SaleLine(kopi, 1)],
            )  # fmt: skip

    add(2)
    # session, user, permissions, role and unread count (navbar), count, page, and the
    # filter form's location choices (customer: autocomplete, nothing until one is chosen)
    with django_assert_num_queries(8):
        client.get(url)
    add(30)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["object_list"]) == 32


def test_sales_order_detail_runs_a_fixed_number_of_queries(
    client, selling, django_assert_num_queries
):
    manager, store, kopi = selling
    client.force_login(manager)
    order = sales_order_create(actor=manager, location=store, lines=[SaleLine(kopi, 1)])
    # session, user, permissions, role and unread count (navbar), order, lines, history,
    # returns (and their lines, prefetched)
    with django_assert_num_queries(9):
        client.get(order.get_absolute_url())
    sales_order_update(
        actor=manager, order=order, lines=[SaleLine(ProductFactory(), 1) for _ in range(20)]
    )
    with django_assert_num_queries(9):
        response = client.get(order.get_absolute_url())
    assert len(response.context["lines"]) == 20


def test_a_manager_drafts_confirms_hands_over_and_takes_back(client, selling):
    manager, store, kopi = selling
    client.force_login(manager)
    client.post(
        reverse("orders:sales_order_create"),
        {
            "customer": CustomerFactory().pk, "location": store.pk, "notes": "",
            "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0",
            "lines-0-product": "KOPI-1", "lines-0-quantity": "4", "lines-0-discount_percent": "10",
        },
    )  # fmt: skip
    order = SalesOrder.objects.get()
    assert order.total == Decimal("59940.00")  # 60,000 - 10% = 54,000, + 11% tax
    html = client.get(order.get_absolute_url()).content.decode()
    assert "59,940.00" in html
    client.post(reverse("orders:sales_order_action", args=[order.pk, "confirm"]))
    assert StockLevel.objects.get(product=kopi, location=store).reserved == 4
    line = order.lines.get()
    client.post(reverse("orders:sales_order_fulfil", args=[order.pk]), {f"line_{line.pk}": "4"})
    order.refresh_from_db()
    assert order.status == "fulfilled"
    response = client.post(
        reverse("orders:sales_order_return", args=[order.pk]),
        {f"line_{line.pk}": "1", "reason": "damaged", "note": "cracked"},
        follow=True,
    )
    assert "Return booked" in response.content.decode()
    assert StockLevel.objects.get(product=kopi, location=store).on_hand == 7


def test_confirming_beyond_stock_says_which_product_is_short(client, selling):
    manager, store, kopi = selling
    client.force_login(manager)
    order = sales_order_create(actor=manager, location=store, lines=[SaleLine(kopi, 11)])
    response = client.post(
        reverse("orders:sales_order_action", args=[order.pk, "confirm"]), follow=True
    )
    assert "10 available" in response.content.decode()
    order.refresh_from_db()
    assert order.status == "draft"


def test_staff_read_their_locations_orders_but_cannot_act(client, selling, make_user):
    manager, store, kopi = selling
    clerk = make_user(Role.STAFF)
    store.users.add(clerk)
    order = sales_order_create(actor=manager, location=store, lines=[SaleLine(kopi, 1)])
    client.force_login(clerk)
    html = client.get(order.get_absolute_url()).content.decode()
    assert order.number in html
    assert "Confirm and reserve" not in html
    confirm = reverse("orders:sales_order_action", args=[order.pk, "confirm"])
    assert client.post(confirm).status_code == 403
