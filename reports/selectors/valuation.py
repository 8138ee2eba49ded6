"""Inventory valuation at the end of a day, from the ledger: what each location held then, at
the moving-average cost of that moment."""

from django.db import connection
from django.utils import timezone

from ..base import Params, money
from ..snapshots import cost_at, state_ctes
from .filters import fetch_dicts, location_id, product_conditions_named

# Stock held at a past moment, from the ledger: the state of every (product, location) then
# (reports.snapshots: the latest snapshot before it plus the movements since), valued at the
# moving-average cost the ledger recorded last before it.
HELD_THEN = (  # constant text: no value is put in, they travel as parameters
    "WITH"  # noqa: S608
    + state_ctes("v", sales=False)
    + """,
held AS (
    SELECT s.product_id, s.location_id, p.category_id, s.quantity, """
    + cost_at("v")
    + """ AS cost
      FROM state_v s
      JOIN products_product p ON p.id = s.product_id
      LEFT JOIN cost_v c ON c.product_id = s.product_id
     WHERE s.quantity <> 0 AND {product_conditions}
),
valued AS (
    SELECT h.*, h.quantity * COALESCE(h.cost, 0) AS value FROM held h
)
"""
)
# Up to now: the stock levels (the ledger's sums, kept with every movement) at the product's
# cost as the catalogue holds it (the stock pages' value).
HELD_NOW = """
WITH held AS (
    SELECT l.product_id, l.location_id, p.category_id, l.on_hand AS quantity,
           p.cost_price AS cost
      FROM stock_stocklevel l
      JOIN products_product p ON p.id = l.product_id
     WHERE l.on_hand <> 0
       AND (%(location)s::bigint IS NULL OR l.location_id = %(location)s::bigint)
       AND {product_conditions}
),
valued AS (
    SELECT h.*, h.quantity * COALESCE(h.cost, 0) AS value FROM held h
)
"""

# Totals by product (the `limit` dearest), by category, by location and overall, in one pass:
# hash aggregates over the (product, location) rows, no distinct counts (a product is one row
# of by_product, a product at a location one row of `valued`).
GROUPED = """
, by_product AS (
    SELECT product_id, category_id, SUM(quantity) AS quantity, SUM(value) AS value,
           MAX(cost) AS cost, COUNT(*) AS locations
      FROM valued
     GROUP BY product_id, category_id
),
by_category AS (
    SELECT category_id, SUM(quantity) AS quantity, SUM(value) AS value, MAX(cost) AS cost,
           COUNT(*) AS products
      FROM by_product
     GROUP BY category_id
),
category_places AS (
    SELECT category_id, COUNT(*) AS locations
      FROM (SELECT DISTINCT category_id, location_id FROM valued) pairs
     GROUP BY category_id
),
by_location AS (
    SELECT location_id, SUM(quantity) AS quantity, SUM(value) AS value, MAX(cost) AS cost,
           COUNT(*) AS products
      FROM valued
     GROUP BY location_id
),
ranked AS (
    SELECT 'product' AS level, product_id, NULL::bigint AS category_id,
           NULL::bigint AS location_id, quantity, value, cost, 1::bigint AS products,
           locations, row_number() OVER (ORDER BY value DESC, product_id) AS rank
      FROM (SELECT * FROM by_product ORDER BY value DESC, product_id LIMIT %(limit)s) top
    UNION ALL
    SELECT 'category', NULL, c.category_id, NULL, c.quantity, c.value, c.cost, c.products,
           cp.locations, row_number() OVER (ORDER BY c.value DESC, c.category_id)
      FROM by_category c
      JOIN category_places cp ON cp.category_id IS NOT DISTINCT FROM c.category_id
    UNION ALL
    SELECT 'location', NULL, NULL, location_id, quantity, value, cost, products, 1,
           row_number() OVER (ORDER BY value DESC, location_id)
      FROM by_location
    UNION ALL
    SELECT 'total', NULL, NULL, NULL, SUM(quantity), SUM(value), MAX(cost), COUNT(*),
           (SELECT COUNT(*) FROM by_location), 1
      FROM by_product
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
 ORDER BY r.level, r.rank
"""
TOTAL = "SELECT SUM(value) FROM valued"


def stock_valuation(params: Params, *, limit: int = 100) -> dict:
    """Stock on hand at the end of `params.end`, valued: {"total": row, "categories": [...],
    "locations": [...], "products": [...]} (the `limit` products of most value), each row with
    quantity, value (rounded to cents), products and locations held; largest value first.

    Quantities are the ledger's sums up to that moment; the cost is the moving-average cost the
    ledger recorded last before it (the day not over yet: the stock levels at the product's
    current cost). One query.
    """
    until = params.until
    conditions, args = product_conditions_named(params, "p")
    held = HELD_NOW if until > timezone.now() else HELD_THEN
    sql = held.format(product_conditions=conditions) + GROUPED
    args |= {"at_v": until, "location": location_id(params), "limit": limit}
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


def stock_value(params: Params):
    """What `stock_valuation(params)["total"]["value"]` says, without the breakdowns: the
    value of the stock on hand at the end of `params.end` (rounded to cents). One query."""
    until = params.until
    conditions, args = product_conditions_named(params, "p")
    held = HELD_NOW if until > timezone.now() else HELD_THEN
    sql = held.format(product_conditions=conditions) + TOTAL
    args |= {"at_v": until, "location": location_id(params)}
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        (value,) = cursor.fetchone()
    return money(value)
