"""The posts content analytics groups (``content.py``): each post a client's accounts published
in the period, with what the catalogue measures it by — its interactions' parts, its reach and
``F(p)``, its account's average followers over the period (spec/metrics.md, Engagement).

Built in Ibis against the canonical tables and the per-call ``kpi_bounds`` table, like the KPI
queries, so the same query runs on DuckDB, PostgreSQL and Spark; compiled once and kept
(``plan_cache.compiled_query``). Grouping happens afterwards in Python: a client's month is
hundreds of posts, and a post's weekday and hour are local times in the client's zone.
"""

from __future__ import annotations

from typing import Any

from smmkpi.metrics import queries

POST_COLUMNS = (
    "account_id",
    "post_id",
    "published_at",
    "kind",
    "attributes",
    "text",
    "likes",
    "comments",
    "shares",
    "saves",
    "views",
    "reach",
)


def content_posts_query() -> Any:
    """Per post of the requested clients' accounts published in each requested period: its
    columns, its client, the period's number and ``followers_avg`` (F of the post)."""
    accounts = queries.scope_accounts(queries.bounds_table())
    daily = queries.daily_aggregates(accounts)
    posts = queries.canonical_table("posts")
    p = posts.join(accounts, posts.account_id == accounts.account_id).select(
        *[posts[c] for c in POST_COLUMNS],
        accounts.client_id,
        accounts.period_index,
        accounts.start_utc,
        accounts.end_utc,
    )
    p = p.filter(p.published_at >= p.start_utc, p.published_at < p.end_utc)
    f = daily.select(
        f_account=daily.account_id,
        f_period=daily.period_index,
        followers_avg=daily.d_followers_avg.cast("float64"),
    )
    joined = p.left_join(f, [p.account_id == f.f_account, p.period_index == f.f_period])
    return joined.select(
        *[joined[c] for c in POST_COLUMNS],
        joined.client_id,
        joined.period_index,
        joined.followers_avg,
    ).order_by(["published_at", "account_id", "post_id"])
