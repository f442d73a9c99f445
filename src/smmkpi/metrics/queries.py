"""The raw aggregates behind the KPI inputs, written once in Ibis so they run on every engine.

Every query is built against two small tables that the computation registers at run time
(``call_tables.py`` has their Arrow schemas):

- ``kpi_bounds``: one row per requested client and period — the period's number in the call
  (``period_index``), its local days (start, end, the first day of the followers look-back, the
  number of days) and the same period as a half-open interval of UTC instants in the client's
  time zone;
- ``kpi_brand_tags``: the normalised brand hashtags of those clients.

Nothing that depends on the period or on the clients is a literal in the SQL, so the compiled SQL
is the same for every month and every set of clients and is compiled once per process (see
``plan.py``). Events belong to a period by their UTC instant against their client's bounds, so
one query serves clients in any time zone, and every aggregate is grouped by its account or
client *and* ``period_index``, so one call computes any number of periods (the fourteen months
a client's page shows cost one scan, not fourteen).

The aggregates are raw — sums, counts of known values; ``inputs.py`` turns them into the
documented inputs with the coverage and NULL rules of spec/metrics.md.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import ibis

from smmkpi.metrics.additive import DAILY_SUMS, POST_SUMS
from smmkpi.metrics.attribution import SocialRules, is_social, with_clean_utm
from smmkpi.metrics.call_tables import ACCOUNT_KEY, BOUNDS_TABLE, BRAND_TAGS_TABLE, CLIENT_KEY
from smmkpi.store.tables import TABLES_BY_NAME, ColumnType

BOUNDS_SCHEMA = ibis.schema(
    {
        "client_id": "string",
        "period_index": "int64",
        "start_date": "date",
        "end_date": "date",
        "lookback_date": "date",
        "days": "int64",
        "start_utc": "timestamp('UTC')",
        "end_utc": "timestamp('UTC')",
        "has_brand_tags": "boolean",
    }
)
BRAND_TAGS_SCHEMA = ibis.schema({"client_id": "string", "tag": "string"})

UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "channel")


_IBIS_TYPES = {
    ColumnType.DATE: "date",
    ColumnType.TIMESTAMP: "timestamp('UTC')",
    ColumnType.COUNT: "int64",
    ColumnType.MONEY: "decimal(18, 4)",
}


@cache
def canonical_table(name: str) -> Any:
    """An unbound Ibis table of a canonical table as the migrations create it: queries are built
    without a connection and compiled for any engine."""
    table = TABLES_BY_NAME[name]
    schema = {c.name: _IBIS_TYPES.get(c.type, "string") for c in table.stored_columns}
    schema["import_id"] = "int64"
    return ibis.table(ibis.schema(schema), name=name)


def joined(left: Any, right: Any, keys: str | list[str]) -> Any:
    """``left`` left-joined to ``right`` on ``keys``, without the right side's copies of the keys:
    the columns named one by one (a ``drop`` lists them as a set, whose order — and so the SQL
    text — changes from one process to the next)."""
    keys = [keys] if isinstance(keys, str) else keys
    both = left.left_join(right, keys)
    copies = {f"{key}_right" for key in keys}
    return both.select([c for c in both.columns if c not in copies])


def bounds_table() -> Any:
    return ibis.table(BOUNDS_SCHEMA, name=BOUNDS_TABLE)


def brand_tags_table() -> Any:
    return ibis.table(BRAND_TAGS_SCHEMA, name=BRAND_TAGS_TABLE)


def scope_accounts(bounds: Any) -> Any:
    """The accounts of the requested clients, each with its client's bounds."""
    accounts = canonical_table("accounts")
    return accounts.join(bounds, accounts.client_id == bounds.client_id).select(
        accounts.account_id,
        accounts.client_id,
        *[bounds[c] for c in BOUNDS_SCHEMA if c != "client_id"],
    )


def daily_aggregates(accounts: Any) -> Any:
    """Per account, from ``account_daily`` over the period and the 31 days before it."""
    daily = canonical_table("account_daily")
    d = daily.join(accounts, daily.account_id == accounts.account_id).select(
        daily,
        accounts.period_index,
        accounts.start_date,
        accounts.end_date,
        accounts.lookback_date,
    )
    d = d.filter(d.date >= d.lookback_date, d.date <= d.end_date)
    in_period = d.date >= d.start_date
    before = d.date < d.start_date
    known = d.followers.notnull()
    metrics: dict[str, Any] = {
        "d_followers_end": d.followers.argmax(d.date, where=in_period & known),
        "d_followers_first": d.followers.argmin(d.date, where=in_period & known),
        "d_followers_before": d.followers.argmax(d.date, where=before & known),
        "d_followers_avg": d.followers.mean(where=in_period),
        "d_followers_n": d.followers.count(where=in_period),
        "d_rows": d.count(where=in_period),
    }
    for column in DAILY_SUMS:
        metrics[f"d_{column}"] = d[column].sum(where=in_period)
        metrics[f"d_{column}_n"] = d[column].count(where=in_period)
    return d.group_by(ACCOUNT_KEY).aggregate(**metrics)


