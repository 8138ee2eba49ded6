"""Products ranked by what they sold: top and bottom lists, and ABC classes by revenue and by
units. Each is one statement: per-product totals of the daily sales summary, then window functions
over them, so the database ranks every product and Python only receives the rows it shows."""

from decimal import Decimal

from django.db import connection
from django.db.models import Sum

from ..base import Params
from .filters import fetch_dicts, location_id, product_conditions
from .sales import summary

# An item is in class A while the share of the items before it is below 80%, in B while it is
# below 95%; the rest are C. So the item that crosses 80% is still A.
A_LIMIT, B_LIMIT = Decimal(80), Decimal(95)
CLASSES = ("A", "B", "C")
MEASURES = ("revenue", "units")
PARETO_POINTS = 100  # points of a cumulative-share curve, however many products sold


def _sold(params: Params) -> tuple[str, list]:
    """Per product over the range: revenue, cost and units (net of returns), as SQL."""
    queryset = (
        summary(params, by_product=True)
        .values("product_id")
        .annotate(revenue=Sum("revenue"), cost=Sum("cost"), units=Sum("quantity"))
        .order_by()
    )
    sql, args = queryset.query.sql_with_params()
    return sql, list(args)


RANKINGS_SQL = """
WITH sold AS ({sold}),
stocked AS (
    SELECT DISTINCT l.product_id FROM stock_stocklevel l
     WHERE l.on_hand > 0 AND (%s::bigint IS NULL OR l.location_id = %s::bigint)
),
candidates AS MATERIALIZED (
    SELECT p.id AS product_id, p.sku, p.name, p.is_active,
           s.product_id IS NOT NULL AS sold,
           COALESCE(s.revenue, 0) AS revenue,
           COALESCE(s.units, 0) AS units,
           COALESCE(s.revenue - s.cost, 0) AS margin
      FROM products_product p
      LEFT JOIN sold s ON s.product_id = p.id
     WHERE (s.product_id IS NOT NULL
            OR (p.is_active AND p.id IN (SELECT product_id FROM stocked)))
       AND {products}
),
counts AS (
    SELECT COUNT(*) FILTER (WHERE sold) AS sold_count,
           COUNT(*) FILTER (WHERE is_active AND NOT sold) AS unsold_count
      FROM candidates
)
SELECT counts.*, listed.*
  FROM counts
  LEFT JOIN ({lists}) listed ON TRUE
"""

# Each list is the first rows of one ordering: a bounded top-N sort per list instead of a
# window (a full sort) over every candidate per list.
RANKING_ORDERS = {
    "top_revenue": ("sold", "revenue DESC, sku"),
    "top_units": ("sold", "units DESC, sku"),
    "top_margin": ("sold", "margin DESC, sku"),
    "bottom_revenue": ("is_active", "revenue, sku"),
    "bottom_units": ("is_active", "units, sku"),
    "bottom_margin": ("is_active", "margin, sku"),
}
RANKINGS = tuple(RANKING_ORDERS)


def _lists_sql() -> str:
    # Constant text: the keys and orders above, never a value.
    return "\n  UNION ALL\n".join(
        f"""SELECT '{key}' AS list, row_number() OVER (ORDER BY {order}) AS rank, head.*
      FROM (SELECT * FROM candidates WHERE {where} ORDER BY {order} LIMIT %s) head"""  # noqa: S608
        for key, (where, order) in RANKING_ORDERS.items()
    )


def product_rankings(params: Params, *, limit: int) -> dict:
    """The `limit` best products by revenue, units and margin among those sold in the range,
    and the `limit` worst among active products that are in stock now or sold in the range
    (unsold ones count as zero). Return {"top_revenue": [row, ...], ..., "sold": n,
    "unsold": n}, each row with sku, name, revenue, cost-based margin and units."""
    sold_sql, sold_args = _sold(params)
    products_sql, products_args = product_conditions(params)
    sql = RANKINGS_SQL.format(sold=sold_sql, products=products_sql, lists=_lists_sql())
    location = location_id(params)
    args = [*sold_args, location, location, *products_args, *[limit] * len(RANKINGS)]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        rows = fetch_dicts(cursor)
    result = {
        key: sorted(
            (row for row in rows if row["list"] == key),
            key=lambda row: row["rank"],
        )
        for key in RANKINGS
    }
    result["sold"] = rows[0]["sold_count"] if rows else 0
    result["unsold"] = rows[0]["unsold_count"] if rows else 0
    return result


