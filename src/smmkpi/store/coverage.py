"""What statistics the workspace holds: whether a client has any, which months hold some."""

from __future__ import annotations

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
    owned = "account_id IN (SELECT account_id FROM accounts WHERE client_id = ?)"
    checks = [f"EXISTS (SELECT 1 FROM {t} WHERE {owned})" for t in ("account_daily", "posts")]
    checks += [
        f"EXISTS (SELECT 1 FROM {t} WHERE client_id = ?)"
        for t in ("mentions", "web_sessions", "leads", "sales", "ad_spend")
    ]
    row = con.execute(f"SELECT {' OR '.join(checks)}", [client_id] * len(checks)).fetchone()
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
