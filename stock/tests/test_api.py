from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from threading import Barrier

import pytest
from django.db import connections
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from products.tests.factories import ProductFactory
from stock import services
from stock.models import StockLevel, StockMovement
from stock.tests.factories import LocationFactory

RECEIVE = reverse("api:stock-receive")
TRANSFER = reverse("api:stock-transfer")


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def shop(make_user):
    manager = make_user(Role.MANAGER)
    a, b = LocationFactory(name="Gudang"), LocationFactory(name="Toko")
    product = ProductFactory(cost_price=Decimal("6.5432"))
    services.stock_receive(actor=manager, product=product, location=a, quantity=10, unit_cost=3)
    return manager, a, b, product


@pytest.mark.django_db
def test_receive_answers_with_the_movement(shop):
    manager, a, _b, product = shop
    response = client_for(manager).post(
        RECEIVE, {"location": a.pk, "product": product.pk, "quantity": "5", "unit_cost": "4"}
    )
    assert response.status_code == 201, response.json()
    assert response.json()[0]["kind"] == "receipt"
    assert StockLevel.objects.get(product=product, location=a).on_hand == 15


@pytest.mark.django_db
def test_a_shortfall_is_a_409_that_names_the_amounts(shop):
    manager, a, b, product = shop
    response = client_for(manager).post(
        TRANSFER,
        {
            "from_location": a.pk,
            "to_location": b.pk,
            "lines": [{"product": product.pk, "quantity": "11"}],
        },
        format="json",
    )
    assert response.status_code == 409
    assert "11 asked, 10 available" in response.json()["detail"]


@pytest.mark.django_db
def test_bad_input_gets_field_errors(shop):
    manager, a, _b, _product = shop
    response = client_for(manager).post(
        RECEIVE, {"location": a.pk, "product": 999999, "quantity": "-1"}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"product", "quantity"}


@pytest.mark.django_db
def test_staff_read_movements_without_costs_and_cannot_adjust(shop, make_user):
    staff = client_for(make_user(Role.STAFF))
    movement = staff.get(reverse("api:stock-movement-list")).json()["results"][0]
    assert "unit_cost" not in movement
    _m, a, _b, product = shop
    adjust = staff.post(
        reverse("api:stock-adjust"),
        {"location": a.pk, "product": product.pk, "change": "1", "reason": "found"},
    )
    assert adjust.status_code == 403


@pytest.mark.django_db
def test_assigned_staff_cannot_act_at_another_location(shop, make_user):
    _m, a, b, product = shop
    staff = make_user(Role.STAFF)
    staff.locations.add(b)
    response = client_for(staff).post(
        RECEIVE, {"location": a.pk, "product": product.pk, "quantity": "1"}
    )
    assert response.status_code == 403
    assert StockLevel.objects.get(product=product, location=a).on_hand == 10


@pytest.mark.django_db
def test_the_same_idempotency_key_acts_once_and_replays_the_answer(shop):
    manager, a, _b, product = shop
    client = client_for(manager)
    body = {"location": a.pk, "product": product.pk, "quantity": "2"}
    first = client.post(RECEIVE, body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(RECEIVE, body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replay"] == "true"
    assert StockMovement.objects.filter(kind="receipt").count() == 2  # the setup one + one
    reused = client.post(RECEIVE, {**body, "quantity": "3"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert reused.status_code == 409


@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_twice_at_once_moves_stock_once():
    manager = UserFactory(role=Role.MANAGER)
    a, b = LocationFactory(), LocationFactory()
    product = ProductFactory()
    services.stock_receive(actor=manager, product=product, location=a, quantity=10, unit_cost=1)
    body = {
        "from_location": a.pk,
        "to_location": b.pk,
        "lines": [{"product": product.pk, "quantity": "3"}],
    }
    start = Barrier(4)

    def post(_n):
        try:
            start.wait()
            return (
                client_for(manager)
                .post(TRANSFER, body, format="json", HTTP_IDEMPOTENCY_KEY="same")
                .status_code
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(post, range(4)))
    assert codes == [201, 201, 201, 201]
    assert StockMovement.objects.filter(kind="transfer").count() == 1
    assert StockLevel.objects.get(product=product, location=b).on_hand == 3
