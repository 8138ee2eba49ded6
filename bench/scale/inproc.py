"""The in-process half of bench/run (Django set up with the production settings): fixtures on
the generated data, the SQL query count of a request, and the SQL floor of its main query.

Import only after django.setup().
"""

import re
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal

import psycopg2
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from orders.models import SalesOrder
from orders.services.sales import SaleLine, sales_order_create
from products.models import Category, Product
from stock.models import Location, StockMovement
from stock.services import stock_receive

EXECUTION = re.compile(r"Execution Time: ([0-9.]+) ms")
PLANNING = re.compile(r"Planning Time: ([0-9.]+) ms")


@dataclass
class Fixtures:
    manager: User
    detail_product: int
    top_category: int
    search: str
    late_page: int
    stores: list[int]
    pool: list[int]
    drafts: list[int]
    invoices: list[int]


def prepare(*, drafts: int, invoices: int, pool_size: int = 120, stores: int = 6) -> Fixtures:
    """Choose what the requests ask for, and stock a few shops with a pool of popular products
    (receipts through stock.services, so the ledger stays right) for the counter sales."""
    manager = User.objects.get(username="bench-manager")
    busiest = StockMovement.objects.values("product").annotate(n=Count("id")).order_by("-n").first()
    top = Category.objects.filter(parent__isnull=True).order_by("pk").first()
    shops = list(Location.objects.filter(kind="store").order_by("pk").values_list("pk", flat=True))[
        :stores
    ]
    pool = list(
        Product.objects.filter(is_active=True, sale_price__gt=0)
        .annotate(n=Count("sales_order_lines"))
        .order_by("-n")
        .values_list("pk", flat=True)[:pool_size]
    )
    for location in Location.objects.filter(pk__in=shops):
        for product in Product.objects.filter(pk__in=pool):
            stock_receive(
                actor=manager, product=product, location=location, quantity=Decimal(50_000),
                unit_cost=product.cost_price, note="bench stock",
            )  # fmt: skip
    draft_ids = []
    shop = Location.objects.get(pk=shops[0])
    products = list(Product.objects.filter(pk__in=pool))
    for i in range(drafts):
        chosen = [products[(i * 5 + k) % len(products)] for k in range(5)]
        order = sales_order_create(
            actor=manager, location=shop, customer=None,
            lines=[SaleLine(p, Decimal(1)) for p in chosen],
        )  # fmt: skip
        draft_ids.append(order.pk)
    invoice_ids = list(
        SalesOrder.objects.filter(status="completed", channel="order")
        .annotate(n=Count("lines"))
        .filter(n__gte=5, n__lte=20)
        .order_by("-pk")
        .values_list("pk", flat=True)[:invoices]
    )
    # "First draw" means drawn: forget what an earlier run on this database stored of them.
    from orders.models import RenderedDocument

    RenderedDocument.objects.filter(subject__in=[f"invoice:{pk}" for pk in invoice_ids]).delete()
    count = Product.objects.count()
    return Fixtures(
        manager=manager, detail_product=busiest["product"], top_category=top.pk,
        search="kopi manis", late_page=max(1, int(count / 50 * 0.75)), stores=shops,
        pool=pool, drafts=draft_ids, invoices=invoice_ids,
    )  # fmt: skip


class Capture:
    """Run a request through Django's test client and keep the queries it made."""

    def __init__(self, manager: User):
        self.manager = manager
        self.client = Client()
        self.client.force_login(manager)

    def run(self, method: str, path: str, *, api=False, data=None, headers=None, prelude=()):
        for m, p, d in prelude:
            getattr(self.client, m.lower())(p, d or {}, secure=True)
        # A fresh token each time: a run outlasts a token's 15 minutes.
        token = RefreshToken.for_user(self.manager).access_token if api else None
        extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if api else {}
        for name, value in (headers or {}).items():
            extra["HTTP_" + name.upper().replace("-", "_")] = value
        kwargs = {"secure": True, **extra}
        if data is not None:
            kwargs["data"] = data
            if api:
                kwargs["content_type"] = "application/json"
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = getattr(self.client, method.lower())(path, **kwargs)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            elapsed = (time.perf_counter() - started) * 1000
        return response.status_code, captured.captured_queries, elapsed


def main_query(queries: list[dict]) -> dict | None:
    """The slowest read of the request (the page's main query)."""
    reads = [q for q in queries if q["sql"].lstrip("( \n").upper().startswith(("SELECT", "WITH"))]
    return max(reads, key=lambda q: float(q["time"]), default=None)


def explain(sql: str, runs: int = 2) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) the query as the app sent it (JIT off, as the app's
    connections run), in a transaction rolled back; the best of `runs`."""
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"],
        port=db["PORT"] or 5432, options="-c jit=off",
    )  # fmt: skip
    best = None
    try:
        for _ in range(runs):
            with conn.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cur.fetchall())
            conn.rollback()
            ms = float(EXECUTION.search(plan).group(1))
            if best is None or ms < best["execution_ms"]:
                planning = PLANNING.search(plan)
                best = {
                    "execution_ms": ms,
                    "planning_ms": float(planning.group(1)) if planning else 0.0,
                    "plan": plan,
                }
    finally:
        conn.close()
    return best


def new_token() -> str:
    return str(uuid.uuid4())
