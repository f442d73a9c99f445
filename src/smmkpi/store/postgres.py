"""Moving a DuckDB workspace's tables into PostgreSQL: the schema (``Store.migrate``, the same
migrations as the DuckDB file), the copy, and counting rows.

Rows travel as Arrow batches from DuckDB, written as CSV into ``COPY … FROM STDIN``
(``pg_connection.copy_batches``), one
transaction for the whole copy: the target holds all of the workspace or none of it. Sequences
(import ids, UTM link ids) continue after the highest id copied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg

from smmkpi.errors import UnavailableError, UserError
from smmkpi.i18n import _
from smmkpi.store.database import Store
from smmkpi.store.migrations import SCHEMA_TABLE
from smmkpi.store.pg_connection import PgConnection, copy_batches
from smmkpi.store.urls import safe_url

BATCH_ROWS = 50_000
SEQUENCES = {
    "import_id_seq": ("import_log", "import_id"),
    "utm_link_id_seq": ("utm_links", "link_id"),
}


@dataclass(frozen=True)
class CopiedTable:
    table: str
    rows: int


def connect(url: str) -> psycopg.Connection[Any]:
    """A connection to ``url`` in autocommit mode — transactions are ``con.transaction()``
    blocks —, set up by :func:`configure_session`; an error says what failed and how to fix it.

    JIT compilation is off: the KPI query's hundreds of aggregate expressions over a few
    thousand rows cost PostgreSQL 6.3 s of LLVM compilation for 1 s of work (a month of the
    benchmark's agency: 10.5 s with JIT, docs/benchmarks.md)."""
    try:
        con = psycopg.connect(url, autocommit=True)
    except psycopg.OperationalError as error:
        raise UnavailableError(
            _(
                "Cannot connect to the PostgreSQL database {url}: {error}. Check that the server "
                "runs, the address and the user's rights."
            ).format(url=safe_url(url), error=str(error).strip().splitlines()[0])
        ) from None
    configure_session(con)
    return con


def configure_session(con: psycopg.Connection[Any]) -> None:
    """What every smmkpi session on PostgreSQL runs with — one place for the CLI's connections
    and the web server's pool: times in UTC (moments are compared as UTC instants, as on
    DuckDB), and no JIT compilation (the KPI query's hundreds of aggregate expressions cost
    LLVM seconds for a second of work)."""
    con.execute("SET TIME ZONE 'UTC'")
    con.execute("SET jit = off")


def workspace_tables(store: Store) -> list[str]:
    """The tables of a DuckDB workspace in the order of their creation."""
    rows = store.con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND table_name <> $1 ORDER BY "
        "table_oid",
        [SCHEMA_TABLE],
    ).fetchall()
    return [r[0] for r in rows]


def columns_of(store: Store, table: str) -> list[str]:
    rows = store.con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = $1 ORDER BY column_index",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def copy_workspace(
    store: Store,
    con: psycopg.Connection[Any],
    progress: Callable[[str, int], None] | None = None,
    check: Callable[[list[CopiedTable]], None] | None = None,
) -> list[CopiedTable]:
    """Copy every table of the DuckDB ``store`` into the PostgreSQL database ``con`` (migrated
    to the same schema, and empty: a second copy would mix two workspaces). ``check`` runs on
    ``con`` before the copy is committed; when it raises, nothing of the copy stays."""
    Store(PgConnection(con), safe_url(con.info.dsn), False, "postgresql").migrate()
    tables = workspace_tables(store)
    filled = [t for t in tables if count_postgres(con, t)]
    if filled:
        raise UserError(
            _(
                "The PostgreSQL database already holds smmkpi data (tables {tables}); move into an "
                "empty database."
            ).format(tables=", ".join(filled[:5]))
        )
    copied = []
    with con.transaction():
        indexes = secondary_indexes(con, tables)
        for name, _definition in indexes:  # built once after the copy: faster than row by row
            con.execute(f'DROP INDEX "{name}"'.encode())
        for table in tables:
            copied.append(CopiedTable(table, copy_table(store, con, table, progress)))
        for _name, definition in indexes:
            con.execute(definition.encode())
        for sequence, (table, column) in SEQUENCES.items():
            con.execute(
                f"SELECT setval('{sequence}', coalesce((SELECT max({column}) FROM {table}), 0) "
                "+ 1, false)"
            )
        if check is not None:
            check(copied)
    return copied


def secondary_indexes(con: psycopg.Connection[Any], tables: list[str]) -> list[tuple[str, str]]:
    """The indexes on ``tables`` that back no constraint (the KPI queries' indexes), with the
    statements that create them."""
    cursor = psycopg.RawCursor(con)  # numbered parameters, as the rest of the store's SQL
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "WHERE i.schemaname = current_schema() AND i.tablename = ANY($1) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) "
        "ORDER BY i.indexname",
        [tables],
    )
    rows = cursor.fetchall()
    return [(str(name), str(definition)) for name, definition in rows]


def copy_table(
    store: Store,
    con: psycopg.Connection[Any],
    table: str,
    progress: Callable[[str, int], None] | None = None,
) -> int:
    """Stream one table of the DuckDB ``store`` into PostgreSQL."""
    columns = columns_of(store, table)
    quoted = ", ".join(f'"{c}"' for c in columns)
    reader = store.con.sql(f'SELECT {quoted} FROM "{table}"').to_arrow_reader(BATCH_ROWS)

    def on_batch(rows: int) -> None:
        if progress is not None:
            progress(table, rows)

    with con.cursor() as cursor:
        return copy_batches(cursor, table, columns, reader, on_batch)


def count_postgres(con: psycopg.Connection[Any], table: str) -> int:
    row = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    return int(row[0]) if row else 0
