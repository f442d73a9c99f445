"""Running compiled SQL with small Arrow tables registered by name, on DuckDB or PostgreSQL.

The KPI queries are compiled once by Ibis (``plan.py``) for the engine's dialect; what varies
between calls arrives as registered tables. On DuckDB they are registered as Arrow views on the
connection, which the locked-down connection allows (it reads no files); on PostgreSQL they are
temporary tables of the session, filled with ``COPY`` and dropped after the query.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import ibis
import pyarrow as pa


def run_sql(backend: Any, sql: str, tables: Mapping[str, pa.Table], schema: pa.Schema) -> pa.Table:
    """Run ``sql`` with ``tables`` registered under their names; the result cast to ``schema``
    (the types Ibis declared: DuckDB returns sums of integers as 128-bit integers)."""
    if backend.name == "postgres":
        return _run_postgres(backend, sql, tables).cast(schema)
    con = backend.con
    for name, table in tables.items():
        con.register(name, table)
    try:
        with warnings.catch_warnings():
            # execute() skips the relation API's re-tokenising of this long SQL (30 % of a
            # call); the extra copy it warns about is of the result, one row per account.
            warnings.simplefilter("ignore", UserWarning)
            result = con.execute(sql).to_arrow_table()
    finally:
        for name in tables:
            con.unregister(name)
    return result.cast(schema)


def _run_postgres(backend: Any, sql: str, tables: Mapping[str, pa.Table]) -> pa.Table:
    con = backend.con
    mapper = backend.compiler.type_mapper
    with con.cursor() as cursor:
        try:
            for name, table in tables.items():
                schema = ibis.Schema.from_pyarrow(table.schema)
                columns = ", ".join(
                    f'"{column}" {mapper.from_ibis(dtype).sql("postgres")}'
                    for column, dtype in schema.items()
                )
                cursor.execute(f'DROP TABLE IF EXISTS "{name}"')
                cursor.execute(f'CREATE TEMP TABLE "{name}" ({columns})')
                with cursor.copy(f'COPY "{name}" FROM STDIN') as copy:
                    for row in zip(*(c.to_pylist() for c in table.columns), strict=True):
                        copy.write_row(row)
            cursor.execute(sql)
            names = [d.name for d in cursor.description or ()]
            rows = cursor.fetchall()
        finally:
            for name in tables:
                cursor.execute(f'DROP TABLE IF EXISTS "{name}"')
    return pa.table({n: pa.array([r[i] for r in rows]) for i, n in enumerate(names)})
