"""Stock ageing: per product in stock, how long since it last sold and was last received, what
it ties up, how fast it turns and how long it lasts; with the totals over all of them.

One statement per range of product ids, the ranges side by side: the ledger's state at the
range's start, at its end and now (reports.snapshots: the nearest snapshot plus the few
movements since, not two years of ledger), and the rows shown and the summary come back
together so the database does that work once.
"""

import math
from datetime import date
from functools import partial

from django.db import connection
from django.utils import timezone

from ..base import Params
from ..snapshots import state_ctes
from .filters import fetch_dicts, location_id, product_conditions_named
from .together import per_range

DEAD_AFTER_DAYS = 180  # no sale for longer than this: dead stock
# (key, last day of the bucket in days since the last sale); "never" when it never sold.
BUCKETS = (("0-30", 30), ("31-90", 90), ("91-180", 180), ("181-365", 365), ("over-365", None))
BUCKET_KEYS = (*(key for key, _days in BUCKETS), "never")
# Summed over the parts of the products (each part a range of ids, side by side).
SUMMED_KEYS = ("total_cogs", "average_value", "total_value", "total_products", "dead_value")
SUMMED_KEYS += ("dead_products",)

# The ledger's state (reports.snapshots) at the range's start, at its end and now: quantities
# at both ends, the units sold and their cost between them, the last sale and receipt to date.
# When the range ends today or later its end is now and that state is read once.
STATES = """
moved AS (
    SELECT product_id,
           SUM(start_quantity) AS start_quantity, SUM(end_quantity) AS end_quantity,
           SUM(units_sold) AS units_sold, SUM(cogs) AS cogs,
           MAX(last_sale) AS last_sale, MAX(last_receipt) AS last_receipt
      FROM (
        SELECT product_id, quantity AS start_quantity, 0 AS end_quantity,
               -sold_quantity AS units_sold, -sold_cost AS cogs,
               NULL::timestamptz AS last_sale, NULL::timestamptz AS last_receipt
          FROM state_s
        UNION ALL
        SELECT product_id, 0, quantity, sold_quantity, sold_cost,
               {end_last_sale}, {end_last_receipt}
          FROM state_e
        {now_rows}
      ) parts
     GROUP BY product_id
),
"""
NOW_ROWS = """UNION ALL
        SELECT product_id, 0, 0, 0, 0, last_sale, last_receipt FROM state_n"""

AGEING_SQL = """
WITH {states}
levels AS (
    SELECT l.product_id, SUM(l.on_hand) AS on_hand
      FROM stock_stocklevel l
     WHERE (%(location)s::bigint IS NULL OR l.location_id = %(location)s::bigint)
       AND l.product_id >= %(low)s AND l.product_id < %(high)s
     GROUP BY l.product_id
),
base AS (
    SELECT p.id AS product_id, p.sku, p.name, p.cost_price,
           COALESCE(l.on_hand, 0) AS on_hand,
           COALESCE(mv.start_quantity, 0) AS start_quantity,
           COALESCE(mv.end_quantity, 0) AS end_quantity,
           COALESCE(mv.units_sold, 0) AS units_sold,
           COALESCE(mv.cogs, 0) AS cogs,
           mv.last_sale AS ledger_last_sale, mv.last_receipt AS ledger_last_receipt
      FROM products_product p
      LEFT JOIN levels l ON l.product_id = p.id
      LEFT JOIN moved mv ON mv.product_id = p.id
     WHERE (l.on_hand > 0 OR mv.product_id IS NOT NULL) AND {products}
       AND p.id >= %(low)s AND p.id < %(high)s
),
imported AS (
    -- Sales from before the system count as sales too.
    SELECT i.product_id, MAX(i.occurred_at) AS last_sale
      FROM reports_importedsale i
     WHERE i.quantity > 0
       AND i.product_id IN (SELECT product_id FROM base WHERE on_hand > 0)
       AND (%(location)s::bigint IS NULL OR i.location_id = %(location)s::bigint)
     GROUP BY i.product_id
),
aged AS (
    SELECT b.*, b.on_hand * b.cost_price AS value,
           GREATEST(b.ledger_last_sale, im.last_sale) AS last_sale,
           b.ledger_last_receipt AS last_receipt,
           %(today)s::date
               - (GREATEST(b.ledger_last_sale, im.last_sale) AT TIME ZONE %(zone)s)::date
               AS sale_age,
           %(today)s::date - (b.ledger_last_receipt AT TIME ZONE %(zone)s)::date AS receipt_age,
           CASE WHEN b.units_sold > 0 THEN b.on_hand * %(days)s / b.units_sold END AS cover,
           CASE WHEN (b.start_quantity + b.end_quantity) * b.cost_price > 0
                THEN b.cogs * 2 / ((b.start_quantity + b.end_quantity) * b.cost_price)
           END AS turnover
      FROM base b
      LEFT JOIN imported im ON im.product_id = b.product_id
     WHERE b.on_hand > 0
),
bucketed AS (
    SELECT a.*,
           CASE {bucket_case} END AS bucket,
           a.sale_age IS NULL OR a.sale_age > %(dead_after)s AS dead
      FROM aged a
),
summary AS (
    SELECT (SELECT COALESCE(SUM(cogs), 0) FROM base) AS total_cogs,
           (SELECT COALESCE(SUM((start_quantity + end_quantity) * cost_price), 0) / 2
              FROM base) AS average_value,
           COALESCE(SUM(value), 0) AS total_value,
           COUNT(*) AS total_products,
           COALESCE(SUM(value) FILTER (WHERE dead), 0) AS dead_value,
           COUNT(*) FILTER (WHERE dead) AS dead_products,
           {bucket_sums}
      FROM bucketed
)
SELECT summary.*,
       -- The median needs every part's covers (each part is a range of products): once per
       -- part, not repeated in every row shown.
       CASE WHEN COALESCE(shown.shown, 1) = 1
            THEN (SELECT array_agg(cover::float8) FROM bucketed WHERE cover IS NOT NULL)
       END AS covers,
       shown.*
  FROM summary
  LEFT JOIN (
      SELECT head.*, row_number() OVER () AS shown
        FROM (SELECT * FROM bucketed
               ORDER BY dead DESC, sale_age DESC NULLS FIRST, value DESC, sku COLLATE "C"
               LIMIT %(limit)s) head
  ) shown ON TRUE
"""


