"""Create the large data set of DESIGN.md's budgets in a fresh PostgreSQL database.

Usage (from the project root):

    bench/generate [--database-url postgres://root@127.0.0.1:5432/inventory_bench]
                   [--scale 1.0] [--seed 42]

Scale 1.0: 100,000 products in a three-level category tree, 1,000 suppliers with their
catalogues, 50 locations, 200 users, 5,000 customers, 20,000 purchase orders, 500,000 sales
order lines over two years and about 2,000,000 stock movements. The database is dropped and
created, migrated with the production settings, filled with COPY from in-memory buffers (a chunk
at a time), analysed, and proven with `manage.py check_stock`.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from scale import ledger, plan, tables  # noqa: E402
from scale.copier import Copier, advance_sequences, chunked, psycopg2, verify_keys  # noqa: E402

DEFAULT_URL = "postgres://root@127.0.0.1:5432/inventory_bench"
PASSWORD = "bench-password-2y"  # every generated user's (hashed once)
SLOT_DAYS = 36  # a supplier delivers about monthly
WINDOW_DAYS = 3  # a shop is refilled with a few days of sales at a time


def django_env(url: str) -> dict[str, str]:
    """The environment of a production process on this database (plain HTTP on loopback)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "inventory_site.settings.production",
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-" + "k7Qz1xR9vT3mW8pL2nY6bH4cJ0dF5gS" * 2,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_FORMAT": "plain",
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "dummymail://",
        "BACKGROUND_THREADS": "false",
    }


def manage(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=django_env(url), cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip


def recreate_database(url: str) -> None:
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = urlunparse(parts._replace(path="/postgres"))
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def password_hash() -> str:
    """One Argon2 hash, as Django makes it, shared by every generated user."""
    code = (
        "import django;django.setup();from django.contrib.auth.hashers import make_password;"
        f"print(make_password({PASSWORD!r}))"
    )
    env = django_env(DEFAULT_URL)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1]


class Timer:
    def __init__(self):
        self.steps: list[tuple[str, float]] = []
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.steps.append((name, now - self.last))
        print(f"{name:<40} {now - self.last:>7.1f} s", flush=True)
        self.last = now


def build_plan(rng, sizes: plan.Sizes, actors, timer: Timer) -> dict:
    start, end = plan.timeline()
    cat = plan.catalogue(rng, sizes)
    sales = plan.sales(rng, sizes, cat, start, end, actors)
    timer.lap("plan: catalogue and sales")
    slots = plan.delivery_slots(rng, sizes.suppliers, start, end, SLOT_DAYS)
    t0 = slots[:, 0]
    sold = ~sales.cancelled[sales.line_order]
    line_loc = sales.location[sales.line_order]
    stores = sales.line_product[sold] * 64 + line_loc[sold]
    homes = np.arange(sizes.products) * 64 + cat.warehouse
    held = np.unique(np.concatenate([stores, homes]))

    def flows(offs):
        moved = plan.transfers(rng, sales, cat, offs, t0, WINDOW_DAYS)
        at_warehouse = sold & (sales.channel[sales.line_order] == 1)
        wh_out = np.isin(offs["kind"], plan.OUT_KINDS) & (offs["location"] < plan.WAREHOUSES)
        demand = {
            "product": np.concatenate(
                [moved["product"], sales.line_product[at_warehouse], offs["product"][wh_out]]
            ),
            "time": np.concatenate(
                [
                    moved["time"],
                    sales.time[sales.line_order[at_warehouse]],
                    offs["time"][wh_out],
                ]
            ),
            "qty": np.concatenate(
                [moved["qty"], sales.line_qty[at_warehouse], offs["qty"][wh_out]]
            ),
        }
        got, _safety, average = plan.receipts(rng, cat, demand, slots, end)
        return moved, got, average

    trade = int(sold.sum() + (sales.returned > 0).sum())
    nothing = {k: np.zeros(0, np.int64) for k in ("time", "kind", "product", "location", "qty")}
    moved, got, _average = flows(nothing)
    base = trade + len(moved["time"]) + len(got["qty"])
    extra = max(sizes.movements - base, 0)
    print(f"  planned {base:,} movements from trade; {extra:,} counts and adjustments to add")
    # Stock written off must be replenished too, so each adds more than one movement: one
    # trial measures how many, and the final count aims at the target with that rate.
    trial = plan.write_offs(rng, extra, start, end, held)
    moved, got, _average = flows(trial)
    added = trade + len(moved["time"]) + len(got["qty"]) + extra - base
    extra = round(extra * extra / added) if added > 0 else extra
    offs = plan.write_offs(rng, extra, start, end, held)
    moved, got, average = flows(offs)
    po = plan.purchases(rng, cat, got, slots, start, end)
    timer.lap("plan: transfers, deliveries, orders")
    return {
        "start": start, "end": end, "cat": cat, "sales": sales, "offs": offs, "moved": moved,
        "po": po, "average": average,
    }  # fmt: skip


