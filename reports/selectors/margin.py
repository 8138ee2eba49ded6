"""Gross margin datasets over the daily sales summaries (see .sales): revenue less the cost of
the goods sold, at the unit cost the ledger recorded for each sale (returns negative, imported
lines at the cost they were imported with)."""

from functools import partial

from django.db import connection
from django.db.models import DateField, F, QuerySet, Sum
from django.db.models.functions import Trunc

from ..base import Params, money, ratio
from .filters import fetch_dicts
from .sales import DIMENSIONS, PRODUCT_DIMENSIONS, summary, summary_expressions
from .together import per_range


def _finish(row: dict) -> dict:
    """Round sums to cents (half up); margin and margin % from the rounded amounts, so a row
    adds up as it is shown."""
    row["revenue"], row["cost"] = money(row["revenue"]), money(row["cost"])
    row["margin"] = row["revenue"] - row["cost"]
    row["margin_percent"] = ratio(row["margin"], row["revenue"])
    row.pop("gross", None)
    return row


def _grouped(queryset: QuerySet, *keys: str) -> QuerySet:
    return queryset.values(*keys).annotate(
        **summary_expressions(orders=False), gross=F("revenue") - F("cost")
    )


def margin_totals(params: Params) -> dict:
    """One row: revenue, cost of goods, margin, margin %, units and returned units."""
    return _finish(summary(params).aggregate(**summary_expressions(orders=False)))


def margin_by(
    params: Params, dimension: str, *, limit: int | None = None, lowest: bool = False
) -> list[dict]:
    """Margin grouped by product, category, location, ...: the largest margin first, or with
    `lowest` the smallest (losses first)."""
    key, labels = DIMENSIONS[dimension]
    if dimension == "product":
        labels = (*labels, "product__category__name")
    order = ("gross", key) if lowest else ("-gross", key)
    queryset = summary(params, by_product=dimension in PRODUCT_DIMENSIONS)
    rows = _grouped(queryset, key, *labels).order_by(*order)
    if limit:
        rows = rows[:limit]
    return [_finish(dict(row)) for row in rows]


def margin_by_period(params: Params) -> list[dict]:
    """Margin per day, week or month (`params.grain`), periods without sales left out."""
    rows = _grouped(
        summary(params).annotate(period=Trunc("day", params.grain, output_field=DateField())),
        "period",
    ).order_by("period")
    return [_finish(dict(row)) for row in rows]


# Per product once (the costly pass over two years of summary rows), then the categories, the
# best and the worst products from those sums.
PRODUCTS_SQL = """
WITH sold AS ({sold}),
named AS (
    SELECT s.product_id, p.sku, p.name, p.category_id, c.name AS category_name,
           s.revenue, s.cost, s.units
      FROM sold s
      JOIN products_product p ON p.id = s.product_id
      LEFT JOIN products_category c ON c.id = p.category_id
)
SELECT 'category' AS part, NULL::bigint AS product_id, NULL AS sku, NULL AS name,
       category_id, category_name, SUM(revenue) AS revenue, SUM(cost) AS cost,
       SUM(units) AS units
  FROM named
 GROUP BY category_id, category_name
UNION ALL
(SELECT 'top', product_id, sku, name, category_id, category_name, revenue, cost, units
   FROM named ORDER BY revenue - cost DESC, product_id LIMIT %s)
UNION ALL
(SELECT 'lowest', product_id, sku, name, category_id, category_name, revenue, cost, units
   FROM named ORDER BY revenue - cost, product_id LIMIT %s)
"""


def margin_by_product(params: Params, *, top: int, lowest: int) -> dict[str, list[dict]]:
    """Margin by category (the largest first), of the `top` products with the largest margin
    and of the `lowest` with the smallest (losses first), from one pass over the sales: one
    statement per range of product ids, side by side (selectors.together), their sums added
    and their lists merged here.

    Rows are keyed as `margin_by` keys them: product_id, product__sku, product__name and
    product__category__name for products; product__category_id and product__category__name
    for categories."""
    parts = per_range(partial(_products_part, params, top=top, lowest=lowest))
    rows = [row for part in parts for row in part]
    categories: dict = {}
    for row in rows:
        if row["part"] != "category":
            continue
        summed = categories.get(row["category_id"])
        if summed is None:
            categories[row["category_id"]] = dict(row)
        else:
            for key in ("revenue", "cost", "units"):
                summed[key] += row[key]
    # Largest margin first, as margin_by orders them: the unrounded sums, then the key.
    ordered = sorted(
        categories.values(),
        key=lambda row: (row["cost"] - row["revenue"], row["category_id"] is None,
                         row["category_id"] or 0),
    )  # fmt: skip
    products = [row for row in rows if row["part"] != "category"]
    by_margin = sorted(products, key=lambda row: (row["cost"] - row["revenue"], row["product_id"]))
    by_loss = sorted(products, key=lambda row: (row["revenue"] - row["cost"], row["product_id"]))
    found = {"category": [], "top": [], "lowest": []}
    for part, chosen in (
        ("category", ordered),
        ("top", [row for row in by_margin if row["part"] == "top"][:top]),
        ("lowest", [row for row in by_loss if row["part"] == "lowest"][:lowest]),
    ):
        for row in chosen:
            named = {"revenue": row["revenue"], "cost": row["cost"], "units": row["units"]}
            if part == "category":
                named["product__category_id"] = row["category_id"]
            else:
                named["product_id"] = row["product_id"]
                named["product__sku"] = row["sku"]
                named["product__name"] = row["name"]
            named["product__category__name"] = row["category_name"]
            found[part].append(_finish(named))
    return found


def _products_part(params: Params, ids: tuple[int, int], *, top: int, lowest: int) -> list[dict]:
    """PRODUCTS_SQL's rows for the products with ids in [ids[0], ids[1])."""
    sold_sql, sold_args = (
        summary(params, by_product=True)
        .filter(product_id__gte=ids[0], product_id__lt=ids[1])
        .values("product_id")
        .annotate(revenue=Sum("revenue"), cost=Sum("cost"), units=Sum("quantity"))
        .order_by()
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(PRODUCTS_SQL.format(sold=sold_sql), [*sold_args, top, lowest])
        return fetch_dicts(cursor)
