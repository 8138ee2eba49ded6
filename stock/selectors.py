"""Reads of stock that pages, reports, the API and checks share."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

LEDGER_MISMATCHES = """
WITH ledger AS (
    SELECT product_id, location_id, SUM(change) AS total
    FROM (
        SELECT product_id, to_location_id AS location_id, quantity AS change
        FROM stock_stockmovement WHERE to_location_id IS NOT NULL
        UNION ALL
        SELECT product_id, from_location_id, -quantity
        FROM stock_stockmovement WHERE from_location_id IS NOT NULL
    ) AS changes
    GROUP BY product_id, location_id
)
SELECT COALESCE(l.product_id, g.product_id), COALESCE(l.location_id, g.location_id),
       COALESCE(l.on_hand, 0), COALESCE(g.total, 0), COALESCE(l.reserved, 0)
FROM stock_stocklevel AS l
FULL OUTER JOIN ledger AS g ON g.product_id = l.product_id AND g.location_id = l.location_id
WHERE COALESCE(l.on_hand, 0) <> COALESCE(g.total, 0)
   OR COALESCE(l.reserved, 0) > COALESCE(l.on_hand, 0)
   OR COALESCE(l.on_hand, 0) < 0
ORDER BY 1, 2
"""


@dataclass(frozen=True)
class Mismatch:
    product_id: int
    location_id: int
    on_hand: Decimal
    ledger: Decimal
    reserved: Decimal


def stock_mismatches() -> list[Mismatch]:
    """Return every (product, location) whose level differs from the sum of its ledger rows,
    or whose reservation exceeds what is on hand (one query, aggregated in PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(LEDGER_MISMATCHES)
        return [Mismatch(*row) for row in cursor.fetchall()]
