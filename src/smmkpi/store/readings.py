"""Rows of a canonical table for some accounts or clients within a range of days or instants, as
Arrow: what the daily series and a report's post ranking read.

Plain parameterised SQL that DuckDB and PostgreSQL both run (``$1`` parameters), so reading
them costs neither Ibis nor a compilation; the result has the canonical columns' Arrow types
whatever the engine returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import duckdb
import pyarrow as pa

from smmkpi.store.arrow import arrow_field
from smmkpi.store.connection import Connection
from smmkpi.store.tables import TABLES_BY_NAME


def owned_rows(
    con: Connection,
    table: str,
    columns: Sequence[str],
    owner: str,
    owners: Sequence[str],
    between: tuple[str, date | datetime, date | datetime],
    *,
    end_included: bool,
    positive: str | None = None,
) -> pa.Table:
    """``columns`` of ``table``'s rows whose ``owner`` column (``account_id`` or
    ``client_id``) is one of ``owners`` and whose ``between`` column lies from its start to its
    end (included when ``end_included``, else excluded); with ``positive``, only rows where
    that column is above 0."""
    by_name = {c.name: c for c in TABLES_BY_NAME[table].stored_columns}
    schema = pa.schema([arrow_field(by_name[name]) for name in columns])
    if not owners:
        return schema.empty_table()
    column, start, end = between
    # the owners as one array parameter: a list of thousands of ? marks is slow to plan on
    # DuckDB (7 × for 2,000 accounts) and bounded by PostgreSQL's 65,535 parameters
    query = (
        f"SELECT {', '.join(columns)} FROM {table} WHERE {owner} = ANY($1::VARCHAR[]) "
        f"AND {column} >= $2 AND {column} {'<=' if end_included else '<'} $3"
    )
    if positive:
        query += f" AND {positive} > 0"
    return _arrow(con, query, [list(owners), start, end], schema)


def _arrow(con: Connection, query: str, parameters: list[Any], schema: pa.Schema) -> pa.Table:
    if isinstance(con, duckdb.DuckDBPyConnection):  # columns straight to Arrow
        return con.sql(query, params=parameters).to_arrow_table().cast(schema)
    rows = con.execute(query, parameters).fetchall()
    return pa.table(
        [pa.array([row[i] for row in rows], field.type) for i, field in enumerate(schema)],
        schema=schema,
    )
