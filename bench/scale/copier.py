"""COPY rows into PostgreSQL from in-memory buffers, a chunk at a time, and time each table."""

import io
import time
from collections.abc import Iterable

import psycopg2

# The ledger's own trigger only refuses UPDATE and DELETE; what `replica` skips for the COPY
# are the foreign-key triggers (one look-up per key per row): the generator writes ids it made
# itself, and `verify_keys` proves them afterwards with one join per key.
REPLICA = "SET session_replication_role = replica"
ORIGIN = "SET session_replication_role = origin"


class Copier:
    def __init__(self, url: str):
        self.conn = psycopg2.connect(url)
        self.conn.autocommit = False
        self.timings: list[tuple[str, int, float]] = []
        with self.conn.cursor() as cur:
            cur.execute("SET synchronous_commit = off")
            cur.execute("SET maintenance_work_mem = '512MB'")
            cur.execute(REPLICA)

    def copy(self, table: str, columns: Iterable[str], chunks: Iterable[list[str]]) -> int:
        """COPY the chunks (lists of tab-separated lines) into `table`; drop its plain indexes
        first and build them again after (faster than keeping them up to date row by row)."""
        started = time.perf_counter()
        rows = 0
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with self.conn.cursor() as cur:
            indexes = self._drop_plain_indexes(cur, table)
            for chunk in chunks:
                if not chunk:
                    continue
                cur.copy_expert(sql, io.StringIO("".join(chunk)))
                rows += len(chunk)
            for definition in indexes:
                cur.execute(definition)
        self.conn.commit()
        elapsed = time.perf_counter() - started
        self.timings.append((table, rows, elapsed))
        print(f"  {table:<32} {rows:>10,} rows {elapsed:>7.1f} s", flush=True)
        return rows

    @staticmethod
    def _drop_plain_indexes(cur, table: str) -> list[str]:
        cur.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
              FROM pg_index i
             WHERE i.indrelid = %s::regclass
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [table],
        )
        found = cur.fetchall()
        for name, _definition in found:
            cur.execute(f"DROP INDEX {name}")
        return [definition for _name, definition in found]

    def execute(self, sql: str, params=None) -> list[tuple]:
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            rows = cur.fetchall() if cur.description else []
        self.conn.commit()
        return rows

    def close(self) -> None:
        with self.conn.cursor() as cur:
            cur.execute(ORIGIN)
        self.conn.commit()
        self.conn.close()


def chunked(lines: Iterable[str], size: int = 50_000) -> Iterable[list[str]]:
    """Group an iterable of lines into lists of `size`."""
    chunk = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def verify_keys(url: str) -> list[str]:
    """Every foreign key of the public schema checked with one anti-join each; return the
    constraints that some row breaks (the COPY ran without the per-row checks)."""
    broken = []
    conn = psycopg2.connect(url)
    with conn, conn.cursor() as cur:
        cur.execute(
            """
            SELECT c.conname, c.conrelid::regclass::text, a.attname,
                   c.confrelid::regclass::text, af.attname
              FROM pg_constraint c
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
              JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
             WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
               AND cardinality(c.conkey) = 1
            """
        )
        for name, table, column, target, target_column in cur.fetchall():
            cur.execute(
                f"SELECT EXISTS (SELECT 1 FROM {table} t WHERE t.{column} IS NOT NULL AND NOT "
                f"EXISTS (SELECT 1 FROM {target} r WHERE r.{target_column} = t.{column}))"
            )
            if cur.fetchone()[0]:
                broken.append(name)
    conn.close()
    return broken


def advance_sequences(copier: Copier) -> None:
    """Move every id sequence past the ids the COPY wrote."""
    rows = copier.execute(
        """
        SELECT c.relname, a.attname, pg_get_serial_sequence(c.oid::regclass::text, a.attname)
          FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
         WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND a.attnum > 0
           AND NOT a.attisdropped
           AND pg_get_serial_sequence(c.oid::regclass::text, a.attname) IS NOT NULL
        """
    )
    for table, column, sequence in rows:
        copier.execute(
            f"SELECT setval('{sequence}', COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, "
            "false)"
        )


__all__ = ["Copier", "advance_sequences", "chunked", "psycopg2", "verify_keys"]
