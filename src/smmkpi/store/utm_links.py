"""The registry of tagged links (``smmkpi utm``): every link made for a client and campaign,
so that traffic and leads can be matched to them later."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from smmkpi.store.connection import Connection

COLUMNS = (
    "link_id",
    "client_id",
    "utm_campaign",
    "utm_source",
    "utm_medium",
    "utm_content",
    "utm_term",
    "url",
    "base_url",
    "note",
    "created_at",
)


@dataclass(frozen=True)
class SavedLink:
    link_id: int
    client_id: str
    utm_campaign: str
    utm_source: str
    utm_medium: str
    utm_content: str | None
    utm_term: str | None
    url: str
    base_url: str
    note: str | None
    created_at: datetime


def save_link(
    con: Connection,
    client_id: str,
    url: str,
    base_url: str,
    values: dict[str, str | None],
    note: str | None,
    now: datetime,
) -> tuple[SavedLink, bool]:
    """Keep the link; the same link for the same client is kept once. Returns the saved link
    and whether it is new."""
    found = con.execute(
        f"SELECT {', '.join(COLUMNS)} FROM utm_links WHERE client_id = $1 AND url = $2",
        [client_id, url],
    ).fetchone()
    if found is not None:
        return SavedLink(*found), False
    con.execute(
        "INSERT INTO utm_links (link_id, client_id, url, base_url, utm_source, utm_medium, "
        "utm_campaign, utm_content, utm_term, note, created_at) VALUES "
        "(nextval('utm_link_id_seq'), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        [
            client_id,
            url,
            base_url,
            values["source"],
            values["medium"],
            values["campaign"],
            values["content"],
            values["term"],
            note,
            now,
        ],
    )
    return save_link(con, client_id, url, base_url, values, note, now)[0], True


def list_links(
    con: Connection, client_id: str | None = None, campaign: str | None = None
) -> list[SavedLink]:
    """The links, by client, campaign and time made."""
    rows = con.execute(
        f"SELECT {', '.join(COLUMNS)} FROM utm_links "
        "WHERE ($1 IS NULL OR client_id = $2) AND ($3 IS NULL OR utm_campaign = $4) ORDER BY "
        "client_id, utm_campaign, created_at, link_id",
        [client_id, client_id, campaign, campaign],
    ).fetchall()
    return [SavedLink(*row) for row in rows]


def write_csv(links: list[SavedLink], path: Path) -> None:
    """The links as CSV (UTF-8, comma, one row per link; times in UTC)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for link in links:
            row = [getattr(link, c) for c in COLUMNS]
            row[-1] = link.created_at.isoformat()
            writer.writerow(["" if v is None else v for v in row])
