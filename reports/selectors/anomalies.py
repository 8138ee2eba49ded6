"""Unusual days, scored by PostgreSQL: daily quantities per product (units sold from the daily
sales summary, stock adjusted from the daily adjustments), each product's median and median
absolute deviation over its days, and the robust z-score of each day. Only the unusual days
come back.

Days without a movement count as zeros without being written out: each series gets one row of
value 0 weighing as many days as it lacks, and the medians are taken over cumulative weights,
so the work grows with the activity, not with products by days.
"""

from dataclasses import dataclass
from datetime import date
from functools import partial

from django.db import connection

from ..base import Params
from .filters import fetch_dicts, location_id, product_conditions_named
from .together import per_range, threads

SALE, ADJUSTMENT = "sale", "adjustment"


@dataclass(frozen=True)
class Scoring:
    """The constants of the robust z-score (see reports.library.anomalies)."""

    threshold: float
    mad_factor: float
    mean_ad_factor: float
    min_selling_share: float
    min_adjustment_scale: float


# The weighted median of `value` per series: the value at 0-based positions (span - 1) / 2 and
# span / 2 of the sorted days, averaged (the middle pair when the count is even).
MEDIAN = """(
    MIN({value}) FILTER (WHERE upto - weight <= (span - 1) / 2 AND (span - 1) / 2 < upto)
  + MIN({value}) FILTER (WHERE upto - weight <= span / 2 AND span / 2 < upto)
) / 2"""

UNUSUAL_SQL = """
WITH daily AS MATERIALIZED (
    -- Kinds as small integers (1 sale, 0 adjustment: the order of their names), cheaper to
    -- hash and sort than text; sums in float8, which the scores are anyway (numeric sums of
    -- a million product-days took more memory than a report may use and spilled to disk).
    SELECT s.product_id, 1::int2 AS kind, s.day,
           SUM((s.quantity + s.returned)::float8) AS quantity
      FROM reports_dailysale s {join_sales}
     WHERE s.day >= %(since)s AND s.day <= %(end)s AND s.sale_facts > 0
       AND s.product_id >= %(low)s AND s.product_id < %(high)s
       AND (%(location)s::bigint IS NULL OR s.location_id = %(location)s::bigint)
       AND {products}
     GROUP BY s.product_id, s.day
    UNION ALL
    -- Adjustments and counts per day, at the location or over all of them: summed already
    -- (migration 0007), in exact numbers, so a day that cancels out is 0.
    SELECT a.product_id, 0::int2, a.day, a.quantity::float8
      FROM {adjustments} a {join_adjustments}
     WHERE a.day >= %(since)s AND a.day <= %(end)s
       AND a.product_id >= %(low)s AND a.product_id < %(high)s
       AND a.quantity <> 0
       AND {products}
),
-- A sales series runs from the product's first sale in the window (before it the product may
-- not have been on sale), an adjustment series over the whole window. A product that sold on
-- few days is not judged: each ordinary sale would look unusual.
judged AS (
    SELECT * FROM (
        SELECT product_id, kind, COUNT(*) AS active, SUM(abs(quantity)) AS absolute,
               %(end)s::date - CASE WHEN kind = 1 THEN MIN(day) ELSE %(since)s::date END
                   + 1 AS span
          FROM daily
         GROUP BY product_id, kind
    ) series
     WHERE NOT (kind = 1 AND active < %(min_selling_share)s * span)
),
-- With more than half of its days at zero, a series has median 0 and MAD 0 (the zeros hold
-- both middle positions, of the values and of their deviations): its spread is the mean
-- absolute deviation, from the sums above. Only the other, busy series are sorted.
busy AS (
    SELECT * FROM judged WHERE 2 * active >= span
),
points AS (
    SELECT d.product_id, d.kind, d.quantity AS value, 1 AS weight, b.span
      FROM daily d JOIN busy b USING (product_id, kind)
    UNION ALL
    SELECT product_id, kind, 0.0::float8, span - active, span FROM busy WHERE span > active
),
medians AS (
    SELECT product_id, kind, span, {median} AS median
      FROM (
          SELECT p.*, SUM(p.weight) OVER (PARTITION BY p.product_id, p.kind ORDER BY p.value
                                          ROWS UNBOUNDED PRECEDING) AS upto
            FROM points p
      ) ranked
     GROUP BY product_id, kind, span
),
spreads AS (
    SELECT product_id, kind, median, {mad} AS mad, SUM(deviation * weight) / span AS mean_ad
      FROM (
          SELECT d.*, SUM(d.weight) OVER (PARTITION BY d.product_id, d.kind ORDER BY d.deviation
                                          ROWS UNBOUNDED PRECEDING) AS upto
            FROM (
                SELECT p.product_id, p.kind, p.weight, p.span, m.median,
                       abs(p.value - m.median) AS deviation
                  FROM points p JOIN medians m USING (product_id, kind)
            ) d
      ) ranked
     GROUP BY product_id, kind, median, span
),
scales AS (
    SELECT product_id, kind, median, CASE WHEN scale > 0 THEN scale END AS scale
      FROM (
          SELECT j.product_id, j.kind, COALESCE(s.median, 0) AS median,
                 CASE WHEN s.mad > 0 THEN s.mad / %(mad_factor)s
                      ELSE COALESCE(s.mean_ad, j.absolute / j.span) * %(mean_ad_factor)s
                 END AS scale
            FROM judged j LEFT JOIN spreads s USING (product_id, kind)
      ) raw
),
-- An adjustment is measured against the larger of its own spread, the product's spread of
-- daily sales and a minimum (GREATEST skips the NULLs: series with no usable spread).
final AS (
    SELECT a.product_id, a.kind, a.median,
           CASE WHEN a.kind = 0
                THEN GREATEST(a.scale, s.scale, %(min_adjustment_scale)s)
                ELSE a.scale END AS scale
      FROM scales a
      LEFT JOIN scales s ON a.kind = 0 AND s.product_id = a.product_id
                        AND s.kind = 1
),
flagged AS (
    SELECT scored.*, p.sku, p.name
      FROM (
          SELECT d.product_id, d.kind, d.day, d.quantity, f.median,
                 (d.quantity - f.median) / f.scale AS z
            FROM daily d JOIN final f USING (product_id, kind)
           WHERE d.day >= %(start)s AND f.scale IS NOT NULL
      ) scored
      JOIN products_product p ON p.id = scored.product_id
     WHERE (scored.kind = 1 AND scored.z > %(threshold)s)
        OR (scored.kind = 0 AND abs(scored.z) > %(threshold)s)
)
SELECT activity.active, flagged.*
  FROM (SELECT EXISTS (SELECT 1 FROM daily WHERE day >= %(start)s) AS active) activity
  LEFT JOIN flagged ON TRUE
 ORDER BY abs(flagged.z) DESC, flagged.day, flagged.product_id, flagged.kind
"""


