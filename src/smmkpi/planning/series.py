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

import pyarrow as pa

from smmkpi.metrics.additive import DAILY_SUMS
from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.kept import kpi_values
from smmkpi.metrics.periods import Period
from smmkpi.metrics.scope import ClientInfo
from smmkpi.store.connection import Connection
from smmkpi.store.database import Store
from smmkpi.store.readings import (
    PostedAccount,
    client_daily_sums,
    client_event_days,
    client_post_days,
    owned_rows,
)

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
    store: Store,
    client_ids: Sequence[str],
    months: Sequence[Period],
    rules: SocialRules | None = None,
) -> dict[str, dict[str, list[Any]]]:
    """Every KPI's value for each client in each of ``months`` (None where unknown): client →
    KPI → values, oldest month first. The months already computed in this process are kept
    (``metrics/kept.py``); the others are computed in one call for all the clients."""
    series: dict[str, dict[str, list[Any]]] = {c: defaultdict(list) for c in client_ids}
    for found in kpi_values(store, months, list(client_ids), rules):
        for client_id, values in found.items():
            for kpi_id, value in values.items():
                series[client_id][kpi_id].append(value)
    return {client: dict(kpis) for client, kpis in series.items()}


@dataclass
class DailyData:
    """A client's daily quantities, and which days each account has daily statistics for."""

    series: dict[str, dict[date, float]]
    account_days: dict[str, set[date]]


INTERACTION_PARTS = ("likes", "comments", "shares", "saves")
MATURITY_DAYS = 1.0
"""How fast a post gathers its lifetime reactions, clicks and reach: 1 − e^(−age / 1 day) of
them by its age — 63 % after a day, 95 % after three (an assumption in line with how feeds
surface posts; see docs/planning.md). Summed per day as ``posts_maturity``
(``store.readings.client_post_days``)."""


def _add_level_changes(
    series: dict[str, dict[str, dict[date, float]]], table: pa.Table, owner: dict[str, Any]
) -> None:
    """``followers_change``: each day's change of the followers an account reports against the
    day before (both known), summed by client — what a level really moved by, which the
    platforms' gained − lost does not always match (deleted and banned accounts)."""
    known: dict[str, dict[date, float]] = defaultdict(dict)
    for account, day, level in zip(
        table.column("account_id").to_pylist(),
        table.column("date").to_pylist(),
        table.column("followers").to_pylist(),
        strict=True,
    ):
        if level is not None:
            known[account][day] = float(level)
    for account, levels in known.items():
        client = series[owner[account].client_id]["followers_change"]
        for day, level in levels.items():
            before = levels.get(day - timedelta(days=1))
            if before is not None:
                client[day] += level - before


def _add_sums(
    series: dict[str, dict[str, dict[date, float]]],
    rows: Sequence[tuple[Any, ...]],
    names: Sequence[str],
) -> None:
    """Add ``rows`` of (client_id, day, sums…) to ``series``, the sums being the series
    ``names`` in order; an unknown sum (every value of the day unknown) adds nothing."""
    for client_id, day, *sums in rows:
        client = series[client_id]
        for name, value in zip(names, sums, strict=True):
            if value is not None:
                client[name][day] += value


def daily_data(
    con: Connection, client: ClientInfo, first: date, last: date, rules: SocialRules | None = None
) -> DailyData:
    """The client's daily quantities from ``first`` to ``last`` (local days)."""
    return daily_data_many(con, [client], first, last, rules)[client.client_id]


def daily_data_many(
    con: Connection,
    clients: Sequence[ClientInfo],
    first: date,
    last: date,
    rules: SocialRules | None = None,
) -> dict[str, DailyData]:
    """Each client's daily quantities from ``first`` to ``last`` (its local days), read in one
    query per table for all of them."""
    rules = rules or SocialRules()
    owner = {a.account_id: c for c in clients for a in c.accounts}
    by_id = {c.client_id: c for c in clients}
    series: dict[str, dict[str, dict[date, float]]] = {
        c.client_id: defaultdict(lambda: defaultdict(float)) for c in clients
    }
    account_days: dict[str, dict[str, set[date]]] = {c.client_id: defaultdict(set) for c in clients}
    table = owned_rows(
        con,
        "account_daily",
        ["account_id", "date", "followers"],
        "account_id",
        list(owner),
        ("date", first, last),
        end_included=True,
    )
    for account, day in zip(
        table.column("account_id").to_pylist(), table.column("date").to_pylist(), strict=True
    ):
        account_days[owner[account].client_id][account].add(day)
    _add_level_changes(series, table, owner)
    client_of = {account: client.client_id for account, client in owner.items()}
    _add_sums(series, client_daily_sums(con, client_of, ACCOUNT_DAILY, first, last), ACCOUNT_DAILY)
    # posts: the widest UTC window of the clients' zones, each placed on its client's local day
    bounds = [Period(first, last).utc_bounds(c.timezone) for c in clients] or [
        Period(first, last).utc_bounds("UTC")
    ]
    start, end = min(b[0] for b in bounds), max(b[1] for b in bounds)
    posted = [
        PostedAccount(account, client.client_id, client.timezone)
        for account, client in owner.items()
    ]
    _add_sums(
        series,
        client_post_days(
            con, posted, INTERACTION_PARTS, MATURITY_DAYS, (first, last), (start, end)
        ),
        ("posts", "interactions", "post_reach", "posts_maturity"),
    )
    ids = list(by_id)
    zones = {c.client_id: c.timezone for c in clients}
    window = ((first, last), (start, end))
    for client_id, day, count in client_event_days(con, "mentions", "published_at", zones, *window):
        series[client_id]["mentions"][day] += count
    for client_id, day, source, medium, channel, count in client_event_days(
        con, "leads", "created_at", zones, *window, ("utm_source", "utm_medium", "channel")
    ):
        if rules.counts_as_social(client_id, source, medium, channel):
            series[client_id]["leads"][day] += count
    sessions = owned_rows(
        con,
        "web_sessions",
        ["client_id", "date", "utm_source", "utm_medium", "sessions"],
        "client_id",
        ids,
        ("date", first, last),
        end_included=True,
    )
    for row in sessions.to_pylist():
        if row["sessions"] is not None and rules.counts_as_social(
            row["client_id"], row["utm_source"], row["utm_medium"]
        ):
            series[row["client_id"]]["site_sessions"][row["date"]] += row["sessions"]
    found_all = {}
    for client_id, client_series in series.items():
        for name in ("mentions", "leads"):  # an event count is 0 on a day without events
            if name in client_series:
                day = first
                while day <= last:
                    client_series[name].setdefault(day, 0.0)
                    day += timedelta(days=1)
        found_all[client_id] = DailyData(
            {k: dict(v) for k, v in client_series.items()}, dict(account_days[client_id])
        )
    return found_all