def _sql(products: str, *, ends_now: bool) -> str:
    cases, sums = ["WHEN a.sale_age IS NULL THEN 'never'"], []
    for key, days in BUCKETS:
        cases.append(f"WHEN a.sale_age <= {days} THEN '{key}'" if days else f"ELSE '{key}'")
    for key in BUCKET_KEYS:
        name = key.replace("-", "_")
        sums += [
            f"COUNT(*) FILTER (WHERE bucket = '{key}') AS bucket_{name}_products",
            f"COALESCE(SUM(value) FILTER (WHERE bucket = '{key}'), 0) AS bucket_{name}_value",
        ]
    states = [state_ctes("s", id_range=True), state_ctes("e", id_range=True)]
    if not ends_now:
        states.append(state_ctes("n", id_range=True))
    moved = STATES.format(
        end_last_sale="last_sale" if ends_now else "NULL::timestamptz",
        end_last_receipt="last_receipt" if ends_now else "NULL::timestamptz",
        now_rows="" if ends_now else NOW_ROWS,
    )
    return AGEING_SQL.format(
        states=",".join(states) + ",\n" + moved,
        products=products,
        bucket_case=" ".join(cases),
        bucket_sums=",\n           ".join(sums),
    )


def stock_ageing(params: Params, *, limit: int, today: date | None = None) -> dict:
    """Products in stock now (at the location when filtered) with their ageing, oldest and
    dearest dead stock first (ties by SKU, byte order), at most `limit`; and the summary over
    all of them.

    Return {"rows": [...], "summary": {...}}. A row holds on_hand, value (on hand * the
    product's moving-average cost), last_sale and last_receipt (times), sale_age and
    receipt_age (days, None when never), bucket, dead, units_sold and cogs over the range,
    turnover over the range (cost of goods sold / average of the quantities at its start and
    end valued at today's cost) and cover (days the stock lasts at the range's daily rate,
    None without sales). The summary holds total_cogs, average_value, total_value,
    total_products, dead_value, dead_products, median_cover and per bucket key its products
    and value.

    Every row belongs to one product: the products are split into as many ranges of ids as
    report threads, each range aged by one statement, side by side (selectors.together); the
    sums add up, the rows shown are the first `limit` of all parts' first `limit`, and the
    median is taken over all parts' covers.
    """
    products_sql, products_args = product_conditions_named(params)
    now = timezone.now()
    ends_now = params.until >= now
    sql = _sql(products_sql, ends_now=ends_now)
    values = {
        "location": location_id(params),
        "at_s": params.since,
        "at_e": now if ends_now else params.until,
        "at_n": now,
        "today": today or timezone.localdate(),
        "zone": timezone.get_current_timezone_name(),
        "days": params.days,
        "dead_after": DEAD_AFTER_DAYS,
        "limit": limit,
        **products_args,
    }
    parts = per_range(partial(_part, sql, values))
    firsts = [part[0] for part in parts]
    summary = {key: sum(first[key] for first in firsts) for key in SUMMED_KEYS}
    covers = [cover for part in parts for row in part for cover in row["covers"] or ()]
    summary["median_cover"] = median(covers)
    summary["buckets"] = {
        key: {
            measure: sum(first[f"bucket_{key.replace('-', '_')}_{measure}"] for first in firsts)
            for measure in ("products", "value")
        }
        for key in BUCKET_KEYS
    }
    part_keys = {*SUMMED_KEYS, "covers", "shown"}
    part_keys.update(key for key in firsts[0] if key.startswith("bucket_"))
    rows = [
        {key: value for key, value in row.items() if key not in part_keys}
        for part in parts
        for row in part
        if row["product_id"] is not None
    ]
    rows.sort(key=_shown_order)
    return {"rows": rows[:limit], "summary": summary}


def _shown_order(row: dict) -> tuple:
    """The order of AGEING_SQL's rows shown, in Python: dead first, then the longest since a
    sale (never first), the largest value, the SKU byte by byte ("C": code point order)."""
    age = row["sale_age"]
    return (not row["dead"], age is not None, -(age or 0), -row["value"], row["sku"])


def median(values: list[float]) -> float | None:
    """The median as PostgreSQL's percentile_cont(0.5) gives it: the middle value, or the
    linear interpolation between the two middle ones."""
    if not values:
        return None
    values = sorted(values)
    position = 0.5 * (len(values) - 1)
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return values[low]
    return values[low] + (position - low) * (values[high] - values[low])


def _part(sql: str, values: dict, ids: tuple[int, int]) -> list[dict]:
    """AGEING_SQL's rows for the products with ids in [ids[0], ids[1]): the part's summary in
    every row, its rows shown after it (none: one row with product_id None)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, {**values, "low": ids[0], "high": ids[1]})
        return fetch_dicts(cursor)