def interactions(likes: Any, comments: Any, shares: Any, saves: Any) -> Any:
    """likes + comments + shares + saves, an unknown part counting 0; NULL when all four are
    unknown."""
    all_unknown = likes.isnull() & comments.isnull() & shares.isnull() & saves.isnull()
    total = likes.fill_null(0) + comments.fill_null(0) + shares.fill_null(0) + saves.fill_null(0)
    return ibis.ifelse(all_unknown, ibis.null("int64"), total)


def post_aggregates(accounts: Any) -> Any:
    """Per account, from the posts published in the period (by their client's local days)."""
    posts = canonical_table("posts")
    p = posts.join(accounts, posts.account_id == accounts.account_id).select(
        posts, accounts.period_index, accounts.start_utc, accounts.end_utc
    )
    p = p.filter(p.published_at >= p.start_utc, p.published_at < p.end_utc)
    p = p.mutate(ia=interactions(p.likes, p.comments, p.shares, p.saves))
    split_known = p.reach_organic.notnull() & p.reach_viral.notnull() & p.reach_paid.notnull()
    err_rows = p.ia.notnull() & (p.reach > 0)
    metrics: dict[str, Any] = {
        "p_posts": p.count(),
        "p_interactions": p.ia.sum(),
        "p_interactions_n": p.ia.count(),
        "p_err_interactions": p.ia.sum(where=err_rows),
        "p_err_reach": p.reach.sum(where=err_rows),
        "p_err_n": p.count(where=err_rows),
        "p_split_organic": p.reach_organic.sum(where=split_known),
        "p_split_viral": p.reach_viral.sum(where=split_known),
        "p_split_paid": p.reach_paid.sum(where=split_known),
        "p_split_n": p.count(where=split_known),
    }
    for column in POST_SUMS:
        metrics[f"p_{column}"] = p[column].sum()
        metrics[f"p_{column}_n"] = p[column].count()
    return p.group_by(ACCOUNT_KEY).aggregate(**metrics)


def post_coverage(accounts: Any) -> Any:
    """The accounts that have at least one post at any date (the posts table covers them);
    the left join to the requested accounts keeps theirs."""
    # Every account, not only the requested ones: a query that names the requested accounts
    # twice makes PostgreSQL materialise them and misjudge the posts' join. On PostgreSQL
    # each account is an index probe, on DuckDB a semi-join over one column of posts.
    del accounts
    known = canonical_table("accounts")
    posts = canonical_table("posts")
    covered = known.filter(known.account_id.isin(posts.account_id)).select("account_id")
    return covered.mutate(has_posts=ibis.literal(True))


def mention_aggregates(bounds: Any, brand_tags: Any) -> Any:
    """Per client: mentions at any date (coverage), in the period, and those in the period that
    carry a brand hashtag as a whole tag."""
    mentions = canonical_table("mentions")
    m = mentions.join(bounds, mentions.client_id == bounds.client_id).select(
        mentions.client_id,
        bounds.period_index,
        mentions.mention_id,
        mentions.tags,
        in_period=(mentions.published_at >= bounds.start_utc)
        & (mentions.published_at < bounds.end_utc),
    )
    counts = m.group_by(CLIENT_KEY).aggregate(
        mentions_ever=m.count(), mentions=m.count(where=m.in_period)
    )
    in_period = m.filter(m.in_period)
    tagged = in_period.join(
        brand_tags,
        [in_period.client_id == brand_tags.client_id, in_period.tags.contains(brand_tags.tag)],
    )
    branded = tagged.group_by(CLIENT_KEY).aggregate(branded=tagged.mention_id.nunique())
    return joined(counts, branded, CLIENT_KEY)