ABC_SQL = """
WITH sold AS ({sold}),
items AS (
    SELECT p.id AS product_id, p.sku, p.name, s.revenue, s.units
      FROM sold s JOIN products_product p ON p.id = s.product_id
),
ranked AS (
    SELECT i.*,
           {ranks}
      FROM items i
    WINDOW revenue_order AS (PARTITION BY revenue > 0 ORDER BY revenue DESC, sku),
           units_order AS (PARTITION BY units > 0 ORDER BY units DESC, sku)
),
classed AS (
    SELECT r.*, {classes}
      FROM ranked r
),
summary AS (
    SELECT {summary} FROM classed
)
SELECT summary.*, shown.*
  FROM summary
  LEFT JOIN (
      SELECT * FROM classed
       WHERE revenue_rank <= %s OR units_rank <= %s OR revenue_point OR units_point
  ) shown ON TRUE
"""


def _abc_sql() -> str:
    ranks, classes, summary = [], [], []
    for m in MEASURES:
        # Products that sold nothing net of returns (or returned more) are not ranked.
        ranks += [
            f"CASE WHEN {m} > 0 THEN row_number() OVER {m}_order END AS {m}_rank",
            f"CASE WHEN {m} > 0 THEN SUM({m}) OVER ({m}_order ROWS UNBOUNDED PRECEDING) END"
            f" AS {m}_cumulative",
            f"SUM({m}) FILTER (WHERE {m} > 0) OVER () AS {m}_total",
            f"COUNT(*) FILTER (WHERE {m} > 0) OVER () AS {m}_items",
        ]
        classes += [
            f"CASE WHEN {m}_rank IS NULL THEN NULL"
            f" WHEN ({m}_cumulative - {m}) * 100 < {A_LIMIT} * {m}_total THEN 'A'"
            f" WHEN ({m}_cumulative - {m}) * 100 < {B_LIMIT} * {m}_total THEN 'B'"
            f" ELSE 'C' END AS {m}_class",
            # Evenly spaced ranks (and the last) draw the cumulative-share curve.
            f"COALESCE(mod({m}_rank, CEIL({m}_items / {PARETO_POINTS}.0)::bigint) = 0"
            f" OR {m}_rank = {m}_items, FALSE) AS {m}_point",
        ]
    for m in MEASURES:
        for c in CLASSES:
            summary += [
                f"COUNT(*) FILTER (WHERE {m}_class = '{c}') AS {m}_{c.lower()}_items",
                f"COALESCE(SUM({m}) FILTER (WHERE {m}_class = '{c}'), 0) AS {m}_{c.lower()}_value",
            ]
        summary.append(f"COALESCE(SUM({m}) FILTER (WHERE {m} > 0), 0) AS {m}_sum")
    return (
        ABC_SQL.replace("{ranks}", ",\n           ".join(ranks))
        .replace("{classes}", ",\n           ".join(classes))
        .replace("{summary}", ",\n           ".join(summary))
    )


def abc_classes(params: Params, *, limit: int) -> dict:
    """ABC classes of the products sold in the range, by revenue and by units separately.

    Return, per measure, {"rows": the first `limit` products in rank order, each with its
    rank, value, cumulative value (itself included) and class; "points": about PARETO_POINTS
    (rank, value, cumulative value) rows for the chart; "classes": per class the number of
    products and their value; "total": the value of all ranked products; "items": their
    number}.
    """
    sold_sql, sold_args = _sold(params)
    sql = _abc_sql().replace("{sold}", sold_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*sold_args, limit, limit])
        rows = fetch_dicts(cursor)
    summary = rows[0]
    shown = [row for row in rows if row["product_id"] is not None]
    result = {}
    for m in MEASURES:
        total = summary[f"{m}_sum"]
        ranked = sorted(
            (row for row in shown if row[f"{m}_rank"] is not None),
            key=lambda r, m=m: r[f"{m}_rank"],
        )
        result[m] = {
            "total": total,
            "items": sum(summary[f"{m}_{c.lower()}_items"] for c in CLASSES),
            "classes": {
                c: {
                    "items": summary[f"{m}_{c.lower()}_items"],
                    "value": summary[f"{m}_{c.lower()}_value"],
                }
                for c in CLASSES
            },
            "rows": [
                {
                    "rank": row[f"{m}_rank"],
                    "product_id": row["product_id"],
                    "sku": row["sku"],
                    "name": row["name"],
                    "value": row[m],
                    "cumulative": row[f"{m}_cumulative"],
                    "class": row[f"{m}_class"],
                }
                for row in ranked
                if row[f"{m}_rank"] <= limit
            ],
            "points": [
                {
                    "rank": row[f"{m}_rank"],
                    "value": row[m],
                    "cumulative": row[f"{m}_cumulative"],
                }
                for row in ranked
                if row[f"{m}_point"]
            ],
        }
    return result
