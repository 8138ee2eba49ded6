"""Celery against a real RabbitMQ: tasks run on worker processes, a killed worker's task is
redelivered and takes effect once, and beat runs the schedule kept in the database.

The broker is TEST_BROKER_URL (default amqp://guest:guest@127.0.0.1:5672//, the machine's
RabbitMQ on CI). Each test uses a queue of its own, so runs do not take each other's messages.
The workers and beat are subprocesses on the pytest-django test database (transactional tests:
they see what the test committed).
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from celery import Celery
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from kombu import Connection

from accounts.roles import Role
from inventory_site.scheduling.models import ScheduledSend
from inventory_site.scheduling.schedules import active_schedules, schedules_sync
from tests.celery_probe import TABLES

ROOT = Path(__file__).resolve().parents[1]
BROKER_URL = os.environ.get("TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
PROBE = "tests.celery_probe.probe"
WAIT = 40  # seconds for anything a worker should do

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def broker_url() -> str:
    try:
        with Connection(BROKER_URL, connect_timeout=5) as conn:
            conn.ensure_connection(max_retries=1, timeout=5)
    except Exception as exc:
        pytest.fail(
            f"No message broker answers at {BROKER_URL} ({exc}). These tests need RabbitMQ: "
            "`apt-get install rabbitmq-server && service rabbitmq-server start` (or set "
            "TEST_BROKER_URL to a RabbitMQ you may use).",
            pytrace=False,
        )
    return BROKER_URL


@pytest.fixture
def queue(broker_url) -> Iterator[str]:
    name = f"test-{uuid.uuid4().hex}"
    yield name
    with Connection(broker_url) as conn:
        conn.default_channel.queue_delete(name)


@pytest.fixture
def probe_tables(db):
    with connection.cursor() as cursor:
        cursor.execute(TABLES)


@pytest.fixture
def send(broker_url, queue) -> Iterator[Callable]:
    """send(task_name, *args): publish a task to this test's queue, as the web process does."""
    app = Celery("test-sender", broker=broker_url, set_as_current=False)
    app.conf.task_default_queue = queue

    def send_task(name: str, *args):
        return app.send_task(name, args=list(args), queue=queue)

    yield send_task
    app.close()


def _database_env() -> dict[str, str]:
    """Settings that point a subprocess at this test run's database."""
    db = connection.settings_dict
    if db["ENGINE"] == "inventory_site.embedded_postgres":
        return {"EMBEDDED_DB_NAME": db["NAME"]}
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return {"DATABASE_URL": f"postgres://{auth}@{host}/{db['NAME']}"}


@pytest.fixture
def celery_process(broker_url, queue, tmp_path) -> Iterator[Callable]:
    """celery_process("worker", "-n", "a@%h"): start a Celery process of the project on the
    test database and this test's queue; all are killed at the end of the test."""
    started: list[tuple[subprocess.Popen, Path]] = []
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    environ.pop("DATABASE_URL", None)
    environ |= _database_env() | {
        "DJANGO_SETTINGS_MODULE": "inventory_site.settings.test",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }

    def start(kind: str, *args: str) -> subprocess.Popen:
        log = tmp_path / f"{kind}-{len(started)}.log"
        # A node name of this test alone ("one@%h" becomes "one-<queue>@%h"): its remote
        # control queue is exclusive, and a worker left by an interrupted run would hold it.
        args = tuple(arg.replace("@", f"-{queue}@", 1) if "@%h" in arg else arg for arg in args)
        command = [sys.executable, "-m", "celery", "-A", "inventory_site", kind, "-l", "info"]
        if kind == "worker":
            command += ["-Q", queue, "-I", "tests.celery_probe", "--without-gossip"]
            command += ["--without-mingle", "--without-heartbeat"]
        with log.open("w") as out:
            process = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
                [*command, *args],
                cwd=ROOT,
                env=environ,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process.log = log
        started.append((process, log))
        return process

    yield start
    for process, _log in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _wait_for(check: Callable, what: str, processes=()) -> object:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    logs = "\n".join(f"--- {p.log}\n{p.log.read_text()[-3000:]}" for p in processes)
    pytest.fail(f"Timed out waiting for {what}.\n{logs}")


