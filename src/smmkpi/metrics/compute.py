"""Computing the whole catalogue for clients and periods: the service the CLI, the planner,
reports and the web app call.

>>> from smmkpi.workspace import Workspace
>>> with Workspace.open(folder).open_store(read_only=True) as store:  # the demo agency
...     results = compute_kpis(store.backend, Period.month("2026-10"), ["fitnest"])
>>> round(results[0].kpis["er"].value, 2)
5.78

The queries are compiled once per process (``plan.py``); each call registers the periods and the
clients as small Arrow tables and runs the compiled SQL — once for any number of periods
(``compute_periods``): fourteen months of a client cost one pass over its rows.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pyarrow as pa

from smmkpi.hashtags import brand_tags
from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.call_tables import (
    BOUNDS_SCHEMA,
    BOUNDS_TABLE,
    BRAND_TAGS_SCHEMA,
    BRAND_TAGS_TABLE,
)
from smmkpi.metrics.periods import Period
from smmkpi.metrics.plan_cache import compiled
from smmkpi.metrics.results import ClientKpis, KpiResults, KpiValue
from smmkpi.metrics.runner import Columns, Registered, run_plan
from smmkpi.metrics.scope import ClientInfo, load_clients

__all__ = ["ClientKpis", "KpiResults", "KpiValue", "compute_kpis", "compute_periods"]


def bounds_columns(clients: Sequence[ClientInfo], periods: Sequence[Period]) -> Columns:
    """The ``kpi_bounds`` table's columns: each client's periods (numbered in the order asked
    for) as local days and as UTC instants."""
    pairs = [(c, i, p) for i, p in enumerate(periods) for c in clients]
    starts, ends = zip(*(p.utc_bounds(c.timezone) for c, _i, p in pairs), strict=True)
    return {
        "client_id": [c.client_id for c, _i, _p in pairs],
        "period_index": [i for _c, i, _p in pairs],
        "start_date": [p.start for _c, _i, p in pairs],
        "end_date": [p.end for _c, _i, p in pairs],
        "lookback_date": [p.start - timedelta(days=31) for _c, _i, p in pairs],
        "days": [p.days for _c, _i, p in pairs],
        "start_utc": list(starts),
        "end_utc": list(ends),
        "has_brand_tags": [bool(brand_tags(c.brand_hashtags)) for c, _i, _p in pairs],
    }


def brand_tag_columns(clients: Sequence[ClientInfo]) -> Columns:
    """The ``kpi_brand_tags`` table's columns: one row per client and brand tag, padded for
    whole-tag matching against the stored ``tags`` of mentions."""
    pairs = [(c.client_id, f" {tag} ") for c in clients for tag in brand_tags(c.brand_hashtags)]
    return {"client_id": [p[0] for p in pairs], "tag": [p[1] for p in pairs]}


def compute_kpis(
    backend: Any,
    period: Period,
    client_ids: Sequence[str] | None = None,
    rules: SocialRules | None = None,
    details: bool = False,
) -> KpiResults:
    """Compute every KPI for the named clients (all when None), in the order named.

    ``backend`` holds the canonical tables: ``store.backend``, or an Ibis backend (Spark's).
    With ``details`` the client values also carry their numerator, denominator, row counts and
    the accounts they rest on (what ``--explain`` shows).
    """
    (results,) = compute_periods(backend, [period], client_ids, rules, details)
    return results


def compute_periods(
    backend: Any,
    periods: Sequence[Period],
    client_ids: Sequence[str] | None = None,
    rules: SocialRules | None = None,
    details: bool = False,
) -> list[KpiResults]:
    """Every KPI for the named clients (all when None) in each of ``periods``, in one call to
    the engine: the results of each period, in the order asked for."""
    rules = rules or SocialRules()
    clients = load_clients(backend, client_ids)
    plan = compiled(backend.name, rules, details)
    accounts_schema = _without_index(plan.accounts_schema)
    clients_schema = _without_index(plan.clients_schema)
    if not clients or not periods:
        return [
            KpiResults(
                period, [], accounts_schema.empty_table(), clients_schema.empty_table(), details
            )
            for period in periods
        ]
    registered = {
        BOUNDS_TABLE: Registered(bounds_columns(clients, periods), BOUNDS_SCHEMA),
        BRAND_TAGS_TABLE: Registered(brand_tag_columns(clients), BRAND_TAGS_SCHEMA),
    }
    accounts, clients_table = run_plan(backend, plan, registered)
    accounts_by_period = by_period(accounts, len(periods))
    clients_by_period = by_period(clients_table, len(periods))
    return [
        KpiResults(period, clients, accounts_by_period[i], clients_by_period[i], details)
        for i, period in enumerate(periods)
    ]


def _without_index(schema: pa.Schema) -> pa.Schema:
    return schema.remove(schema.get_field_index("period_index"))


def by_period(table: pa.Table, count: int) -> list[pa.Table]:
    """The rows of each of ``count`` periods, without the period's number: slices of the table
    sorted by it (no Arrow array is built from Python values, which would import pandas)."""
    ordered = table.sort_by("period_index") if count > 1 else table
    numbers = ordered.column("period_index").to_pylist() if count > 1 else []
    found, start = [], 0
    for index in range(count):
        end = len(ordered) if count == 1 else bisect_right(numbers, index, lo=start)
        found.append(ordered.slice(start, end - start).drop_columns(["period_index"]))
        start = end
    return found
