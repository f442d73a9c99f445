"""Per-call tables on DuckDB as temporary tables of the connection, made from columns of Python
values or from a query — never from an Arrow table, whose registration makes DuckDB's Python
package import pandas (0.2 s a command). A read-only connection may create them; they are its
own, so concurrent requests on their own connections never see each other's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa

_TYPES = (
    (pa.types.is_string, "VARCHAR"),
    (pa.types.is_boolean, "BOOLEAN"),
    (pa.types.is_integer, "BIGINT"),
    (pa.types.is_floating, "DOUBLE"),
    (pa.types.is_date, "DATE"),
)


def duckdb_type(arrow: pa.DataType) -> str:
    """DuckDB's type of a column of Arrow's type ``arrow``."""
    if pa.types.is_timestamp(arrow):
        return "TIMESTAMPTZ" if arrow.tz else "TIMESTAMP"
    if pa.types.is_decimal(arrow):
        return f"DECIMAL({arrow.precision}, {arrow.scale})"
    if pa.types.is_list(arrow):
        return f"{duckdb_type(arrow.value_type)}[]"
    for test, name in _TYPES:
        if test(arrow):
            return name
    raise TypeError(f"no DuckDB column type for Arrow's {arrow}")


def create_from_columns(
    con: Any, name: str, columns: Mapping[str, list[Any]], schema: pa.Schema
) -> None:
    """``columns`` of Python values (a few thousand rows at most), typed as ``schema`` says,
    as the temporary table ``name``."""
    selected = ", ".join(
        f'unnest(${i}::{duckdb_type(f.type)}[]) AS "{f.name}"'
        for i, f in enumerate(schema, start=1)
    )
    values = [columns[f.name] for f in schema]
    con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS SELECT {selected}', values)


def create_as(con: Any, name: str, query: str) -> None:
    """The result of ``query`` as the temporary table ``name``."""
    con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS {query}')


def read(con: Any, name: str, schema: pa.Schema) -> pa.Table:
    """The temporary table ``name``, its columns of ``schema``'s types."""
    return query(con, f'SELECT * FROM temp."{name}"', schema)


def query(con: Any, sql: str, schema: pa.Schema) -> pa.Table:
    """The result of ``sql`` as Arrow, its columns cast by DuckDB to ``schema``'s types (sums of
    integers are 128-bit integers otherwise): a cast in Arrow would import its compute module,
    0.03 s of a command."""
    typed = ", ".join(f'CAST("{f.name}" AS {duckdb_type(f.type)}) AS "{f.name}"' for f in schema)
    return con.execute(f"SELECT {typed} FROM ({sql}) AS found").to_arrow_table()


def drop(con: Any, name: str) -> None:
    con.execute(f'DROP TABLE IF EXISTS temp."{name}"')
