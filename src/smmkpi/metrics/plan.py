"""The two queries that compute the whole catalogue, built from the declarations and compiled
once per process.

1. **Accounts**: for every account of the requested clients and every requested period, the raw
   daily and post aggregates (``queries.py``), the inputs with their row counts (``inputs.py``)
   and every account-level KPI (``formulas.py``).
2. **Clients**: per client and period, the client aggregates (mentions, web sessions, leads,
   sales, ad spend), the client inputs, every client-level KPI, and the account-level KPIs
   rolled up from the first query's result (registered as ``kpi_account_inputs``).

Everything that varies between calls — the period, the clients, their brand hashtags — comes in
through small registered tables (``call_tables.py``), so the SQL text depends only on the
engine, the social attribution rules and whether explanation details are wanted. That SQL is
compiled by Ibis once and reused (``plan_cache.compiled``: in memory and on disk, so this
module and Ibis are imported only when a plan must be compiled): a month for an agency costs the
database work, not the compilation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis

from smmkpi.metrics import queries
from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.call_tables import ACCOUNT_INPUTS_TABLE, ACCOUNT_KEY, CLIENT_KEY
from smmkpi.metrics.catalogue import ACCOUNT_KPIS, KPIS
from smmkpi.metrics.content_query import content_posts_query
from smmkpi.metrics.formulas import (
    DETAIL_PARTS,
    detail_name,
    entity_details,
    entity_value,
    rollup,
    value_name,
)
from smmkpi.metrics.inputs import ACCOUNT_INPUTS, CLIENT_INPUTS, input_columns
from smmkpi.metrics.model import Level
from smmkpi.metrics.plan_cache import CompiledPlan, CompiledQuery


def accounts_query() -> Any:
    """Per account: inputs, row counts and account-level KPIs."""
    bounds = queries.bounds_table()
    accounts = queries.scope_accounts(bounds)
    daily = queries.daily_aggregates(accounts)
    posts = queries.post_aggregates(accounts)
    covered = queries.post_coverage(accounts)
    raw = accounts
    for part in (daily, posts):
        raw = queries.joined(raw, part, ACCOUNT_KEY)
    raw = queries.joined(raw, covered, "account_id")
    inputs = raw.select(
        account_id=raw.account_id,
        client_id=raw.client_id,
        period_index=raw.period_index,
        daily_rows=raw.d_rows.fill_null(0).cast("int64"),
        **input_columns(ACCOUNT_INPUTS, raw),
    )
    return inputs.mutate(**{value_name(k.id): entity_value(k, inputs) for k in ACCOUNT_KPIS})


def clients_query(account_inputs_schema: Any, rules: SocialRules, details: bool) -> Any:
    """Per client: client-level KPIs and the account-level ones rolled up from the accounts."""
    bounds = queries.bounds_table()
    accounts = ibis.table(account_inputs_schema, name=ACCOUNT_INPUTS_TABLE)
    rolled = accounts.group_by(CLIENT_KEY).aggregate(
        **{name: expr for k in ACCOUNT_KPIS for name, expr in rollup(k, accounts, details).items()}
    )
    parts = (
        queries.mention_aggregates(bounds, queries.brand_tags_table()),
        queries.web_aggregates(bounds, rules),
        queries.lead_aggregates(bounds, rules),
        queries.sale_aggregates(bounds, rules),
        queries.spend_aggregates(bounds),
        rolled,
    )
    raw = bounds.select("client_id", "period_index", "has_brand_tags")
    for part in parts:
        raw = queries.joined(raw, part, CLIENT_KEY)
    inputs = input_columns(CLIENT_INPUTS, raw)
    staged = raw.mutate(**inputs)
    columns: dict[str, Any] = {
        "client_id": staged.client_id,
        "period_index": staged.period_index,
        "sales_inheriting_lead_utm": staged.inherited.fill_null(0).cast("int64"),
    }
    for kpi in KPIS:
        if kpi.level is Level.ACCOUNT:
            columns[value_name(kpi.id)] = staged[value_name(kpi.id)]
            if details:
                for part in DETAIL_PARTS:
                    name = detail_name(part, kpi.id)
                    if name in staged.columns:
                        columns[name] = staged[name]
        else:
            columns[value_name(kpi.id)] = entity_value(kpi, staged)
            if details:
                columns.update(entity_details(kpi, staged))
    return staged.select(**columns)


def compile_plan(dialect: str, rules: SocialRules, details: bool) -> CompiledPlan:
    """Both queries built from the declarations and compiled by Ibis for ``dialect``."""
    # a back-end's compiler reads the options its back-end registers when it is loaded
    getattr(ibis, dialect)
    accounts = accounts_query()
    clients = clients_query(accounts.schema(), rules, details)
    return CompiledPlan(
        accounts_sql=str(ibis.to_sql(accounts, dialect=dialect)),
        accounts_schema=accounts.schema().to_pyarrow(),
        clients_sql=str(ibis.to_sql(clients, dialect=dialect)),
        clients_schema=clients.schema().to_pyarrow(),
    )


NAMED_QUERIES: dict[str, Callable[[], Any]] = {"content_posts": content_posts_query}
"""Queries beside the two of the catalogue, compiled and kept the same way
(``plan_cache.compiled_query``)."""


def compile_query(name: str, dialect: str) -> CompiledQuery:
    """The query ``name`` of :data:`NAMED_QUERIES` compiled by Ibis for ``dialect``."""
    getattr(ibis, dialect)
    query = NAMED_QUERIES[name]()
    return CompiledQuery(str(ibis.to_sql(query, dialect=dialect)), query.schema().to_pyarrow())
