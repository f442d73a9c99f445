"""The PostgreSQL side of a store's connection: :class:`PgConnection` speaks DuckDB's calling
conventions over psycopg (Arrow tables registered under a name, Arrow readers over a query), and
Arrow batches travel into tables by ``COPY``. The store's SQL numbers its parameters (``$1``,
``$2``), which both DuckDB and PostgreSQL read natively: psycopg's raw cursors pass them to the
server as they are, with no rewriting of the query on the way.

Imported only when a workspace is on PostgreSQL: a DuckDB workspace never loads psycopg.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv

BATCH_ROWS = 50_000


def postgres_type(arrow: pa.DataType) -> str:
    """The PostgreSQL column type of an Arrow type (what registered tables hold)."""
    if pa.types.is_string(arrow) or pa.types.is_large_string(arrow) or pa.types.is_null(arrow):
        return "TEXT"
    if pa.types.is_boolean(arrow):
        return "BOOLEAN"
    if pa.types.is_integer(arrow):
        return "BIGINT"
    if pa.types.is_floating(arrow):
        return "DOUBLE PRECISION"
    if pa.types.is_decimal(arrow):
        return f"NUMERIC({arrow.precision}, {arrow.scale})"
    if pa.types.is_date(arrow):
        return "DATE"
    if pa.types.is_timestamp(arrow):
        return "TIMESTAMPTZ" if arrow.tz else "TIMESTAMP"
    if pa.types.is_list(arrow) or pa.types.is_large_list(arrow):
        return f"{postgres_type(arrow.value_type)}[]"
    raise TypeError(f"no PostgreSQL column type for Arrow's {arrow}")


class PgResult:
    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self.cursor = cursor

    def fetchone(self) -> tuple[Any, ...] | None:
        return self.cursor.fetchone() if self.cursor.description else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self.cursor.fetchall() if self.cursor.description else []

    @property
    def description(self) -> Any:
        return self.cursor.description


class PgRelation:
    """A query whose rows are read as Arrow batches (what ``duckdb.sql(...)`` gives exports)."""

    def __init__(self, connection: PgConnection, query: str) -> None:
        self.connection = connection
        self.query = query

    def to_arrow_reader(self, batch_rows: int = BATCH_ROWS) -> pa.RecordBatchReader:
        # a server-side cursor (streamed); WITH HOLD lets it live outside a transaction block
        cursor = psycopg.RawServerCursor(self.connection.raw, "smmkpi_export", withhold=True)
        cursor.execute(self.query)
        names = [d.name for d in cursor.description or ()]

        def batches() -> Iterator[pa.RecordBatch]:
            try:
                while rows := cursor.fetchmany(batch_rows):
                    yield pa.RecordBatch.from_pylist(
                        [dict(zip(names, r, strict=True)) for r in rows]
                    )
            finally:
                cursor.close()

        first = next(iter_batches := batches(), None)
        if first is None:
            return pa.RecordBatchReader.from_batches(pa.schema([]), [])
        return pa.RecordBatchReader.from_batches(first.schema, _chain(first, iter_batches))


def copy_batches(
    cursor: psycopg.Cursor[Any],
    table: str,
    columns: Sequence[str],
    batches: Iterable[pa.RecordBatch],
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Stream Arrow ``batches`` into ``table``'s ``columns``: each batch written by Arrow as CSV
    into ``COPY … (FORMAT csv)`` (an unquoted empty field is NULL there, a quoted one an empty
    text, as Arrow writes them; ~450k rows/s, three times a row-by-row ``COPY``). Returns the
    rows copied; ``on_batch`` hears each batch's count."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    options = pacsv.WriteOptions(include_header=False)
    rows = 0
    with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN (FORMAT csv)'.encode()) as copy:
        for batch in batches:
            buffer = io.BytesIO()
            pacsv.write_csv(batch, buffer, options)
            copy.write(buffer.getvalue())
            rows += batch.num_rows
            if on_batch is not None:
                on_batch(batch.num_rows)
    return rows


def _chain(first: pa.RecordBatch, rest: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    yield first
    for batch in rest:
        yield batch.cast(first.schema)


class PgConnection:
    """A PostgreSQL connection (autocommit; transactions are ``BEGIN``/``COMMIT`` statements,
    as on DuckDB) with DuckDB's calling conventions."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

    def execute(self, query: str, parameters: Sequence[Any] | None = None) -> PgResult:
        cursor = psycopg.RawCursor(self.raw)
        cursor.execute(query, list(parameters or ()))
        return PgResult(cursor)

    def sql(self, query: str) -> PgRelation:
        return PgRelation(self, query)

    def register(self, name: str, table: pa.Table) -> None:
        """``table`` as a temporary table ``name`` until :meth:`unregister`, analysed: the
        planner then knows it holds one client's bounds, not the 840 rows it guesses for a
        table without statistics, and reads that client's rows by index instead of whole
        tables."""
        columns = ", ".join(f'"{f.name}" {postgres_type(f.type)}' for f in table.schema)
        with self.raw.cursor() as cursor:
            cursor.execute(f'DROP TABLE IF EXISTS "{name}"'.encode())
            cursor.execute(f'CREATE TEMP TABLE "{name}" ({columns})'.encode())
            copy_batches(cursor, name, table.schema.names, table.to_batches())
            cursor.execute(f'ANALYZE "{name}"'.encode())

    def unregister(self, name: str) -> None:
        self.raw.execute(f'DROP TABLE IF EXISTS "{name}"'.encode())

    def insert_arrow(self, name: str, table: pa.Table) -> None:
        """Append ``table`` (named columns) to the table ``name``, by ``COPY``."""
        with self.raw.cursor() as cursor:
            copy_batches(cursor, name, table.schema.names, table.to_batches())

    def close(self) -> None:
        self.raw.close()
