"""Start, reuse and locate the embedded PostgreSQL server."""

import logging
import threading
import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_servers: dict[Path, object] = {}
_databases: set[tuple[Path, str]] = set()


def _load_pgserver():
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset; pgserver copes with that.
            warnings.simplefilter("ignore")
            import pgserver
    except ImportError as exc:  # pragma: no cover - depends on the Python version
        raise ImproperlyConfigured(
            "The embedded PostgreSQL (pgserver) is not installed: it ships wheels for CPython "
            "3.10-3.12 only. Set DATABASE_URL to a PostgreSQL server instead, e.g. "
            "postgres://user:password@127.0.0.1:5432/inventory"
        ) from exc
    return pgserver


def socket_dir(pgdata: str | Path, database: str | None) -> str:
    """Return the socket directory of the running embedded server, starting it if needed.

    Also create `database` on first use. Thread-safe and idempotent within a process; across
    processes pgserver counts its users and stops the server after the last one exits.
    """
    path = Path(pgdata).resolve()
    with _lock:
        server = _servers.get(path)
        if server is None:
            pgserver = _load_pgserver()
            path.parent.mkdir(parents=True, exist_ok=True)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                server = pgserver.get_server(path, cleanup_mode="stop")
            _servers[path] = server
            logger.debug("embedded PostgreSQL ready at %s", path)
        if database and (path, database) not in _databases:
            _ensure_database(server, database)
            _databases.add((path, database))
    return str(server.get_postmaster_info().socket_dir)


def _ensure_database(server, database: str) -> None:
    import psycopg2
    from psycopg2 import sql

    conn = psycopg2.connect(
        dbname="postgres", user="postgres", host=str(server.get_postmaster_info().socket_dir)
    )
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    finally:
        conn.close()
