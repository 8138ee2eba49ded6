"""Real parallel connections: sales booked at once keep the daily sales summaries right."""

import uuid
from decimal import Decimal

import pytest
from django.db.models import Sum

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from orders.services.sales import SaleLine, counter_sale
from products.tests.factories import ProductFactory
from reports.models import DailyOrderSale, DailySale
from stock.services import stock_receive
from stock.tests.factories import LocationFactory
from stock.tests.test_concurrency import in_parallel

from .test_sales_summary import assert_summaries_match_the_ledger

pytestmark = pytest.mark.django_db(transaction=True)

SALES_EACH = 15


def test_two_tills_selling_the_same_product_on_the_same_day_add_up():
    manager = UserFactory(role=Role.MANAGER)
    shop = LocationFactory()
    kopi = ProductFactory(sale_price=Decimal(10000), tax_rate=0)
    teh = ProductFactory(sale_price=Decimal(5000), tax_rate=0)
    for product in (kopi, teh):
        stock_receive(actor=manager, product=product, location=shop, quantity=1000, unit_cost=1)

    def till(n):
        for _ in range(SALES_EACH):
            counter_sale(
                actor=manager, location=shop, lines=[SaleLine(kopi, 1), SaleLine(teh, n + 1)],
                payment_method="card", token=uuid.uuid4(),
            )  # fmt: skip

    in_parallel(2, till)
    sold = DailySale.objects.filter(product=kopi).aggregate(units=Sum("quantity"))
    assert sold["units"] == 2 * SALES_EACH
    teh_sold = DailySale.objects.filter(product=teh).aggregate(units=Sum("quantity"))
    assert teh_sold["units"] == SALES_EACH * (1 + 2)
    totals = DailyOrderSale.objects.aggregate(revenue=Sum("revenue"), orders=Sum("sale_facts"))
    assert totals["revenue"] == 2 * SALES_EACH * 10000 + SALES_EACH * 3 * 5000
    assert DailyOrderSale.objects.count() == 2 * SALES_EACH  # one row per sale (and day)
    assert_summaries_match_the_ledger()
