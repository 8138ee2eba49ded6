"""Multi-process check: the production set-up on this machine, under concurrent load.

Creates a fresh database on the machine's PostgreSQL, migrates it and loads a small shop (two
locations, products with reorder points, a manager with an email, a webhook pointing at a
receiver this script runs when the `integrations` app is installed). Then starts two gunicorn
web servers (production settings over plain HTTP), one Celery worker (concurrency 2) and Celery
beat, on the machine's RabbitMQ with a queue of their own, and drives counter sales and
receipts through both web servers at once from several threads, so every product crosses its
reorder point once per round. Beat runs the nightly stock check every few seconds meanwhile.

When the queue has drained it verifies that
- every product crossed into low stock exactly once per round (one notification each),
- every low-stock notification was emailed exactly once (file-based email, read back here),
- every webhook delivery reached the receiver exactly once, correctly signed,
- every sale sent made exactly one sales order, and `check_stock` passes,
prints a summary, stops the processes, drops the database and exits non-zero on a violation.

    .venv/bin/python bench/multiprocess_check.py [--rounds 4] [--threads 6]
"""

import argparse
import collections
import email
import email.policy
import http.server
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "multi-process-check-pass"
START_PER_LOCATION = 10  # units of each watched product at each of the two locations
REORDER_POINT = 10
SOLD_PER_LOCATION = 7  # per round: 20 -> 6 in total, below the reorder point; receipts refill
DRAIN_SECONDS = 300  # the worker also draws a receipt PDF for every sale


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default="postgres://root@127.0.0.1:5432")
    parser.add_argument("--broker", default="amqp://guest:guest@127.0.0.1:5672//")
    parser.add_argument("--products", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--ports", default="8601,8602")
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    return parser.parse_args()


ARGS = parse_args()
RUN = uuid.uuid4().hex[:8]
DB_NAME = f"mpcheck_{RUN}"
QUEUE = f"mpcheck-{RUN}"
WORK = Path(tempfile.mkdtemp(prefix=f"mpcheck-{RUN}-"))
MAIL_DIR = WORK / "mail"
MAIL_DIR.mkdir()
PORTS = [int(p) for p in ARGS.ports.split(",")]

ENV = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
ENV |= {
    "DJANGO_SETTINGS_MODULE": "inventory_site.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "DATABASE_URL": f"{ARGS.postgres}/{DB_NAME}",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",  # plain HTTP on the loopback interface
    "CELERY_BROKER_URL": ARGS.broker,
    "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
    "EMAIL_URL": f"filemail:///{MAIL_DIR}",
    "WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true",  # the receiver is on 127.0.0.1
    "LOG_FORMAT": "json",
    "CONN_MAX_AGE": "0",
}
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402 - configured by the environment above

problems: list[str] = []
processes: list[tuple[str, subprocess.Popen]] = []


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


# --- Database -------------------------------------------------------------------------------
def admin_sql(statement: str) -> None:
    import psycopg2

    conn = psycopg2.connect(f"{ARGS.postgres}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(statement)
    conn.close()


def create_database() -> None:
    admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_shop(receiver_url: str | None) -> dict:
    from django.apps import apps

    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from products.models import Product
    from stock.models import Location
    from stock.services import stock_receive

    manager = UserFactory(
        username="mp-manager", email="manager@example.com", password=PASSWORD, role=Role.MANAGER
    )
    UserFactory(username="mp-admin", email="admin@example.com", role=Role.ADMIN)
    locations = [
        Location.objects.create(name=f"Shop {n}", kind=Location.Kind.STORE) for n in (1, 2)
    ]
    watched = [
        Product.objects.create(
            sku=f"MP-{n:02d}",
            name=f"Watched product {n}",
            sale_price=Decimal(1000),
            cost_price=Decimal(400),
            reorder_point=REORDER_POINT,
        )
        for n in range(1, ARGS.products + 1)
    ]
    filler = Product.objects.create(sku="MP-FILL", name="Unwatched filler", sale_price=500)
    for location in locations:
        for product in watched:
            stock_receive(
                actor=manager,
                product=product,
                location=location,
                quantity=START_PER_LOCATION,
                unit_cost=400,
            )
        stock_receive(
            actor=manager, product=filler, location=location, quantity=100000, unit_cost=100
        )
    webhook = None
    if receiver_url and apps.is_installed("integrations"):
        from integrations.models import Event, Webhook

        webhook = Webhook.objects.create(
            name="multi-process receiver",
            url=receiver_url,
            events=[Event.LOW_STOCK, Event.STOCK_LEVEL_CHANGED],
        )
    return {
        "locations": [loc.pk for loc in locations],
        "watched": [p.pk for p in watched],
        "filler": filler.pk,
        "webhook": webhook,
    }


def schedule_stock_check_every(seconds: int) -> None:
    """Have beat run the nightly stock check often, so it runs while sales go on."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    PeriodicTask.objects.create(
        name="multi-process stock check",
        task="inventory_site.scheduling.tasks.stock_check_nightly",
        interval=IntervalSchedule.objects.create(every=seconds, period="seconds"),
    )


# --- Webhook receiver -----------------------------------------------------------------------
received: list[dict] = []
received_lock = threading.Lock()


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with received_lock:
            received.append({"headers": dict(self.headers), "body": body})
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def start_receiver() -> str:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/hook"


# --- Processes ------------------------------------------------------------------------------
def start(name: str, command: list[str]) -> None:
    log = (WORK / f"{name}.log").open("w")
    process = subprocess.Popen(
        command, cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    processes.append((name, process))


def start_processes() -> None:
    for n, port in enumerate(PORTS, 1):
        start(
            f"web{n}",
            [
                str(BIN / "gunicorn"),
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "2",
            ],
        )
    celery = [str(BIN / "celery"), "-A", "inventory_site"]
    start(
        "worker",
        [*celery, "worker", "-l", "info", "-c", "2", "-Q", QUEUE, "-n", f"mpcheck-{RUN}@%h"],
    )
    start("beat", [*celery, "beat", "-l", "info", "--max-interval", "2"])


def stop_processes() -> None:
    for _name, process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for _name, process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_ready() -> None:
    deadline = time.monotonic() + 60
    for port in PORTS:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as r:
                    if json.loads(r.read()) == {"database": "ok", "broker": "ok"}:
                        break
            except (OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"web server on port {port} is not ready; logs in {WORK}")
            time.sleep(0.5)


# --- Load -----------------------------------------------------------------------------------
class Client:
    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        credentials = {"username": "mp-manager", "password": PASSWORD}
        self.token = self.post("/api/v1/auth/token/", credentials)[1]["access"]

    def post(self, path: str, data: dict, headers: dict | None = None) -> tuple[int, dict]:
        body = json.dumps(data).encode()
        headers = {"Content-Type": "application/json"} | (headers or {})
        if getattr(self, "token", None):
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in range(5):  # the same token / Idempotency-Key: a retry never doubles
            request = urllib.request.Request(self.base + path, body, headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return response.status, json.loads(response.read() or b"{}")
            except urllib.error.HTTPError as error:
                return error.code, json.loads(error.read() or b"{}")
            except OSError:
                time.sleep(0.2 * (attempt + 1))
        raise RuntimeError(f"POST {path} failed five times")


def run_load(shop: dict) -> dict:
    clients = [Client(port) for port in PORTS]
    counts = collections.Counter()
    sale_tokens: list[str] = []
    lock = threading.Lock()

    def sale(i: int, product: int, location: int) -> None:
        token = str(uuid.uuid4())
        status, body = clients[i % 2].post(
            "/api/v1/counter-sales/",
            {
                "token": token,
                "location": location,
                "payment_method": "card",
                "lines": [{"product": product, "quantity": "1"}],
            },
        )
        with lock:
            counts[f"sale {status}"] += 1
            counts[f"via web{i % 2 + 1}"] += 1
            if status == 201:
                sale_tokens.append(token)
            elif len(problems) < 20:
                problems.append(f"sale answered {status}: {body}")

    def receipt(i: int, product: int, location: int, quantity: int) -> None:
        status, body = clients[i % 2].post(
            "/api/v1/stock/receive/",
            {
                "product": product,
                "location": location,
                "quantity": str(quantity),
                "unit_cost": "400",
            },
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        with lock:
            counts[f"receipt {status}"] += 1
            counts[f"via web{i % 2 + 1}"] += 1
            if status not in (200, 201) and len(problems) < 20:
                problems.append(f"receipt answered {status}: {body}")

    with ThreadPoolExecutor(ARGS.threads) as pool:
        for n in range(ARGS.rounds):
            # Sell each watched product down through its reorder point, while the filler is
            # restocked; then refill the watched products while the filler sells.
            jobs = []
            for product in shop["watched"]:
                for location in shop["locations"]:
                    jobs += [(sale, product, location)] * SOLD_PER_LOCATION
            jobs += [(receipt, shop["filler"], loc, 5) for loc in shop["locations"] * 5]
            futures = [pool.submit(job[0], i, *job[1:]) for i, job in enumerate(_shuffled(jobs, n))]
            for future in futures:
                future.result()
            jobs = [
                (receipt, product, location, quantity)
                for product in shop["watched"]
                for location in shop["locations"]
                for quantity in (3, SOLD_PER_LOCATION - 3)
            ]
            jobs += [(sale, shop["filler"], loc) for loc in shop["locations"] * 10]
            futures = [pool.submit(job[0], i, *job[1:]) for i, job in enumerate(_shuffled(jobs, n))]
            for future in futures:
                future.result()
            say(f"round {n + 1}/{ARGS.rounds} done: {dict(sorted(counts.items()))}")
    return {"counts": counts, "sale_tokens": sale_tokens}


def _shuffled(jobs: list, seed: int) -> list:
    import random

    jobs = list(jobs)
    random.Random(seed).shuffle(jobs)
    return jobs


# --- Verification ---------------------------------------------------------------------------
def queue_depth() -> int:
    from kombu import Connection

    with Connection(ARGS.broker) as conn:
        _name, messages, _consumers = conn.default_channel.queue_declare(QUEUE, passive=True)
        return messages


def wait_drained(shop: dict) -> None:
    from accounts.models import Notification

    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline:
        pending = Notification.objects.filter(
            kind=Notification.Kind.LOW_STOCK, emailed_at__isnull=True, recipient__email__gt=""
        ).count()
        undelivered = 0
        if shop["webhook"] is not None:
            from integrations.models import WebhookDelivery

            undelivered = WebhookDelivery.objects.exclude(status="delivered").count()
        if not pending and not undelivered and queue_depth() == 0:
            time.sleep(3)  # let the last tasks' side effects land
            return
        time.sleep(1)
    problems.append(f"the queues did not drain within {DRAIN_SECONDS} s")


def read_emails() -> list:
    messages = []
    for path in sorted(MAIL_DIR.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(
                    email.message_from_bytes(chunk.strip(), policy=email.policy.default)
                )
    return messages


def verify(shop: dict, load: dict) -> dict:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from accounts.models import Notification
    from orders.models import SalesOrder

    summary = {}
    low = Notification.objects.filter(kind=Notification.Kind.LOW_STOCK)
    expected = ARGS.rounds * len(shop["watched"])
    summary["low-stock notifications"] = f"{low.count()} (expected {expected})"
    if low.count() != expected:
        problems.append(f"{low.count()} low-stock notifications, expected {expected}")

    emails = [m for m in read_emails() if m["To"] == "manager@example.com"]
    sent = collections.Counter(str(m["Subject"]) for m in emails)
    wanted = collections.Counter(f"[Inventory] {n.text[:150]}" for n in low)
    summary["low-stock emails"] = sum(sent.values())
    if sent != wanted:
        problems.append(
            f"emails differ from notifications: missing {dict(wanted - sent)}, "
            f"extra {dict(sent - wanted)}"
        )
    if low.filter(emailed_at__isnull=True).exists():
        problems.append("some low-stock notifications were never marked emailed")

    tokens = load["sale_tokens"]
    orders = SalesOrder.objects.filter(token__in=tokens).count()
    summary["sales"] = f"{len(tokens)} accepted, {orders} orders"
    if orders != len(tokens):
        problems.append(f"{len(tokens)} sales accepted but {orders} sales orders exist")

    if shop["webhook"] is not None:
        summary["webhooks"] = verify_webhooks(shop["webhook"])
    else:
        summary["webhooks"] = "not checked: the integrations app is not installed"

    mismatch = Notification.objects.filter(kind="stock_mismatch").count()
    beat_runs = (WORK / "beat.log").read_text().count("multi-process stock check")
    summary["scheduled stock checks sent by beat"] = beat_runs
    if not beat_runs:
        problems.append("beat never sent the stock check")
    if mismatch:
        problems.append(f"the scheduled stock check raised {mismatch} alert(s)")
    try:
        call_command("check_stock")
        summary["check_stock"] = "passed"
    except CommandError as error:
        summary["check_stock"] = f"FAILED: {error}"
        problems.append(f"check_stock: {error}")
    return summary


def verify_webhooks(webhook) -> str:
    from integrations.models import WebhookDelivery
    from integrations.signing import (
        DELIVERY_HEADER,
        SIGNATURE_HEADER,
        TIMESTAMP_HEADER,
        verify,
    )

    by_id = collections.Counter()
    bad_signatures = 0
    for item in received:
        headers = {k.lower(): v for k, v in item["headers"].items()}
        by_id[headers.get(DELIVERY_HEADER.lower())] += 1
        if not verify(
            webhook.secret,
            timestamp=headers.get(TIMESTAMP_HEADER.lower(), ""),
            body=item["body"],
            signature=headers.get(SIGNATURE_HEADER.lower(), ""),
            tolerance=0,
        ):
            bad_signatures += 1
    deliveries = {str(d.event_id): d.status for d in WebhookDelivery.objects.all()}
    twice = [key for key, n in by_id.items() if n > 1]
    missing = [key for key in deliveries if by_id[key] == 0]
    unknown = [key for key in by_id if key not in deliveries]
    for label, keys in (("received twice", twice), ("never received", missing)):
        if keys:
            problems.append(f"{len(keys)} webhook deliveries {label}: {keys[:5]}")
    if unknown:
        problems.append(f"{len(unknown)} unknown webhook delivery ids received")
    if bad_signatures:
        problems.append(f"{bad_signatures} webhook requests with a bad signature")
    return (
        f"{len(deliveries)} deliveries, {len(received)} received, {bad_signatures} bad signatures"
    )


# --- Main -----------------------------------------------------------------------------------
def main() -> int:
    started = time.monotonic()
    say(f"database {DB_NAME}, queue {QUEUE}, logs in {WORK}")
    try:
        create_database()
        receiver_url = start_receiver()
        shop = load_shop(receiver_url)
        schedule_stock_check_every(5)
        start_processes()
        wait_ready()
        say(f"2 web servers on ports {PORTS}, a worker (concurrency 2) and beat are ready")
        load = run_load(shop)
        wait_drained(shop)
        summary = verify(shop, load)
    except BaseException:
        stop_processes()
        raise
    stop_processes()
    print("\n== multi-process check ==")
    print(f"requests: {dict(sorted(load['counts'].items()))}")
    for key, value in summary.items():
        print(f"{key}: {value}")
    print(f"time: {time.monotonic() - started:.0f} s")
    if problems:
        print("\nVIOLATIONS:")
        for problem in problems:
            print(f"  - {problem}")
    else:
        print("\nOK: every low-stock email and webhook delivered exactly once; stock agrees")
    return 1 if problems else 0


def cleanup() -> None:
    try:
        from django.db import connections

        connections.close_all()
    except Exception as error:
        say(f"closing connections: {error}")
    if ARGS.keep:
        say(f"kept database {DB_NAME} and logs in {WORK}")
        return
    try:
        from kombu import Connection

        with Connection(ARGS.broker) as conn:
            conn.default_channel.queue_delete(QUEUE)
    except Exception as error:
        say(f"deleting the queue: {error}")
    admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    status = 1
    try:
        status = main()
    finally:
        cleanup()
    sys.exit(status)
