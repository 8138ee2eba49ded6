"""Products ranked by what they sold: top and bottom lists, and ABC classes by revenue and by
units. Each is one statement: per-product totals of the daily sales summary, then window functions
over them, so the database ranks every product and Python only receives the rows it shows."""

from decimal import Decimal
from functools import partial

from django.db import connection
from django.db.models import Sum

from ..base import Params
from .filters import fetch_dicts, location_id, product_conditions
from .sales import summary
from .together import together

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


# One measure: per product its sum over the range (products with none, net of returns, are
# not ranked), rank, running sum and class; the class counts and sums over all of them; the
# rows shown and the points of the chart.
ABC_SQL = """
WITH sold AS ({sold}),
totals AS (SELECT COALESCE(SUM(value), 0) AS total, COUNT(*) AS items FROM sold),
ranked AS (
    SELECT p.id AS product_id, p.sku, p.name, s.value,
           row_number() OVER ranking AS rank,
           SUM(s.value) OVER (ranking ROWS UNBOUNDED PRECEDING) AS cumulative
      FROM sold s JOIN products_product p ON p.id = s.product_id
    WINDOW ranking AS (ORDER BY s.value DESC, p.sku)
),
classed AS MATERIALIZED (
    SELECT r.*,
           CASE WHEN (r.cumulative - r.value) * 100 < {a_limit} * t.total THEN 'A'
                WHEN (r.cumulative - r.value) * 100 < {b_limit} * t.total THEN 'B'
                ELSE 'C' END AS class,
           -- Evenly spaced ranks (and the last) draw the cumulative-share curve.
           mod(r.rank, CEIL(t.items / {points}.0)::bigint) = 0 OR r.rank = t.items AS point
      FROM ranked r CROSS JOIN totals t
),
summary AS (
    SELECT t.total, t.items,
           {summary}
      FROM totals t LEFT JOIN classed c ON TRUE
     GROUP BY t.total, t.items
)
SELECT summary.*, shown.*
  FROM summary
  LEFT JOIN (SELECT * FROM classed WHERE rank <= %s OR point) shown ON TRUE
"""
ABC_FIELDS = {"revenue": "revenue", "units": "quantity"}  # measure -> summary column


def _abc_sql() -> str:
    # Constant text: the limits, the number of points and the class letters, never a value.
    summary = []
    for c in CLASSES:
        summary += [
            f"COUNT(c.rank) FILTER (WHERE c.class = '{c}') AS {c.lower()}_items",
            f"COALESCE(SUM(c.value) FILTER (WHERE c.class = '{c}'), 0) AS {c.lower()}_value",
        ]
    return (
        ABC_SQL.replace("{a_limit}", str(A_LIMIT))
        .replace("{b_limit}", str(B_LIMIT))
        .replace("{points}", str(PARETO_POINTS))
        .replace("{summary}", ",\n           ".join(summary))
    )


def abc_classes(params: Params, *, limit: int) -> dict:
    """ABC classes of the products sold in the range, by revenue and by units separately (one
    statement per measure, side by side: selectors.together).

    Return, per measure, {"rows": the first `limit` products in rank order, each with its
    rank, value, cumulative value (itself included) and class; "points": about PARETO_POINTS
    (rank, value, cumulative value) rows for the chart; "classes": per class the number of
    products and their value; "total": the value of all ranked products; "items": their
    number}.
    """
    return together({m: partial(abc_measure, params, m, limit=limit) for m in MEASURES})


def abc_measure(params: Params, measure: str, *, limit: int) -> dict:
    """The ABC classes by one measure ("revenue" or "units"): one entry of `abc_classes`."""
    sold_sql, sold_args = (
        summary(params, by_product=True)
        .values("product_id")
        .annotate(value=Sum(ABC_FIELDS[measure]))
        .filter(value__gt=0)
        .order_by()
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(_abc_sql().replace("{sold}", sold_sql), [*sold_args, limit])
        rows = fetch_dicts(cursor)
    first = rows[0]
    ranked = sorted(
        (row for row in rows if row["product_id"] is not None), key=lambda row: row["rank"]
    )
    return {
        "total": first["total"],
        "items": first["items"],
        "classes": {
            c: {"items": first[f"{c.lower()}_items"], "value": first[f"{c.lower()}_value"]}
            for c in CLASSES
        },
        "rows": [
            {
                "rank": row["rank"],
                "product_id": row["product_id"],
                "sku": row["sku"],
                "name": row["name"],
                "value": row["value"],
                "cumulative": row["cumulative"],
                "class": row["class"],
            }
            for row in ranked
            if row["rank"] <= limit
        ],
        "points": [
            {"rank": row["rank"], "value": row["value"], "cumulative": row["cumulative"]}
            for row in ranked
            if row["point"]
        ],
    }
