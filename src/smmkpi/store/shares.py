"""Share links: a client's report (or live dashboard) opened without signing in, through an
unguessable token. Only the token's SHA-256 is stored; every view is logged, refused ones too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from smmkpi.store.connection import Connection
from smmkpi.tokens import new_token, token_hash


@dataclass(frozen=True)
class ShareLink:
    link_id: str
    client_id: str
    kind: str  # report or dashboard
    month: str | None
    language: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    def state(self, now: datetime) -> str:
        """active, expired or revoked."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if now >= self.expires_at else "active"


_COLUMNS = (
    "link_id, client_id, kind, month, language, created_by, created_at, expires_at, revoked_at"
)


def add_link(con: Connection, link: ShareLink, token_hash: str) -> None:
    con.execute(
        f"INSERT INTO share_links (token_hash, {_COLUMNS}) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        [
            token_hash,
            link.link_id,
            link.client_id,
            link.kind,
            link.month,
            link.language,
            link.created_by,
            link.created_at,
            link.expires_at,
            link.revoked_at,
        ],
    )


def open_link(
    con: Connection,
    client_id: str,
    month: str | None,
    language: str,
    created_by: str,
    now: datetime,
    days: int,
) -> str:
    """A new share link to ``client_id``'s report of ``month`` (the live dashboard when None),
    open for ``days``: its token, which only the caller ever sees."""
    token = new_token()
    link = ShareLink(
        link_id=new_token()[:12],
        client_id=client_id,
        kind="report" if month else "dashboard",
        month=month,
        language=language,
        created_by=created_by,
        created_at=now,
        expires_at=now + timedelta(days=days),
        revoked_at=None,
    )
    add_link(con, link, token_hash(token))
    return token


def link_by_token(con: Connection, token_hash: str) -> ShareLink | None:
    row = con.execute(
        f"SELECT {_COLUMNS} FROM share_links WHERE token_hash = $1", [token_hash]
    ).fetchone()
    return None if row is None else ShareLink(*row)


def links_of(con: Connection, client_id: str) -> list[ShareLink]:
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM share_links WHERE client_id = $1 ORDER BY created_at DESC",
        [client_id],
    ).fetchall()
    return [ShareLink(*row) for row in rows]


def revoke(con: Connection, client_id: str, link_id: str, now: datetime) -> bool:
    """Revoke a link of ``client_id``; False when it has no such link."""
    found = con.execute(
        "UPDATE share_links SET revoked_at = coalesce(revoked_at, $1) WHERE client_id = $2 AND "
        "link_id = $3 RETURNING link_id",
        [now, client_id, link_id],
    ).fetchall()
    return bool(found)


def log_view(
    con: Connection,
    link_id: str,
    now: datetime,
    outcome: str,
    address_hash: str | None,
    user_agent: str | None,
) -> None:
    """Log a view of a link: the address only as its keyed hash (``Site.address_hash``)."""
    con.execute(
        "INSERT INTO share_views VALUES ($1, $2, $3, $4, $5)",
        [link_id, now, outcome, address_hash, (user_agent or "")[:300]],
    )


def views_of(con: Connection, link_id: str) -> list[tuple[datetime, str]]:
    rows = con.execute(
        "SELECT viewed_at, outcome FROM share_views WHERE link_id = $1 ORDER BY viewed_at",
        [link_id],
    ).fetchall()
    return [(r[0], r[1]) for r in rows]
