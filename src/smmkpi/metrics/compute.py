"""Computing the whole catalogue for clients and a period: the service the CLI, the planner,
reports and the web app call.

>>> results = compute_kpis(store.ibis, Period.month("2025-03"), ["coffeelab"])  # doctest: +SKIP
>>> results[0].kpis["er"].value                                                   # doctest: +SKIP
3.2145

The queries are compiled once per process (``plan.py``); each call registers the period and the
clients as small Arrow tables and runs the compiled SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pyarrow as pa

from smmkpi.hashtags import brand_tags
from smmkpi.metrics import queries
from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.periods import Period
from smmkpi.metrics.plan import ACCOUNT_INPUTS_TABLE, compiled
from smmkpi.metrics.results import ClientKpis, KpiResults, KpiValue
from smmkpi.metrics.runner import run_sql
from smmkpi.metrics.scope import ClientInfo, load_clients

__all__ = ["ClientKpis", "KpiResults", "KpiValue", "compute_kpis"]


def bounds_arrow(clients: Sequence[ClientInfo], period: Period) -> pa.Table:
    """The ``kpi_bounds`` table: each client's period as local days and as UTC instants."""
    starts, ends = zip(*(period.utc_bounds(c.timezone) for c in clients), strict=True)
    count = len(clients)
    return pa.table(
        {
            "client_id": [c.client_id for c in clients],
            "start_date": [period.start] * count,
            "end_date": [period.end] * count,
            "lookback_date": [period.start - timedelta(days=31)] * count,
            "days": [period.days] * count,
            "start_utc": pa.array(starts, pa.timestamp("us", tz="UTC")),
            "end_utc": pa.array(ends, pa.timestamp("us", tz="UTC")),
            "has_brand_tags": [bool(brand_tags(c.brand_hashtags)) for c in clients],
        },
        schema=queries.BOUNDS_SCHEMA.to_pyarrow(),
    )


def brand_tags_arrow(clients: Sequence[ClientInfo]) -> pa.Table:
    """The ``kpi_brand_tags`` table: one row per client and brand tag, padded for whole-tag
    matching against the stored ``tags`` of mentions."""
    pairs = [(c.client_id, f" {tag} ") for c in clients for tag in brand_tags(c.brand_hashtags)]
    return pa.table(
        {"client_id": [p[0] for p in pairs], "tag": [p[1] for p in pairs]},
        schema=queries.BRAND_TAGS_SCHEMA.to_pyarrow(),
    )


def compute_kpis(
    backend: Any,
    period: Period,
    client_ids: Sequence[str] | None = None,
    rules: SocialRules | None = None,
    details: bool = False,
) -> KpiResults:
    """Compute every KPI for the named clients (all when None), in the order named.

    ``backend`` is an Ibis backend over the canonical tables (``store.ibis``). With ``details``
    the client values also carry their numerator, denominator, row counts and the accounts they
    rest on (what ``--explain`` shows).
    """
    rules = rules or SocialRules()
    clients = load_clients(backend, client_ids)
    plan = compiled(backend.name, rules, details)
    if not clients:
        return KpiResults(
            period,
            [],
            plan.accounts_schema.empty_table(),
            plan.clients_schema.empty_table(),
            details,
        )
    registered = {
        queries.BOUNDS_TABLE: bounds_arrow(clients, period),
        queries.BRAND_TAGS_TABLE: brand_tags_arrow(clients),
    }
    accounts = run_sql(backend, plan.accounts_sql, registered, plan.accounts_schema)
    clients_table = run_sql(
        backend,
        plan.clients_sql,
        {**registered, ACCOUNT_INPUTS_TABLE: accounts},
        plan.clients_schema,
    )
    return KpiResults(period, clients, accounts, clients_table, details)
