"""The queries behind the KPI inputs, written once in Ibis so they run on every engine.

Each function aggregates one canonical table for every requested account (or client) of a
period in a single query and returns plain Python rows keyed by account (or client). Events
belong to the period by their UTC instant against each client's own bounds (a small table of
per-client UTC intervals joined in), so one query serves clients in any time zone.

The aggregates are raw: sums, counts of known values and the like. ``inputs.py`` turns them into
the documented KPI inputs with the coverage and NULL rules of spec/metrics.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ibis

from smmkpi.hashtags import brand_tags
from smmkpi.metrics.attribution import SocialRules, clean_utm, is_social
from smmkpi.metrics.periods import Period
from smmkpi.metrics.scope import ClientInfo

Row = dict[str, Any]


@dataclass(frozen=True)
class Scope:
    """The clients of one computation and the period."""

    period: Period
    clients: Sequence[ClientInfo]
    everyone: bool = False  # all clients of the store: no filter on client ids is needed

    @property
    def client_ids(self) -> list[str]:
        return [c.client_id for c in self.clients]

    @property
    def account_ids(self) -> list[str]:
        return [a.account_id for c in self.clients for a in c.accounts]


def _rows(expr: Any, key: str) -> dict[str, Row]:
    return {row[key]: row for row in expr.to_pyarrow().to_pylist()}


def _bounds(scope: Scope) -> Any:
    """A table of each client's period as UTC instants: client_id, start_utc, end_utc."""
    starts, ends = [], []
    for client in scope.clients:
        start, end = scope.period.utc_bounds(client.timezone)
        starts.append(start)
        ends.append(end)
    return ibis.memtable(
        {"client_id": scope.client_ids, "start_utc": starts, "end_utc": ends},
        schema={
            "client_id": "string",
            "start_utc": "timestamp('UTC')",
            "end_utc": "timestamp('UTC')",
        },
    )


def _for_accounts(table: Any, scope: Scope) -> Any:
    return table if scope.everyone else table.filter(table.account_id.isin(scope.account_ids))


def _for_clients(table: Any, scope: Scope) -> Any:
    return table if scope.everyone else table.filter(table.client_id.isin(scope.client_ids))


DAILY_SUMS = (
    "followers_gained",
    "followers_lost",
    "reach",
    "impressions",
    "profile_visits",
    "link_clicks",
    "contact_clicks",
    "location_clicks",
)


def daily_aggregates(backend: Any, scope: Scope) -> dict[str, Row]:
    """Per account, from ``account_daily`` over the period and the 31 days before it."""
    period = scope.period
    t = _for_accounts(backend.table("account_daily"), scope)
    t = t.filter(t.date >= period.lookback_start, t.date <= period.end)
    in_period = t.date >= period.start
    before = t.date < period.start
    known = t.followers.notnull()
    metrics: dict[str, Any] = {
        "followers_end": t.followers.argmax(t.date, where=in_period & known),
        "followers_end_date": t.date.max(where=in_period & known),
        "followers_first": t.followers.argmin(t.date, where=in_period & known),
        "followers_first_date": t.date.min(where=in_period & known),
        "followers_before": t.followers.argmax(t.date, where=before & known),
        "followers_before_date": t.date.max(where=before & known),
        "followers_avg": t.followers.mean(where=in_period),
        "followers_days": t.followers.count(where=in_period),
        "days_with_rows": t.count(where=in_period),
    }
    for column in DAILY_SUMS:
        metrics[column] = t[column].sum(where=in_period)
        metrics[f"{column}_days"] = t[column].count(where=in_period)
    return _rows(t.group_by("account_id").aggregate(**metrics), "account_id")


def post_aggregates(backend: Any, scope: Scope) -> dict[str, Row]:
    """Per account, from the posts published in the period (by each client's local days)."""
    posts = _for_accounts(backend.table("posts"), scope)
    accounts = _for_accounts(backend.table("accounts"), scope).select("account_id", "client_id")
    p = posts.join(accounts, "account_id").join(_bounds(scope), "client_id")
    p = p.filter(p.published_at >= p.start_utc, p.published_at < p.end_utc)
    parts = (p.likes, p.comments, p.shares, p.saves)
    all_unknown = parts[0].isnull() & parts[1].isnull() & parts[2].isnull() & parts[3].isnull()
    total = (
        parts[0].fill_null(0)
        + parts[1].fill_null(0)
        + parts[2].fill_null(0)
        + parts[3].fill_null(0)
    )
    interactions = ibis.ifelse(all_unknown, ibis.null("int64"), total)
    split_known = p.reach_organic.notnull() & p.reach_viral.notnull() & p.reach_paid.notnull()
    err_rows = interactions.notnull() & (p.reach > 0)
    metrics: dict[str, Any] = {
        "posts": p.count(),
        "interactions": interactions.sum(),
        "interactions_n": interactions.count(),
        "err_interactions": interactions.sum(where=err_rows),
        "err_reach": p.reach.sum(where=err_rows),
        "err_n": p.count(where=err_rows),
        "split_organic": p.reach_organic.sum(where=split_known),
        "split_viral": p.reach_viral.sum(where=split_known),
        "split_paid": p.reach_paid.sum(where=split_known),
        "split_n": p.count(where=split_known),
    }
    for column in (
        "likes",
        "comments",
        "shares",
        "views",
        "reach",
        "reach_organic",
        "reach_viral",
        "reach_paid",
        "link_clicks",
    ):
        metrics[column] = p[column].sum()
        metrics[f"{column}_n"] = p[column].count()
    return _rows(p.group_by("account_id").aggregate(**metrics), "account_id")


