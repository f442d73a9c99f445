"""What cached pages are computed from, as values that change when it changes: the last import,
the plan revisions, the briefs."""

from __future__ import annotations

from typing import Any

from smmkpi.store.connection import Connection


def last_import_id(con: Connection) -> int | None:
    """The id of the latest import (None before the first)."""
    row = con.execute("SELECT max(import_id) FROM import_log").fetchone()
    return None if row is None or row[0] is None else int(row[0])


def last_import(con: Connection) -> tuple[Any, ...]:
    """The latest import's id and start (empty before the first): it changes with every change
    of the data, of the clients and of their accounts (all of them are imports), and tells two
    databases that reuse ids apart."""
    rows = con.execute(
        "SELECT import_id, started_at FROM import_log ORDER BY import_id DESC LIMIT 1"
    ).fetchall()
    return tuple(rows[0]) if rows else ()


def data_version(con: Connection) -> tuple[Any, ...]:
    """The last import, the last plan change and the count of plans and briefs (the goals)."""
    row = con.execute(
        "SELECT (SELECT max(import_id) FROM import_log), (SELECT max(created_at) FROM "
        "plan_revisions), (SELECT count(*) FROM plan_revisions), (SELECT count(*) FROM briefs)"
    ).fetchone()
    return tuple(row or ())


def client_version(con: Connection, client_id: str) -> tuple[Any, ...]:
    """The last import and the count of the client's brief revisions."""
    row = con.execute(
        "SELECT (SELECT max(import_id) FROM import_log), (SELECT count(*) FROM briefs WHERE "
        "client_id = $1)",
        [client_id],
    ).fetchone()
    return tuple(row or ())
