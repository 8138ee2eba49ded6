"""Database backend that runs an embedded PostgreSQL server (pgserver) under var/.

Used when DATABASE_URL is unset, so a fresh machine runs and tests on the real engine with no
set-up. The server starts lazily, on the first connection a process opens, and stops when the
last process that uses it exits. It listens on a Unix socket only, never on a TCP port.
"""
