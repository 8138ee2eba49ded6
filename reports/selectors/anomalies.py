"""Daily quantities per product, the input of the unusual-days report: units sold and stock
adjusted (adjustments and counts, signed) per product and local day, summed by PostgreSQL.

Only days with a movement come back; the report counts the missing days as zeros without
writing them out, so the frame grows with the activity, not with products by days.
"""

from dataclasses import replace
from datetime import date

import pandas as pd
from django.db import connection
from django.db.models import Case, F, Q, Sum, When
from django.db.models.functions import TruncDate

from stock.models import StockMovement

from ..base import Params
from .sales import facts

SALE, ADJUSTMENT = "sale", "adjustment"
COLUMNS = ["product_id", "kind", "day", "quantity"]


def _adjustments(params: Params):
    movements = StockMovement.objects.filter(
        kind__in=[StockMovement.Kind.ADJUSTMENT, StockMovement.Kind.COUNT],
        created_at__gte=params.since,
        created_at__lt=params.until,
    )
    if params.location is not None:
        movements = movements.filter(
            Q(from_location_id=params.location.pk) | Q(to_location_id=params.location.pk)
        )
    if params.category_ids is not None:
        movements = movements.filter(product__category_id__in=params.category_ids)
    if params.product is not None:
        movements = movements.filter(product_id=params.product.pk)
    return movements


def daily_quantities(params: Params, *, since: date) -> pd.DataFrame:
    """From `since` to the end of the range, per product, kind (SALE: units sold, returns not
    subtracted; ADJUSTMENT: adjustments and counts, stock added positive) and local day: the
    quantity, for the days it was not zero. Columns: product_id, kind, day, quantity (float)."""
    window = replace(params, start=since)
    sales = (
        facts(window)
        .filter(quantity__gt=0)
        .annotate(day=TruncDate("occurred_at"))
        .values("product_id", "day")
        .annotate(total=Sum("quantity"))
        .values_list("product_id", "day", "total")
        .order_by()
    )
    # An adjustment or a count has one end: stock arrives (to) or leaves (from).
    signed = Case(When(to_location__isnull=False, then=F("quantity")), default=-F("quantity"))
    adjusted = (
        _adjustments(window)
        .annotate(day=TruncDate("created_at"))
        .values("product_id", "day")
        .annotate(total=Sum(signed))
        .values_list("product_id", "day", "total")
        .order_by()
    )
    records = [(pk, SALE, day, float(total)) for pk, day, total in sales]
    records += [(pk, ADJUSTMENT, day, float(total)) for pk, day, total in adjusted if total]
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def product_names(ids: list[int]) -> dict[int, tuple[str, str]]:
    """id -> (SKU, name) of the given products; one query even when `ids` is empty, so the page
    runs the same queries whether or not it found anything."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, sku, name FROM products_product WHERE id = ANY(%s)", [ids])
        return {pk: (sku, name) for pk, sku, name in cursor.fetchall()}
