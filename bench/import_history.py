"""Measure the sales history import at scale: a generated CSV of 500,000 invoice lines, checked
(the preview) and then imported (the worker's all-or-nothing apply), with the peak memory.

Usage (from the project root, after `make install-dev`):

    .venv/bin/python bench/import_history.py [--lines 500000] [--products 2000]

Runs against a separate database (`inventory_bench_import` on the embedded server, or
DATABASE_URL if set) and a temporary media folder; every run starts from an empty history.
Prints the time of each step and the process's peak resident memory (getrusage). Not part of
the test suite: timings belong here, never in tests.
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inventory_site.settings.local")
os.environ.setdefault("EMBEDDED_DB_NAME", "inventory_bench_import")
os.environ["DEBUG"] = "false"
MEDIA = tempfile.mkdtemp(prefix="bench-import-")
os.environ["MEDIA_ROOT"] = MEDIA

import django  # noqa: E402

django.setup()

from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role, roles_sync  # noqa: E402
from accounts.services import user_create  # noqa: E402
from products.models import Product  # noqa: E402
from reports.importing.applying import sales_history_import_apply  # noqa: E402
from reports.importing.columns import guess_mapping  # noqa: E402
from reports.importing.planning import ImportOptions  # noqa: E402
from reports.importing.services import sales_history_file_store, sales_history_preview  # noqa: E402
from reports.models import ImportBatch, ImportedSale  # noqa: E402
from stock.models import Location, StockMovement  # noqa: E402

HEADER = "Tanggal;No Faktur;Kode;Nama Barang;Qty;Harga;Pelanggan;Lokasi\n"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def populate(products: int) -> None:
    existing = Product.objects.filter(sku__startswith="H-").count()
    Product.objects.bulk_create(
        [
            Product(sku=f"H-{n:05d}", name=f"History product {n}", cost_price=n % 90 + 1)
            for n in range(existing, products)
        ],
        batch_size=5000,
    )
    for name in ("Toko Pusat", "Gudang Timur"):
        Location.objects.get_or_create(name=name)
    with connection.cursor() as cursor:  # every run starts from an empty history
        cursor.execute("TRUNCATE reports_importedsale")
    ImportBatch.objects.all().delete()


def write_csv(path: Path, lines: int, products: int) -> None:
    """Invoices of 1-8 lines over two years, Indonesian style: day-first dates, `;`, prices with
    thousands dots; 2% returns, 1% postage lines; exact duplicates happen by chance."""
    rng = random.Random(20250331)
    start = date(2023, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        written = invoice = 0
        while written < lines:
            invoice += 1
            day = (start + timedelta(days=invoice * 730 // (lines // 4))).strftime("%d/%m/%Y")
            customer = f"Pelanggan {rng.randrange(5000)}" if rng.random() < 0.7 else ""
            location = "Toko Pusat" if invoice % 3 else "gudang timur"
            for _ in range(min(rng.randint(1, 8), lines - written)):
                code = f"H-{rng.randrange(products):05d}"
                quantity = rng.randint(1, 12) * (-1 if rng.random() < 0.02 else 1)
                price = f"{rng.randrange(1, 2000) * 500:,}".replace(",", ".")
                if rng.random() < 0.01:
                    code, quantity, price = "ONGKIR", 1, "15.000"
                out.write(
                    f"{day};INV-{invoice:07d};{code};Barang {code};{quantity};{price};"
                    f"{customer};{location}\n"
                )
                written += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--products", type=int, default=2_000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    roles_sync()
    populate(args.products)
    user = User.objects.filter(username="bench-manager").first() or user_create(
        actor=User(username="bench"), username="bench-manager", role=Role.MANAGER, password="x" * 12
    )
    path = Path(MEDIA) / "history.csv"
    began = time.perf_counter()
    write_csv(path, args.lines, args.products)
    print(f"generated {args.lines:,} lines ({path.stat().st_size / 2**20:.1f} MB) "
          f"in {time.perf_counter() - began:.1f} s")  # fmt: skip
    print(f"peak RSS before importing: {peak_rss_mb():.0f} MB")

    began = time.perf_counter()
    with path.open("rb") as stream:
        batch = sales_history_file_store(actor=user, upload=File(stream, name="history.csv"))
    stored = time.perf_counter() - began
    options = ImportOptions(
        mapping=guess_mapping(batch.options["headers"]), excluded_codes=("ONGKIR",)
    )
    began = time.perf_counter()
    sales_history_preview(actor=user, batch=batch, options=options)
    planned = time.perf_counter() - began
    batch.refresh_from_db()
    report = batch.report
    print(f"store (hash, sniff, copy): {stored:.1f} s")
    print(f"preview (conventions + check): {planned:.1f} s; peak RSS {peak_rss_mb():.0f} MB")
    print(f"  {report['to_import']:,} to import, {report['excluded']:,} excluded, "
          f"{report['duplicates']:,} duplicates, {report['problem_count']:,} problems, "
          f"{report['new_customer_count']:,} new customers")  # fmt: skip

    movements = StockMovement.objects.count()
    began = time.perf_counter()
    batch = sales_history_import_apply(batch_id=batch.pk)
    applied = time.perf_counter() - began
    print(f"apply (check again + create + COPY, one transaction): {applied:.1f} s; "
          f"peak RSS {peak_rss_mb():.0f} MB")  # fmt: skip
    print(f"  status {batch.status}, {batch.imported_rows:,} imported, "
          f"{batch.skipped_rows:,} skipped; rows in table: {ImportedSale.objects.count():,}; "
          f"stock movements added: {StockMovement.objects.count() - movements}")  # fmt: skip
    print(f"total plan + apply: {planned + applied:.1f} s")


if __name__ == "__main__":
    main()
