"""Sales datasets over the daily sales summaries (migration 0005): the sales fact view (ledger
sales and returns, imported history) summed per local day by triggers, so a report over two
years reads a few hundred thousand narrow rows instead of joining the ledger to the orders.

Reports grouped or filtered by product read `DailySale` (per product and document); the others
read `DailyOrderSale` (per document), a third of the rows. Days are the local days of
settings.TIME_ZONE, as `Params.since` and `until` bound them, so filtering on `day` selects
exactly the facts of the range.
"""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DateField, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Collate, ExtractIsoWeekDay, Trunc

from ..base import Params, money
from ..models import DailyOrderSale, DailySale, SalesFact
from .filters import fetch_dicts

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=30, decimal_places=10))


def facts(params: Params, *, dated: bool = True) -> QuerySet[SalesFact]:
    """Sales facts matching the filters (and the date range unless `dated` is false)."""
    queryset = SalesFact.objects.all()
    if dated:
        queryset = queryset.filter(occurred_at__gte=params.since, occurred_at__lt=params.until)
    return filtered(queryset, params)


def filtered(queryset: QuerySet, params: Params) -> QuerySet:
    """`queryset` (facts or summary rows) narrowed to the location, customer, supplier,
    product and categories of `params`."""
    if params.location is not None:
        queryset = queryset.filter(location_id=params.location.pk)
    if params.customer is not None:
        queryset = queryset.filter(customer_id=params.customer.pk)
    if params.supplier is not None:
        from suppliers.models import SupplierProduct

        queryset = queryset.filter(
            product_id__in=SupplierProduct.objects.filter(supplier_id=params.supplier.pk).values(
                "product_id"
            )
        )
    if params.product is not None:
        queryset = queryset.filter(product_id=params.product.pk)
    if params.category_ids is not None:
        queryset = queryset.filter(product__category_id__in=params.category_ids)
    return queryset


def totals_expressions() -> dict:
    """Revenue, cost, units and orders of a group of facts (of the view)."""
    return {
        "revenue": Coalesce(Sum("revenue"), ZERO),
        "cost": Coalesce(Sum("cost"), ZERO),
        "units": Coalesce(Sum("quantity"), ZERO),
        "orders": Count("document", filter=Q(quantity__gt=0), distinct=True),
        "returned": Coalesce(Sum(-F("quantity"), filter=Q(quantity__lt=0)), ZERO),
    }


PRODUCT_DIMENSIONS = ("product", "category")


def summary(params: Params, *, by_product: bool = False) -> QuerySet:
    """Daily summary rows of the range matching the filters: per product (`DailySale`) when
    `by_product` or a product, category or supplier filter needs them, else per document
    (`DailyOrderSale`)."""
    by_product = by_product or any(
        value is not None for value in (params.product, params.category_ids, params.supplier)
    )
    model = DailySale if by_product else DailyOrderSale
    queryset = model.objects.filter(day__gte=params.start, day__lte=params.end)
    return filtered(queryset, params)


def summary_expressions(*, orders: bool = True) -> dict:
    """Revenue, cost, units, returned units and (unless `orders` is false: counting distinct
    documents is the costly part) orders of a group of summary rows, as `totals_expressions`
    gives them for facts."""
    found = {
        "revenue": Coalesce(Sum("revenue"), ZERO),
        "cost": Coalesce(Sum("cost"), ZERO),
        "units": Coalesce(Sum("quantity"), ZERO),
    }
    if orders:
        # Compared byte by byte ("C"): the same distinct documents as under the database's
        # collation (deterministic collations call strings equal only when their bytes are),
        # sorted without the locale's rules, a third faster over two years of documents.
        found["orders"] = Count(Collate("document", "C"), filter=Q(sale_facts__gt=0), distinct=True)
        found["returned"] = Coalesce(Sum("returned"), ZERO)
    return found


def _finish(row: dict) -> dict:
    """Round sums to cents and add margin figures."""
    row["revenue"], row["cost"] = money(row["revenue"]), money(row["cost"])
    row["margin"] = row["revenue"] - row["cost"]
    row["margin_percent"] = (
        (row["margin"] * 100 / row["revenue"]).quantize(Decimal("0.1")) if row["revenue"] else None
    )
    row["units"] = Decimal(row["units"]).normalize() if row["units"] else Decimal(0)
    return row


