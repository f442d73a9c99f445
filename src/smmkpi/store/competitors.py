"""Competitors followed for each client (``shared/spec/sync-and-delivery.md`` §5): their
public counters snapshotted at every sync — each snapshot kept with its time — and their
posts' public counters as last read. Kept apart from the canonical ``accounts`` and ``posts``,
so a competitor never counts in its client's KPIs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from smmkpi.store.connection import Connection

PLATFORMS = ("vk", "telegram", "instagram", "youtube", "tiktok", "facebook")
"""Where competitors can be followed (``shared/reference/platform-apis.md`` §5)."""
SYNCED = ("vk", "telegram", "instagram", "youtube")
"""Where a sync reads their public counters; the others' are recorded by hand (``smmkpi
competitor snapshot``): TikTok gives apps no public data of other accounts, and Facebook's
needs a feature Meta reviews."""


@dataclass(frozen=True)
class StoredCompetitor:
    competitor_id: str
    client_id: str
    platform: str
    handle: str
    name: str | None
    created_at: datetime | None = None


@dataclass(frozen=True)
class Snapshot:
    """A competitor's public counters as one sync read them."""

    competitor_id: str
    captured_at: datetime
    followers: int | None
    name: str | None = None


@dataclass(frozen=True)
class CompetitorPost:
    """A competitor's post with its public lifetime counters as read at ``captured_at``."""

    competitor_id: str
    post_id: str
    published_at: datetime
    likes: int | None
    comments: int | None
    shares: int | None
    views: int | None
    captured_at: datetime


def normal_handle(text: str) -> str:
    """A handle as typed (a name, ``@name``, a link), without the scheme, ``www.`` and a
    trailing slash: what the competitor is known by."""
    handle = text.strip()
    for prefix in ("https://", "http://", "www."):
        handle = handle.removeprefix(prefix)
    return handle.rstrip("/")


def competitor_id(client_id: str, platform: str, handle: str) -> str:
    return f"{client_id}:{platform}:{handle}"


_COLUMNS = "competitor_id, client_id, platform, handle, name, created_at"


def add(con: Connection, found: StoredCompetitor) -> bool:
    """Follow a competitor; False when this client follows it already."""
    if con.execute(
        "SELECT 1 FROM competitors WHERE competitor_id = $1", [found.competitor_id]
    ).fetchone():
        return False
    con.execute(
        f"INSERT INTO competitors ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)",
        [found.competitor_id, found.client_id, found.platform, found.handle, found.name,
         found.created_at],
    )  # fmt: skip
    return True


def listed(
    con: Connection, client_id: str | None = None, platform: str | None = None
) -> list[StoredCompetitor]:
    """The competitors (of one client, on one platform), by client, platform and handle."""
    query = f"SELECT {_COLUMNS} FROM competitors WHERE 1 = 1"
    parameters: list[object] = []
    for column, value in (("client_id", client_id), ("platform", platform)):
        if value is not None:
            parameters.append(value)
            query += f" AND {column} = ${len(parameters)}"
    rows = con.execute(query + " ORDER BY client_id, platform, handle", parameters).fetchall()
    return [StoredCompetitor(*row) for row in rows]


def remove(con: Connection, client_id: str, platform: str, handle: str) -> bool:
    """Stop following a competitor; its snapshots and posts go with it."""
    key = competitor_id(client_id, platform, handle)
    gone = con.execute(
        "DELETE FROM competitors WHERE competitor_id = $1 RETURNING competitor_id", [key]
    ).fetchall()
    con.execute("DELETE FROM competitor_snapshots WHERE competitor_id = $1", [key])
    con.execute("DELETE FROM competitor_posts WHERE competitor_id = $1", [key])
    return bool(gone)


def record(con: Connection, snapshots: Sequence[Snapshot], posts: Sequence[CompetitorPost]) -> None:
    """Keep what a sync read: every snapshot (one of the same competitor and time is the same
    reading, kept once), and each post's counters when they are newer than those stored."""
    for snap in snapshots:
        if not con.execute(
            "SELECT 1 FROM competitor_snapshots WHERE competitor_id = $1 AND captured_at = $2",
            [snap.competitor_id, snap.captured_at],
        ).fetchone():
            con.execute(
                "INSERT INTO competitor_snapshots (competitor_id, captured_at, followers, name) "
                "VALUES ($1, $2, $3, $4)",
                [snap.competitor_id, snap.captured_at, snap.followers, snap.name],
            )
    for post in posts:
        stored = con.execute(
            "SELECT captured_at FROM competitor_posts WHERE competitor_id = $1 AND post_id = $2",
            [post.competitor_id, post.post_id],
        ).fetchone()
        values = [post.published_at, post.likes, post.comments, post.shares, post.views,
                  post.captured_at, post.competitor_id, post.post_id]  # fmt: skip
        if stored is None:
            con.execute(
                "INSERT INTO competitor_posts (published_at, likes, comments, shares, views, "
                "captured_at, competitor_id, post_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                values,
            )
        elif stored[0] < post.captured_at:
            con.execute(
                "UPDATE competitor_posts SET published_at = $1, likes = $2, comments = $3, "
                "shares = $4, views = $5, captured_at = $6 WHERE competitor_id = $7 AND "
                "post_id = $8",
                values,
            )


def snapshots(con: Connection, competitor: str) -> list[Snapshot]:
    rows = con.execute(
        "SELECT competitor_id, captured_at, followers, name FROM competitor_snapshots "
        "WHERE competitor_id = $1 ORDER BY captured_at",
        [competitor],
    ).fetchall()
    return [Snapshot(*row) for row in rows]


def posts(con: Connection, competitor: str, start: datetime, end: datetime) -> list[CompetitorPost]:
    """The competitor's posts published from ``start`` (included) to ``end`` (excluded)."""
    rows = con.execute(
        "SELECT competitor_id, post_id, published_at, likes, comments, shares, views, "
        "captured_at FROM competitor_posts WHERE competitor_id = $1 AND published_at >= $2 "
        "AND published_at < $3 ORDER BY published_at, post_id",
        [competitor, start, end],
    ).fetchall()
    return [CompetitorPost(*row) for row in rows]