def _rows(table: str, key: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pid, hostname FROM {table} WHERE key = %s ORDER BY 1", [key])  # noqa: S608
        return cursor.fetchall()


def test_a_task_runs_on_a_worker_process(probe_tables, send, celery_process, queue):
    worker = celery_process("worker", "-c", "1", "-n", "one@%h")
    key = uuid.uuid4().hex
    send(PROBE, key)
    effect = _wait_for(lambda: _rows("celery_probe_effect", key), "the probe", [worker])
    assert effect[0][0] != os.getpid()
    assert effect[0][1].startswith(f"one-{queue}@")


def test_a_scheduled_task_of_the_project_runs_on_a_worker(make_user, send, celery_process):
    manager = make_user(Role.MANAGER)
    worker = celery_process("worker", "-c", "1", "-n", "one@%h")
    send("inventory_site.scheduling.tasks.sales_summary_email", "2026-01-05")
    _wait_for(
        lambda: ScheduledSend.objects.filter(recipient=manager).exists(),
        "the sales summary to be sent",
        [worker],
    )
    assert ScheduledSend.objects.get().period.isoformat() == "2026-01-05"


def test_a_worker_killed_mid_task_has_the_task_redelivered_and_it_takes_effect_once(
    probe_tables, send, celery_process, queue
):
    first = celery_process("worker", "-c", "1", "-n", "first@%h")
    key = uuid.uuid4().hex
    send(PROBE, key, 60)
    _wait_for(lambda: _rows("celery_probe_attempt", key), "the first attempt", [first])
    os.killpg(first.pid, signal.SIGKILL)  # the whole worker: main process and pool child
    first.wait(timeout=10)
    second = celery_process("worker", "-c", "1", "-n", "second@%h")
    _wait_for(lambda: _rows("celery_probe_effect", key), "the redelivered probe", [second])
    time.sleep(1)
    attempts = _rows("celery_probe_attempt", key)
    assert [host.split("@")[0] for _pid, host in attempts] == [f"first-{queue}", f"second-{queue}"]
    effect = _rows("celery_probe_effect", key)
    assert len(effect) == 1
    assert effect[0][1].startswith(f"second-{queue}@")


def test_a_pool_process_killed_mid_task_has_its_task_run_again_once(
    probe_tables, send, celery_process
):
    # task_reject_on_worker_lost: the worker requeues the task of a child that died.
    worker = celery_process("worker", "-c", "1", "-n", "one@%h")
    key = uuid.uuid4().hex
    send(PROBE, key, 3)
    attempts = _wait_for(lambda: _rows("celery_probe_attempt", key), "the attempt", [worker])
    os.kill(attempts[0][0], signal.SIGKILL)
    _wait_for(lambda: _rows("celery_probe_effect", key), "the redelivered probe", [worker])
    time.sleep(1)
    assert len(_rows("celery_probe_attempt", key)) == 2
    assert len(_rows("celery_probe_effect", key)) == 1


def test_every_schedule_is_registered_for_beat():
    PeriodicTask.objects.all().delete()
    created = schedules_sync()
    expected = {s.name: s for s in active_schedules()}
    assert sorted(created) == sorted(expected)
    for task in PeriodicTask.objects.select_related("crontab", "interval"):
        schedule = expected[task.name]
        assert task.task == schedule.task
        assert task.enabled
        if schedule.cron:
            crontab = task.crontab
            assert {k: getattr(crontab, k) for k in schedule.cron} == schedule.cron
        else:
            assert task.interval.every == schedule.every_seconds


def test_beat_loads_the_database_schedule_and_a_worker_runs_what_it_sends(
    probe_tables, queue, celery_process
):
    key = uuid.uuid4().hex
    PeriodicTask.objects.create(
        name=f"probe-{key}",
        task=PROBE,
        args=json.dumps([key]),
        interval=IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS),
        queue=queue,
    )
    beat = celery_process("beat", "--max-interval", "1")
    worker = celery_process("worker", "-c", "1", "-n", "one@%h")
    _wait_for(lambda: _rows("celery_probe_effect", key), "beat's probe", [beat, worker])
    log = beat.log.read_text()
    assert "DatabaseScheduler" in log
    assert f"Scheduler: Sending due task probe-{key}" in log


def test_readyz_reports_the_broker_ready(client, settings, broker_url):
    settings.CELERY_BROKER_URL = broker_url
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
