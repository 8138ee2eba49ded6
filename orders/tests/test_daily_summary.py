import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from orders.selectors import daily_summary
from orders.services.sales import (
    SaleLine,
    counter_sale,
    sales_order_cancel,
    sales_order_confirm,
    sales_order_create,
    sales_order_return,
)
from products.tests.factories import ProductFactory
from stock import services
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_of_trade(make_user):
    manager = make_user(Role.MANAGER)
    store, other = LocationFactory(name="Toko"), LocationFactory(name="Cabang")
    kopi = ProductFactory(sku="KOPI", sale_price=Decimal("10000"), tax_rate=Decimal(10))
    teh = ProductFactory(sku="TEH", sale_price=Decimal("5000"), tax_rate=Decimal(0))
    for place in (store, other):
        for product in (kopi, teh):
            services.stock_receive(
                actor=manager, product=product, location=place, quantity=50, unit_cost=1
            )

    def sell(place, lines, method, paid=None):
        sale, _ = counter_sale(
            actor=manager, location=place, lines=lines, payment_method=method,
            amount_paid=paid, token=uuid.uuid4(),
        )  # fmt: skip
        return sale

    first = sell(store, [SaleLine(kopi, 2)], "cash", Decimal(50000))  # 22,000
    sell(store, [SaleLine(teh, 3)], "card")  # 15,000
    sell(store, [SaleLine(kopi, 1), SaleLine(teh, 1)], "cash", Decimal(20000))  # 16,000
    sell(other, [SaleLine(kopi, 5)], "card")  # another shop
    cancelled = sales_order_create(actor=manager, location=store, lines=[SaleLine(teh, 1)])
    sales_order_cancel(actor=manager, order=sales_order_confirm(actor=manager, order=cancelled))
    sales_order_return(
        actor=manager, order=first, quantities={first.lines.get().pk: 1}, reason="damaged"
    )
    return manager, store


def test_the_day_adds_up_sales_payments_products_and_returns(day_of_trade):
    _manager, store = day_of_trade
    summary = daily_summary(store, timezone.localdate())
    assert summary.sales == 3
    assert summary.revenue == Decimal("53000.00")
    assert summary.tax == Decimal("3000.00")
    assert [(r["payment_method"], r["sales"], r["amount"]) for r in summary.by_payment] == [
        ("cash", 2, Decimal("38000.00")),
        ("card", 1, Decimal("15000.00")),
    ]
    assert [(p["product__sku"], p["quantity"]) for p in summary.top_products] == [
        ("KOPI", 3),
        ("TEH", 4),
    ]
    assert (summary.returns, summary.returned_units) == (1, 1)
    assert summary.returned_value == Decimal("11000.00")


def test_the_daily_summary_page_in_a_fixed_number_of_queries(
    client, day_of_trade, django_assert_num_queries
):
    manager, store = day_of_trade
    client.force_login(manager)
    url = reverse("orders:daily_summary")
    # session, user, permissions, role and unread count (navbar), the default location,
    # the location choices, the chosen location, totals, payments, products, returns
    with django_assert_num_queries(12):
        response = client.get(url, {"location": store.pk, "day": timezone.localdate()})
    html = response.content.decode()
    assert "53,000.00" in html
    assert client.get(url, {"location": "x", "day": "nope"}).status_code == 200
