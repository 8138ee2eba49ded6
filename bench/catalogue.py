"""Measure the catalogue at scale: list/search/detail pages, the API, and a 10,000-row import.

Usage (from the project root, after `make install-dev`):

    .venv/bin/python bench/catalogue.py [--products 100000] [--runs 15]

Runs against a separate database (`inventory_bench` on the embedded server, or DATABASE_URL if
set), fills it with generated products once, then prints median and p95 server time and the
SQL query count of each request. Not part of the test suite: timings belong here, never in tests.
"""

import argparse
import json
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inventory_site.settings.local")
os.environ.setdefault("EMBEDDED_DB_NAME", "inventory_bench")
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role, roles_sync  # noqa: E402
from accounts.services import user_create  # noqa: E402
from inventory_site.spreadsheets import read_sheet  # noqa: E402
from products.imports import product_import_apply, product_import_plan  # noqa: E402
from products.models import Category, Product, Tag  # noqa: E402
from suppliers.models import Supplier  # noqa: E402


def populate(count: int) -> None:
    have = Product.objects.count()
    if have >= count:
        return
    print(f"generating {count - have} products ...", flush=True)
    tops = [Category.objects.get_or_create(name=f"Dept {i}", parent=None)[0] for i in range(10)]
    leaves = []
    for top in tops:
        for j in range(20):
            leaves.append(Category.objects.get_or_create(name=f"Aisle {j}", parent=top)[0])
    suppliers = [Supplier.objects.get_or_create(name=f"Supplier {i}")[0] for i in range(100)]
    words = ["kopi", "teh", "gula", "beras", "susu", "roti", "sabun", "minyak", "garam", "air"]
    batch = []
    for n in range(have, count):
        batch.append(
            Product(
                sku=f"B-{n:07d}",
                barcode=f"{200000000000 + n}",
                name=f"{words[n % 10]} {words[(n // 10) % 10]} item {n}",
                category=leaves[n % len(leaves)],
                preferred_supplier=suppliers[n % len(suppliers)],
                sale_price=Decimal(1000 + n % 50000),
                cost_price=Decimal(700 + n % 40000),
            )
        )
        if len(batch) == 5000:
            Product.objects.bulk_create(batch)
            batch = []
    Product.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE products_product")


def measure(client: Client, url: str, runs: int) -> dict:
    client.get(url)  # warm up
    times, queries = [], 0
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured.captured_queries)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return {
        "url": url,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "queries": queries,
    }


def import_10k(user: User) -> dict:
    lines = ["sku,name,category,tags,sale_price,cost_price"]
    lines += [
        f"IMP-{n},Imported {n},Dept 1 > Aisle {n % 20},bench,{n}.50,{n}" for n in range(10_000)
    ]
    content = "\n".join(lines).encode()
    start = time.perf_counter()
    plan = product_import_plan(read_sheet("bench.csv", content), user=user)
    planned = time.perf_counter()
    result = product_import_apply(plan, actor=user)
    applied = time.perf_counter()
    replan = product_import_plan(read_sheet("bench.csv", content), user=user)
    again = time.perf_counter()
    Product.objects.filter(sku__startswith="IMP-").delete()
    Tag.objects.filter(name="bench").delete()
    return {
        "rows": 10_000,
        "plan_s": round(planned - start, 2),
        "apply_s": round(applied - planned, 2),
        "replan_s": round(again - applied, 2),
        "result": result,
        "second_plan_unchanged": replan.count("unchanged"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG is off, as in production
    roles_sync()
    populate(args.products)
    user = User.objects.filter(username="bench-manager").first() or user_create(
        actor=User(username="bench"), username="bench-manager", role=Role.MANAGER, password="x" * 12
    )
    client = Client()
    client.force_login(user)
    deep = Category.objects.filter(parent__isnull=False).first()
    product = Product.objects.order_by("pk")[Product.objects.count() // 2]
    urls = [
        "/products/",
        "/products/?q=kopi+gula",
        "/products/?q=B-00500",
        f"/products/?q={product.barcode}",
        f"/products/?category={deep.parent_id}",
        "/products/?page=1000",
        "/products/?ordering=-price",
        f"/products/{product.pk}/",
        "/api/v1/products/",
        "/api/v1/products/?q=kopi",
        "/api/v1/products/?page=1500",
        "/suppliers/",
    ]
    rows = [measure(client, url, args.runs) for url in urls]
    report = {
        "products": Product.objects.count(),
        "pages": rows,
        "import": import_10k(user),
        "database": connection.vendor + " " + ".".join(map(str, connection.pg_version_tuple()))
        if hasattr(connection, "pg_version_tuple") else connection.vendor,
    }  # fmt: skip
    print(f"\n{report['products']} products")
    print(f"{'request':<48} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for row in rows:
        print(
            f"{row['url'][:48]:<48} {row['median_ms']:>10} {row['p95_ms']:>8} {row['queries']:>8}"
        )
    imp = report["import"]
    print(
        f"\nimport of {imp['rows']} rows: plan {imp['plan_s']} s, apply {imp['apply_s']} s, "
        f"plan again {imp['replan_s']} s ({imp['second_plan_unchanged']} unchanged)"
    )
    out = ROOT / "var" / "bench-catalogue.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
