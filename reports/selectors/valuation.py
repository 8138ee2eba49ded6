"""Inventory valuation at the end of a day, from the ledger: what each location held then, at
the moving-average cost of that moment."""

from django.db import connection
from django.utils import timezone

from ..base import Params, money
from .filters import fetch_dicts, location_id, product_conditions_named

# Stock held at a moment: every movement before it, in at its destination, out at its source.
# The cost of a product at that moment is the average recorded by its last movement before it
# (stock_stockmovement.average_cost, see stock migration 0005): one probe of the
# (product, -created_at) index per product held.
HELD = """
WITH moved AS (
    SELECT product_id, to_location_id AS location_id, quantity
      FROM stock_stockmovement
     WHERE to_location_id IS NOT NULL AND created_at < %(until)s
       AND (%(location)s::bigint IS NULL OR to_location_id = %(location)s)
    UNION ALL
    SELECT product_id, from_location_id, -quantity
      FROM stock_stockmovement
     WHERE from_location_id IS NOT NULL AND created_at < %(until)s
       AND (%(location)s::bigint IS NULL OR from_location_id = %(location)s)
),
held AS (
    SELECT m.product_id, m.location_id, p.category_id, SUM(m.quantity) AS quantity
      FROM moved m
      JOIN products_product p ON p.id = m.product_id
     WHERE {product_conditions}
     GROUP BY m.product_id, m.location_id, p.category_id
    HAVING SUM(m.quantity) <> 0
),
costs AS (
    SELECT h.product_id, {cost} AS cost
      FROM (SELECT DISTINCT product_id FROM held) h
      JOIN products_product p ON p.id = h.product_id
),
valued AS (
    SELECT h.*, c.cost, h.quantity * COALESCE(c.cost, 0) AS value
      FROM held h JOIN costs c USING (product_id)
)
"""
# The average the ledger recorded last before the moment.
COST_THEN = """(
    SELECT m.average_cost FROM stock_stockmovement m
     WHERE m.product_id = h.product_id AND m.created_at < %(until)s
       AND m.average_cost IS NOT NULL
     ORDER BY m.created_at DESC, m.id DESC LIMIT 1
)"""
# Up to now: the product's cost as the catalogue holds it (the stock pages' value).
COST_NOW = "p.cost_price"

# Totals by category, by location, by product (the `limit` dearest) and overall, in one pass.
GROUPED = """
, grouped AS (
    SELECT CASE WHEN GROUPING(product_id) = 0 THEN 'product'
                WHEN GROUPING(category_id) = 0 THEN 'category'
                WHEN GROUPING(location_id) = 0 THEN 'location'
                ELSE 'total' END AS level,
           product_id, category_id, location_id,
           SUM(quantity) AS quantity, SUM(value) AS value, MAX(cost) AS cost,
           COUNT(DISTINCT product_id) AS products, COUNT(DISTINCT location_id) AS locations
      FROM valued
     GROUP BY GROUPING SETS ((product_id), (category_id), (location_id), ())
),
ranked AS (
    SELECT g.*, row_number() OVER (PARTITION BY level ORDER BY value DESC, product_id,
                                   category_id, location_id) AS rank
      FROM grouped g
)
SELECT r.level, r.quantity, r.value, r.cost, r.products, r.locations,
       r.product_id, p.sku AS product_sku, p.name AS product_name,
       r.category_id, COALESCE(c.name, pc.name) AS category_name,
       r.location_id, l.name AS location_name
  FROM ranked r
  LEFT JOIN products_product p ON p.id = r.product_id
  LEFT JOIN products_category pc ON pc.id = p.category_id
  LEFT JOIN products_category c ON c.id = r.category_id
  LEFT JOIN stock_location l ON l.id = r.location_id
 WHERE r.level <> 'product' OR r.rank <= %(limit)s
 ORDER BY r.level, r.rank
"""


def stock_valuation(params: Params, *, limit: int = 100) -> dict:
    """Stock on hand at the end of `params.end`, valued: {"total": row, "categories": [...],
    "locations": [...], "products": [...]} (the `limit` products of most value), each row with
    quantity, value (rounded to cents), products and locations held; largest value first.

    Quantities are the ledger's sums up to that moment; the cost is the moving-average cost the
    ledger recorded last before it (the day not over yet: the product's current cost). One query.
    """
    until = params.until
    conditions, args = product_conditions_named(params, "p")
    cost = COST_NOW if until > timezone.now() else COST_THEN
    sql = HELD.format(product_conditions=conditions, cost=cost) + GROUPED
    args |= {"until": until, "location": location_id(params), "limit": limit}
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        rows = fetch_dicts(cursor)
    found = {"total": None, "category": [], "location": [], "product": []}
    for row in rows:
        row["value"] = money(row["value"])
        if row["level"] == "total":
            found["total"] = row
        else:
            found[row["level"]].append(row)
    total = found["total"] or {"quantity": 0, "value": money(0), "products": 0, "locations": 0}
    return {
        "total": total,
        "categories": found["category"],
        "locations": found["location"],
        "products": found["product"],
    }
