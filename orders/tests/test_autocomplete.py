"""The customer options of the sales order list's autocomplete filter."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from orders.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

CUSTOMERS = reverse("orders:customer_autocomplete")


def test_customers_match_by_name(client, make_user):
    sri = CustomerFactory(name="Warung Bu Sri")
    CustomerFactory(name="Toko Maju")
    client.force_login(make_user(Role.STAFF))
    results = client.get(CUSTOMERS, {"q": "bu sri"}).json()["results"]
    assert results == [{"value": sri.pk, "text": "Warung Bu Sri"}]


def test_customer_options_take_one_query_and_are_limited(
    client, make_user, django_assert_num_queries
):
    CustomerFactory.create_batch(30)
    client.force_login(make_user(Role.STAFF))
    # session, user, permissions, the options
    with django_assert_num_queries(4):
        results = client.get(CUSTOMERS).json()["results"]
    assert len(results) == 20
