"""With REDIS_URL set, the cache and the sessions live in Redis (shared by web servers).

Uses the machine's Redis (REDIS_TEST_URL, default redis://127.0.0.1:6379/15).
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import cache

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache(settings):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.fail(
            f"Redis does not answer at {REDIS_URL} ({exc}): `apt-get install redis-server && "
            "service redis-server start`, or set REDIS_TEST_URL.",
            pytrace=False,
        )
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield
    cache.clear()


def test_redis_url_selects_the_redis_cache_and_cached_sessions():
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environ |= {"DJANGO_SETTINGS_MODULE": "inventory_site.settings.local", "REDIS_URL": REDIS_URL}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)",
        ],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_the_cache_works_in_redis(redis_cache):
    key = uuid.uuid4().hex
    cache.set(key, {"on_hand": 3}, timeout=30)
    assert cache.get(key) == {"on_hand": 3}
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    assert any(key in k.decode() for k in client.keys(f"*{key}*"))


@pytest.mark.django_db
def test_sessions_are_read_from_redis(redis_cache):
    session = SessionStore()
    session["cart"] = [1, 2]
    session.create()
    assert SessionStore(session_key=session.session_key)["cart"] == [1, 2]
    assert cache.get(f"django.contrib.sessions.cached_db{session.session_key}") is not None
