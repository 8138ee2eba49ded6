"""Stock snapshots: the state of the ledger at a moment, read by the stock reports.

The state of a (product, location) at a moment D is what the ledger summed to before D: the
quantity held, the units sold to date (sales less customer returns) and their cost, the last
sale and the last receipt; and per product the moving-average cost the ledger recorded last
before D (stock_stockmovement.average_cost). Replaying two years of ledger for that takes
seconds, so the state is kept at a few moments (models_snapshots.StockSnapshot): the start of
every quarter, and the start of the latest day. `state_ctes` then reads the state at any D as
the latest snapshot at or before D plus the movements from it up to D - at most a quarter of
ledger, a day or so for the recent past - in the same statement as the report.

Correctness comes first; a snapshot is only a shortcut to the ledger's own sums:
- it is written only for moments more than SETTLE in the past, so a movement stamped with
  the present time (the database's clock, statement_timestamp()) cannot still be on its way;
- a movement dated before a snapshot but inserted after it (history imports back-date
  movements, stock.services `occurred_at`) marks that snapshot and every later one stale:
  a statement trigger on the ledger does it (reports migration 0006), whoever writes; a
  back-dated insert also waits, through an advisory lock, for a snapshot being written;
- a stale snapshot is never read (the reader takes the previous good one, or replays from the
  start of the ledger) and the next `refresh_snapshots` writes it again.

`refresh_snapshots` runs from Celery beat every night, the migration that created the tables,
and `bench/generate`; the reports are right without it, only slower.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

# Shared with the ledger's trigger in reports migration 0006 (the same numbers there).
LOCK_KEY = 730_611_006
SETTLE = timedelta(hours=1)

# The CTEs anchor_{n}, window_{n}, state_{n} and cost_{n}, for the moment %(at_{n})s and the
# location %(location)s (NULL: all). anchor_{n}: the latest good snapshot at or before the
# moment. window_{n}: the movements from it up to the moment, summed per (product, location),
# each counted at both its ends. state_{n}: one row per (product, location) the ledger touched
# before the moment, with quantity, sold_quantity, sold_cost, last_sale, last_receipt and
# anchor_cost (the product's average at the anchor, NULL when the anchor has no such line).
# cost_{n}: per product moved since the anchor, the last average recorded before the moment.
STATE = """
anchor_{n} AS (
    SELECT s.id, s.as_of FROM reports_stocksnapshot s
     WHERE NOT s.stale AND s.as_of <= %(at_{n})s
     ORDER BY s.as_of DESC LIMIT 1
),
window_{n} AS (
    SELECT m.product_id, side.location_id, SUM(side.change) AS change{window_sales}
      FROM stock_stockmovement m
     CROSS JOIN LATERAL (VALUES (m.to_location_id, m.quantity),
                                (m.from_location_id, -m.quantity)) AS side(location_id, change)
     WHERE m.created_at >= COALESCE((SELECT as_of FROM anchor_{n}), '-infinity')
       AND m.created_at < %(at_{n})s
       AND side.location_id IS NOT NULL
       AND (%(location)s::bigint IS NULL OR side.location_id = %(location)s::bigint){moved_in_range}
     GROUP BY m.product_id, side.location_id
),
state_{n} AS (
    SELECT COALESCE(l.product_id, w.product_id) AS product_id,
           COALESCE(l.location_id, w.location_id) AS location_id,
           COALESCE(l.quantity, 0) + COALESCE(w.change, 0) AS quantity,{state_sales}
           l.average_cost AS anchor_cost
      FROM (SELECT * FROM reports_stocksnapshotline
             WHERE snapshot_id = (SELECT id FROM anchor_{n})
               AND (%(location)s::bigint IS NULL OR location_id = %(location)s::bigint){in_range}) l
      FULL JOIN window_{n} w ON w.product_id = l.product_id AND w.location_id = l.location_id
),
cost_{n} AS (
    SELECT DISTINCT ON (m.product_id) m.product_id, m.average_cost AS cost
      FROM stock_stockmovement m
     WHERE m.created_at >= COALESCE((SELECT as_of FROM anchor_{n}), '-infinity')
       AND m.created_at < %(at_{n})s
       AND m.average_cost IS NOT NULL{moved_in_range}
     ORDER BY m.product_id, m.created_at DESC, m.id DESC
)"""

# With `id_range`: only the products with ids in [%(low)s, %(high)s).
IN_RANGE = "\n               AND {column} >= %(low)s AND {column} < %(high)s"

# The sales columns, left out when only quantities and costs are wanted.
WINDOW_SALES = """,
           SUM(CASE m.kind WHEN 'sale' THEN m.quantity WHEN 'customer_return' THEN -m.quantity
               ELSE 0 END) AS sold_quantity,
           SUM(CASE m.kind WHEN 'sale' THEN m.quantity WHEN 'customer_return' THEN -m.quantity
               ELSE 0 END * m.unit_cost) AS sold_cost,
           MAX(m.created_at) FILTER (WHERE m.kind = 'sale') AS last_sale,
           MAX(m.created_at) FILTER (WHERE m.kind = 'receipt') AS last_receipt"""
STATE_SALES = """
           COALESCE(l.sold_quantity, 0) + COALESCE(w.sold_quantity, 0) AS sold_quantity,
           COALESCE(l.sold_cost, 0) + COALESCE(w.sold_cost, 0) AS sold_cost,
           GREATEST(l.last_sale, w.last_sale) AS last_sale,
           GREATEST(l.last_receipt, w.last_receipt) AS last_receipt,"""

# The cost when neither the movements since the anchor nor the anchor's line know it (a
# product moved in only since, by rows without an average): the ledger's last one, probed.
COST_PROBE = """(
    SELECT m.average_cost FROM stock_stockmovement m
     WHERE m.product_id = {product} AND m.created_at < %(at_{n})s
       AND m.average_cost IS NOT NULL
     ORDER BY m.created_at DESC, m.id DESC LIMIT 1
)"""


def state_ctes(n: str, *, sales: bool = True, id_range: bool = False) -> str:
    """The CTEs (without WITH) of the ledger's state at %(at_<n>)s; see STATE. Without
    `sales`, state_<n> has no sold_quantity, sold_cost, last_sale and last_receipt. With
    `id_range`, only the products with ids from %(low)s up to, not including, %(high)s."""
    return STATE.format(
        n=n,
        window_sales=WINDOW_SALES if sales else "",
        state_sales=STATE_SALES if sales else "",
        moved_in_range=IN_RANGE.format(column="m.product_id") if id_range else "",
        in_range=IN_RANGE.format(column="product_id") if id_range else "",
    )


def cost_at(n: str, state: str = "s", cost: str = "c") -> str:
    """The product's average cost at %(at_<n>)s for a row `state` of state_<n> left-joined to
    `cost` of cost_<n>."""
    probe = COST_PROBE.format(product=f"{state}.product_id", n=n)
    return f"COALESCE({cost}.cost, {state}.anchor_cost, {probe})"


# A snapshot's lines: the state at its moment, every location, from the previous good one.
WRITE = (  # constant text: no value is put in, they travel as parameters
    "INSERT INTO reports_stocksnapshotline (snapshot_id, product_id, location_id, quantity,"  # noqa: S608
    " sold_quantity, sold_cost, last_sale, last_receipt, average_cost)\nWITH"
    + state_ctes("w")
    + """,
