"""Orders of the past in bulk: imported sales history and demo data.

Sales become completed orders (numbered, priced by orders.pricing, with a history row) whose
sale movements are booked through stock.services.stock_history_load with the rest of the past,
so levels and the ledger agree. Purchases become received (or closed) orders whose receipts
arrive when they did, late ones included. All or nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, transaction

from accounts.models import User
from products.models import Product
from stock.models import StockMovement
from stock.services import PastMovement, stock_history_load

from ..models import (
    OrderStatusChange,
    PurchaseOrder,
    PurchaseOrderLine,
    SalesOrder,
    SalesOrderLine,
)
from ..numbers import SEQUENCES
from ..pricing import line_amounts, order_totals

Kind = StockMovement.Kind
BATCH = 5000


@dataclass(frozen=True)
class PastSale:
    location_id: int
    occurred_at: datetime
    lines: list[tuple[int, Decimal]]  # (product id, quantity)
    payment_method: str = SalesOrder.Payment.CASH
    customer_id: int | None = None
    channel: str = SalesOrder.Channel.COUNTER


@dataclass(frozen=True)
class PastPurchase:
    supplier_id: int
    location_id: int
    ordered_at: datetime
    expected: date
    received_at: datetime
    lines: list[tuple[int, Decimal, Decimal]] = field(default_factory=list)  # id, qty, cost


def _numbers(prefix: str, count: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [SEQUENCES[prefix], count])
        return [f"{prefix}-{value:06d}" for (value,) in cursor.fetchall()]


@transaction.atomic
def orders_history_load(
    *,
    actor: User,
    sales: Iterable[PastSale] = (),
    purchases: Iterable[PastPurchase] = (),
    movements: Iterable[PastMovement] = (),
) -> dict[str, int]:
    """Book past purchases, sales and other movements together, in time order; return counts.

    Prices and tax rates are today's (what the catalogue says); a sale's stock must have been
    there when it happened, counting the deliveries before it (InsufficientStock otherwise).
    """
    sales, purchases = list(sales), list(purchases)
    movements = list(movements)
    products = Product.objects.in_bulk(
        {pid for sale in sales for pid, _q in sale.lines}
    )  # prices and tax rates
    movements += _purchases(actor, purchases)
    movements += _sales(actor, sales, products)
    booked = stock_history_load(actor=actor, movements=movements)
    return {"sales": len(sales), "purchases": len(purchases), "movements": booked}


def _sales(actor, sales, products) -> list[PastMovement]:
    orders = [
        SalesOrder(
            number=number, location_id=sale.location_id, customer_id=sale.customer_id,
            status=SalesOrder.Status.COMPLETED, channel=sale.channel,
            order_date=sale.occurred_at.date(), payment_method=sale.payment_method,
            created_by=actor,
        )
        for number, sale in zip(_numbers("SO", len(sales)), sales, strict=True)
    ]  # fmt: skip
    SalesOrder.objects.bulk_create(orders, batch_size=BATCH)
    lines = []
    for order, sale in zip(orders, sales, strict=True):
        amounts = []
        for product_id, quantity in sale.lines:
            product = products[product_id]
            money = line_amounts(quantity, product.sale_price, 0, product.tax_rate)
            amounts.append(money)
            lines.append(
                SalesOrderLine(
                    order=order, product_id=product_id, quantity=quantity,
                    unit_price=product.sale_price, tax_rate=product.tax_rate,
                    gross_amount=money.gross, discount_amount=money.discount,
                    tax_amount=money.tax, fulfilled_quantity=quantity,
                )
            )  # fmt: skip
        totals = order_totals(amounts)
        order.subtotal, order.discount_total = totals.subtotal, totals.discount_total
        order.tax_total, order.total = totals.tax_total, totals.total
        order.amount_paid = totals.total
    SalesOrder.objects.bulk_update(
        orders, ["subtotal", "discount_total", "tax_total", "total", "amount_paid"],
        batch_size=BATCH,
    )  # fmt: skip
    SalesOrderLine.objects.bulk_create(lines, batch_size=BATCH)
    # auto_now_add stamped them today: give them their own time.
    when = {order.pk: sale.occurred_at for order, sale in zip(orders, sales, strict=True)}
    for order in orders:
        order.created_at = when[order.pk]
    SalesOrder.objects.bulk_update(orders, ["created_at"], batch_size=BATCH)
    OrderStatusChange.objects.bulk_create(
        [
            OrderStatusChange(
                sales_order=order, from_status="", to_status=SalesOrder.Status.COMPLETED,
                user=actor, note="history", created_at=when[order.pk],
            )
            for order in orders
        ],
        batch_size=BATCH,
    )  # fmt: skip
    return [
        PastMovement(
            Kind.SALE, line.product_id, line.quantity, when[line.order_id],
            from_location_id=line.order.location_id, sales_order_line_id=line.pk,
        )
        for line in lines
    ]  # fmt: skip


def _purchases(actor, purchases) -> list[PastMovement]:
    orders = [
        PurchaseOrder(
            number=number, supplier_id=p.supplier_id, location_id=p.location_id,
            status=PurchaseOrder.Status.RECEIVED, order_date=p.ordered_at.date(),
            expected_date=p.expected, created_by=actor,
        )
        for number, p in zip(_numbers("PO", len(purchases)), purchases, strict=True)
    ]  # fmt: skip
    PurchaseOrder.objects.bulk_create(orders, batch_size=BATCH)
    lines, arrivals = [], {}
    for order, purchase in zip(orders, purchases, strict=True):
        order.created_at = purchase.ordered_at
        arrivals[order.pk] = purchase.received_at
        for product_id, quantity, cost in purchase.lines:
            lines.append(
                PurchaseOrderLine(
                    order=order, product_id=product_id, quantity=quantity, unit_cost=cost,
                    received_quantity=quantity,
                )
            )  # fmt: skip
    PurchaseOrder.objects.bulk_update(orders, ["created_at"], batch_size=BATCH)
    PurchaseOrderLine.objects.bulk_create(lines, batch_size=BATCH)
    OrderStatusChange.objects.bulk_create(
        [
            change
            for order, purchase in zip(orders, purchases, strict=True)
            for change in (
                OrderStatusChange(
                    purchase_order=order, from_status="",
                    to_status=PurchaseOrder.Status.ORDERED, user=actor, note="history",
                    created_at=purchase.ordered_at,
                ),
                OrderStatusChange(
                    purchase_order=order, from_status=PurchaseOrder.Status.ORDERED,
                    to_status=PurchaseOrder.Status.RECEIVED,
                    user=actor, note="history", created_at=purchase.received_at,
                ),
            )
        ],
        batch_size=BATCH,
    )  # fmt: skip
    return [
        PastMovement(
            Kind.RECEIPT, line.product_id, line.quantity, arrivals[line.order_id],
            to_location_id=line.order.location_id, unit_cost=line.unit_cost,
            purchase_order_line_id=line.pk,
        )
        for line in lines
    ]  # fmt: skip
