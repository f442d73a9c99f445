"""A client's accounts beside its competitors over the same period, measured the same way from
what is public (``shared/spec/sync-and-delivery.md`` §5; ``reference/platform-apis.md`` §5).

Competitors' numbers are their public counters as our syncs read them: followers from a snapshot
at every sync since the competitor was added, posts with their likes, comments and
shares/forwards as last read. What needs private statistics (reach, ERR, unfollows) is never
shown for anyone in this comparison. For each row:

- ``followers_end``: the last follower count in the period (the last snapshot; for the client's
  own account, the last day with a count);
- ``followers_growth``: that count less the first one in the period; null with fewer than two;
- ``posts``: posts published in the period (the client's local days), ``posts_per_week`` the
  same per 7 days of the period;
- ``interactions_per_post``: Σ interactions / the posts whose interactions are known
  (likes + comments + shares, an unknown part counting 0, as the catalogue's);
- ``er_by_followers``: Σ interactions / Σ followers at publication × 100 over the posts with
  known interactions and followers: the catalogue's ER, its denominator the follower count
  last read before each post (a snapshot; for the client's own account, the day's count). A post
  published before the first snapshot has no follower count: it counts in ``posts`` and
  ``interactions_per_post`` but not in ER.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from smmkpi.metrics.periods import Period
from smmkpi.metrics.scope import ClientInfo
from smmkpi.store import competitors as stored
from smmkpi.store.arrow import python_rows
from smmkpi.store.connection import Connection
from smmkpi.store.readings import owned_rows


@dataclass(frozen=True)
class Published:
    """A post as the comparison measures it: when, and its public interactions' parts."""

    published_at: datetime
    likes: int | None
    comments: int | None
    shares: int | None

    @property
    def interactions(self) -> int | None:
        parts = (self.likes, self.comments, self.shares)
        if all(p is None for p in parts):
            return None
        return sum(p or 0 for p in parts)


@dataclass
class ComparisonRow:
    """One account of the client, or one competitor, in the comparison."""

    name: str
    platform: str
    handle: str
    is_client: bool
    followers_end: int | None
    followers_growth: int | None
    posts: int
    posts_per_week: float
    interactions_per_post: float | None
    er_by_followers: float | None
    since: datetime | None = None
    """A competitor's first snapshot: its numbers rest on our snapshots since then."""

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "platform": self.platform,
            "handle": self.handle,
            "is_client": self.is_client,
            "followers_end": self.followers_end,
            "followers_growth": self.followers_growth,
            "posts": self.posts,
            "posts_per_week": self.posts_per_week,
            "interactions_per_post": self.interactions_per_post,
            "er_by_followers": self.er_by_followers,
        }


def measured(
    name: str,
    platform: str,
    handle: str,
    is_client: bool,
    period: Period,
    counts: Sequence[tuple[Any, int | None]],
    posts: Sequence[Published],
    followers_at: Any,
) -> ComparisonRow:
    """A row from the follower counts read in the period (``counts``: (when, count), oldest
    first), the period's posts and ``followers_at(post)``, the count last read before it."""
    known = [c[1] for c in counts if c[1] is not None]
    end = known[-1] if known else None
    growth = known[-1] - known[0] if len(known) >= 2 else None
    with_interactions = [p for p in posts if p.interactions is not None]
    per_post = (
        sum(p.interactions or 0 for p in with_interactions) / len(with_interactions)
        if with_interactions
        else None
    )
    numerator = denominator = 0.0
    for post in with_interactions:
        base = followers_at(post)
        if base is not None:
            numerator += post.interactions or 0
            denominator += base
    er = numerator / denominator * 100 if denominator else None
    return ComparisonRow(
        name, platform, handle, is_client, end, growth, len(posts),
        len(posts) / period.days * 7, per_post, er,
    )  # fmt: skip


def comparison(con: Connection, client: ClientInfo, period: Period) -> list[ComparisonRow]:
    """The client's accounts (on the platforms of its competitors and its own), then its
    competitors, over ``period``."""
    start, end = period.utc_bounds(client.timezone)
    zone = ZoneInfo(client.timezone)
    rows = [_own(con, account, client, period, zone) for account in client.accounts]
    for competitor in stored.listed(con, client.client_id):
        snaps = stored.snapshots(con, competitor.competitor_id)
        times = [s.captured_at for s in snaps]
        in_period = [(s.captured_at, s.followers) for s in snaps if start <= s.captured_at < end]
        found = [
            Published(p.published_at, p.likes, p.comments, p.shares)
            for p in stored.posts(con, competitor.competitor_id, start, end)
        ]

        def followers_at(post: Published, snaps: Any = snaps, times: Any = times) -> Any:
            index = bisect_right(times, post.published_at)
            return snaps[index - 1].followers if index else None

        name = competitor.name or next(
            (s.name for s in reversed(snaps) if s.name), competitor.handle
        )
        row = measured(name, competitor.platform, competitor.handle, False, period, in_period,
                       found, followers_at)  # fmt: skip
        row.since = times[0] if times else None
        rows.append(row)
    return rows


def _own(
    con: Connection, account: Any, client: ClientInfo, period: Period, zone: ZoneInfo
) -> ComparisonRow:
    start, end = period.utc_bounds(client.timezone)
    days = python_rows(
        owned_rows(con, "account_daily", ["date", "followers"], "account_id",
                   [account.account_id], ("date", date.min, period.end), end_included=True)
    )  # fmt: skip
    levels = sorted((r["date"], r["followers"]) for r in days if r["followers"] is not None)
    in_period = [(d, f) for d, f in levels if d >= period.start]
    posts = [
        Published(r["published_at"], r["likes"], r["comments"], r["shares"])
        for r in python_rows(
            owned_rows(
                con,
                "posts",
                ["published_at", "likes", "comments", "shares"],
                "account_id",
                [account.account_id],
                ("published_at", start, end),
                end_included=False,
            )
        )
    ]
    level_days = [d for d, _f in levels]

    def followers_at(post: Published) -> Any:
        index = bisect_right(level_days, post.published_at.astimezone(zone).date())
        return levels[index - 1][1] if index else None

    return measured(
        account.name or account.handle or account.account_id,
        account.platform,
        account.handle or account.account_id,
        True,
        period,
        in_period,
        posts,
        followers_at,
    )


def shown_rows(rows: list[ComparisonRow]) -> list[ComparisonRow]:
    """The rows a report or a page shows: the client's accounts and the competitors read at
    least once; none when no competitor has been read yet."""
    read = [r for r in rows if not r.is_client and r.since is not None]
    return [r for r in rows if r.is_client] + read if read else []