product_costs AS (
    SELECT product_id, MAX(average_cost) AS cost FROM reports_stocksnapshotline
     WHERE snapshot_id = (SELECT id FROM anchor_w)
     GROUP BY product_id
)
SELECT %(snapshot)s, s.product_id, s.location_id, s.quantity, s.sold_quantity, s.sold_cost,
       s.last_sale, s.last_receipt, COALESCE(c.cost, s.anchor_cost, pc.cost)
  FROM state_w s
  LEFT JOIN cost_w c ON c.product_id = s.product_id
  LEFT JOIN product_costs pc ON pc.product_id = s.product_id
 ORDER BY s.product_id, s.location_id
"""
)


def quarter_starts(first: datetime, last: datetime) -> list[datetime]:
    """The starts of quarters (local midnight on 1 January, April, July, October) after
    `first` and no later than `last`."""
    zone = timezone.get_current_timezone()
    day = timezone.localtime(first, zone).date()
    year, month = day.year, (day.month - 1) // 3 * 3 + 1
    found = []
    while True:
        month += 3
        if month > 12:
            year, month = year + 1, month - 12
        moment = timezone.make_aware(datetime(year, month, 1), zone)  # noqa: DTZ001
        if moment > last:
            return found
        found.append(moment)


def latest_day_start(last: datetime) -> datetime:
    """The latest local midnight no later than `last`."""
    zone = timezone.get_current_timezone()
    return timezone.make_aware(
        datetime.combine(timezone.localtime(last, zone).date(), time.min), zone
    )


def snapshot_write(as_of: datetime, kind: str, *, using: str = DEFAULT_DB_ALIAS) -> int:
    """(Re)write the snapshot at `as_of` from the previous good one; return its line count.

    One transaction: lock out back-dated inserts while it reads (see the module), mark the
    snapshot stale, replace its lines, mark it good."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        cursor.execute(
            "INSERT INTO reports_stocksnapshot (as_of, kind, stale, written_at)"
            " VALUES (%s, %s, TRUE, now())"
            " ON CONFLICT (as_of) DO UPDATE SET kind = EXCLUDED.kind, stale = TRUE,"
            " written_at = now() RETURNING id",
            [as_of, kind],
        )
        (snapshot,) = cursor.fetchone()
        cursor.execute("DELETE FROM reports_stocksnapshotline WHERE snapshot_id = %s", [snapshot])
        cursor.execute(WRITE, {"snapshot": snapshot, "at_w": as_of, "location": None})
        lines = cursor.rowcount
        cursor.execute("UPDATE reports_stocksnapshot SET stale = FALSE WHERE id = %s", [snapshot])
    return lines