def unusual_days(params: Params, *, since: date, scoring: Scoring) -> tuple[list[dict], bool]:
    """Score each product's days of the range against its days from `since` to the end of the
    range (SALE: units sold, returns not subtracted; ADJUSTMENT: adjustments and counts, stock
    added positive), days without a movement counting as zeros.

    Return (the unusual days, the most extreme first, each with product_id, sku, name, kind,
    day, quantity, median and z; whether anything moved in the range at all).

    Every series belongs to one product, so the products are split into as many ranges of ids
    as report threads, each range scored by one query, side by side (selectors.together).
    (Ranges, not id modulo n: the planner estimates a range from its statistics, and took a
    remainder for a handful of rows and nested loops over a million.)
    """
    parts = per_range(
        partial(_unusual_days, params, since=since, scoring=scoring, alone=threads() == 1)
    )
    rows = [row for part_rows, _active in parts for row in part_rows]
    rows.sort(key=lambda r: (-abs(r["z"]), r["day"], r["product_id"], r["kind"]))
    return rows, any(active for _rows, active in parts)


def _unusual_days(
    params: Params, ids: tuple[int, int], *, since: date, scoring: Scoring, alone: bool
) -> tuple[list[dict], bool]:
    """unusual_days for the products with ids in [ids[0], ids[1]); one query. Unless `alone`,
    other parts run beside it on the other cores, and PostgreSQL's own parallel workers
    would only contend with them (and pass a million rows through their queues)."""
    products_sql, products_args = product_conditions_named(params)
    # The products table only when a filter needs it (a join of every row otherwise).
    filtered = bool(products_args)
    sql = UNUSUAL_SQL.format(
        products=products_sql,
        join_sales="JOIN products_product p ON p.id = s.product_id" if filtered else "",
        join_adjustments="JOIN products_product p ON p.id = a.product_id" if filtered else "",
        # Constant text: one of two table names, and a condition with a placeholder.
        adjustments=(
            "reports_dailyproductadjustment"
            if params.location is None
            else "(SELECT * FROM reports_dailyadjustment WHERE location_id = %(location)s)"
        ),
        median=MEDIAN.format(value="value"),
        mad=MEDIAN.format(value="deviation"),
    )
    args = {
        **products_args,
        "since": since,
        "start": params.start,
        "end": params.end,
        "location": location_id(params),
        "low": ids[0],
        "high": ids[1],
        "threshold": scoring.threshold,
        "mad_factor": scoring.mad_factor,
        "mean_ad_factor": scoring.mean_ad_factor,
        "min_selling_share": scoring.min_selling_share,
        "min_adjustment_scale": scoring.min_adjustment_scale,
    }
    # The planner cannot see into the CTEs: it takes the million product-days of `daily` for
    # a thousand and sorts them all for merge joins with the series. Hash joins (the series'
    # side in memory) take a fraction of that. Set for this statement only: local to the
    # report's transaction (report_queries) and put back after.
    settings = {"enable_mergejoin": "off"}
    if not alone:
        settings["max_parallel_workers_per_gather"] = "0"
    with connection.cursor() as cursor:
        saved = {}
        for name, value in settings.items():
            cursor.execute(
                "SELECT current_setting(%s), set_config(%s, %s, true)", [name, name, value]
            )
            saved[name] = cursor.fetchone()[0]
        cursor.execute(sql, args)
        rows = fetch_dicts(cursor)
        for name, value in saved.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
    active = bool(rows and rows[0]["active"])
    flagged = [row for row in rows if row["product_id"] is not None]
    for row in flagged:
        row["kind"] = SALE if row["kind"] == 1 else ADJUSTMENT
    return flagged, active
