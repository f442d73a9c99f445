"""Computing the whole catalogue for clients and a period: the service the CLI, the planner,
reports and the web app call.

>>> results = compute_kpis(store.ibis, Period.month("2025-03"), ["coffeelab"])  # doctest: +SKIP
>>> results[0].kpis["er"].value                                                   # doctest: +SKIP
3.2145
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from smmkpi.hashtags import brand_tags
from smmkpi.metrics import queries
from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.catalogue import KPIS
from smmkpi.metrics.engine import KpiValue, evaluate, evaluate_over_accounts
from smmkpi.metrics.inputs import Measure, account_inputs, client_inputs
from smmkpi.metrics.model import Level
from smmkpi.metrics.periods import Period
from smmkpi.metrics.scope import ClientInfo, load_clients


@dataclass
class ClientKpis:
    """Every KPI of one client for one period, with the inputs behind them."""

    client: ClientInfo
    period: Period
    kpis: dict[str, KpiValue]
    accounts: dict[str, dict[str, KpiValue]]
    inputs: dict[str, Measure]
    account_inputs: dict[str, dict[str, Measure]]
    notes: dict[str, Any] = field(default_factory=dict)


def compute_kpis(
    backend: Any,
    period: Period,
    client_ids: Sequence[str] | None = None,
    rules: SocialRules | None = None,
) -> list[ClientKpis]:
    """Compute every KPI for the named clients (all when None), in the order named.

    ``backend`` is an Ibis backend over the canonical tables (``store.ibis``).
    """
    rules = rules or SocialRules()
    clients = load_clients(backend, client_ids)
    if not clients:
        return []
    scope = queries.Scope(period, clients, everyone=client_ids is None)
    daily = queries.daily_aggregates(backend, scope)
    posts = queries.post_aggregates(backend, scope)
    with_posts = queries.accounts_with_posts(backend, scope)
    mentions = queries.mention_aggregates(backend, scope)
    web = queries.web_aggregates(backend, scope, rules)
    leads = queries.lead_aggregates(backend, scope, rules)
    sales = queries.sale_aggregates(backend, scope, rules)
    spend = queries.spend_aggregates(backend, scope)

    results = []
    for client in clients:
        per_account = {
            a.account_id: account_inputs(
                daily.get(a.account_id),
                posts.get(a.account_id),
                a.account_id in with_posts,
                period.days,
            )
            for a in client.accounts
        }
        own = client_inputs(
            mentions.get(client.client_id),
            bool(brand_tags(client.brand_hashtags)),
            web.get(client.client_id),
            leads.get(client.client_id),
            sales.get(client.client_id),
            spend.get(client.client_id),
        )
        kpis: dict[str, KpiValue] = {}
        account_values: dict[str, dict[str, KpiValue]] = {a: {} for a in per_account}
        for kpi in KPIS:
            if kpi.level is Level.ACCOUNT:
                for account_id, inputs in per_account.items():
                    account_values[account_id][kpi.id] = evaluate(kpi, inputs)
                kpis[kpi.id] = evaluate_over_accounts(kpi, per_account)
            else:
                kpis[kpi.id] = evaluate(kpi, own)
        notes = {
            "sales_inheriting_lead_utm": (sales.get(client.client_id) or {}).get("inherited", 0),
            "daily_rows": {a: (daily.get(a) or {}).get("days_with_rows", 0) for a in per_account},
        }
        results.append(ClientKpis(client, period, kpis, account_values, own, per_account, notes))
    return results
