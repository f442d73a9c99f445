"""Connections to the platforms' APIs as stored: the credential only sealed (encrypted by the
caller), the sync state and the last outcome (``shared/spec/sync-and-delivery.md`` §1)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from smmkpi.store.connection import Connection

SOURCES = ("vk", "telegram", "instagram", "facebook", "youtube", "tiktok", "metrica", "ga4",
           "amocrm", "bitrix24")  # fmt: skip
CLIENT_SOURCES = frozenset({"metrica", "ga4", "amocrm", "bitrix24"})
"""Sources read for a whole client (web analytics, CRMs); the others for one account."""
STATUSES = ("ok", "never_synced", "needs_reauth", "permission_denied", "rate_limited", "failing")


@dataclass
class StoredConnection:
    source: str
    client_id: str
    account_id: str | None
    sealed: str = field(repr=False)  # the encrypted credential: never shown
    options: dict[str, Any] = field(default_factory=dict)
    status: str = "never_synced"
    last_success_at: datetime | None = None
    last_attempt_at: datetime | None = None
    synced_through: date | None = None
    token_expires_at: datetime | None = None
    last_error: str | None = None
    created_at: datetime | None = None

    @property
    def target(self) -> str:
        """The account the connection reads, or the client for client-level sources."""
        return self.account_id or self.client_id


_COLUMNS = (
    "source, client_id, account_id, credential, options, status, last_success_at, "
    "last_attempt_at, synced_through, token_expires_at, last_error, created_at"
)


def save(con: Connection, found: StoredConnection, now: datetime) -> None:
    """Add a connection, or replace the credential and options of one (a reconnection keeps
    the sync state, and starts again from ``never_synced`` only when it had never synced)."""
    con.execute(
        f"""INSERT INTO connections (target, {_COLUMNS})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (source, target) DO UPDATE SET credential = excluded.credential,
                options = excluded.options, token_expires_at = excluded.token_expires_at,
                status = CASE WHEN connections.last_success_at IS NULL THEN 'never_synced'
                              ELSE 'ok' END,
                last_error = NULL""",
        [
            found.target,
            found.source,
            found.client_id,
            found.account_id,
            found.sealed,
            json.dumps(found.options, sort_keys=True),
            found.status,
            found.last_success_at,
            found.last_attempt_at,
            found.synced_through,
            found.token_expires_at,
            found.last_error,
            now,
        ],
    )


def listed(con: Connection, client_id: str | None = None) -> list[StoredConnection]:
    """The connections (of ``client_id``), by client, source and account."""
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM connections WHERE CAST($1 AS VARCHAR) IS NULL OR client_id = $2 "
        "ORDER BY client_id, source, target",
        [client_id, client_id],
    ).fetchall()
    return [
        StoredConnection(row[0], row[1], row[2], row[3], json.loads(row[4] or "{}"), *row[5:])
        for row in rows
    ]


def remove(con: Connection, source: str, target: str) -> bool:
    """Forget a connection and its credential; False when there is none."""
    found = con.execute(
        "DELETE FROM connections WHERE source = $1 AND target = $2 RETURNING target",
        [source, target],
    ).fetchall()
    return bool(found)


def claim(
    con: Connection, source: str, target: str, owner: str, now: datetime, stale: Any
) -> str | None:
    """Claim a connection for one sync, recording the attempt; None when claimed. Else who
    holds it: a claim is taken over when ``stale(holder, claimed_at)`` says its sync is gone
    (its process died, or it is older than any sync runs)."""
    row = con.execute(
        "SELECT claimed_by, claimed_at FROM connections WHERE source = $1 AND target = $2",
        [source, target],
    ).fetchone()
    if row is None:
        return None
    holder, since = row
    if holder is not None and not stale(holder, since):
        return str(holder)
    taken = con.execute(
        """UPDATE connections SET claimed_by = $1, claimed_at = $2, last_attempt_at = $3
           WHERE source = $4 AND target = $5 AND claimed_by IS NOT DISTINCT FROM $6
           RETURNING target""",
        [owner, now, now, source, target, holder],
    ).fetchall()
    return None if taken else str(holder)


def finish(
    con: Connection,
    found: StoredConnection,
    owner: str,
    *,
    status: str,
    error: str | None,
    now: datetime,
    synced_through: date | None = None,
) -> None:
    """Record a sync's outcome and release the claim: on success the last success and the
    last day fully read (never moved back), on failure the status and the sentence why."""
    ok = status == "ok"
    through = found.synced_through
    if ok and synced_through is not None and (through is None or synced_through > through):
        through = synced_through
    con.execute(
        """UPDATE connections SET status = $1, last_error = $2, synced_through = $3,
               last_success_at = CASE WHEN $4 THEN CAST($5 AS TIMESTAMPTZ) ELSE last_success_at END,
               claimed_by = NULL, claimed_at = NULL
           WHERE source = $6 AND target = $7 AND claimed_by = $8""",
        [status, error, through, ok, now, found.source, found.target, owner],
    )


def rotate(
    con: Connection,
    found: StoredConnection,
    owner: str,
    sealed: str,
    expires_at: datetime | None,
) -> bool:
    """Replace the credential of a connection this sync holds — a refresh token that the
    platform rotated and will not take again (TikTok, amoCRM's OAuth): saved before the new
    access token is used, so a sync killed right after still has the credential that works."""
    changed = con.execute(
        """UPDATE connections SET credential = $1, token_expires_at = $2
           WHERE source = $3 AND target = $4 AND claimed_by = $5 RETURNING target""",
        [sealed, expires_at, found.source, found.target, owner],
    ).fetchall()
    return bool(changed)