def accounts_with_posts(backend: Any, scope: Scope) -> set[str]:
    """Accounts that have at least one post at any date (the posts table covers them)."""
    posts = _for_accounts(backend.table("posts"), scope)
    return {
        row["account_id"] for row in posts.select("account_id").distinct().to_pyarrow().to_pylist()
    }


def mention_aggregates(backend: Any, scope: Scope) -> dict[str, Row]:
    """Per client: mentions in the period, those carrying a brand hashtag, and coverage."""
    table = _for_clients(backend.table("mentions"), scope)
    covered = _rows(table.group_by("client_id").aggregate(mentions_ever=table.count()), "client_id")
    m = table.join(_bounds(scope), "client_id")
    m = m.filter(m.published_at >= m.start_utc, m.published_at < m.end_utc)
    counts = _rows(m.group_by("client_id").aggregate(mentions=m.count()), "client_id")
    pairs = [(c.client_id, tag) for c in scope.clients for tag in brand_tags(c.brand_hashtags)]
    branded: dict[str, Row] = {}
    if pairs:
        tags = ibis.memtable(
            {"client_id": [p[0] for p in pairs], "tag": [f" {p[1]} " for p in pairs]},
            schema={"client_id": "string", "tag": "string"},
        )
        matched = m.join(tags, [m.client_id == tags.client_id, m.tags.contains(tags.tag)])
        branded = _rows(
            matched.group_by(matched.client_id).aggregate(branded=matched.mention_id.nunique()),
            "client_id",
        )
    result: dict[str, Row] = {}
    for client_id, row in covered.items():
        result[client_id] = {
            "mentions_ever": row["mentions_ever"],
            "mentions": counts.get(client_id, {}).get("mentions", 0),
            "branded": branded.get(client_id, {}).get("branded", 0),
        }
    return result


def web_aggregates(backend: Any, scope: Scope, rules: SocialRules) -> dict[str, Row]:
    """Per client, from ``web_sessions`` of the period: social sessions and goals, coverage."""
    period = scope.period
    w = _for_clients(backend.table("web_sessions"), scope)
    w = w.filter(w.date >= period.start, w.date <= period.end)
    social = is_social(w.client_id, clean_utm(w.utm_source), clean_utm(w.utm_medium), None, rules)
    return _rows(
        w.group_by("client_id").aggregate(
            sessions_known=w.sessions.count(),
            goals_known=w.goal_completions.count(),
            social_rows=w.count(where=social),
            social_sessions=w.sessions.sum(where=social),
            social_sessions_n=w.sessions.count(where=social),
            social_goals=w.goal_completions.sum(where=social),
            social_goals_n=w.goal_completions.count(where=social),
            rows=w.count(),
        ),
        "client_id",
    )


def lead_aggregates(backend: Any, scope: Scope, rules: SocialRules) -> dict[str, Row]:
    """Per client: all leads (coverage) and the social leads created in the period."""
    table = _for_clients(backend.table("leads"), scope)
    lead = table.join(_bounds(scope), "client_id")
    in_period = (lead.created_at >= lead.start_utc) & (lead.created_at < lead.end_utc)
    social = is_social(
        lead.client_id,
        clean_utm(lead.utm_source),
        clean_utm(lead.utm_medium),
        clean_utm(lead.channel),
        rules,
    )
    return _rows(
        lead.group_by("client_id").aggregate(
            leads_ever=lead.count(),
            leads_in_period=lead.count(where=in_period),
            leads=lead.count(where=in_period & social),
        ),
        "client_id",
    )


UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "channel")


def sale_aggregates(backend: Any, scope: Scope, rules: SocialRules) -> dict[str, Row]:
    """Per client: all sales (coverage), and the social sales closed in the period with their
    revenue. A sale whose five UTM fields and channel are all empty (macros count as empty)
    takes them from its lead, when the lead is known — all or nothing."""
    sales = _for_clients(backend.table("sales"), scope)
    leads = _for_clients(backend.table("leads"), scope).select(
        "client_id",
        lead_ref="lead_id",
        **{f"lead_{name}": name for name in UTM_FIELDS},
    )
    s = sales.left_join(
        leads, [sales.client_id == leads.client_id, sales.lead_id == leads.lead_ref]
    ).join(_bounds(scope), "client_id")
    own = {name: clean_utm(s[name]) for name in UTM_FIELDS}
    inherit = s.lead_ref.notnull()
    for value in own.values():
        inherit = inherit & value.isnull()
    effective = {
        name: ibis.ifelse(inherit, clean_utm(s[f"lead_{name}"]), own[name]) for name in UTM_FIELDS
    }
    social = is_social(
        s.client_id, effective["utm_source"], effective["utm_medium"], effective["channel"], rules
    )
    in_period = (s.closed_at >= s.start_utc) & (s.closed_at < s.end_utc)
    chosen = in_period & social
    return _rows(
        s.group_by("client_id").aggregate(
            sales_ever=s.count(),
            sales_in_period=s.count(where=in_period),
            sales=s.count(where=chosen),
            inherited=s.count(where=chosen & inherit),
            revenue=s.amount.sum(where=chosen),
            revenue_n=s.amount.count(where=chosen),
        ),
        "client_id",
    )


def spend_aggregates(backend: Any, scope: Scope) -> dict[str, Row]:
    """Per client: ad spend over the period's days."""
    period = scope.period
    a = _for_clients(backend.table("ad_spend"), scope)
    a = a.filter(a.date >= period.start, a.date <= period.end)
    return _rows(
        a.group_by("client_id").aggregate(ad_spend=a.amount.sum(), ad_spend_n=a.amount.count()),
        "client_id",
    )
