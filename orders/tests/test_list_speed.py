"""Sales and purchase order lists filtered by customer or supplier: a fixed number of queries
and only the chosen option in the page (the others come from the autocomplete)."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from orders.services.purchasing import PurchaseLine, purchase_order_create
from orders.services.sales import SaleLine, sales_order_create
from orders.tests.factories import CustomerFactory
from products.tests.factories import ProductFactory
from stock import services
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [2, 60])
def test_sales_orders_of_a_customer_take_a_fixed_number_of_queries(
    client, make_user, django_assert_num_queries, count
):
    manager = make_user(Role.MANAGER)
    store = LocationFactory()
    kopi = ProductFactory()
    services.stock_receive(actor=manager, product=kopi, location=store, quantity=99, unit_cost=1)
    wanted, other = CustomerFactory(name="Warung Bu Sri"), CustomerFactory(name="Toko Maju")
    for customer in [wanted] * count + [other]:
        sales_order_create(
            actor=manager, location=store, customer=customer, lines=[SaleLine(kopi, 1)]
        )
    client.force_login(manager)
    # session, user, permissions, role and unread count (navbar), the chosen customer,
    # count, page, location choices
    with django_assert_num_queries(9):
        response = client.get(reverse("orders:sales_order_list"), {"customer": wanted.pk})
    assert len(response.context["object_list"]) == min(count, 50)
    html = response.content.decode()
    assert f'<option value="{wanted.pk}" selected>Warung Bu Sri</option>' in html
    assert "Toko Maju" not in html


@pytest.mark.parametrize("count", [2, 60])
def test_purchase_orders_of_a_supplier_take_a_fixed_number_of_queries(
    client, make_user, django_assert_num_queries, count
):
    manager = make_user(Role.MANAGER)
    warehouse = LocationFactory()
    kopi = ProductFactory()
    wanted, other = SupplierFactory(name="PT Kopi"), SupplierFactory(name="PT Teh")
    for supplier in [wanted] * count + [other]:
        purchase_order_create(
            actor=manager, supplier=supplier, location=warehouse, lines=[PurchaseLine(kopi, 1)]
        )
    client.force_login(manager)
    # session, user, permissions, role and unread count (navbar), the chosen supplier,
    # count, page, location choices
    with django_assert_num_queries(9):
        response = client.get(reverse("orders:purchase_order_list"), {"supplier": wanted.pk})
    assert len(response.context["object_list"]) == min(count, 50)
    html = response.content.decode()
    assert f'<option value="{wanted.pk}" selected>PT Kopi</option>' in html
    assert "PT Teh" not in html
