"""A client's KPIs as series: month by month through the KPI engine (the same definitions as
every report), and day by day for the quantities whose days tell a story (a giveaway spike, a
bot wave, a drop, a gap).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.compute import compute_kpis
from smmkpi.metrics.periods import Period
from smmkpi.metrics.queries import DAILY_SUMS
from smmkpi.metrics.scope import ClientInfo

# the daily quantity that shows what moves a KPI
DAILY_OF_KPI: dict[str, str] = {
    "followers": "followers_gained",
    "followers_gained": "followers_gained",
    "net_follower_growth": "followers_gained",
    "follower_growth_rate": "followers_gained",
    "audience_renewal_rate": "followers_gained",
    "followers_lost": "followers_lost",
    "churn_rate": "followers_lost",
    "reach": "reach",
    "impressions": "impressions",
    "post_reach": "post_reach",
    "avg_post_reach": "post_reach",
    "post_reach_organic": "post_reach",
    "post_reach_viral": "post_reach",
    "post_reach_paid": "post_reach",
    "posts": "posts",
    "interactions": "interactions",
    "er": "interactions",
    "err": "interactions",
    "like_rate": "interactions",
    "talk_rate": "interactions",
    "amplification_rate": "interactions",
    "er_day": "interactions",
    "mentions": "mentions",
    "branded_hashtag_posts": "mentions",
    "link_clicks": "link_clicks",
    "profile_visits": "profile_visits",
    "contact_clicks": "contact_clicks",
    "location_clicks": "location_clicks",
    "site_sessions": "site_sessions",
    "site_goal_completions": "site_sessions",
    "leads": "leads",
    "cpl": "leads",
    "lead_conversion_rate": "leads",
}
ACCOUNT_DAILY = DAILY_SUMS  # the additive columns of account_daily


def months_back(last: Period, count: int) -> list[Period]:
    """``count`` calendar months ending with ``last``, oldest first."""
    months = [last]
    while len(months) < count:
        months.insert(0, months[0].previous_month())
    return months


def next_months(after: Period, count: int) -> list[Period]:
    months = []
    current = after
    for _ in range(count):
        current = Period.of_month(current.end + timedelta(days=1))
        months.append(current)
    return months


def monthly_values(
    backend: Any,
    client_ids: Sequence[str],
    months: Sequence[Period],
    rules: SocialRules | None = None,
) -> dict[str, dict[str, list[Any]]]:
    """Every KPI's value for each client in each of ``months`` (None where unknown): client →
    KPI → values, oldest month first. One computation per month for all the clients."""
    series: dict[str, dict[str, list[Any]]] = {c: defaultdict(list) for c in client_ids}
    for period in months:
        for result in compute_kpis(backend, period, list(client_ids), rules):
            for kpi_id, value in result.kpis.items():
                series[result.client.client_id][kpi_id].append(value.value)
    return {client: dict(kpis) for client, kpis in series.items()}


@dataclass
class DailyData:
    """A client's daily quantities, and which days each account has daily statistics for."""

    series: dict[str, dict[date, float]]
    account_days: dict[str, set[date]]


def daily_data(
    backend: Any, client: ClientInfo, first: date, last: date, rules: SocialRules | None = None
) -> DailyData:
    """The client's daily quantities from ``first`` to ``last`` (local days)."""
    rules = rules or SocialRules()
    zone = ZoneInfo(client.timezone)
    accounts = [a.account_id for a in client.accounts]
    series: dict[str, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    account_days: dict[str, set[date]] = defaultdict(set)
    daily = backend.table("account_daily")
    rows = (
        daily.filter(daily.account_id.isin(accounts or [""]) & daily.date.between(first, last))
        .select("account_id", "date", *ACCOUNT_DAILY)
        .to_pyarrow()
        .to_pylist()
    )
    for row in rows:
        account_days[row["account_id"]].add(row["date"])
        for column in ACCOUNT_DAILY:
            if row[column] is not None:
                series[column][row["date"]] += row[column]
    start, end = Period(first, last).utc_bounds(client.timezone)
    posts = backend.table("posts")
    for row in (
        posts.filter(
            posts.account_id.isin(accounts or [""])
            & (posts.published_at >= start)
            & (posts.published_at < end)
        )
        .select("published_at", "likes", "comments", "shares", "saves", "reach")
        .to_pyarrow()
        .to_pylist()
    ):
        day = row["published_at"].astimezone(zone).date()
        series["posts"][day] += 1
        parts = [row[c] for c in ("likes", "comments", "shares", "saves") if row[c] is not None]
        if parts:
            series["interactions"][day] += sum(parts)
        if row["reach"] is not None:
            series["post_reach"][day] += row["reach"]
    for table, column, name in (
        ("mentions", "published_at", "mentions"),
        ("leads", "created_at", "leads"),
    ):
        events = backend.table(table)
        selected = events.filter(
            (events.client_id == client.client_id)
            & (events[column] >= start)
            & (events[column] < end)
        )
        extra = ("utm_source", "utm_medium", "channel") if table == "leads" else ()
        for row in selected.select(column, *extra).to_pyarrow().to_pylist():
            if table == "leads" and not rules.counts_as_social(
                client.client_id, row["utm_source"], row["utm_medium"], row["channel"]
            ):
                continue
            series[name][row[column].astimezone(zone).date()] += 1
    sessions = backend.table("web_sessions")
    for row in (
        sessions.filter(
            (sessions.client_id == client.client_id) & sessions.date.between(first, last)
        )
        .select("date", "utm_source", "utm_medium", "sessions")
        .to_pyarrow()
        .to_pylist()
    ):
        if row["sessions"] is not None and rules.counts_as_social(
            client.client_id, row["utm_source"], row["utm_medium"]
        ):
            series["site_sessions"][row["date"]] += row["sessions"]
    for name in ("mentions", "leads"):  # an event count is 0 on a day without events
        if name in series:
            day = first
            while day <= last:
                series[name].setdefault(day, 0.0)
                day += timedelta(days=1)
    return DailyData({k: dict(v) for k, v in series.items()}, dict(account_days))
