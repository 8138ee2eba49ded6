"""Reorder suggestions from the stored forecast and live stock, checked by hand, and the
replenishment page that turns them into draft purchase orders."""

import math
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from orders.models import PurchaseOrder
from orders.services.purchasing import PurchaseLine, purchase_order_create, purchase_order_place
from orders.services.sales import SaleLine, sales_order_confirm, sales_order_create
from products.tests.factories import ProductFactory
from reports.replenishment import OrderLine, ReplenishmentError, replenishment_orders_create
from reports.selectors.replenishment import reorder_suggestions
from stock.services import stock_receive
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierFactory, SupplierProductFactory

from .demand_factories import stored_forecast

pytestmark = pytest.mark.django_db
Z95 = 1.6448536269514722  # the standard normal quantile of 95%


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


def test_the_suggestion_is_the_hand_computed_quantity_rounded_up_to_the_minimum_order(manager):
    shop, supplier = LocationFactory(), SupplierFactory()
    kopi = ProductFactory(preferred_supplier=supplier)
    SupplierProductFactory(supplier=supplier, product=kopi, lead_time_days=14,
                           min_order_quantity=Decimal(150))  # fmt: skip
    stored_forecast(kopi, weekly=70, sigma=7, shares={shop: 1.0})  # 10 a day
    stock_receive(actor=manager, product=kopi, location=shop, quantity=60, unit_cost=5)
    sales_order_confirm(  # reserves 10 of the 60
        actor=manager,
        order=sales_order_create(actor=manager, location=shop, lines=[SaleLine(kopi, 10)]),
    )
    sent = purchase_order_create(actor=manager, supplier=supplier, location=shop,
                                 lines=[PurchaseLine(kopi, Decimal(40))])  # fmt: skip
    purchase_order_place(actor=manager, order=sent)
    purchase_order_create(actor=manager, supplier=supplier, location=shop,
                          lines=[PurchaseLine(kopi, Decimal(20))])  # a draft  # fmt: skip
    today = timezone.localdate()

    [line] = reorder_suggestions(service_level=0.95, review_days=7, today=today)

    advice = line.advice
    # 14 days' lead + 7 days' review = 21 days = 3 weeks of 70.
    assert advice.protection_days == 21
    assert advice.demand_over_protection == pytest.approx(210)
    assert advice.safety_stock == pytest.approx(Z95 * 7 * math.sqrt(3))  # 19.94
    assert advice.available == 50  # 60 on hand - 10 reserved
    assert (line.ordered, line.in_drafts, advice.on_order) == (40, 20, 60)
    # 210 + 19.94 - 50 - 60 = 119.94, so 120 units; the supplier takes at least 150.
    assert advice.shortfall == pytest.approx(119.94, abs=0.01)
    assert line.suggested == 150
    assert advice.run_out == today + timedelta(days=5)  # 50 at 10 a day
    assert line.terms.supplier_id == supplier.pk


def test_the_forecast_is_split_to_locations_by_their_share_of_sales(manager):
    north, south, supplier = (
        LocationFactory(name="North"),
        LocationFactory(name="South"),
        (SupplierFactory()),
    )
    teh = ProductFactory(preferred_supplier=supplier)
    SupplierProductFactory(supplier=supplier, product=teh, lead_time_days=14,
                           min_order_quantity=Decimal(1))  # fmt: skip
    stored_forecast(teh, weekly=70, sigma=8, shares={north: 0.75, south: 0.25})
    stock_receive(actor=manager, product=teh, location=north, quantity=100, unit_cost=5)

    lines = {line.location.name: line for line in reorder_suggestions()}

    # South: 17.5 a week, error 8 x sqrt(0.25) = 4; 3 weeks: 52.5 + 1.645 x 4 x sqrt(3) = 63.9.
    assert lines["South"].weekly_demand == pytest.approx(17.5)
    assert lines["South"].advice.target == pytest.approx(52.5 + Z95 * 4 * math.sqrt(3))
    assert lines["South"].suggested == 64
    # North: 52.5 a week, error 8 x sqrt(0.75); 157.5 + 19.74 - 100 available = 77.2 -> 78.
    assert lines["North"].advice.target == pytest.approx(157.5 + Z95 * 8 * math.sqrt(2.25))
    assert lines["North"].suggested == 78


def test_stock_received_after_the_run_shows_at_once(manager):
    shop, supplier = LocationFactory(), SupplierFactory()
    gula = ProductFactory(preferred_supplier=supplier)
    SupplierProductFactory(supplier=supplier, product=gula, min_order_quantity=Decimal(1))
    stored_forecast(gula, weekly=7, sigma=1, shares={shop: 1.0})
    assert len(reorder_suggestions()) == 1

    stock_receive(actor=manager, product=gula, location=shop, quantity=500, unit_cost=5)

    assert reorder_suggestions() == []


