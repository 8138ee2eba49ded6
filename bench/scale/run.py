"""Measure the app on the large data set: pages, API, reports, PDFs, sales, throughput.

Usage (from the project root, after bench/generate):

    bench/run [--database-url postgres://root@127.0.0.1:5432/inventory_bench] [--requests 20]
              [--report-requests 3] [--workers 2] [--clients 4] [--seconds 20]
              [--json bench/results.json]

Starts gunicorn with the production settings (DEBUG off) on 127.0.0.1, signs in as a manager,
warms every endpoint up and then requests it N times in a row: median and p95 of the server time
(gunicorn's own measure of each request; the client's wall time is in the JSON too). The same
request runs once more in-process through Django's test client to count its SQL queries; its
slowest query, EXPLAIN ANALYZEd on its own, is the SQL floor the page cannot beat. Then several
client processes post counter sales at once (throughput), and check_stock proves the ledger.
"""

import argparse
import json
import multiprocessing
import os
import platform
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from scale.generate import DEFAULT_URL, PASSWORD, django_env, manage  # noqa: E402
from scale.web import Client, Server, StaleWorkerError, pos_client  # noqa: E402

PAGE, SALE, REPORT, PDF = 150, 50, 2000, 500  # budgets, ms (DESIGN.md)
LIST_RATIO = 3.0  # a list page's time within 3x its SQL floor


@dataclass
class Endpoint:
    name: str
    path: str
    budget: float
    method: str = "GET"
    api: bool = False
    body: object = None  # callable(i) -> data for a POST, or a fixed dict
    expect: int = 200
    is_list: bool = False
    runs: int | None = None
    headers: dict = field(default_factory=dict)
    prelude: tuple = ()
    path_for: object = None  # callable(i) -> path, when each request needs its own

    def data(self, i: int):
        return self.body(i) if callable(self.body) else self.body

    def url(self, i: int) -> str:
        return self.path_for(i) if self.path_for else self.path


