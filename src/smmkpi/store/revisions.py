"""Documents kept with every revision: a client's brief, a KPI plan. Each save is a new
revision (who, when, why) and nothing is overwritten, so "what did we agree in March?" has an
answer. The document itself is JSON; its meaning belongs to ``planning/``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from smmkpi.store.connection import Connection


@dataclass(frozen=True)
class Revision:
    """One saved version of a document."""

    key: str  # the client (briefs) or the plan id (plans)
    revision: int
    content: dict[str, Any]
    author: str | None
    note: str | None
    created_at: datetime


@dataclass(frozen=True)
class _Kind:
    """Where a kind of document is kept: its table and the names of its columns."""

    table: str
    key: str
    content: str
    note: str


BRIEFS = _Kind("briefs", "client_id", "answers", "note")
PLANS = _Kind("plan_revisions", "plan_id", "content", "why")
COMMENTS = _Kind("report_comments", "report_key", "content", "note")


def _revisions(con: Connection, kind: _Kind, key: str) -> list[Revision]:
    rows = con.execute(
        f"SELECT {kind.key}, revision, {kind.content}, author, {kind.note}, created_at "
        f"FROM {kind.table} WHERE {kind.key} = $1 ORDER BY revision",
        [key],
    ).fetchall()
    return [Revision(r[0], r[1], json.loads(r[2]), r[3], r[4], r[5]) for r in rows]


def _save(
    con: Connection,
    kind: _Kind,
    key: str,
    content: dict[str, Any],
    author: str | None,
    note: str | None,
    now: datetime,
) -> tuple[Revision, bool]:
    """Keep ``content`` as the next revision; nothing is written when it is the latest one
    already. Returns the revision and whether it is new."""
    found = _revisions(con, kind, key)
    content = _normal(content)
    if found and found[-1].content == content:
        return found[-1], False
    number = found[-1].revision + 1 if found else 1
    con.execute(
        f"INSERT INTO {kind.table} ({kind.key}, revision, {kind.content}, author, {kind.note}, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        [key, number, _dump(content), author, note, now],
    )
    return Revision(key, number, content, author, note, now), True


def save_brief(
    con: Connection,
    client_id: str,
    answers: dict[str, Any],
    author: str | None,
    note: str | None,
    now: datetime,
) -> tuple[Revision, bool]:
    """Keep ``answers`` as the client's next brief revision (none when nothing changed);
    the revision and whether it is new."""
    return _save(con, BRIEFS, client_id, answers, author, note, now)


def brief_revisions(con: Connection, client_id: str) -> list[Revision]:
    return _revisions(con, BRIEFS, client_id)


def latest_brief(con: Connection, client_id: str) -> Revision | None:
    found = brief_revisions(con, client_id)
    return found[-1] if found else None


def save_plan(
    con: Connection,
    plan_id: str,
    client_id: str,
    content: dict[str, Any],
    author: str | None,
    why: str | None,
    now: datetime,
) -> Revision:
    """Keep ``content`` as the plan's next revision (the plan is created by its first one;
    nothing is written when nothing changed)."""
    if not plan_ids_of(con, plan_id):
        con.execute(
            "INSERT INTO plans (plan_id, client_id, created_at) VALUES ($1, $2, $3)",
            [plan_id, client_id, now],
        )
    return _save(con, PLANS, plan_id, content, author, why, now)[0]


def plan_revisions(con: Connection, plan_id: str) -> list[Revision]:
    return _revisions(con, PLANS, plan_id)


def latest_plan(con: Connection, plan_id: str) -> Revision | None:
    found = plan_revisions(con, plan_id)
    return found[-1] if found else None


def plan_ids_of(con: Connection, plan_id: str) -> list[str]:
    rows = con.execute("SELECT plan_id FROM plans WHERE plan_id = $1", [plan_id]).fetchall()
    return [r[0] for r in rows]


def plan_ids(con: Connection, client_id: str | None = None) -> list[str]:
    rows = con.execute(
        "SELECT plan_id FROM plans WHERE CAST($1 AS VARCHAR) IS NULL OR client_id = $2 ORDER BY "
        "created_at, plan_id",
        [client_id, client_id],
    ).fetchall()
    return [r[0] for r in rows]


def comment_key(client_id: str, month: str) -> str:
    """The key of a report's commentary: ``coffeelab/2025-03``."""
    return f"{client_id}/{month}"


def save_comment(
    con: Connection,
    client_id: str,
    month: str,
    content: dict[str, Any],
    author: str | None,
    now: datetime,
) -> tuple[Revision, bool]:
    """Keep the commentary of ``client_id``'s report for ``month`` (``YYYY-MM``) as its next
    revision; returns it and whether anything changed."""
    return _save(con, COMMENTS, comment_key(client_id, month), content, author, None, now)


def comment_revisions(con: Connection, client_id: str, month: str) -> list[Revision]:
    return _revisions(con, COMMENTS, comment_key(client_id, month))


def _normal(content: dict[str, Any]) -> dict[str, Any]:
    """``content`` as it reads back from JSON (dates and decimals as text)."""
    normal: dict[str, Any] = json.loads(_dump(content))
    return normal


def _dump(content: dict[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