def sales_totals(params: Params) -> dict:
    """One row: revenue, cost, margin, units, orders, average order value, returned units."""
    row = _finish(summary(params).aggregate(**summary_expressions()))
    row["average_order"] = money(row["revenue"] / row["orders"]) if row["orders"] else None
    return row


def sales_by_period(params: Params, grain: str | None = None) -> list[dict]:
    """Revenue, cost, margin, units and orders per day, week or month (periods without sales
    are left out; the report fills them)."""
    grain = grain or params.grain
    rows = (
        summary(params)
        .annotate(period=Trunc("day", grain, output_field=DateField()))
        .values("period")
        .annotate(**summary_expressions())
        .order_by("period")
    )
    return [_finish(dict(row)) for row in rows]


DIMENSIONS = {
    "product": ("product_id", ("product__sku", "product__name")),
    "category": ("product__category_id", ("product__category__name",)),
    "location": ("location_id", ("location__name",)),
    "customer": ("customer_id", ("customer__name",)),
    "payment": ("payment_method", ()),
    "channel": ("channel", ()),
}
# The table that names a dimension's key, and its label column: joined to the groups once
# they are summed, not to every summary row (and a name in the group key sorted each row).
NAMED_BY = {
    "category": ("products_category", "product__category__name"),
    "location": ("stock_location", "location__name"),
    "customer": ("orders_customer", "customer__name"),
}


def sales_by(params: Params, dimension: str, *, limit: int | None = None) -> list[dict]:
    """Totals grouped by product, category, location, customer, payment method or channel,
    largest revenue first."""
    key, labels = DIMENSIONS[dimension]
    if dimension == "product" or dimension in NAMED_BY:
        # Sum per key first, then name the groups: no join of every summary row for a label.
        labels = ()
    rows = (
        summary(params, by_product=dimension in PRODUCT_DIMENSIONS)
        .values(key, *labels)
        .annotate(**summary_expressions())
        .order_by("-revenue", key)
    )
    if dimension in NAMED_BY:
        rows = _named(rows, key, *NAMED_BY[dimension], limit=limit)
    elif limit:
        rows = rows[:limit]
    rows = [_finish(dict(row)) for row in rows]
    if dimension == "product":
        names = _product_names([row["product_id"] for row in rows])
        for row in rows:
            row["product__sku"], row["product__name"] = names[row["product_id"]]
    return rows


def _named(rows: QuerySet, key: str, table: str, label: str, *, limit: int | None) -> list[dict]:
    """The summed `rows`, largest revenue first (then by `key`), each with the name of its
    key from `table` as `label`; the first `limit` when given."""
    sql, args = rows.order_by().query.sql_with_params()
    # Constant text: the names come from NAMED_BY and DIMENSIONS, never from a value.
    statement = (
        f'SELECT g.*, n.name AS "{label}" FROM ({sql}) g'  # noqa: S608
        f' LEFT JOIN {table} n ON n.id = g."{key}"'
        f' ORDER BY g.revenue DESC, g."{key}"'
    )
    if limit:
        statement += " LIMIT %s"
        args = (*args, limit)
    with connection.cursor() as cursor:
        cursor.execute(statement, args)
        return fetch_dicts(cursor)


def _product_names(ids: list[int]) -> dict[int, tuple[str, str]]:
    """id -> (SKU, name); one query even when `ids` is empty, so a page runs the same queries
    whether or not it found anything."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, sku, name FROM products_product WHERE id = ANY(%s)", [ids])
        return {pk: (sku, name) for pk, sku, name in cursor.fetchall()}


def sales_by_weekday(params: Params) -> list[dict]:
    """Totals per ISO weekday (1 = Monday), with how many of each weekday the range holds."""
    rows = (
        summary(params)
        .annotate(weekday=ExtractIsoWeekDay("day"))
        .values("weekday")
        .annotate(**summary_expressions())
        .order_by("weekday")
    )
    found = {row["weekday"]: _finish(dict(row)) for row in rows}
    result = []
    for weekday in range(1, 8):
        count = sum(
            1
            for n in range(params.days)
            if date.fromordinal(params.start.toordinal() + n).isoweekday() == weekday
        )
        row = found.get(weekday) or _finish(
            {"weekday": weekday, "revenue": 0, "cost": 0, "units": 0, "orders": 0, "returned": 0}
        )
        row["days"] = count
        row["revenue_per_day"] = money(row["revenue"] / count) if count else None
        result.append(row)
    return result
