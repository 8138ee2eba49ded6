"""Supplier performance over purchase orders placed in a range: on time, lead time against the
catalogue's promise, fill rate and spend, from the orders and their receipt movements."""

from decimal import Decimal

from django.db import connection
from django.utils import timezone

from ..base import Params, money, ratio
from .filters import fetch_dicts, location_id, product_conditions_named

# One row per purchase order placed in the range (cancelled ones left out), over its lines that
# match the filters:
# - due: the expected date, or without one the order date plus the longest catalogue lead
#   time of its lines (the supplier's promise for that product);
# - complete: every line fully received; arrived: the local date of its last receipt;
# - on_time: complete with the last receipt on or before the due date;
# - judged: there is a due date and the verdict is in (complete, closed, or the due date has
#   passed); an order still within its time is not counted either way;
# - finished: delivery is over (complete or closed), so its lead time is final.
ORDERS = """
WITH lines AS (
    SELECT o.id AS order_id, o.number, o.supplier_id, o.location_id, o.status, o.order_date,
           o.expected_date, l.quantity, l.received_quantity, l.unit_cost, sp.lead_time_days,
           r.last_receipt
      FROM orders_purchaseorder o
      JOIN orders_purchaseorderline l ON l.order_id = o.id
      JOIN products_product p ON p.id = l.product_id
      LEFT JOIN suppliers_supplierproduct sp
             ON sp.supplier_id = o.supplier_id AND sp.product_id = l.product_id
      LEFT JOIN LATERAL (
            SELECT MAX(m.created_at) AS last_receipt FROM stock_stockmovement m
             WHERE m.purchase_order_line_id = l.id AND m.kind = 'receipt'
      ) r ON TRUE
     WHERE o.order_date BETWEEN %(start)s AND %(end)s AND o.status <> 'cancelled'
       AND (%(supplier)s::bigint IS NULL OR o.supplier_id = %(supplier)s)
       AND (%(location)s::bigint IS NULL OR o.location_id = %(location)s)
       AND {product_conditions}
),
orders AS (
    SELECT order_id, number, supplier_id, location_id, status, order_date,
           COALESCE(expected_date, order_date + MAX(lead_time_days)) AS due,
           BOOL_AND(received_quantity >= quantity) AS complete,
           (MAX(last_receipt) AT TIME ZONE %(zone)s)::date AS arrived,
           SUM(quantity) AS ordered, SUM(received_quantity) AS received,
           SUM(received_quantity * unit_cost) AS spend,
           SUM(lead_time_days) AS promised_days, COUNT(lead_time_days) AS promised_lines
      FROM lines
     GROUP BY order_id, number, supplier_id, location_id, status, order_date, expected_date
),
judged AS (
    SELECT o.*,
           COALESCE(complete AND arrived <= due, FALSE) AS on_time,
           due IS NOT NULL AND (complete OR status = 'closed' OR due < %(today)s) AS judged,
           (complete OR status = 'closed') AND arrived IS NOT NULL AS finished,
           arrived - order_date AS lead_days
      FROM orders o
)
"""

BY_SUPPLIER = """
SELECT GROUPING(j.supplier_id) = 1 AS is_total, j.supplier_id, s.name AS supplier_name,
       COUNT(*) AS orders,
       COUNT(*) FILTER (WHERE judged) AS judged,
       COUNT(*) FILTER (WHERE judged AND on_time) AS on_time,
       COUNT(*) FILTER (WHERE judged AND NOT on_time) AS late,
       AVG(lead_days) FILTER (WHERE finished) AS lead_average,
       MAX(lead_days) FILTER (WHERE finished) AS lead_worst,
       SUM(promised_days)::numeric / NULLIF(SUM(promised_lines), 0) AS lead_promised,
       SUM(ordered) AS ordered, SUM(received) AS received, SUM(spend) AS spend
  FROM judged j
  JOIN suppliers_supplier s ON s.id = j.supplier_id
 GROUP BY GROUPING SETS ((j.supplier_id, s.name), ())
 ORDER BY is_total, SUM(spend) DESC, s.name
"""

LATE = """
SELECT j.order_id, j.number, s.name AS supplier_name, l.name AS location_name, j.order_date,
       j.due, j.arrived, j.complete, j.ordered, j.received,
       GREATEST(CASE WHEN j.finished THEN j.arrived ELSE %(today)s END - j.due, 0) AS days_late
  FROM judged j
  JOIN suppliers_supplier s ON s.id = j.supplier_id
  JOIN stock_location l ON l.id = j.location_id
 WHERE j.judged AND NOT j.on_time
 ORDER BY days_late DESC, j.order_date, j.number
 LIMIT %(limit)s
"""

