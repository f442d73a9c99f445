"""What statistics the workspace holds: whether a client has any, which months hold some."""

from __future__ import annotations

from datetime import date
from typing import Any

from smmkpi.store.connection import Connection

_MOMENTS = (
    ("account_daily", "date"),
    ("posts", "published_at"),
    ("mentions", "published_at"),
    ("web_sessions", "date"),
    ("leads", "created_at"),
    ("sales", "closed_at"),
    ("ad_spend", "date"),
)


def client_has_data(con: Connection, client_id: str) -> bool:
    """Whether any row of statistics belongs to the client or its accounts."""
    owned = "account_id IN (SELECT account_id FROM accounts WHERE client_id = $1)"
    checks = [f"EXISTS (SELECT 1 FROM {t} WHERE {owned})" for t in ("account_daily", "posts")]
    checks += [
        f"EXISTS (SELECT 1 FROM {t} WHERE client_id = $1)"
        for t in ("mentions", "web_sessions", "leads", "sales", "ad_spend")
    ]
    row = con.execute(f"SELECT {' OR '.join(checks)}", [client_id]).fetchone()
    return bool(row and row[0])


def months_with_data(con: Connection) -> list[str]:
    """The months (``YYYY-MM``) any table has a row in, oldest first. A timestamp counts in
    the session's zone, so a row at a month's edge may name the neighbouring month: good for
    choosing months to look at, not for counting."""
    parts = " UNION ".join(
        f"SELECT DISTINCT CAST(EXTRACT(YEAR FROM {c}) AS INTEGER) AS y, "
        f"CAST(EXTRACT(MONTH FROM {c}) AS INTEGER) AS m FROM {t}"
        for t, c in _MOMENTS
    )
    rows = con.execute(f"SELECT DISTINCT y, m FROM ({parts}) AS months ORDER BY y, m").fetchall()
    return [f"{int(y):04d}-{int(m):02d}" for y, m in rows if y is not None]


# per table: how a client's rows ($1) are found, and the column of their day or moment
_CLIENT_ROWS = (
    (
        "account_daily",
        "account_id IN (SELECT account_id FROM accounts WHERE client_id = $1)",
        "date",
    ),
    (
        "posts",
        "account_id IN (SELECT account_id FROM accounts WHERE client_id = $1)",
        "published_at",
    ),
    ("mentions", "client_id = $1", "published_at"),
    ("web_sessions", "client_id = $1", "date"),
    ("leads", "client_id = $1", "created_at"),
    ("sales", "client_id = $1", "closed_at"),
    ("ad_spend", "client_id = $1", "date"),
)


def client_coverage(
    con: Connection, client_id: str, zone: str
) -> list[tuple[str, int, date | None, date | None]]:
    """Per table: the client's rows and the first and last day they span in ``zone``."""
    found = []
    for name, where, day in _CLIENT_ROWS:
        local = f'CAST(timezone($2, "{day}") AS DATE)' if day != "date" else '"date"'
        params: list[Any] = [client_id, zone] if day != "date" else [client_id]
        rows, first, last = con.execute(
            f"SELECT count(*), min({local}), max({local}) FROM {name} WHERE {where}", params
        ).fetchone() or (0, None, None)
        found.append((name, int(rows), first, last))
    return found


def account_coverage(con: Connection, account_id: str) -> tuple[int, date | None, date | None, int]:
    """An account's days of daily statistics, the first and last of them, and its posts."""
    days, first, last = con.execute(
        "SELECT count(*), min(date), max(date) FROM account_daily WHERE account_id = $1",
        [account_id],
    ).fetchone() or (0, None, None)
    posts = con.execute("SELECT count(*) FROM posts WHERE account_id = $1", [account_id]).fetchone()
    return int(days), first, last, int(posts[0]) if posts else 0


def last_daily_days(con: Connection) -> dict[str, date]:
    """Each client's last day with daily statistics."""
    rows = con.execute(
        "SELECT a.client_id, max(d.date) FROM account_daily d JOIN accounts a USING (account_id) "
        "GROUP BY a.client_id"
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def last_days_of_client(con: Connection, client_id: str) -> dict[str, date]:
    """The last day of daily data of each of the client's accounts, and of its web sessions
    (under ``web_sessions``): what a month's report waits for."""
    rows = con.execute(
        "SELECT a.account_id, max(d.date) FROM account_daily d JOIN accounts a USING (account_id) "
        "WHERE a.client_id = $1 GROUP BY a.account_id",
        [client_id],
    ).fetchall()
    found = {str(r[0]): r[1] for r in rows if r[1] is not None}
    sessions = con.execute(
        "SELECT max(date) FROM web_sessions WHERE client_id = $1", [client_id]
    ).fetchone()
    if sessions and sessions[0] is not None:
        found["web_sessions"] = sessions[0]
    return found
