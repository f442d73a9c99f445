"""Alert rules, the last state of each thing they watch, and the log of alerts sent
(``shared/spec/sync-and-delivery.md`` §4). A rule is one client's or every client's
(``client_id`` NULL); its webhook secrets are sealed by the caller."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from smmkpi.store.connection import Connection

KINDS = ("off_track", "at_risk", "stale", "sync_failed")
"""What an alert may tell of."""


@dataclass
class StoredAlert:
    name: str
    client_id: str | None  # None: every client
    destinations: list[str]
    kinds: list[str]
    sealed_secrets: str | None = field(default=None, repr=False)
    created_at: datetime | None = None

    def applies_to(self, client_id: str) -> bool:
        return self.client_id is None or self.client_id == client_id


_COLUMNS = "name, client_id, destinations, kinds, secrets, created_at"


def add(con: Connection, found: StoredAlert, now: datetime) -> bool:
    """Add a rule; False when one of that name exists."""
    if con.execute("SELECT 1 FROM alert_rules WHERE name = $1", [found.name]).fetchone():
        return False
    con.execute(
        f"INSERT INTO alert_rules ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)",
        [found.name, found.client_id, json.dumps(found.destinations), json.dumps(found.kinds),
         found.sealed_secrets, now],
    )  # fmt: skip
    return True


def listed(con: Connection) -> list[StoredAlert]:
    rows = con.execute(f"SELECT {_COLUMNS} FROM alert_rules ORDER BY name").fetchall()
    return [StoredAlert(r[0], r[1], json.loads(r[2]), json.loads(r[3]), r[4], r[5]) for r in rows]


def remove(con: Connection, name: str) -> bool:
    found = con.execute("DELETE FROM alert_rules WHERE name = $1 RETURNING name", [name]).fetchall()
    return bool(found)


def names(con: Connection) -> set[str]:
    return {str(r[0]) for r in con.execute("SELECT name FROM alert_rules").fetchall()}


def states(con: Connection, client_id: str) -> dict[str, str]:
    """What each watched subject of ``client_id`` was when last looked at."""
    rows = con.execute(
        "SELECT subject, state FROM alert_states WHERE client_id = $1", [client_id]
    ).fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


def set_state(con: Connection, client_id: str, subject: str, state: str, now: datetime) -> None:
    if not con.execute(
        "UPDATE alert_states SET state = $1, changed_at = $2 WHERE client_id = $3 AND subject = $4 "
        "RETURNING subject",
        [state, now, client_id, subject],
    ).fetchall():
        con.execute(
            "INSERT INTO alert_states (client_id, subject, state, changed_at) "
            "VALUES ($1, $2, $3, $4)",
            [client_id, subject, state, now],
        )


@dataclass
class LoggedAlert:
    """One alert to one destination: a subject of a client's day."""

    alert: str
    client_id: str
    subject: str
    day: date
    destination: str
    kind: str
    detail: str
    status: str
    happened_at: datetime
    attempts: int
    error: str | None
    next_try_at: datetime | None = None
    claimed_by: str | None = None


_LOG = (
    "alert, client_id, subject, day, destination, kind, detail, status, happened_at, attempts, "
    "error, next_try_at, claimed_by"
)


def log(
    con: Connection,
    client_id: str | None = None,
    days: tuple[date, date] | None = None,
) -> list[LoggedAlert]:
    """The alerts sent (or tried), oldest first; ``days``: of days in that range."""
    first, last = days or (None, None)
    rows = con.execute(
        f"""SELECT {_LOG} FROM alert_log
           WHERE (CAST($1 AS VARCHAR) IS NULL OR client_id = $2)
             AND (CAST($3 AS DATE) IS NULL OR day BETWEEN $4 AND $5)
           ORDER BY happened_at, alert, destination, subject""",
        [client_id, client_id, first, first, last],
    ).fetchall()
    return [LoggedAlert(*row) for row in rows]


def to_retry(con: Connection, now: datetime) -> list[LoggedAlert]:
    """Alerts whose send failed and whose wait is over."""
    rows = con.execute(
        f"SELECT {_LOG} FROM alert_log WHERE status = 'failed' AND next_try_at <= $1 "
        "ORDER BY alert, client_id, destination, subject",
        [now],
    ).fetchall()
    return [LoggedAlert(*row) for row in rows]


def in_flight(con: Connection) -> list[LoggedAlert]:
    """Alerts claimed for a send that has not finished (or whose run died)."""
    rows = con.execute(f"SELECT {_LOG} FROM alert_log WHERE status = 'sending'").fetchall()
    return [LoggedAlert(*row) for row in rows]
