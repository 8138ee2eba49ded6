"""A web worker draws one throw-away PDF as it starts (gunicorn.conf.py), so the first real
invoice does not wait for WeasyPrint to load its fonts."""

import gc
import runpy
from pathlib import Path

import pytest
from django.conf import settings

from orders.documents import warm_up
from orders.models import RenderedDocument

pytestmark = pytest.mark.django_db

CONF = Path(settings.BASE_DIR) / "gunicorn.conf.py"


@pytest.fixture(autouse=True)
def _unfrozen():
    """post_worker_init freezes what the process holds (gc.freeze); give it back after."""
    yield
    gc.unfreeze()


class Log:
    def __init__(self):
        self.lines = []

    def info(self, message, *args):
        self.lines.append(("info", message % args))

    def exception(self, message, *args):
        self.lines.append(("exception", message % args))


class Worker:
    def __init__(self):
        self.log = Log()


def test_warm_up_draws_without_the_database_and_keeps_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        seconds = warm_up()
    assert seconds > 0
    assert not RenderedDocument.objects.exists()


def test_each_worker_warms_up_before_taking_requests(monkeypatch):
    monkeypatch.delenv("DOCUMENTS_WARM_UP", raising=False)
    worker = Worker()
    runpy.run_path(str(CONF))["post_worker_init"](worker)
    [(level, message)] = worker.log.lines
    assert level == "info"
    assert message.startswith("Documents warmed up in ")
    assert gc.get_freeze_count() > 0  # what the worker loaded is out of the collector's way


def test_warm_up_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("DOCUMENTS_WARM_UP", "off")
    worker = Worker()
    runpy.run_path(str(CONF))["post_worker_init"](worker)
    assert worker.log.lines == []


def test_a_failed_warm_up_is_logged_and_the_worker_serves(monkeypatch):
    monkeypatch.delenv("DOCUMENTS_WARM_UP", raising=False)

    def broken():
        raise OSError("no fonts")

    monkeypatch.setattr("orders.documents.warm_up", broken)
    worker = Worker()
    runpy.run_path(str(CONF))["post_worker_init"](worker)
    [(level, message)] = worker.log.lines
    assert level == "exception"
    assert "warm-up failed" in message
