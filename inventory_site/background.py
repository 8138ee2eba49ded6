"""Starting background work after the current transaction commits.

With a broker (CELERY_BROKER_URL) the task goes to a worker. Without one (the quick start),
long work such as an import runs in a thread of the web process, so the page that started it
can show its progress; tests run it in the request (BACKGROUND_THREADS false) to stay
deterministic.
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connections, transaction

logger = logging.getLogger(__name__)


def in_thread(task, args) -> None:
    """Run `task(*args)` now in a daemon thread of this process, on its own connection."""

    def run():
        close_old_connections()
        try:
            task.apply(args=args, throw=True)
        except Exception:
            logger.exception("Background task %s%r failed", task.name, args)
        finally:
            connections.close_all()

    threading.Thread(target=run, name=f"task-{task.name}", daemon=True).start()


def run_after_commit(task, *args) -> None:
    """Send `task(*args)` to a worker, or run it in a thread, once this transaction commits."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(lambda: task.delay(*args), robust=True)
    elif getattr(settings, "BACKGROUND_THREADS", False):
        transaction.on_commit(lambda: in_thread(task, args), robust=True)
    else:
        transaction.on_commit(lambda: task.apply(args=args, throw=True), robust=True)