def snapshot_drop(snapshot_id: int, *, using: str = DEFAULT_DB_ALIAS) -> None:
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(
            "DELETE FROM reports_stocksnapshotline WHERE snapshot_id = %s", [snapshot_id]
        )
        cursor.execute("DELETE FROM reports_stocksnapshot WHERE id = %s", [snapshot_id])


def refresh_snapshots(*, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the snapshots that are missing or stale, oldest first (each starts from the one
    before): every quarter start and the latest day start more than SETTLE ago; drop older
    day snapshots. Idempotent. Return {"written": n, "lines": n, "dropped": n}."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT now(), MIN(created_at) FROM stock_stockmovement")
        now, first = cursor.fetchone()
        cursor.execute("SELECT id, as_of, kind, stale FROM reports_stocksnapshot")
        existing = {as_of: (pk, kind, stale) for pk, as_of, kind, stale in cursor.fetchall()}
    done = {"written": 0, "lines": 0, "dropped": 0}
    if first is None:
        return done
    last = now - SETTLE
    wanted = dict.fromkeys(quarter_starts(first, last), "quarter")
    day = latest_day_start(last)
    if day > first:
        wanted.setdefault(day, "day")
    for moment in sorted(wanted):
        found = existing.get(moment)
        if found is None or found[2] or found[1] != wanted[moment]:
            done["lines"] += snapshot_write(moment, wanted[moment], using=using)
            done["written"] += 1
    for moment, (pk, _kind, _stale) in existing.items():
        if moment not in wanted:
            snapshot_drop(pk, using=using)
            done["dropped"] += 1
    return done
