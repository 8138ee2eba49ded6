from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from orders.models import Customer
from orders.services.sales import SaleLine, sales_order_create
from orders.tests.factories import CustomerFactory
from products.tests.factories import ProductFactory
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def test_customer_list_runs_a_fixed_number_of_queries(client, make_user, django_assert_num_queries):
    client.force_login(make_user(Role.STAFF))
    CustomerFactory.create_batch(3)
    # session, user, permissions, role and unread count (navbar), count, page
    with django_assert_num_queries(7):
        client.get(reverse("orders:customer_list"))
    CustomerFactory.create_batch(60)
    with django_assert_num_queries(7):
        response = client.get(reverse("orders:customer_list"))
    assert len(response.context["object_list"]) == 50


def test_a_manager_creates_and_edits_a_customer(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    response = client.post(
        reverse("orders:customer_create"),
        {"name": "Warung Bu Sri", "phone": "0812 555 0101", "email": "sri@warung.example",
         "tax_number": "01.234.567.8-901.000", "is_active": "on"},
        follow=True,
    )  # fmt: skip
    customer = Customer.objects.get()
    assert response.redirect_chain[-1][0] == customer.get_absolute_url()
    assert "Customer Warung Bu Sri saved." in response.content.decode()
    client.post(
        reverse("orders:customer_update", args=[customer.pk]),
        {"name": "Warung Bu Sri", "email": "", "is_active": ""},
    )
    customer.refresh_from_db()
    assert not customer.is_active


def test_a_bad_email_is_a_field_error(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    response = client.post(reverse("orders:customer_create"), {"name": "X", "email": "nope"})
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not Customer.objects.exists()


def test_staff_see_only_the_orders_of_their_locations_on_a_customer(client, make_user):
    manager, clerk = make_user(Role.MANAGER), make_user(Role.STAFF)
    mine, other = LocationFactory(name="Mine"), LocationFactory(name="Other")
    mine.users.add(clerk)
    customer, product = CustomerFactory(), ProductFactory(sale_price=Decimal(5))
    seen = sales_order_create(
        actor=manager, location=mine, customer=customer, lines=[SaleLine(product, 1)]
    )
    hidden = sales_order_create(
        actor=manager, location=other, customer=customer, lines=[SaleLine(product, 1)]
    )
    client.force_login(clerk)
    html = client.get(customer.get_absolute_url()).content.decode()
    assert seen.number in html
    assert hidden.number not in html
    client.force_login(manager)
    assert hidden.number in client.get(customer.get_absolute_url()).content.decode()


def test_customer_detail_runs_a_fixed_number_of_queries(
    client, make_user, django_assert_num_queries
):
    manager = make_user(Role.MANAGER)
    customer, store, product = CustomerFactory(), LocationFactory(), ProductFactory()
    client.force_login(manager)
    sales_order_create(
        actor=manager, location=store, customer=customer, lines=[SaleLine(product, 1)]
    )
    # session, user, permissions, role and unread count (navbar), customer, count, page
    with django_assert_num_queries(8):
        client.get(customer.get_absolute_url())
    for _ in range(30):
        sales_order_create(
            actor=manager, location=store, customer=customer, lines=[SaleLine(product, 1)]
        )
    with django_assert_num_queries(8):
        response = client.get(customer.get_absolute_url())
    assert len(response.context["orders"]) == 25
