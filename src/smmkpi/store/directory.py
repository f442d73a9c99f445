"""The clients and accounts a workspace knows: what importers resolve files against."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from smmkpi.store.connection import Connection

CLIENT_COLUMNS = ("client_id", "name", "timezone", "currency", "goal", "brand_hashtags")
ACCOUNT_COLUMNS = ("account_id", "client_id", "platform", "handle", "name")
CLIENTS_LISTING = f"SELECT {', '.join(CLIENT_COLUMNS)} FROM clients ORDER BY client_id"
ACCOUNTS_LISTING = (
    f"SELECT {', '.join(ACCOUNT_COLUMNS)} FROM accounts ORDER BY client_id, account_id"
)
"""Every client, and every account by client: plain SQL every engine runs (DuckDB, PostgreSQL,
Spark over the lake)."""


@dataclass(frozen=True)
class KnownClient:
    client_id: str
    name: str
    timezone: str
    currency: str
    goal: str | None = None
    brand_hashtags: str | None = None


@dataclass(frozen=True)
class KnownAccount:
    account_id: str
    client_id: str
    platform: str
    handle: str | None = None
    name: str | None = None


@dataclass
class Directory:
    clients: dict[str, KnownClient] = field(default_factory=dict)
    accounts: dict[str, KnownAccount] = field(default_factory=dict)

    def accounts_of(self, platform: str) -> list[KnownAccount]:
        return [a for a in self.accounts.values() if a.platform == platform]


def load_directory(con: Connection) -> Directory:
    """Every client and account of the workspace."""
    directory = Directory()
    for row in con.execute(CLIENTS_LISTING).fetchall():
        directory.clients[row[0]] = KnownClient(*row)
    for row in con.execute(
        f"SELECT {', '.join(ACCOUNT_COLUMNS)} FROM accounts ORDER BY account_id"
    ).fetchall():
        directory.accounts[row[0]] = KnownAccount(*row)
    return directory


def published_times(
    con: Connection, account_id: str, post_ids: Sequence[str]
) -> dict[str, datetime]:
    """When each of ``post_ids`` of the account was published, for the stored ones."""
    if not post_ids:
        return {}
    rows = con.execute(
        "SELECT post_id, published_at FROM posts "
        "WHERE account_id = $1 AND post_id = ANY($2::VARCHAR[])",
        [account_id, list(post_ids)],
    ).fetchall()
    return {str(post_id): published for post_id, published in rows}
