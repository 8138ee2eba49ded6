"""Orders of the past, booked in bulk with their stock movements."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from orders.models import OrderStatusChange, PurchaseOrder, SalesOrder
from orders.services.history import PastPurchase, PastSale, orders_history_load
from products.tests.factories import ProductFactory
from stock.models import StockLevel, StockMovement
from stock.services import InsufficientStock
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def past():
    manager = UserFactory(role=Role.MANAGER)
    kopi = ProductFactory(sale_price=Decimal("15000"), tax_rate=Decimal(11), cost_price=0)
    shop, supplier = LocationFactory(name="Toko"), SupplierFactory()
    start = timezone.now() - timedelta(days=60)
    delivery = PastPurchase(
        supplier.pk, shop.pk, ordered_at=start, expected=(start + timedelta(days=5)).date(),
        received_at=start + timedelta(days=8),  # three days late
        lines=[(kopi.pk, Decimal(20), Decimal(9000))],
    )  # fmt: skip
    return manager, kopi, shop, start, delivery


def test_past_purchases_and_sales_become_orders_with_their_movements(past):
    manager, kopi, shop, start, delivery = past
    sales = [
        PastSale(shop.pk, start + timedelta(days=10), [(kopi.pk, Decimal(2))]),
        PastSale(shop.pk, start + timedelta(days=12), [(kopi.pk, Decimal(3))], "card"),
    ]
    counts = orders_history_load(actor=manager, sales=sales, purchases=[delivery])
    assert counts == {"sales": 2, "purchases": 1, "movements": 3}
    purchase = PurchaseOrder.objects.get()
    assert purchase.status == "received"
    assert purchase.expected_date < purchase.status_changes.last().created_at.date()  # late
    first = SalesOrder.objects.order_by("order_date").first()
    assert first.status == "completed"
    assert first.order_date == (start + timedelta(days=10)).date()
    assert first.total == Decimal("33300.00")
    assert first.created_at == start + timedelta(days=10)
    sale = StockMovement.objects.get(sales_order_line__order=first)
    assert sale.unit_cost == Decimal(9000)
    assert StockLevel.objects.get(product=kopi, location=shop).on_hand == 15
    assert OrderStatusChange.objects.count() == 2 + 2
    call_command("check_stock")


def test_a_sale_before_the_delivery_leaves_nothing_behind(past):
    manager, kopi, shop, start, delivery = past
    early = PastSale(shop.pk, start + timedelta(days=1), [(kopi.pk, Decimal(1))])
    with pytest.raises(InsufficientStock):
        orders_history_load(actor=manager, sales=[early], purchases=[delivery])
    assert not SalesOrder.objects.exists()
    assert not PurchaseOrder.objects.exists()
    assert not StockMovement.objects.exists()
