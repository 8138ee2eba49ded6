"""A task for the tests against a real broker: it records each attempt, may wait, then
makes its effect once (a row keyed by `key`; a second run adds nothing).

Workers started by tests/test_celery_rabbitmq.py load it with `-I tests.celery_probe`.
"""

import os
import time

from celery import shared_task
from django.db import connection

TABLES = """
CREATE TABLE IF NOT EXISTS celery_probe_attempt (
    id serial PRIMARY KEY, key text NOT NULL, pid integer NOT NULL, hostname text NOT NULL
);
CREATE TABLE IF NOT EXISTS celery_probe_effect (
    key text PRIMARY KEY, pid integer NOT NULL, hostname text NOT NULL
);
"""


@shared_task(bind=True, name="tests.celery_probe.probe", acks_late=True, reject_on_worker_lost=True)
def probe(self, key: str, seconds: float = 0) -> bool:
    """Record an attempt, wait `seconds` (on first delivery only: a redelivered probe goes
    straight on), make the effect of `key` unless made; True if made now."""
    where = (os.getpid(), self.request.hostname or "")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO celery_probe_attempt (key, pid, hostname) VALUES (%s, %s, %s)",
            [key, *where],
        )
    if not (self.request.delivery_info or {}).get("redelivered"):
        time.sleep(seconds)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO celery_probe_effect (key, pid, hostname) VALUES (%s, %s, %s) "
            "ON CONFLICT (key) DO NOTHING",
            [key, *where],
        )
        return cursor.rowcount == 1
