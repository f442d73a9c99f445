"""The import log: one row per import, ok or failed, with its files, counts and errors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from smmkpi.store.connection import Connection


@dataclass
class FileRecord:
    """One file read by an import."""

    file_name: str
    table_name: str
    sha256: str
    rows_read: int
    rows_inserted: int = 0
    rows_replaced: int = 0
    rows_unchanged: int = 0
    rows_ignored: int = 0


@dataclass
class ImportRecord:
    """One import, as logged."""

    import_id: int
    source: str
    format: str
    importer_version: str
    file_name: str | None
    sha256: str | None
    started_at: datetime
    finished_at: datetime | None = None
    rows_inserted: int = 0
    rows_replaced: int = 0
    rows_unchanged: int = 0
    rows_ignored: int = 0
    rows_rejected: int = 0
    status: str = "ok"
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    files: list[FileRecord] = field(default_factory=list)


_LOG_COLUMNS = (
    "import_id",
    "source",
    "format",
    "importer_version",
    "file_name",
    "sha256",
    "started_at",
    "finished_at",
    "rows_inserted",
    "rows_replaced",
    "rows_unchanged",
    "rows_ignored",
    "rows_rejected",
    "status",
    "error",
    "warnings",
)


def next_import_id(con: Connection) -> int:
    row = con.execute("SELECT nextval('import_id_seq')").fetchone()
    assert row is not None
    return int(row[0])


def write_record(con: Connection, record: ImportRecord) -> None:
    """Insert ``record`` and its files (inside the caller's transaction)."""
    values = [getattr(record, name) for name in _LOG_COLUMNS[:-1]]
    values.append(json.dumps(record.warnings, ensure_ascii=False) if record.warnings else None)
    marks = ", ".join(f"${n}" for n in range(1, len(_LOG_COLUMNS) + 1))
    con.execute(f"INSERT INTO import_log ({', '.join(_LOG_COLUMNS)}) VALUES ({marks})", values)
    for file in record.files:
        con.execute(
            "INSERT INTO import_files VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            [
                record.import_id,
                file.file_name,
                file.table_name,
                file.sha256,
                file.rows_read,
                file.rows_inserted,
                file.rows_replaced,
                file.rows_unchanged,
                file.rows_ignored,
            ],
        )


def recent_imports(con: Connection, limit: int = 20) -> list[ImportRecord]:
    """The latest imports, newest first."""
    rows = con.execute(
        f"SELECT {', '.join(_LOG_COLUMNS)} FROM import_log ORDER BY import_id DESC LIMIT $1",
        [limit],
    ).fetchall()
    records = []
    for row in rows:
        data = dict(zip(_LOG_COLUMNS, row, strict=True))
        data["warnings"] = json.loads(data["warnings"]) if data["warnings"] else []
        records.append(ImportRecord(**data))
    return records


@dataclass(frozen=True)
class ImportBehind:
    """An import whose rows of one table a client's period rests on."""

    import_id: int
    source: str
    format: str
    file_name: str | None
    finished_at: datetime | None
    table: str
    rows: int  # the period's rows of ``table`` that came from it
    rows_replaced: int  # rows the import replaced (restated), over the whole import


def imports_behind(
    con: Connection,
    client_id: str,
    first: date,
    last: date,
    start: datetime,
    end: datetime,
) -> list[ImportBehind]:
    """The imports that wrote the rows of ``client_id`` from local day ``first`` to ``last``
    (events from UTC ``start`` to ``end``), by import (oldest first) and table."""
    # $1 the client, $2 and $3 its first and last local day, $4 and $5 the UTC bounds
    rows = con.execute(
        """
        WITH behind AS (
            SELECT 'account_daily' AS tbl, d.import_id FROM account_daily d
              JOIN accounts a USING (account_id)
             WHERE a.client_id = $1 AND d.date BETWEEN $2 AND $3
            UNION ALL
            SELECT 'posts', p.import_id FROM posts p JOIN accounts a USING (account_id)
             WHERE a.client_id = $1 AND p.published_at >= $4 AND p.published_at < $5
            UNION ALL
            SELECT 'mentions', import_id FROM mentions
             WHERE client_id = $1 AND published_at >= $4 AND published_at < $5
            UNION ALL
            SELECT 'web_sessions', import_id FROM web_sessions
             WHERE client_id = $1 AND date BETWEEN $2 AND $3
            UNION ALL
            SELECT 'leads', import_id FROM leads
             WHERE client_id = $1 AND created_at >= $4 AND created_at < $5
            UNION ALL
            SELECT 'sales', import_id FROM sales
             WHERE client_id = $1 AND closed_at >= $4 AND closed_at < $5
            UNION ALL
            SELECT 'ad_spend', import_id FROM ad_spend
             WHERE client_id = $1 AND date BETWEEN $2 AND $3
        )
        SELECT l.import_id, l.source, l.format, l.file_name, l.finished_at, b.tbl, count(*),
               l.rows_replaced
          FROM behind b JOIN import_log l USING (import_id)
         GROUP BY l.import_id, l.source, l.format, l.file_name, l.finished_at, b.tbl,
                  l.rows_replaced
         ORDER BY l.import_id, b.tbl
        """,
        [client_id, first, last, start, end],
    ).fetchall()
    return [ImportBehind(*row) for row in rows]