def movements(p: dict, rng, actors) -> tuple[dict, np.ndarray, np.ndarray]:
    """Every ledger row (time-sorted), the user of each and the loss reason of adjustments."""
    sales, po, offs = p["sales"], p["po"], p["offs"]
    out = plan.Movements()
    fulfilled = np.flatnonzero(~sales.cancelled[sales.line_order])
    order = sales.line_order[fulfilled]
    out.add(
        time=sales.time[order], kind=plan.SALE, product=sales.line_product[fulfilled],
        src=sales.location[order], qty=sales.line_qty[fulfilled], so_line=fulfilled,
        user=sales.user[order],
    )  # fmt: skip
    back = np.flatnonzero(sales.returned > 0)
    out.add(
        time=sales.return_time[back], kind=plan.CUSTOMER_RETURN, product=sales.line_product[back],
        dst=sales.location[sales.line_order[back]], qty=sales.returned[back], so_line=back,
        user=sales.user[sales.line_order[back]],
    )  # fmt: skip
    out.add(**p["moved"])
    received = np.flatnonzero(po.received[po.line_order] > 0)
    out.add(
        time=po.received[po.line_order[received]], kind=plan.RECEIPT,
        product=po.line_product[received], dst=po.location[po.line_order[received]],
        qty=po.line_qty[received], cost=po.line_cost[received], po_line=received,
    )  # fmt: skip
    is_out = np.isin(offs["kind"], plan.OUT_KINDS)
    out.add(
        time=offs["time"], kind=offs["kind"], product=offs["product"],
        src=np.where(is_out, offs["location"], -1), dst=np.where(is_out, -1, offs["location"]),
        qty=offs["qty"],
    )  # fmt: skip
    merged = out.merged()
    # Who booked it: the order's seller for sales and returns, else someone at the location.
    where = np.where(merged["src"] >= 0, merged["src"], merged["dst"])
    users = merged.pop("user")
    for loc, ids in actors.items():
        mine = (where == loc) & (users < 0)
        users[mine] = rng.choice(ids, mine.sum())
    reasons = rng.integers(0, len(ledger.LOSS_REASONS), len(users))
    return merged, users, reasons