def web_aggregates(bounds: Any, rules: SocialRules) -> Any:
    """Per client, from ``web_sessions`` of the period's days."""
    web = canonical_table("web_sessions")
    w = web.join(bounds, web.client_id == bounds.client_id).select(
        web, bounds.period_index, bounds.start_date, bounds.end_date
    )
    w = w.filter(w.date >= w.start_date, w.date <= w.end_date)
    w = with_clean_utm(w, {"source_clean": "utm_source", "medium_clean": "utm_medium"})
    w = w.mutate(social=is_social(w.client_id, w.source_clean, w.medium_clean, None, rules))
    return w.group_by(CLIENT_KEY).aggregate(
        sessions_known=w.sessions.count(),
        goals_known=w.goal_completions.count(),
        social_rows=w.count(where=w.social),
        social_sessions=w.sessions.sum(where=w.social),
        social_sessions_n=w.sessions.count(where=w.social),
        social_goals=w.goal_completions.sum(where=w.social),
        social_goals_n=w.goal_completions.count(where=w.social),
    )


def lead_aggregates(bounds: Any, rules: SocialRules) -> Any:
    """Per client: all leads (coverage) and the social leads created in the period."""
    leads = canonical_table("leads")
    lead = leads.join(bounds, leads.client_id == bounds.client_id).select(
        leads.client_id,
        bounds.period_index,
        leads.utm_source,
        leads.utm_medium,
        leads.channel,
        in_period=(leads.created_at >= bounds.start_utc) & (leads.created_at < bounds.end_utc),
    )
    lead = with_clean_utm(
        lead, {"source": "utm_source", "medium": "utm_medium", "channel_clean": "channel"}
    )
    lead = lead.mutate(
        social=is_social(lead.client_id, lead.source, lead.medium, lead.channel_clean, rules)
    )
    return lead.group_by(CLIENT_KEY).aggregate(
        leads_ever=lead.count(), leads=lead.count(where=lead.in_period & lead.social)
    )


def sale_aggregates(bounds: Any, rules: SocialRules) -> Any:
    """Per client: all sales (coverage), and the social sales closed in the period with their
    revenue. A sale whose five UTM fields and channel are all empty (macros count as empty)
    takes them from its lead, when the lead is known — all or nothing, never field by field."""
    sales = canonical_table("sales")
    leads = canonical_table("leads")
    in_scope = sales.join(bounds, sales.client_id == bounds.client_id).select(
        sales,
        bounds.period_index,
        in_period=(sales.closed_at >= bounds.start_utc) & (sales.closed_at < bounds.end_utc),
    )
    in_scope = with_clean_utm(in_scope, {f"own_{name}": name for name in UTM_FIELDS})
    # Only the leads that some sale of these clients names: their UTM values are the only ones
    # a sale can inherit.
    # (semi-joins: a join to the bounds would repeat each lead once per period)
    named = leads.filter(
        leads.client_id.isin(bounds.client_id), leads.lead_id.isin(in_scope.lead_id)
    )
    lead_utm = with_clean_utm(
        named.select(
            lead_client="client_id", lead_ref="lead_id", **{f"raw_{n}": n for n in UTM_FIELDS}
        ),
        {f"lead_{name}": f"raw_{name}" for name in UTM_FIELDS},
    )
    s = in_scope.left_join(
        lead_utm,
        [in_scope.client_id == lead_utm.lead_client, in_scope.lead_id == lead_utm.lead_ref],
    )
    own_empty = s.lead_ref.notnull()
    for name in UTM_FIELDS:
        own_empty = own_empty & s[f"own_{name}"].isnull()
    s = s.select(
        "client_id",
        "period_index",
        "amount",
        "in_period",
        inherit=own_empty,
        **{
            name: ibis.ifelse(own_empty, s[f"lead_{name}"], s[f"own_{name}"])
            for name in ("utm_source", "utm_medium", "channel")
        },
    )
    s = s.mutate(social=is_social(s.client_id, s.utm_source, s.utm_medium, s.channel, rules))
    chosen = s.in_period & s.social
    return s.group_by(CLIENT_KEY).aggregate(
        sales_ever=s.count(),
        sales=s.count(where=chosen),
        inherited=s.count(where=chosen & s.inherit),
        revenue=s.amount.sum(where=chosen),
        revenue_n=s.amount.count(where=chosen),
    )


def spend_aggregates(bounds: Any) -> Any:
    """Per client: ad spend over the period's days."""
    spend = canonical_table("ad_spend")
    a = spend.join(bounds, spend.client_id == bounds.client_id).select(
        spend, bounds.period_index, bounds.start_date, bounds.end_date
    )
    a = a.filter(a.date >= a.start_date, a.date <= a.end_date)
    return a.group_by(CLIENT_KEY).aggregate(ad_spend=a.amount.sum(), ad_spend_n=a.amount.count())
