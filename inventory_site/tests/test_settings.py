"""Configuration comes from the environment; production refuses to run unsafely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
REAL_SECRET = "k3Y-" + "x9Q2mL7vB4nR8tW1zC6pD0sF5hJ3gK" * 2


def django_run(code: str, **env: str | None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environ.pop("DATABASE_URL", None)
    for key, value in env.items():
        if value is None:
            environ.pop(key, None)
        else:
            environ[key] = value
    return subprocess.run(  # noqa: S603 - our own interpreter and fixed code
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )


SETUP = "import django; django.setup(); from django.conf import settings; "
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "inventory_site.settings.production",
    "DATABASE_URL": "postgres://inventory@db.example.com:5432/inventory",
    "ALLOWED_HOSTS": "inventory.example.com",
}


def test_production_refuses_to_start_without_a_secret_key():
    result = django_run(SETUP, **PRODUCTION, SECRET_KEY=None)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key():
    result = django_run(SETUP, **PRODUCTION, SECRET_KEY=settings.SECRET_KEY)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_embedded_database():
    result = django_run(SETUP, **PRODUCTION | {"DATABASE_URL": None}, SECRET_KEY=REAL_SECRET)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_production_passes_check_deploy_with_no_warnings():
    result = django_run(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        **PRODUCTION,
        SECRET_KEY=REAL_SECRET,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_a_database_url_that_is_not_postgresql_is_refused():
    result = django_run(
        SETUP,
        DJANGO_SETTINGS_MODULE="inventory_site.settings.local",
        DATABASE_URL="sqlite:////tmp/inventory.sqlite3",
    )
    assert result.returncode != 0
    assert "PostgreSQL is the only supported database engine" in result.stderr


def test_without_database_url_the_embedded_postgresql_under_var_is_used():
    result = django_run(
        SETUP + "d = settings.DATABASES['default']; print(d['ENGINE'], d['PGDATA'])",
        DJANGO_SETTINGS_MODULE="inventory_site.settings.local",
    )
    assert result.returncode == 0, result.stderr
    engine, pgdata = result.stdout.split()
    assert engine == "inventory_site.embedded_postgres"
    assert pgdata == str(ROOT / "var" / "pgdata")


def test_settings_are_read_from_the_environment():
    result = django_run(
        SETUP + "print(settings.TIME_ZONE, settings.CURRENCY, settings.LANGUAGE_CODE, "
        "settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER, settings.EMAIL_HOST)",
        DJANGO_SETTINGS_MODULE="inventory_site.settings.local",
        TIME_ZONE="Asia/Jakarta",
        CURRENCY="IDR",
        LANGUAGE_CODE="id",
        CELERY_BROKER_URL="amqp://guest:guest@127.0.0.1:5672//",
        EMAIL_URL="smtp://mail.example.com:25",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "Asia/Jakarta",
        "IDR",
        "id",
        "amqp://guest:guest@127.0.0.1:5672//",
        "False",
        "mail.example.com",
    ]


def test_without_a_broker_tasks_run_in_process():
    result = django_run(
        SETUP + "print(settings.CELERY_TASK_ALWAYS_EAGER)",
        DJANGO_SETTINGS_MODULE="inventory_site.settings.local",
        CELERY_BROKER_URL=None,
    )
    assert result.stdout.strip() == "True"


def test_the_database_connection_runs_without_jit(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy_and_deny_framing(client):
    response = client.get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"


def test_static_pages_load_nothing_from_a_cdn():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert "//cdn" not in text, template
        assert "https://" not in text, template
