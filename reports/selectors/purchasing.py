"""Purchasing datasets: late purchase orders."""

from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from orders.models import PurchaseOrder
from stock.models import StockMovement

from ..base import Params

LIVE = ("ordered", "partially_received", "received", "closed")


def late_purchase_orders(params: Params) -> int:
    """Purchase orders due within the range that were late: not fully received by their
    expected date (still outstanding after it, or the last receipt came after it)."""
    last_receipt = (
        StockMovement.objects.filter(purchase_order_line__order=OuterRef("pk"), kind="receipt")
        .values("purchase_order_line__order")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    today = timezone.localdate()
    orders = PurchaseOrder.objects.filter(
        status__in=LIVE, expected_date__gte=params.start, expected_date__lte=params.end
    )
    if params.location is not None:
        orders = orders.filter(location_id=params.location.pk)
    if params.supplier is not None:
        orders = orders.filter(supplier_id=params.supplier.pk)
    orders = orders.annotate(last_receipt=Subquery(last_receipt))
    outstanding = Q(status__in=("ordered", "partially_received"), expected_date__lt=today)
    late_receipt = Q(last_receipt__date__gt=F("expected_date"))
    return orders.filter(outstanding | late_receipt).count()
