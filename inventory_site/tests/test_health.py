import pytest
from django.db import OperationalError

from inventory_site import health


def test_healthz_answers_without_the_database(client):
    # No django_db mark: any query would fail this test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_readyz_checks_the_database_and_says_when_no_broker_is_set(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "not configured"}


@pytest.mark.django_db
def test_readyz_is_unavailable_when_the_broker_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = "amqp://guest:secret-password@127.0.0.1:1//"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "failed"}
    assert b"secret-password" not in response.content


@pytest.mark.django_db
def test_readyz_is_unavailable_when_the_database_fails(client, monkeypatch):
    def broken():
        raise OperationalError("down")

    monkeypatch.setattr(health.connection, "cursor", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "failed"
