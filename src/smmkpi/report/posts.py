"""The month's posts ranked by ERR (interactions / reach × 100), for the best and worst posts
of the community section. A post counts when its reach is above 0 and some interaction is known
— the same posts the ``err`` KPI rests on."""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from smmkpi.metrics.periods import Period
from smmkpi.metrics.scope import ClientInfo
from smmkpi.report.model import Post, PostGroup
from smmkpi.store.arrow import python_rows
from smmkpi.store.connection import Connection
from smmkpi.store.readings import owned_rows

EXCERPT_CHARS = 120
PARTS = ("likes", "comments", "shares", "saves")


def excerpt(text: str | None, limit: int = EXCERPT_CHARS) -> str:
    """The post's first line of text — what a reader recognises it by —, cut at a word near
    ``limit`` characters."""
    first = next((line for line in (text or "").splitlines() if line.strip()), "")
    flat = " ".join(first.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(",.;:—- ") + "…"


def safe_link(url: str | None) -> str | None:
    """``url`` when it is an http(s) link to a host; anything else (``javascript:``, ``data:``,
    relative paths) is no link at all."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return url.strip()


def ranked_posts(con: Connection, client: ClientInfo, month: Period) -> list[Post]:
    """The month's posts with an ERR, best first (ties: earlier post first)."""
    accounts = {a.account_id: a for a in client.accounts}
    start, end = month.utc_bounds(client.timezone)
    rows = python_rows(
        owned_rows(
            con,
            "posts",
            ["account_id", "post_id", "published_at", "text", "url", "reach", *PARTS],
            "account_id",
            list(accounts),
            ("published_at", start, end),
            end_included=False,
            positive="reach",
        )
    )
    zone = ZoneInfo(client.timezone)
    found = []
    for row in rows:
        known = [row[p] for p in PARTS if row[p] is not None]
        if not known:
            continue
        account = accounts[row["account_id"]]
        interactions = int(sum(known))
        found.append(
            (
                row["published_at"],
                row["post_id"],
                Post(
                    account=account.name or account.handle or account.account_id,
                    platform=account.platform,
                    published=row["published_at"].astimezone(zone).date(),
                    excerpt=excerpt(row["text"]),
                    url=safe_link(row["url"]),
                    interactions=interactions,
                    reach=int(row["reach"]),
                    err=interactions / row["reach"] * 100,
                ),
            )
        )
    found.sort(key=lambda item: (-item[2].err, item[0], item[1]))
    return [post for _time, _id, post in found]


def best_and_worst(ranked: list[Post], count: int) -> tuple[list[Post], list[Post]]:
    """The ``count`` best posts, and the ``count`` worst of the rest (worst first)."""
    best = ranked[:count]
    rest = ranked[count:]
    return best, list(reversed(rest[-count:])) if rest else []


def by_platform(ranked: list[Post], count: int) -> list[PostGroup]:
    """The best and weakest posts of each platform (ERR is compared within a platform), the
    platform with the most posts first."""
    platforms: dict[str, list[Post]] = {}
    for post in ranked:
        platforms.setdefault(post.platform, []).append(post)
    order = sorted(platforms, key=lambda p: (-len(platforms[p]), p))
    return [PostGroup(p, *best_and_worst(platforms[p], count)) for p in order]
