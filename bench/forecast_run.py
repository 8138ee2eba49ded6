"""Time a whole forecast run against the database: history queries, engine, stored rows.

Usage (from the project root, against a scratch database — it adds products and sales):

    DATABASE_URL=postgres://.../scratch .venv/bin/python bench/forecast_run.py \
        [--products 2000] [--weeks 104] [--processes 2]

Generates `--products` products sold at two shops for `--weeks` weeks (steady and
intermittent demand, a fifth with a four-week stock-out), written straight into the ledger by
SQL (one sales order per shop and day, one line and sale movement per product with sales that
day), then runs one forecast run and prints its time and rows. Not part of the test suite.
"""

import argparse
import os
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inventory_site.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from products.models import Category, Product  # noqa: E402
from reports.forecast_runs import forecast_run_execute, forecast_run_start  # noqa: E402
from reports.models import ProductForecast  # noqa: E402
from reports.selectors.demand import week_start  # noqa: E402
from stock.models import Location  # noqa: E402

# Constant text; values travel as parameters. Per product (by id): a base rate of 1 to 7 a
# day; every fourth product intermittent (sells on 15% of days); every fifth out of stock for
# four weeks somewhere in the middle (no sales then).
SALES_SQL = """
WITH days AS (
    SELECT d, %(first)s::timestamptz + d * interval '1 day' + interval '10 hours' AS at
      FROM generate_series(0, %(days)s - 1) AS d
), orders AS (
    INSERT INTO orders_salesorder (number, location_id, status, channel, order_date,
        payment_method, subtotal, discount_total, tax_total, total, created_by_id, created_at,
        updated_at, notes)
    SELECT 'BS' || %(stamp)s || '-' || l.id || '-' || days.d, l.id, 'completed', 'counter',
           days.at::date, 'cash', 0, 0, 0, 0, %(actor)s, days.at, days.at, ''
      FROM days CROSS JOIN unnest(%(shops)s::bigint[]) AS l(id)
    RETURNING id, location_id, created_at
), sold AS (
    SELECT o.id AS order_id, o.location_id, o.created_at, p.id AS product_id,
           floor(random() * (2 + 2 * (p.id %% 7)))::int AS q
      FROM orders o CROSS JOIN unnest(%(products)s::bigint[]) AS p(id)
     WHERE (p.id %% 4 <> 3 OR random() < 0.15)
       AND NOT (p.id %% 5 = 0 AND o.created_at >= %(gap_from)s AND o.created_at < %(gap_to)s)
), lines AS (
    INSERT INTO orders_salesorderline (order_id, product_id, quantity, unit_price,
        discount_percent, tax_rate, gross_amount, discount_amount, tax_amount,
        fulfilled_quantity, returned_quantity)
    SELECT order_id, product_id, q, 10, 0, 0, 10 * q, 0, 0, q, 0 FROM sold WHERE q > 0
    RETURNING id, order_id, product_id, quantity
)
INSERT INTO stock_stockmovement (kind, product_id, from_location_id, quantity, unit_cost, reason,
    note, user_id, created_at, sales_order_line_id)
SELECT 'sale', l.product_id, o.location_id, l.quantity, 5, '', '', %(actor)s, o.created_at, l.id
  FROM lines l JOIN orders o ON o.id = l.order_id
"""

RECEIPTS_SQL = """
INSERT INTO stock_stockmovement (kind, product_id, to_location_id, quantity, unit_cost, reason,
    note, user_id, created_at)
SELECT 'receipt', m.product_id, m.from_location_id, SUM(m.quantity) + 20, 5, '', '', %(actor)s,
       %(first)s::timestamptz - interval '1 day'
  FROM stock_stockmovement m
 WHERE m.product_id = ANY(%(products)s) AND m.kind = 'sale'
 GROUP BY m.product_id, m.from_location_id;
INSERT INTO stock_stocklevel (product_id, location_id, on_hand, reserved, updated_at)
SELECT p.id, l.id, 20, 0, now()
  FROM unnest(%(products)s::bigint[]) AS p(id) CROSS JOIN unnest(%(shops)s::bigint[]) AS l(id);
"""


@transaction.atomic
def generate(products: int, weeks: int) -> None:
    actor = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench",
        password="bench-password-not-secret",
    )
    stamp = f"{time.time():.0f}"
    category = Category.objects.create(name=f"Bench {stamp}")
    shops = [Location.objects.create(name=f"Bench shop {n} {stamp}") for n in (1, 2)]
    items = Product.objects.bulk_create(
        Product(sku=f"B{stamp}-{n}", name=f"Bench product {n}", category=category,
                sale_price=10, cost_price=5)
        for n in range(products)
    )  # fmt: skip
    monday = week_start(timezone.localdate())
    first = timezone.make_aware(datetime.combine(monday - timedelta(weeks=weeks), clock.min))
    args = {
        "first": first, "days": weeks * 7, "stamp": stamp, "actor": actor.pk,
        "shops": [shop.pk for shop in shops], "products": [item.pk for item in items],
        "gap_from": first + timedelta(weeks=weeks // 2),
        "gap_to": first + timedelta(weeks=weeks // 2 + 4),
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(SALES_SQL, args)
        sales = cursor.rowcount
        cursor.execute(RECEIPTS_SQL, args)
    print(f"generated {products:,} products at 2 shops, {sales:,} sale movements, {weeks} weeks")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--processes", type=int, default=None)
    parser.add_argument("--no-generate", action="store_true")
    args = parser.parse_args()
    if not args.no_generate:
        started = time.perf_counter()
        generate(args.products, args.weeks)
        print(f"  in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    run, _created = forecast_run_start(actor=None, dispatch=False)
    started = time.perf_counter()
    run = forecast_run_execute(run_id=run.pk, processes=args.processes)
    took = time.perf_counter() - started
    print(
        f"forecast run: {run.total_products:,} products in {took:.1f} s "
        f"({took / max(run.total_products, 1) * 1000:.1f} ms a product), status {run.status}, "
        f"{ProductForecast.objects.filter(run=run).count():,} rows stored"
    )


if __name__ == "__main__":
    main()