def _catalogue(supplier, product, price, lead=7):
    return SupplierProductFactory(supplier=supplier, product=product, purchase_price=price,
                                  lead_time_days=lead, min_order_quantity=Decimal(1))  # fmt: skip


@pytest.fixture
def two_suppliers():
    shop = LocationFactory(name="Toko")
    sari, mitra = SupplierFactory(name="Sari"), SupplierFactory(name="Mitra")
    products = {}
    for sku, supplier, price in (("A1", sari, "5.50"), ("A2", sari, "7.25"),
                                 ("B1", mitra, "3.00")):  # fmt: skip
        products[sku] = ProductFactory(sku=sku, preferred_supplier=supplier)
        _catalogue(supplier, products[sku], Decimal(price), lead=10)
        stored_forecast(products[sku], weekly=14, sigma=2, shares={shop: 1.0})
    return shop, sari, mitra, products


def _key(product, place) -> str:
    return f"{product.pk}-{place.pk}"


def test_a_manager_turns_ticked_lines_into_one_draft_per_supplier(client, manager, two_suppliers):
    shop, sari, mitra, products = two_suppliers
    client.force_login(manager)
    url = reverse("reports:replenishment")
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.count(b'data-testid="suggestion"') == 3
    a1, a2, b1 = (_key(products[sku], shop) for sku in ("A1", "A2", "B1"))

    response = client.post(url, {
        "line": [a1, a2, b1], f"quantity-{a1}": "30", f"quantity-{a2}": "12.5",
        f"quantity-{b1}": "8", "quantity-untouched": "1", "service_level": "0.95",
    })  # fmt: skip

    assert response.status_code == 302
    orders = {o.supplier_id: o for o in PurchaseOrder.objects.prefetch_related("lines")}
    assert set(orders) == {sari.pk, mitra.pk}
    assert all(o.status == PurchaseOrder.Status.DRAFT and o.location == shop
               for o in orders.values())  # fmt: skip
    assert sorted((ln.product.sku, ln.quantity, ln.unit_cost)
                  for ln in orders[sari.pk].lines.all()) == [
        ("A1", Decimal(30), Decimal("5.50")), ("A2", Decimal("12.5"), Decimal("7.25")),
    ]  # fmt: skip
    assert orders[sari.pk].expected_date == timezone.localdate() + timedelta(days=10)
    followed = client.get(response["Location"])
    assert b'data-testid="created-orders"' in followed.content
    for order in orders.values():
        assert order.number.encode() in followed.content
    # Drafts count as on order, so the suggestions are not made twice.
    after = {line.product.sku: line for line in reorder_suggestions(only_orders=False)}
    assert [after[sku].in_drafts for sku in ("A1", "A2", "B1")] == [30, Decimal("12.5"), 8]
    assert after["A1"].advice.on_order == 30


def test_a_bad_quantity_orders_nothing_and_says_which_line(client, manager, two_suppliers):
    shop, _sari, _mitra, products = two_suppliers
    client.force_login(manager)
    a1, b1 = _key(products["A1"], shop), _key(products["B1"], shop)

    response = client.post(reverse("reports:replenishment"), {
        "line": [a1, b1], f"quantity-{a1}": "30", f"quantity-{b1}": "-2",
    })  # fmt: skip

    assert response.status_code == 400
    assert not PurchaseOrder.objects.exists()
    assert b"Order more than zero." in response.content
    assert b'value="-2"' in response.content  # what was typed is kept


def test_a_product_no_supplier_offers_cannot_be_ordered(manager):
    shop, product = LocationFactory(), ProductFactory()
    with pytest.raises(ReplenishmentError) as refused:
        replenishment_orders_create(actor=manager, lines=[OrderLine(product.pk, shop.pk, 5)])
    assert refused.value.key == f"{product.pk}-{shop.pk}"
    assert not PurchaseOrder.objects.exists()


def test_staff_may_not_see_or_order(client, make_user, two_suppliers):
    client.force_login(make_user(Role.STAFF))
    url = reverse("reports:replenishment")
    assert client.get(url).status_code == 403
    assert client.post(url, {"line": ["1-1"], "quantity-1-1": "1"}).status_code == 403
    assert not PurchaseOrder.objects.exists()


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:replenishment"), {"service_level": "0.99"})
    assert response.status_code == 200
    return len(queries)


def test_the_page_runs_a_fixed_number_of_queries(client, manager):
    client.force_login(manager)
    shops = [LocationFactory(), LocationFactory()]

    def stock_up(count):
        supplier = SupplierFactory()
        for _n in range(count):
            product = ProductFactory(preferred_supplier=supplier)
            _catalogue(supplier, product, Decimal(2))
            stored_forecast(product, weekly=10, sigma=2, shares={shops[0]: 0.6, shops[1]: 0.4})
            purchase_order_create(actor=manager, supplier=supplier, location=shops[0],
                                  lines=[PurchaseLine(product, Decimal(1))])  # fmt: skip

    stock_up(2)
    few = _page_queries(client)
    stock_up(30)
    assert _page_queries(client) == few