def write(url: str, p: dict, rng, sizes: plan.Sizes, users_rows, timer: Timer) -> dict:
    cat, sales, po = p["cat"], p["sales"], p["po"]
    stamp = ledger.Stamps()
    created = stamp(p["start"] - 60 * plan.DAY)
    rows, groups, staff, actors = users_rows
    copier = Copier(url)
    copier.copy("accounts_user", USER_COLS, [rows])
    copier.copy("accounts_user_groups", ("id", "user_id", "group_id"), [groups])
    copier.copy("stock_location", ("id", "name", "kind", "address", "is_active"),
                [list(tables.locations())])  # fmt: skip
    copier.copy("stock_location_users", ("id", "location_id", "user_id"),
                [list(tables.location_users(staff))])  # fmt: skip
    copier.copy("suppliers_supplier", SUPPLIER_COLS,
                chunked(tables.suppliers(sizes.suppliers, created)))  # fmt: skip
    category_rows, leaf_ids = tables.categories(sizes.categories)
    copier.copy("products_category", ("id", "name", "parent_id"), [category_rows])
    copier.copy("products_tag", ("id", "name"),
                [[f"{i + 1}\ttag-{w}\n" for i, w in enumerate(tables.VARIANTS)]])  # fmt: skip
    copier.copy("orders_customer", CUSTOMER_COLS,
                chunked(tables.customers(sizes.customers, created)))  # fmt: skip
    so_numbers = [f"SO-{i + 1:06d}" for i in range(len(sales.time))]
    po_numbers = [f"PO-{i + 1:06d}" for i in range(len(po.ordered))]
    po_users = [rng.choice(actors[loc]) for loc in po.location.tolist()]
    merged, users, reasons = movements(p, rng, actors)
    timer.lap("plan: ledger in time order")
    # The ledger first (in memory only as compact arrays): its replay gives the products'
    # final average cost and every level.
    book = ledger.Ledger(sizes.products, cat.cost_units)
    copier.copy("stock_stockmovement", ledger.MOVEMENT_COLUMNS,
                book.rows(merged, users, so_numbers, sales.line_order, po_numbers,
                          po.line_order, reasons))  # fmt: skip
    point, quantity = tables.reorder_points(p["average"], cat.lead_days, cat.supplier, SLOT_DAYS)
    copier.copy("products_product", PRODUCT_COLS,
                chunked(tables.products(rng, cat, leaf_ids, book.average, (point, quantity),
                                        created)))  # fmt: skip
    copier.copy(
        "products_product_tags",
        ("id", "product_id", "tag_id"),
        chunked(tables.product_tags(rng, sizes.products, len(tables.VARIANTS))),
    )
    copier.copy(
        "suppliers_supplierproduct",
        SUPPLIER_PRODUCT_COLS,
        chunked(tables.supplier_products(rng, cat, sizes.suppliers, created)),
    )
    amounts = tables.line_amounts(sales, cat)
    totals = tables.order_totals(sales, *amounts[1:])
    copier.copy("orders_salesorder", SALES_ORDER_COLS,
                chunked(tables.sales_orders(sales, totals, so_numbers, stamp)))  # fmt: skip
    copier.copy("orders_salesorderline", SALES_LINE_COLS,
                chunked(tables.sales_lines(sales, cat, amounts)))  # fmt: skip
    head, body = tables.sales_returns(rng, sales, stamp)
    copier.copy(
        "orders_salesreturn", ("id", "reason", "note", "created_at", "order_id", "user_id"), [head]
    )
    copier.copy("orders_salesreturnline", ("id", "quantity", "line_id", "sales_return_id"),
                [body])  # fmt: skip
    copier.copy("orders_purchaseorder", PURCHASE_COLS,
                chunked(tables.purchase_orders(po, po_numbers, po_users, stamp)))  # fmt: skip
    copier.copy("orders_purchaseorderline", PURCHASE_LINE_COLS,
                chunked(tables.purchase_lines(po)))  # fmt: skip
    copier.copy("orders_orderstatuschange", STATUS_COLS,
                chunked(tables.status_changes(sales, po, po_users, stamp)))  # fmt: skip
    now = stamp(p["end"])
    copier.copy("stock_stocklevel", LEVEL_COLS, chunked(tables.stock_levels(book.levels, now)))
    copier.copy(
        "stock_lowstockalert",
        ALERT_COLS,
        chunked(tables.low_stock_alerts(book.levels, point, cat.active, now)),
    )
    timer.lap("write: every table (COPY)")
    copier.execute("SELECT setval('orders_sales_order_number_seq', %s)", [len(so_numbers)])
    copier.execute("SELECT setval('orders_purchase_order_number_seq', %s)", [len(po_numbers)])
    advance_sequences(copier)
    # The COPY ran with the triggers off (replica): fill the daily sales summaries in one go.
    copier.execute("SELECT reports_sales_summary_rebuild()")
    timer.lap("write: daily sales summaries")
    copier.execute("SELECT stock_total_rebuild()")  # and each product's total available
    timer.lap("write: stock totals")
    copier.close()
    broken = verify_keys(url)
    if broken:
        raise SystemExit(f"foreign keys broken by the generated rows: {broken}")
    timer.lap("check: every foreign key")
    return {"counts": book.counts, "timings": copier.timings}