def endpoints(fx, args, slugs) -> list[Endpoint]:
    today = datetime.now(UTC).date()
    span = f"start={today - timedelta(days=730)}&end={today}"
    shop, pool = fx.stores[0], fx.pool
    n = args.requests

    def sale(i: int) -> dict:
        lines = [{"product": pool[(i * 3 + k) % len(pool)], "quantity": "1"} for k in range(3)]
        return {"token": inproc.new_token(), "location": shop, "lines": lines,
                "payment_method": "card"}  # fmt: skip

    drafts = iter(fx.drafts)
    invoices = fx.invoices
    located = (("POST", "/orders/counter/", {"action": "location", "location": shop}),)
    rows = [
        Endpoint("product list", "/products/", PAGE, is_list=True),
        Endpoint("product search", "/products/?q=kopi+manis", PAGE, is_list=True),
        Endpoint(
            "product category subtree", f"/products/?category={fx.top_category}", PAGE, is_list=True
        ),
        Endpoint(
            f"product list page {fx.late_page}",
            f"/products/?page={fx.late_page}",
            PAGE,
            is_list=True,
        ),
        Endpoint("product detail", f"/products/{fx.detail_product}/", PAGE),
        Endpoint("stock overview", "/stock/", PAGE, is_list=True),
        Endpoint("movement history", "/stock/movements/", PAGE, is_list=True),
        Endpoint("low stock", "/stock/low/", PAGE, is_list=True),
        Endpoint("POS counter page", "/orders/counter/", PAGE, prelude=located),
        Endpoint(
            "POS scan (htmx)",
            "/orders/counter/",
            PAGE,
            method="POST",
            body={"action": "scan", "code": fx.pool_skus[0]},
            headers={"HX-Request": "true"},
            prelude=located,
        ),
        Endpoint(
            "POS sale (API counter-sales)",
            "/api/v1/counter-sales/",
            SALE,
            method="POST",
            api=True,
            body=sale,
            expect=201,
        ),
        Endpoint(
            "sales order confirm (API)",
            "",
            PAGE,
            method="POST",
            api=True,
            body={},
            path_for=lambda i: f"/api/v1/sales-orders/{next(drafts)}/confirm/",
        ),
        Endpoint("sales order list", "/orders/sales/", PAGE, is_list=True),
        Endpoint(
            "invoice PDF, first draw",
            "",
            PDF,
            runs=min(n, 10),
            path_for=lambda i: f"/orders/sales/{invoices[i]}/invoice.pdf",
        ),
        Endpoint("invoice PDF, stored", f"/orders/sales/{invoices[0]}/invoice.pdf", PDF),
        Endpoint("API products", "/api/v1/products/", PAGE, api=True, is_list=True),
        Endpoint("API products search", "/api/v1/products/?q=kopi", PAGE, api=True, is_list=True),
        Endpoint(
            f"API products page {fx.late_page}",
            f"/api/v1/products/?page={fx.late_page}",
            PAGE,
            api=True,
            is_list=True,
        ),
        Endpoint("API stock levels", "/api/v1/stock-levels/", PAGE, api=True, is_list=True),
        Endpoint("API stock movements", "/api/v1/stock-movements/", PAGE, api=True, is_list=True),
        Endpoint("API sales orders", "/api/v1/sales-orders/", PAGE, api=True, is_list=True),
        Endpoint("API low stock", "/api/v1/stock/low/", PAGE, api=True, is_list=True),
    ]
    for slug in slugs:
        rows.append(Endpoint(f"report {slug} (2 years)", f"/reports/{slug}/?{span}", REPORT,
                             runs=args.report_requests))  # fmt: skip
        rows.append(Endpoint(f"API report {slug} (2 years)", f"/api/v1/reports/{slug}/?{span}",
                             REPORT, api=True, runs=args.report_requests))  # fmt: skip
    return rows


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def measure(ep: Endpoint, client: Client, server: Server, capture, args, counter) -> dict:
    runs = ep.runs or args.requests
    warm = 0 if ep.path_for else (1 if ep.budget >= REPORT else 2)
    for method, path, data in ep.prelude:
        client.request(method, path, data=data)
    ids, walls, statuses = [], [], []
    for i in range(warm + runs):
        kwargs = {}
        data = ep.data(counter())
        if data is not None and ep.method == "POST":
            kwargs = {"json": data} if ep.api else {"data": data}
        response, rid, wall = client.request(
            ep.method, ep.url(i), api=ep.api, headers=ep.headers, **kwargs
        )
        statuses.append(response.status_code)
        if i >= warm:
            ids.append(rid)
            walls.append(wall)
    logged = server.server_times()
    server_ms = [logged.get(rid, wall) for rid, wall in zip(ids, walls, strict=True)]
    path = ep.url(runs + warm) if ep.path_for else ep.path
    data = ep.data(counter())
    status, queries, _inproc_ms = capture.run(
        ep.method, path, api=ep.api, data=data if ep.method == "POST" else None,
        headers=ep.headers, prelude=ep.prelude,
    )  # fmt: skip
    main = inproc.main_query(queries)
    floor = inproc.explain(main["sql"]) if main else None
    median = statistics.median(server_ms)
    row = {
        "endpoint": ep.name, "path": path, "method": ep.method, "runs": runs,
        "median_ms": round(median, 1), "p95_ms": round(percentile(server_ms, 0.95), 1),
        "wall_median_ms": round(statistics.median(walls), 1),
        "queries": len(queries),
        "sql_sum_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
        "sql_floor_ms": round(floor["execution_ms"], 1) if floor else None,
        "planning_ms": round(floor["planning_ms"], 1) if floor else None,
        "main_query": main["sql"][:4000] if main else None,
        "plan": floor["plan"] if floor else None,
        "budget_ms": ep.budget, "is_list": ep.is_list,
        "statuses": sorted(set(statuses)), "inprocess_status": status,
    }  # fmt: skip
    row["ratio"] = (
        round(median / row["sql_floor_ms"], 1) if floor and row["sql_floor_ms"] > 0 else None
    )
    ok = row["p95_ms"] <= ep.budget and set(statuses) == {ep.expect}
    if ep.is_list and row["ratio"] is not None:
        ok = ok and row["ratio"] <= LIST_RATIO
    row["pass"] = ok
    return row


def throughput(server: Server, client: Client, fx, clients: int, seconds: float) -> dict:
    client.token("bench-manager", PASSWORD)
    ctx = multiprocessing.get_context("spawn")
    jobs = [
        (server.base, client.jwt, fx.stores[1 + i % (len(fx.stores) - 1)], fx.pool, seconds, i)
        for i in range(clients)
    ]
    started = time.perf_counter()
    with ctx.Pool(clients) as pool:
        results = pool.map(pos_client, jobs)
    elapsed = time.perf_counter() - started
    latencies = [ms for r in results for ms in r["latencies"]]
    failures = sum(r["failures"] for r in results)
    return {
        "clients": clients, "seconds": round(elapsed, 1), "sales": len(latencies) - failures,
        "failures": failures, "sales_per_s": round((len(latencies) - failures) / elapsed, 1),
        "median_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
    }  # fmt: skip


def machine(url: str) -> dict:
    import psutil
    import psycopg2

    conn = psycopg2.connect(url)
    with conn.cursor() as cur:
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
        cur.execute("SHOW shared_buffers")
        buffers = cur.fetchone()[0]
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cur.fetchone()[0]
    conn.close()
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    return {
        "cpu": cpu, "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "postgresql": version, "shared_buffers": buffers, "database_size": size,
        "python": platform.python_version(), "date": datetime.now(UTC).date().isoformat(),
    }  # fmt: skip


