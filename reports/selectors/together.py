"""A report's independent queries run side by side, each helper on its own connection, all
reading the snapshot of the request's own transaction.

A two-year report spends its time in several scans of the daily summaries, one after the
other on one core. Helper threads take them from a shared list, each in a REPEATABLE READ
transaction that imports the request's snapshot (`pg_export_snapshot`), so the tables they
return agree with each other exactly as if one connection had run them all.

One after the other instead, on the request's connection, when:

- `settings.REPORT_QUERY_THREADS` is below 2, or there is a single call;
- the request's transaction is not open (no snapshot to share), is inside a savepoint
  (PostgreSQL exports none from there: tests' own transactions) or has written anything
  (another connection cannot see uncommitted rows, so the report would miss them);
- this thread is itself a helper.
"""

import re
import threading
from collections.abc import Callable
from functools import partial
from queue import Empty, SimpleQueue
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone, translation

from .filters import REPORT_WORK_MEM

SNAPSHOT_ID = re.compile(r"^[0-9A-F]+-[0-9A-F]+-[0-9]+$")
_helper = threading.local()


def threads() -> int:
    return max(1, int(settings.REPORT_QUERY_THREADS))


def id_ranges(parts: int) -> list[tuple[int, int]]:
    """`parts` ranges [low, high) of product ids, of equal width, covering every product (some
    empty when there are fewer ids than parts: a page runs the same queries whatever its data),
    for a report whose rows each belong to one product to split its work into.

    (Ranges, not id modulo n: the planner estimates a range from its statistics, and takes a
    remainder for a handful of rows.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id) + 1, 0) FROM products_product"
        )
        low, high = cursor.fetchone()
    bounds = [low + (high - low) * n // parts for n in range(parts)] + [high]
    return [(bounds[n], bounds[n + 1]) for n in range(parts)]


def per_range(call: Callable[[tuple[int, int]], Any]) -> list[Any]:
    """`call(ids)` for each of `id_ranges(threads())`, side by side (together), the results in
    the ranges' order: for a report whose rows each belong to one product to split its work
    between the cores and combine the parts itself."""
    ranges = id_ranges(threads())
    found = together({str(n): partial(call, ids) for n, ids in enumerate(ranges)})
    return list(found.values())


def _shared_snapshot() -> str | None:
    """The id of the request transaction's snapshot for helpers to import, or None when they
    must not: no transaction, or one that has written (its rows are invisible elsewhere)."""
    if (
        not connection.in_atomic_block
        or connection.savepoint_ids  # PostgreSQL exports no snapshot from a savepoint
        or getattr(_helper, "active", False)
    ):
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_current_xact_id_if_assigned() IS NULL"
            " AND current_setting('transaction_isolation') <> 'serializable',"
            " pg_export_snapshot()"
        )
        unwritten, snapshot = cursor.fetchone()
    return snapshot if unwritten and SNAPSHOT_ID.match(snapshot) else None


def together(calls: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run each of `calls` (no arguments, database reads only) and return their results under
    the same names. Calls are taken in the order given: put the longest first."""
    workers = min(threads(), len(calls))
    snapshot = _shared_snapshot() if workers > 1 else None
    if snapshot is None:
        return {name: call() for name, call in calls.items()}
    pending: SimpleQueue = SimpleQueue()
    for item in calls.items():
        pending.put(item)
    results: dict[str, Any] = {}
    errors: list[BaseException] = []
    helpers = [
        threading.Thread(
            target=_work,
            # The request's own connection object (`connection` is a per-thread proxy).
            args=(snapshot, pending, results, errors, connections[DEFAULT_DB_ALIAS]),
            # Thread-local in Django: the request's language and time zone go along.
            kwargs={
                "language": translation.get_language(),
                "zone": timezone.get_current_timezone(),
            },
        )
        for _ in range(workers)
    ]
    for helper in helpers:
        helper.start()
    for helper in helpers:
        helper.join()
    if errors:
        raise errors[0]
    return {name: results[name] for name in calls}


def _work(
    snapshot: str, pending: SimpleQueue, results: dict, errors: list, request, *, language, zone
) -> None:
    """A helper thread: one connection, one transaction on the shared snapshot, calls taken
    from `pending` until none is left or one fails. When the request's connection logs its
    queries (DEBUG, tests counting queries, bench/run), the helper's are added to its log."""
    _helper.active = True
    connection.force_debug_cursor = request.queries_logged
    translation.activate(language)
    timezone.activate(zone)
    try:
        connection.ensure_connection()  # its set-up statements before the transaction
        with transaction.atomic(), connection.cursor() as cursor:
            # The snapshot id was checked against SNAPSHOT_ID: it is not user input.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            cursor.execute("SELECT set_config('work_mem', %s, true)", [REPORT_WORK_MEM])
            while not errors:
                try:
                    name, call = pending.get_nowait()
                except Empty:
                    break
                results[name] = call()
    except BaseException as error:  # handed to the request's thread
        errors.append(error)
    finally:
        if request.queries_logged:
            request.queries_log.extend(connection.queries_log)  # deque: thread-safe appends
        connection.close()
