"""Running compiled SQL on the workspace store, with small Arrow tables registered by name.

The KPI queries are compiled once by Ibis (``plan.py``); what varies between calls arrives as
registered tables. The workspace store is DuckDB: tables are registered as Arrow views on its
connection, which the locked-down connection allows (it reads no files).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import pyarrow as pa


def run_sql(backend: Any, sql: str, tables: Mapping[str, pa.Table], schema: pa.Schema) -> pa.Table:
    """Run ``sql`` with ``tables`` registered under their names; the result cast to ``schema``
    (the types Ibis declared: DuckDB returns sums of integers as 128-bit integers)."""
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