# Both of the above from one reading of the orders (the costly part): the rows of each, told
# apart by `part`, in their own order; the columns of the other part are NULL.
# Constant text: no value is put in, they travel as parameters.
BOTH = (
    "\n, by_supplier AS ("
    + BY_SUPPLIER
    + "),\nlate AS ("
    + LATE
    + """)
SELECT 'supplier' AS part, b.is_total, b.supplier_id, b.supplier_name, b.orders, b.judged,
       b.on_time, b.late, b.lead_average, b.lead_worst, b.lead_promised, b.ordered, b.received,
       b.spend, NULL::bigint AS order_id, NULL AS number, NULL AS location_name,
       NULL::date AS order_date, NULL::date AS due, NULL::date AS arrived,
       NULL::boolean AS complete, NULL::integer AS days_late,
       row_number() OVER (ORDER BY b.is_total, b.spend DESC, b.supplier_name) AS position
  FROM by_supplier b
UNION ALL
SELECT 'late', NULL, NULL, l.supplier_name, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       l.ordered, l.received, NULL, l.order_id, l.number, l.location_name, l.order_date, l.due,
       l.arrived, l.complete, l.days_late,
       row_number() OVER (ORDER BY l.days_late DESC, l.order_date, l.number)
  FROM late l
 ORDER BY part DESC, position
"""
)
SUPPLIER_COLUMNS = ("is_total", "supplier_id", "supplier_name", "orders", "judged", "on_time")
SUPPLIER_COLUMNS += ("late", "lead_average", "lead_worst", "lead_promised", "ordered")
SUPPLIER_COLUMNS += ("received", "spend")
LATE_COLUMNS = ("order_id", "number", "supplier_name", "location_name", "order_date", "due")
LATE_COLUMNS += ("arrived", "complete", "ordered", "received", "days_late")

DAY = Decimal("0.1")


def _run(params: Params, statement: str, **extra) -> list[dict]:
    conditions, args = product_conditions_named(params, "p")
    args |= {
        "start": params.start, "end": params.end, "today": timezone.localdate(),
        "zone": timezone.get_current_timezone_name(),
        "supplier": getattr(params.supplier, "pk", None), "location": location_id(params),
        "limit": None, **extra,
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(ORDERS.format(product_conditions=conditions) + statement, args)
        return fetch_dicts(cursor)


def _finish(row: dict) -> dict:
    row["on_time_rate"] = ratio(row["on_time"], row["judged"])
    row["fill_rate"] = ratio(row["received"] or 0, row["ordered"])
    row["spend"] = money(row["spend"])
    for key in ("lead_average", "lead_promised"):
        if row[key] is not None:
            row[key] = Decimal(row[key]).quantize(DAY)
    return row


def supplier_performance(params: Params) -> dict:
    """{"total": row, "suppliers": [row, ...]}: per supplier (most spent first) and over all,
    orders, judged, on_time, late, on_time_rate (% of judged), lead_average, lead_worst and
    lead_promised (days), ordered, received, fill_rate (%) and spend. One query."""
    rows = [_finish(row) for row in _run(params, BY_SUPPLIER)]
    total = next((row for row in rows if row["is_total"]), None)
    return {"total": total, "suppliers": [row for row in rows if not row["is_total"]]}


def late_purchase_orders(params: Params, *, limit: int = 100) -> list[dict]:
    """The orders of the range that were not delivered in full by their due date, latest first
    (days late counted to today while goods are missing). One query."""
    return [_late(row) for row in _run(params, LATE, limit=limit)]


def _late(row: dict) -> dict:
    row["fill_rate"] = ratio(row["received"] or 0, row["ordered"])
    return row


def supplier_report(params: Params, *, limit: int = 100) -> tuple[dict, list[dict]]:
    """(supplier_performance(params), late_purchase_orders(params, limit=limit)) from one
    query, which reads the orders once."""
    rows = _run(params, BOTH, limit=limit)
    suppliers = [
        _finish({key: row[key] for key in SUPPLIER_COLUMNS})
        for row in rows
        if row["part"] == "supplier"
    ]
    late = [_late({key: row[key] for key in LATE_COLUMNS}) for row in rows if row["part"] == "late"]
    total = next((row for row in suppliers if row["is_total"]), None)
    return (
        {"total": total, "suppliers": [row for row in suppliers if not row["is_total"]]},
        late,
    )
