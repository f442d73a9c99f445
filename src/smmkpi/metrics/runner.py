"""Running compiled SQL with small Arrow tables registered by name, on DuckDB, PostgreSQL or
Spark.

The KPI queries are compiled once by Ibis (``plan.py``) for the engine's dialect; what varies
between calls arrives as registered tables. On DuckDB they are registered as Arrow views on the
connection, which the locked-down connection allows (it reads no files); on PostgreSQL they are
temporary tables of the session, filled with ``COPY`` and dropped after the query
(``store/connection.py``); on Spark, temporary views of the session.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import pyarrow as pa

from smmkpi.metrics.call_tables import ACCOUNT_INPUTS_TABLE
from smmkpi.store import temp_tables

if TYPE_CHECKING:
    from smmkpi.metrics.plan_cache import CompiledPlan
    from smmkpi.store.pg_connection import PgConnection

# execute() skips the relation API's re-tokenising of the long KPI SQL (30 % of a call); the
# extra copy DuckDB warns about is of the result, one row per account. Filtered once here, not
# with warnings.catch_warnings() per call, which is not thread-safe (the web app's overview is
# computed in a thread beside the requests).
warnings.filterwarnings("ignore", "Arrow output on a DB-API result", UserWarning)


Columns = dict[str, list[Any]]


class Registered(NamedTuple):
    """A per-call table as Python columns, with the Arrow schema it has on every engine."""

    columns: Columns
    schema: pa.Schema

    def arrow(self) -> pa.Table:
        return pa.Table.from_pydict(self.columns, schema=self.schema)


def run_plan(
    backend: Any, plan: CompiledPlan, tables: Mapping[str, Registered]
) -> tuple[pa.Table, pa.Table]:
    """Both KPI queries of ``plan`` with ``tables`` registered: the accounts' result, then the
    clients' result computed from it (``kpi_account_inputs``), each cast to its schema.

    On DuckDB the per-call tables become temporary tables and the accounts' result stays in
    the database as one for the clients' query (no round trip through Arrow; and no Arrow
    registration, which would import pandas)."""
    if backend.name != "duckdb":
        arrow = {name: table.arrow() for name, table in tables.items()}
        accounts = run_sql(backend, plan.accounts_sql, arrow, plan.accounts_schema)
        with_accounts = {**arrow, ACCOUNT_INPUTS_TABLE: accounts}
        clients = run_sql(backend, plan.clients_sql, with_accounts, plan.clients_schema)
        return accounts, clients
    con = backend.con
    made = [*tables, ACCOUNT_INPUTS_TABLE]
    try:
        for name, table in tables.items():
            temp_tables.create_from_columns(con, name, table.columns, table.schema)
        temp_tables.create_as(con, ACCOUNT_INPUTS_TABLE, plan.accounts_sql)
        accounts = temp_tables.read(con, ACCOUNT_INPUTS_TABLE, plan.accounts_schema)
        clients = temp_tables.query(con, plan.clients_sql, plan.clients_schema)
    finally:
        for name in made:
            temp_tables.drop(con, name)
    return _as(accounts, plan.accounts_schema), _as(clients, plan.clients_schema)


def _as(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` of ``schema`` (DuckDB names a list's items otherwise than Arrow: cast then)."""
    return table if table.schema.equals(schema) else table.cast(schema)


def run_query(
    backend: Any, sql: str, schema: pa.Schema, tables: Mapping[str, Registered]
) -> pa.Table:
    """Run one compiled query with ``tables`` registered (temporary tables on DuckDB, as for
    the KPI queries); the result cast to ``schema``."""
    if backend.name != "duckdb":
        return run_sql(backend, sql, {n: t.arrow() for n, t in tables.items()}, schema)
    con = backend.con
    try:
        for name, table in tables.items():
            temp_tables.create_from_columns(con, name, table.columns, table.schema)
        return _as(temp_tables.query(con, sql, schema), schema)
    finally:
        for name in tables:
            temp_tables.drop(con, name)


def run_sql(backend: Any, sql: str, tables: Mapping[str, pa.Table], schema: pa.Schema) -> pa.Table:
    """Run ``sql`` on ``backend`` (``store.backend``, or Spark's ``lake_backend``) with ``tables``
    registered under their names; the result cast to ``schema`` (the types Ibis declared: DuckDB
    returns sums of integers as 128-bit integers, PostgreSQL as numerics)."""
    if backend.name == "postgres":
        from smmkpi.store.pg_connection import PgConnection  # psycopg: on PostgreSQL only

        return _run_postgres(PgConnection(backend.con), sql, tables).cast(schema)
    if backend.name == "pyspark":
        return _run_spark(backend.con, sql, tables).cast(schema)
    con = backend.con
    for name, table in tables.items():
        con.register(name, table)
    try:
        result = temp_tables.query(con, sql, schema)
    finally:
        for name in tables:
            con.unregister(name)
    return _as(result, schema)


def _run_spark(session: Any, sql: str, tables: Mapping[str, pa.Table]) -> pa.Table:
    """On Spark the tables become temporary views of the session (Spark 4 takes Arrow)."""
    try:
        for name, table in tables.items():
            session.createDataFrame(table).createOrReplaceTempView(name)
        result: pa.Table = session.sql(sql).toArrow()
    finally:
        for name in tables:
            session.catalog.dropTempView(name)
    return result


def _run_postgres(con: PgConnection, sql: str, tables: Mapping[str, pa.Table]) -> pa.Table:
    try:
        for name, table in tables.items():
            con.register(name, table)
        with con.raw.cursor() as cursor:
            cursor.execute(sql.encode())  # compiled by Ibis: no parameters, % is literal
            names = [d.name for d in cursor.description or ()]
            rows = cursor.fetchall()
    finally:
        for name in tables:
            con.unregister(name)
    return pa.table({n: pa.array([r[i] for r in rows]) for i, n in enumerate(names)})
