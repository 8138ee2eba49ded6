"""Reads of orders that pages, documents and the API share."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from stock.models import Location
from stock.selectors import locations_for

from .models import (
    Customer,
    PurchaseOrder,
    PurchaseOrderLine,
    SalesOrder,
    SalesOrderLine,
    SalesReturnLine,
)
from .pricing import to_cents

ZERO = Decimal(0)


def visible_to(user, orders: QuerySet) -> QuerySet:
    """Managers and admins see every order; staff those of the locations they work at and the
    ones they made themselves."""
    if user.has_perm("stock.work_any_location"):
        return orders
    return orders.filter(Q(location__in=locations_for(user)) | Q(created_by=user))


def count_of(rows: QuerySet, field: str):
    """How many of `rows` point at the outer row through `field`: a subquery per row of the
    page, so a list's count and page need no GROUP BY over a join of every row."""
    counted = rows.filter(**{field: OuterRef("pk")}).order_by().values(field)
    counted = counted.annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def customer_list() -> QuerySet[Customer]:
    return Customer.objects.annotate(
        order_count=count_of(SalesOrder.objects.all(), "customer")
    ).order_by("name", "pk")


def sales_order_list(user) -> QuerySet[SalesOrder]:
    return visible_to(user, SalesOrder.objects.select_related("customer", "location"))


def purchase_order_list(user) -> QuerySet[PurchaseOrder]:
    return visible_to(
        user,
        PurchaseOrder.objects.select_related("supplier", "location").annotate(
            line_count=count_of(PurchaseOrderLine.objects.all(), "order")
        ),
    )


@dataclass
class DailySummary:
    day: date
    location: Location
    sales: int
    revenue: Decimal
    tax: Decimal
    by_payment: list[dict]
    top_products: list[dict]
    returns: int
    returned_units: Decimal
    returned_value: Decimal


def daily_summary(location: Location, day: date) -> DailySummary:
    """What a shop closes the day with: sales made that day at `location` (confirmed or later,
    not cancelled), totals per payment method, the ten best products, and the returns booked
    that day (five queries, all aggregated in PostgreSQL)."""
    sold = SalesOrder.objects.filter(location=location, order_date=day).exclude(
        status__in=[SalesOrder.Status.DRAFT, SalesOrder.Status.CANCELLED]
    )
    totals = sold.aggregate(
        sales=Count("pk"),
        revenue=Coalesce(Sum("total"), ZERO),
        tax=Coalesce(Sum("tax_total"), ZERO),
    )
    by_payment = list(
        sold.values("payment_method")
        .annotate(sales=Count("pk"), amount=Sum("total"))
        .order_by("-amount", "payment_method")
    )
    labels = dict(SalesOrder.Payment.choices)
    for row in by_payment:
        row["label"] = labels.get(row["payment_method"], _("on account"))
    line_total = F("gross_amount") - F("discount_amount") + F("tax_amount")
    top_products = list(
        SalesOrderLine.objects.filter(order__in=sold)
        .values("product_id", "product__sku", "product__name")
        .annotate(quantity=Sum("quantity"), amount=Sum(line_total))
        .order_by("-amount", "product__sku")[:10]
    )
    returned = SalesReturnLine.objects.filter(
        sales_return__order__location=location, sales_return__created_at__date=day
    )
    share = ExpressionWrapper(
        F("quantity")
        * (F("line__gross_amount") - F("line__discount_amount") + F("line__tax_amount"))
        / F("line__quantity"),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )
    back = returned.aggregate(
        returns=Count("sales_return", distinct=True),
        units=Coalesce(Sum("quantity"), ZERO),
        value=Coalesce(Sum(share), ZERO),
    )
    return DailySummary(
        day=day, location=location, sales=totals["sales"], revenue=totals["revenue"],
        tax=totals["tax"], by_payment=by_payment, top_products=top_products,
        returns=back["returns"], returned_units=back["units"],
        returned_value=to_cents(back["value"]),
    )  # fmt: skip