USER_COLS = ("id", "password", "last_login", "is_superuser", "username", "first_name",
             "last_name", "is_staff", "is_active", "date_joined", "email", "phone")  # fmt: skip
SUPPLIER_COLS = ("id", "name", "contact_person", "phone", "email", "address", "notes",
                 "is_active", "created_at", "updated_at")  # fmt: skip
CUSTOMER_COLS = ("id", "name", "contact_person", "phone", "email", "address", "tax_number",
                 "notes", "is_active", "created_at", "updated_at")  # fmt: skip
PRODUCT_COLS = ("id", "sku", "barcode", "name", "description", "unit", "cost_price",
                "sale_price", "tax_rate", "reorder_point", "reorder_quantity", "image",
                "is_active", "created_at", "updated_at", "category_id",
                "preferred_supplier_id")  # fmt: skip
SUPPLIER_PRODUCT_COLS = ("id", "supplier_sku", "purchase_price", "lead_time_days",
                         "min_order_quantity", "updated_at", "product_id",
                         "supplier_id")  # fmt: skip
SALES_ORDER_COLS = ("id", "number", "status", "channel", "order_date", "notes",
                    "payment_method", "amount_paid", "token", "subtotal", "discount_total",
                    "tax_total", "total", "created_at", "updated_at", "created_by_id",
                    "customer_id", "location_id")  # fmt: skip
SALES_LINE_COLS = ("id", "quantity", "unit_price", "discount_percent", "tax_rate",
                   "gross_amount", "discount_amount", "tax_amount", "fulfilled_quantity",
                   "returned_quantity", "order_id", "product_id")  # fmt: skip
PURCHASE_COLS = ("id", "number", "status", "order_date", "expected_date", "notes",
                 "created_at", "updated_at", "created_by_id", "location_id",
                 "supplier_id")  # fmt: skip
PURCHASE_LINE_COLS = ("id", "quantity", "unit_cost", "received_quantity", "order_id",
                      "product_id")  # fmt: skip
STATUS_COLS = ("id", "from_status", "to_status", "note", "created_at", "user_id",
               "purchase_order_id", "sales_order_id")  # fmt: skip
LEVEL_COLS = ("id", "on_hand", "reserved", "updated_at", "location_id", "product_id")
ALERT_COLS = ("id", "available", "reorder_point", "created_at", "location_id", "product_id")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    sizes = plan.Sizes.at(args.scale)
    rng = np.random.default_rng(args.seed)
    print(f"generating at scale {args.scale}: {sizes}", flush=True)
    timer = Timer()

    recreate_database(args.database_url)
    migrated = manage(args.database_url, "migrate", "--no-input", "-v0")
    if migrated.returncode:
        raise SystemExit(migrated.stdout + migrated.stderr)
    timer.lap("database: create and migrate")
    joined = ledger.Stamps()(int(datetime.now(UTC).timestamp()) - 800 * plan.DAY)
    rows, groups, staff = tables.users(sizes.users, password_hash(), joined)
    managers = [i + 1 for i, g in enumerate(groups) if g.endswith("\t2\n")]
    actors = {loc: ids or managers for loc, ids in staff.items()}
    timer.lap("users: one password hash")
    p = build_plan(rng, sizes, actors, timer)
    result = write(args.database_url, p, rng, sizes, (rows, groups, staff, actors), timer)
    # The ledger was COPYed with triggers off: the stock reports' snapshots come after it.
    snapshots = manage(
        args.database_url, "shell", "-c",
        "from reports.snapshots import refresh_snapshots; print(refresh_snapshots())",
    )  # fmt: skip
    if snapshots.returncode:
        raise SystemExit(snapshots.stdout + snapshots.stderr)
    timer.lap("stock snapshots")
    conn = psycopg2.connect(args.database_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    conn.close()
    timer.lap("database: VACUUM ANALYZE")
    checked = manage(args.database_url, "check_stock")
    timer.lap("check_stock")
    total = sum(seconds for _name, seconds in timer.steps)
    print(f"\nmovements by kind: {result['counts']}")
    print(f"movements: {sum(result['counts'].values()):,}; total time {total:.0f} s")
    print(f"check_stock: {(checked.stdout + checked.stderr).strip()[:2000]}")
    if checked.returncode:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
