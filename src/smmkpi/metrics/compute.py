"""Computing the whole catalogue for clients and periods: the service the CLI, the planner,
reports and the web app call.

>>> results = compute_kpis(store.backend, Period.month("2025-03"), ["coffeelab"])  # doctest: +SKIP
>>> results[0].kpis["er"].value                                                   # doctest: +SKIP
3.2145

The queries are compiled once per process (``plan.py``); each call registers the periods and the
clients as small Arrow tables and runs the compiled SQL — once for any number of periods
(``compute_periods``): fourteen months of a client cost one pass over its rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

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
from smmkpi.metrics.runner import run_plan
from smmkpi.metrics.scope import ClientInfo, load_clients

__all__ = ["ClientKpis", "KpiResults", "KpiValue", "compute_kpis", "compute_periods"]


def bounds_arrow(clients: Sequence[ClientInfo], periods: Sequence[Period]) -> pa.Table:
    """The ``kpi_bounds`` table: each client's periods (numbered in the order asked for) as
    local days and as UTC instants."""
    pairs = [(c, i, p) for i, p in enumerate(periods) for c in clients]
    starts, ends = zip(*(p.utc_bounds(c.timezone) for c, _i, p in pairs), strict=True)
    return pa.table(
        {
            "client_id": [c.client_id for c, _i, _p in pairs],
            "period_index": [i for _c, i, _p in pairs],
            "start_date": [p.start for _c, _i, p in pairs],
            "end_date": [p.end for _c, _i, p in pairs],
            "lookback_date": [p.start - timedelta(days=31) for _c, _i, p in pairs],
            "days": [p.days for _c, _i, p in pairs],
            "start_utc": pa.array(starts, pa.timestamp("us", tz="UTC")),
            "end_utc": pa.array(ends, pa.timestamp("us", tz="UTC")),
            "has_brand_tags": [bool(brand_tags(c.brand_hashtags)) for c, _i, _p in pairs],
        },
        schema=BOUNDS_SCHEMA,
    )


def brand_tags_arrow(clients: Sequence[ClientInfo]) -> pa.Table:
    """The ``kpi_brand_tags`` table: one row per client and brand tag, padded for whole-tag
    matching against the stored ``tags`` of mentions."""
    pairs = [(c.client_id, f" {tag} ") for c in clients for tag in brand_tags(c.brand_hashtags)]
    return pa.table(
        {"client_id": [p[0] for p in pairs], "tag": [p[1] for p in pairs]},
        schema=BRAND_TAGS_SCHEMA,
    )


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
        BOUNDS_TABLE: bounds_arrow(clients, periods),
        BRAND_TAGS_TABLE: brand_tags_arrow(clients),
    }
    accounts, clients_table = run_plan(backend, plan, registered)
    return [
        KpiResults(
            period,
            clients,
            _of_period(accounts, index, len(periods)),
            _of_period(clients_table, index, len(periods)),
            details,
        )
        for index, period in enumerate(periods)
    ]


def _without_index(schema: pa.Schema) -> pa.Schema:
    return schema.remove(schema.get_field_index("period_index"))


def _of_period(table: pa.Table, index: int, count: int) -> pa.Table:
    """The rows of one period, without the period's number."""
    chosen = table if count == 1 else table.filter(pc.equal(table.column("period_index"), index))
    return chosen.drop_columns(["period_index"])
