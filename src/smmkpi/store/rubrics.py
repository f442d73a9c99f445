"""Each client's rubrics for content analytics (``shared/spec/sync-and-delivery.md`` §6): a
rubric is a name and its rules, each a hashtag, a text fragment or a post id, stored a row per
rule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from smmkpi.store.connection import Connection

RULES = ("hashtag", "contains", "post")
"""What a rule matches: a hashtag of the post, a fragment of its text, its post id."""


@dataclass
class StoredRubric:
    client_id: str
    name: str
    rules: list[tuple[str, str]] = field(default_factory=list)
    """(rule, value) pairs, in the order of ``RULES`` then value."""


def add_rules(
    con: Connection, client_id: str, name: str, rules: Sequence[tuple[str, str]], now: datetime
) -> int:
    """Add ``rules`` to the rubric ``name`` of ``client_id`` (made by its first rule); returns
    how many were new."""
    added = 0
    for rule, value in rules:
        found = con.execute(
            "SELECT 1 FROM rubric_rules WHERE client_id = $1 AND rubric = $2 AND rule = $3 "
            "AND value = $4",
            [client_id, name, rule, value],
        ).fetchone()
        if found is None:
            con.execute(
                "INSERT INTO rubric_rules (client_id, rubric, rule, value, created_at) "
                "VALUES ($1, $2, $3, $4, $5)",
                [client_id, name, rule, value, now],
            )
            added += 1
    return added


def listed(con: Connection, client_id: str | None = None) -> list[StoredRubric]:
    """The rubrics (of ``client_id``, or of every client), by client and name."""
    query = "SELECT client_id, rubric, rule, value FROM rubric_rules"
    parameters: list[object] = []
    if client_id is not None:
        query += " WHERE client_id = $1"
        parameters.append(client_id)
    rows = con.execute(query, parameters).fetchall()
    found: dict[tuple[str, str], StoredRubric] = {}
    order = {rule: index for index, rule in enumerate(RULES)}
    for client, name, rule, value in sorted(
        rows, key=lambda r: (r[0], r[1].casefold(), r[1], order.get(r[2], len(RULES)), r[3])
    ):
        rubric = found.setdefault((client, name), StoredRubric(client, name))
        rubric.rules.append((rule, value))
    return list(found.values())


def remove(con: Connection, client_id: str, name: str) -> bool:
    """Remove the rubric ``name`` of ``client_id`` with all its rules; False when it has none."""
    gone = con.execute(
        "DELETE FROM rubric_rules WHERE client_id = $1 AND rubric = $2 RETURNING rule",
        [client_id, name],
    ).fetchall()
    return bool(gone)
