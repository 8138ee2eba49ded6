import json
import logging

import pytest

from inventory_site.logs import JsonFormatter, RequestIdFilter, request_id


def _record(**extra) -> logging.LogRecord:
    record = logging.makeLogRecord(
        {"name": "inventory.test", "levelname": "INFO", "msg": "sold %s", "args": (3,)} | extra
    )
    RequestIdFilter().filter(record)
    return record


def test_json_lines_carry_time_level_logger_message_and_extras():
    line = json.loads(JsonFormatter().format(_record(order="SO-000001")))
    assert line["level"] == "INFO"
    assert line["logger"] == "inventory.test"
    assert line["message"] == "sold 3"
    assert line["order"] == "SO-000001"
    assert "request_id" not in line
    assert line["time"].endswith("+00:00")


def test_json_lines_carry_the_request_id_while_a_request_runs():
    token = request_id.set("abc123")
    try:
        line = json.loads(JsonFormatter().format(_record()))
    finally:
        request_id.reset(token)
    assert line["request_id"] == "abc123"


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client):
    response = client.get("/healthz")
    assert len(response.headers["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_and_a_strange_one_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-42.a_b"})
    assert kept.headers["X-Request-ID"] == "lb-42.a_b"
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id\n<script>"})
    assert replaced.headers["X-Request-ID"] != "bad id\n<script>"
