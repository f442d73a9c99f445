"""Delivery schedules as stored (``shared/spec/sync-and-delivery.md`` §3): destinations and
formats as JSON, the webhook secrets sealed (by the caller) in one field."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from smmkpi.store.connection import Connection


@dataclass
class StoredSchedule:
    name: str
    client_id: str
    destinations: list[str]
    day: int
    at_time: str
    language: str
    formats: list[str]
    review: bool
    sealed_secrets: str | None = field(default=None, repr=False)
    created_at: datetime | None = None


_COLUMNS = (
    "name, client_id, destinations, day, at_time, language, formats, review, secrets, created_at"
)


def add(con: Connection, found: StoredSchedule, now: datetime) -> bool:
    """Add a schedule; False when one of that name exists."""
    if con.execute("SELECT 1 FROM delivery_schedules WHERE name = $1", [found.name]).fetchone():
        return False
    con.execute(
        f"INSERT INTO delivery_schedules ({_COLUMNS}) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        [found.name, found.client_id, json.dumps(found.destinations), found.day, found.at_time,
         found.language, json.dumps(found.formats), found.review, found.sealed_secrets, now],
    )  # fmt: skip
    return True


def listed(con: Connection, client_id: str | None = None) -> list[StoredSchedule]:
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM delivery_schedules "
        "WHERE CAST($1 AS VARCHAR) IS NULL OR client_id = $2 ORDER BY client_id, name",
        [client_id, client_id],
    ).fetchall()
    return [_schedule(row) for row in rows]


def _schedule(row: Any) -> StoredSchedule:
    return StoredSchedule(
        row[0], row[1], json.loads(row[2]), int(row[3]), row[4], row[5], json.loads(row[6]),
        bool(row[7]), row[8], row[9],
    )  # fmt: skip


def remove(con: Connection, name: str) -> bool:
    found = con.execute(
        "DELETE FROM delivery_schedules WHERE name = $1 RETURNING name", [name]
    ).fetchall()
    return bool(found)


def names(con: Connection) -> set[str]:
    return {str(r[0]) for r in con.execute("SELECT name FROM delivery_schedules").fetchall()}


@dataclass
class LoggedDelivery:
    """One row of the delivery log: a schedule's month to one destination."""

    schedule: str
    client_id: str
    month: str
    destination: str
    status: str
    happened_at: datetime
    attempts: int
    error: str | None


def log(
    con: Connection, client_id: str | None = None, month: str | None = None
) -> list[LoggedDelivery]:
    rows = con.execute(
        """SELECT schedule, client_id, month, destination, status, happened_at, attempts, error
           FROM deliveries
           WHERE (CAST($1 AS VARCHAR) IS NULL OR client_id = $2)
             AND (CAST($3 AS VARCHAR) IS NULL OR month = $4)
           ORDER BY happened_at, schedule, destination""",
        [client_id, client_id, month, month],
    ).fetchall()
    return [LoggedDelivery(*row) for row in rows]


def approve(con: Connection, client_id: str, month: str, who: str, now: datetime) -> bool:
    """Approve a client's month for delivery; False when it already was."""
    if con.execute(
        "SELECT 1 FROM delivery_approvals WHERE client_id = $1 AND month = $2", [client_id, month]
    ).fetchone():
        return False
    con.execute(
        "INSERT INTO delivery_approvals (client_id, month, approved_by, approved_at) "
        "VALUES ($1, $2, $3, $4)",
        [client_id, month, who, now],
    )
    return True


def approved(con: Connection, client_id: str, month: str) -> bool:
    return bool(
        con.execute(
            "SELECT 1 FROM delivery_approvals WHERE client_id = $1 AND month = $2",
            [client_id, month],
        ).fetchone()
    )
