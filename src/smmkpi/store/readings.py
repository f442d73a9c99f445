"""Rows of a canonical table for some accounts or clients within a range of days or instants, as
Arrow: what the daily series and a report's post ranking read.

Plain parameterised SQL that DuckDB and PostgreSQL both run (``$1`` parameters), so reading
them costs neither Ibis nor a compilation; the result has the canonical columns' Arrow types
whatever the engine returned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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


def client_daily_sums(
    con: Connection,
    client_of: Mapping[str, str],
    columns: Sequence[str],
    first: date,
    last: date,
) -> list[tuple[Any, ...]]:
    """``account_daily``'s ``columns`` from ``first`` to ``last`` summed by client and day, for
    the accounts of ``client_of`` (account → client): rows of (client_id, date, sums…), a sum
    None where every account's value of that day is unknown."""
    if not client_of:
        return []
    sums = ", ".join(f"CAST(sum(d.{c}) AS DOUBLE PRECISION)" for c in columns)
    query = (
        f"SELECT o.client_id, d.date, {sums} FROM account_daily d JOIN ("
        "SELECT unnest($1::VARCHAR[]) AS account_id, unnest($2::VARCHAR[]) AS client_id"
        ") o ON d.account_id = o.account_id WHERE d.date >= $3 AND d.date <= $4 "
        "GROUP BY o.client_id, d.date"
    )
    parameters = [list(client_of), list(client_of.values()), first, last]
    return list(con.execute(query, parameters).fetchall())


@dataclass(frozen=True)
class PostedAccount:
    """An account whose posts are counted by its client's local day."""

    account_id: str
    client_id: str
    timezone: str


def client_post_days(
    con: Connection,
    accounts: Sequence[PostedAccount],
    interaction_parts: Sequence[str],
    maturity_days: float,
    local_days: tuple[date, date],
    instants: tuple[datetime, datetime],
) -> list[tuple[Any, ...]]:
    """The accounts' posts published within ``instants`` (the start included, the end not), by
    client and local day of publication (in the client's zone) within ``local_days``: rows of
    (client_id, day, posts, interactions, reach, maturity).

    - interactions: the sum over posts of their known ``interaction_parts``; a post whose parts
      are all unknown adds nothing, and a day with only such posts is None;
    - reach: the sum of the known reaches (None where none is known);
    - maturity: the sum over posts of 1 − e^(−age / ``maturity_days``), the age being the days
      from publication to when its statistics were captured (never below 0).
    """
    if not accounts:
        return []
    parts = [f"p.{part}" for part in interaction_parts]
    interactions = (
        f"CASE WHEN {' AND '.join(f'{p} IS NULL' for p in parts)} THEN NULL "
        f"ELSE {' + '.join(f'coalesce({p}, 0)' for p in parts)} END"
    )
    age = "extract(epoch FROM (p.captured_at - p.published_at)) / 86400"
    query = (
        "SELECT client_id, day, posts, interactions, reach, maturity FROM ("
        "SELECT o.client_id, CAST(timezone(o.tz, p.published_at) AS DATE) AS day, "
        "count(*) AS posts, "
        f"CAST(sum({interactions}) AS DOUBLE PRECISION) AS interactions, "
        "CAST(sum(p.reach) AS DOUBLE PRECISION) AS reach, "
        f"CAST(sum(1 - exp(-greatest({age}, 0) / $3)) AS DOUBLE PRECISION) AS maturity "
        "FROM posts p JOIN ("
        "SELECT unnest($1::VARCHAR[]) AS account_id, unnest($2::VARCHAR[]) AS client_id, "
        "unnest($4::VARCHAR[]) AS tz"
        ") o ON p.account_id = o.account_id "
        "WHERE p.published_at >= $5 AND p.published_at < $6 GROUP BY 1, 2"
        ") found WHERE day >= $7 AND day <= $8"
    )
    parameters = [
        [a.account_id for a in accounts],
        [a.client_id for a in accounts],
        float(maturity_days),
        [a.timezone for a in accounts],
        *instants,
        *local_days,
    ]
    return list(con.execute(query, parameters).fetchall())


def client_event_days(
    con: Connection,
    table: str,
    column: str,
    zones: Mapping[str, str],
    local_days: tuple[date, date],
    instants: tuple[datetime, datetime],
    grouped_by: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """How many of ``table``'s rows (events of a client: mentions, leads) happened at
    ``column`` within ``instants`` (the start included, the end not), by client, local day in
    the client's zone (``zones``: client → time zone) within ``local_days``, and the values of
    ``grouped_by``: rows of (client_id, day, *grouped_by, count)."""
    if not zones:
        return []
    extra = "".join(f", e.{name}" for name in grouped_by)
    query = (
        f"SELECT * FROM (SELECT e.client_id, CAST(timezone(z.tz, e.{column}) AS DATE) AS day"
        f"{extra}, count(*) AS events FROM {table} e JOIN ("
        "SELECT unnest($1::VARCHAR[]) AS client_id, unnest($2::VARCHAR[]) AS tz"
        f") z ON e.client_id = z.client_id WHERE e.{column} >= $3 AND e.{column} < $4 "
        f"GROUP BY e.client_id, day{extra}) found WHERE day >= $5 AND day <= $6"
    )
    parameters = [list(zones), list(zones.values()), *instants, *local_days]
    return list(con.execute(query, parameters).fetchall())
