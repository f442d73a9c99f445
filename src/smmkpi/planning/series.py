"""A client's KPIs as series: month by month through the KPI engine (the same definitions as
every report), and day by day for the quantities whose days tell a story (a giveaway spike, a
bot wave, a drop, a gap).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc

from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.kept import kpi_values
from smmkpi.metrics.periods import Period
from smmkpi.metrics.queries import DAILY_SUMS
from smmkpi.metrics.scope import ClientInfo
from smmkpi.store.connection import Connection
from smmkpi.store.database import Store
from smmkpi.store.readings import owned_rows

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
surface posts; see docs/planning.md)."""


def maturity(age_days: float) -> float:
    """The share of its lifetime metrics a post has gathered ``age_days`` after publication."""
    return 1.0 - math.exp(-max(age_days, 0.0) / MATURITY_DAYS)


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
    series: dict[str, dict[str, dict[date, float]]], table: pa.Table, names: dict[str, str]
) -> None:
    """Add ``table``'s columns (``names``: column → series), summed by client and day, to
    ``series``; a day whose values are all unknown adds nothing."""
    if table.num_rows == 0:
        return
    grouped = table.group_by(["client_id", "date"]).aggregate([(column, "sum") for column in names])
    clients_col = grouped.column("client_id").to_pylist()
    days = grouped.column("date").to_pylist()
    for column, name in names.items():
        for client_id, day, value in zip(
            clients_col, days, grouped.column(f"{column}_sum").to_pylist(), strict=True
        ):
            if value is not None:
                series[client_id][name][day] += value


def _add_posts(
    series: dict[str, dict[str, dict[date, float]]],
    posts: pa.Table,
    clients: Sequence[ClientInfo],
    owner: dict[str, ClientInfo],
    first: date,
    last: date,
) -> None:
    """Posts, interactions (the known parts of each post; none when all are unknown) and post
    reach by client and local day of publication, zone by zone."""
    if posts.num_rows == 0:
        return
    parts = [posts.column(p) for p in INTERACTION_PARTS]
    known = pc.or_(
        pc.or_(pc.is_valid(parts[0]), pc.is_valid(parts[1])),
        pc.or_(pc.is_valid(parts[2]), pc.is_valid(parts[3])),
    )
    total = pc.add(
        pc.add(pc.fill_null(parts[0], 0), pc.fill_null(parts[1], 0)),
        pc.add(pc.fill_null(parts[2], 0), pc.fill_null(parts[3], 0)),
    )
    interactions = pc.if_else(known, total, pa.scalar(None, total.type))
    client_col = pa.array(
        [owner[a].client_id for a in posts.column("account_id").to_pylist()], pa.string()
    )
    base = pa.table(
        {
            "client_id": client_col,
            "published_at": posts.column("published_at"),
            "one": pa.array([1] * posts.num_rows, pa.int64()),
            "interactions": interactions,
            "reach": posts.column("reach"),
            "maturity": pa.array(
                [
                    maturity((captured - published).total_seconds() / 86_400)
                    for published, captured in zip(
                        posts.column("published_at").to_pylist(),
                        posts.column("captured_at").to_pylist(),
                        strict=True,
                    )
                ],
                pa.float64(),
            ),
        }
    )
    for zone in sorted({c.timezone for c in clients}):
        in_zone = [c.client_id for c in clients if c.timezone == zone]
        chosen = base.filter(pc.is_in(base.column("client_id"), pa.array(in_zone, pa.string())))
        if chosen.num_rows == 0:
            continue
        instants = chosen.column("published_at").cast(pa.timestamp("us", tz="UTC"))
        local = pc.local_timestamp(instants.cast(pa.timestamp("us", tz=zone)))
        days = local.cast(pa.date32())
        chosen = chosen.append_column("date", days).filter(
            pc.and_(
                pc.greater_equal(days, pa.scalar(first, pa.date32())),
                pc.less_equal(days, pa.scalar(last, pa.date32())),
            )
        )
        _add_sums(
            series,
            chosen,
            {
                "one": "posts",
                "interactions": "interactions",
                "reach": "post_reach",
                "maturity": "posts_maturity",
            },
        )


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
        ["account_id", "date", "followers", *ACCOUNT_DAILY],
        "account_id",
        list(owner),
        ("date", first, last),
        end_included=True,
    )
    accounts_col = table.column("account_id").to_pylist()
    for account, day in zip(accounts_col, table.column("date").to_pylist(), strict=True):
        account_days[owner[account].client_id][account].add(day)
    _add_level_changes(series, table, owner)
    table = table.drop_columns(["followers"])
    table = table.append_column(
        "client_id", pa.array([owner[a].client_id for a in accounts_col], pa.string())
    )
    _add_sums(series, table, {column: column for column in ACCOUNT_DAILY})
    # instants: the widest UTC window of the clients' zones, each row placed in its own zone
    bounds = [Period(first, last).utc_bounds(c.timezone) for c in clients] or [
        Period(first, last).utc_bounds("UTC")
    ]
    start, end = min(b[0] for b in bounds), max(b[1] for b in bounds)
    zones = {c.client_id: ZoneInfo(c.timezone) for c in clients}

    def local_day(client_id: str, instant: Any) -> date | None:
        day: date = instant.astimezone(zones[client_id]).date()
        return day if first <= day <= last else None

    found_posts = owned_rows(
        con,
        "posts",
        ["account_id", "published_at", "captured_at", *INTERACTION_PARTS, "reach"],
        "account_id",
        list(owner),
        ("published_at", start, end),
        end_included=False,
    )
    _add_posts(series, found_posts, clients, owner, first, last)
    ids = list(by_id)
    for table, column, name in (
        ("mentions", "published_at", "mentions"),
        ("leads", "created_at", "leads"),
    ):
        extra = ("utm_source", "utm_medium", "channel") if table == "leads" else ()
        selected = owned_rows(
            con,
            table,
            ["client_id", column, *extra],
            "client_id",
            ids,
            (column, start, end),
            end_included=False,
        )
        for row in selected.to_pylist():
            client_id = row["client_id"]
            if table == "leads" and not rules.counts_as_social(
                client_id, row["utm_source"], row["utm_medium"], row["channel"]
            ):
                continue
            day = local_day(client_id, row[column])
            if day is not None:
                series[client_id][name][day] += 1
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
