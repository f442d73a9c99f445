"""The connection a store hands to the code above it: DuckDB's own, or
:class:`~smmkpi.store.pg_connection.PgConnection`, which speaks the same small dialect over
PostgreSQL.

The store's SQL is written once, in the part of SQL both engines understand (numbered ``$1``
parameters, ``IS NOT DISTINCT FROM``, ``FILTER``, ``ON CONFLICT``, ``array_agg``, temporary
tables, subqueries named with ``AS``). What the code above uses of a connection is small:
``execute`` with its ``fetchone``/``fetchall``, Arrow tables registered under a name for one
statement, and an Arrow reader over a query (exports). On PostgreSQL a registered table is a
temporary table filled with ``COPY``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Protocol

import pyarrow as pa


@dataclass(frozen=True)
class Backend:
    """What running compiled SQL needs of a database: the dialect's name as Ibis names it and
    the driver's connection — without loading Ibis, which only compiling the KPI queries needs."""

    name: str  # "duckdb" or "postgres"
    con: Any  # DuckDB's connection, or psycopg's


class Result(Protocol):
    def fetchone(self) -> tuple[Any, ...] | None: ...

    def fetchall(self) -> list[tuple[Any, ...]]: ...


class Connection(Protocol):
    """What the store's modules use of a database connection."""

    def execute(self, query: str, parameters: Any = ..., /) -> Any: ...

    def register(self, name: str, table: pa.Table, /) -> Any: ...

    def unregister(self, name: str, /) -> Any: ...

    def close(self) -> None: ...


def insert_arrow(con: Connection, name: str, table: pa.Table) -> None:
    """Append ``table`` to the table ``name``, whose columns it holds in the same order.

    DuckDB reads it as a relation rather than a registered view: a view registered and dropped
    inside a transaction keeps its Arrow table alive until the transaction ends, which held an
    import's every staged batch in memory (1 GB for 2.4 million rows). PostgreSQL copies it in.
    """
    from_arrow = getattr(con, "from_arrow", None)
    if from_arrow is not None:  # DuckDB's connection
        from_arrow(table).insert_into(name)
    else:
        con.insert_arrow(name, table)  # type: ignore[attr-defined]


def disk_full(error: BaseException) -> bool:
    """Whether ``error`` (from the operating system, DuckDB or PostgreSQL) says the disk is
    full."""
    import errno

    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return True
    # an engine that was never loaded raised nothing: neither is imported for the question
    psycopg, duckdb = sys.modules.get("psycopg"), sys.modules.get("duckdb")
    if psycopg is not None and isinstance(error, psycopg.errors.DiskFull):
        return True
    return (
        duckdb is not None
        and isinstance(error, duckdb.Error)
        and "no space left on device" in str(error).lower()
    )