def table(rows: list[dict], tp: dict, memory: dict) -> str:
    head = f"{'endpoint':<38} {'median':>7} {'p95':>7} {'queries':>7} {'SQL floor':>9} "
    head += f"{'ratio':>6} {'budget':>7} {'':>4}"
    lines = [head, "-" * len(head)]
    for r in rows:
        floor = f"{r['sql_floor_ms']:.1f}" if r["sql_floor_ms"] is not None else "-"
        ratio = f"{r['ratio']:.1f}" if r["ratio"] is not None else "-"
        budget = f"{r['budget_ms']:.0f}" + (" ≤3x" if r["is_list"] else "")
        lines.append(
            f"{r['endpoint'][:38]:<38} {r['median_ms']:>7.1f} {r['p95_ms']:>7.1f} "
            f"{r['queries']:>7} {floor:>9} {ratio:>6} {budget:>7} "
            f"{'ok' if r['pass'] else 'MISS':>4}"
        )
    if tp:
        lines.append(
            f"\nthroughput: {tp['clients']} clients posting counter sales for {tp['seconds']} s: "
            f"{tp['sales_per_s']} sales/s, median {tp['median_ms']} ms, p95 {tp['p95_ms']} ms, "
            f"{tp['failures']} failed"
        )
    lines.append(
        "peak RSS of a gunicorn worker (MB): "
        + ", ".join(f"{k} {v / 2**20:.0f}" for k, v in memory.items())
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=20, help="measured requests per page")
    parser.add_argument("--report-requests", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20, help="throughput run length")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--json", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument(
        "--only", metavar="REGEX", help="measure only the requests whose name matches (no "
        "throughput run; the JSON goes to var/bench-only.json unless --json is given)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.only and args.json == parser.get_default("json"):
        args.json = str(ROOT / "var" / "bench-only.json")

    env = django_env(args.database_url)
    os.environ.update(env)
    import django

    django.setup()
    global inproc
    from reports.registry import reports
    from scale import inproc

    print("preparing fixtures (stocking the bench shops, drafting orders) ...", flush=True)
    slugs = list(reports())
    fx = inproc.prepare(drafts=args.requests + 2, invoices=max(args.requests, 10) + 2)
    fx.pool_skus = list(
        inproc.Product.objects.filter(pk__in=fx.pool[:1]).values_list("sku", flat=True)
    )
    from django.db import connections

    connections.close_all()
    # DEBUG is off: WhiteNoise serves the collected, hashed files (as `make serve` does).
    for attempt in range(3):
        collected = manage(args.database_url, "collectstatic", "--noinput", "-v0")
        if collected.returncode:
            raise SystemExit(collected.stdout + collected.stderr)
        server = Server(ROOT, env, args.port, args.workers, ROOT / "var" / "bench-gunicorn.log")
        try:
            server.start()
            break
        except StaleWorkerError:
            print(f"a worker failed its first page (attempt {attempt + 1}); restarting")
    else:
        raise SystemExit("gunicorn workers keep failing: see var/bench-gunicorn.log")
    rows = []
    try:
        client = Client(server.base)
        client.login("bench-manager", PASSWORD)
        client.token("bench-manager", PASSWORD)
        capture = inproc.Capture(fx.manager)
        tick = iter(range(10**9))
        for ep in endpoints(fx, args, slugs):
            if args.only and not re.search(args.only, ep.name):
                continue
            server.phase("reports" if ep.name.startswith(("report", "API report")) else (
                "pdf" if "PDF" in ep.name else "pages"))  # fmt: skip
            row = measure(ep, client, server, capture, args, lambda: next(tick))
            rows.append(row)
            print(
                f"{row['endpoint']:<40} median {row['median_ms']:>8.1f} p95 {row['p95_ms']:>8.1f}"
                f" queries {row['queries']:>4} floor {row['sql_floor_ms']} "
                f"{'ok' if row['pass'] else 'MISS'}",
                flush=True,
            )
        server.phase("throughput")
        tp = {} if args.only else throughput(server, client, fx, args.clients, args.seconds)
    finally:
        server.stop()
    checked = manage(args.database_url, "check_stock")
    settings = {"workers": args.workers, "requests": args.requests}
    settings["report_requests"] = args.report_requests
    result = {
        "machine": machine(args.database_url),
        "settings": settings,
        "rows": rows,
        "throughput": tp,
        "peak_worker_rss_mb": {k: round(v / 2**20) for k, v in server.peak_rss.items()},
        "memory_error": server.memory_error,
        "check_stock": (checked.stdout + checked.stderr).strip(),
        "check_stock_ok": not checked.returncode,
    }
    print()
    print(table(rows, tp, server.peak_rss))
    print(f"check_stock after the run: {result['check_stock']}")
    Path(args.json).write_text(json.dumps(result, indent=2, default=str))
    print(f"written to {args.json}")


inproc = None

if __name__ == "__main__":
    main()
