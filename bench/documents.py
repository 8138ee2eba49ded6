"""Measure PDF documents: an A4 invoice of a 200-line sales order, a counter receipt and a
purchase order of 200 lines (budget: an invoice under 500 ms).

Each is measured twice: drawn (the document store emptied before every run, so WeasyPrint draws
it) and stored (asked again: the template rendered, hashed and the stored PDF served, which is
what a download costs once the order's worker task has prepared it).

Usage (from the project root, after `make install-dev`):

    .venv/bin/python bench/documents.py [--lines 200] [--runs 10]

Runs against a separate database (`inventory_bench_documents` on the embedded server, or
DATABASE_URL if set), creates what it needs once, then prints median and p95 render times and
page counts. Not part of the test suite: timings belong here, never in tests.
"""

import argparse
import io
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inventory_site.settings.local")
os.environ.setdefault("EMBEDDED_DB_NAME", "inventory_bench_documents")
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role, roles_sync  # noqa: E402
from accounts.services import user_create  # noqa: E402
from orders.documents import invoice_pdf, purchase_order_pdf, receipt_pdf  # noqa: E402
from orders.models import Customer, RenderedDocument, SalesOrder  # noqa: E402
from orders.services.purchasing import PurchaseLine, purchase_order_create  # noqa: E402
from orders.services.sales import SaleLine, sales_order_create  # noqa: E402
from products.models import Category, Product  # noqa: E402
from stock.models import Location  # noqa: E402
from suppliers.models import Supplier  # noqa: E402


def setup(lines: int):
    call_command("migrate", verbosity=0)
    roles_sync()
    actor = User.objects.filter(username="bench").first() or user_create(
        actor=User(username="system"), username="bench", password="bench-pass-123456",
        role=Role.MANAGER,
    )  # fmt: skip
    category, _ = Category.objects.get_or_create(name="Bench")
    have = Product.objects.count()
    Product.objects.bulk_create(
        Product(
            sku=f"BENCH-{n:05d}", name=f"Produk contoh nomor {n} dengan nama agak panjang",
            category=category, sale_price=Decimal("12345.67"), cost_price=Decimal("8000"),
            tax_rate=Decimal(11),
        )
        for n in range(have, lines)
    )  # fmt: skip
    products = list(Product.objects.order_by("pk")[:lines])
    location, _ = Location.objects.get_or_create(name="Bench store")
    customer, _ = Customer.objects.get_or_create(name="PT Pelanggan Bench")
    supplier, _ = Supplier.objects.get_or_create(name="PT Pemasok Bench")
    sale = SalesOrder.objects.filter(notes=f"bench {lines}").first() or sales_order_create(
        actor=actor, location=location, customer=customer, notes=f"bench {lines}",
        lines=[SaleLine(p, 3, Decimal(5)) for p in products],
    )  # fmt: skip
    purchase = purchase_order_create(
        actor=actor, supplier=supplier, location=location,
        lines=[PurchaseLine(p, 24) for p in products],
    )  # fmt: skip
    return sale, purchase


def measure(name, render, runs, *, fresh=False):
    times, pdf = [], b""
    for _ in range(runs):
        if fresh:
            RenderedDocument.objects.all().delete()
        start = time.perf_counter()
        pdf = render()
        times.append((time.perf_counter() - start) * 1000)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"{name:<40} median {statistics.median(times):7.0f} ms   p95 {p95:7.0f} ms   "
          f"{pages} pages, {len(pdf) // 1024} KiB")  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    sale, purchase = setup(args.lines)
    invoice_pdf(sale)  # the first rendering warms fonts and templates
    documents = [
        (f"invoice ({args.lines} lines)", lambda: invoice_pdf(sale)),
        (f"purchase order ({args.lines} lines)", lambda: purchase_order_pdf(purchase)),
        (f"receipt ({args.lines} lines)", lambda: receipt_pdf(sale)),
    ]
    for name, render in documents:
        measure(f"{name}, drawn", render, args.runs, fresh=True)
        measure(f"{name}, stored", render, args.runs)


if __name__ == "__main__":
    main()
