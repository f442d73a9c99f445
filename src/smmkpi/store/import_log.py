"""The import log: one row per import, ok or failed, with its files, counts and errors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import duckdb


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


def next_import_id(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT nextval('import_id_seq')").fetchone()
    assert row is not None
    return int(row[0])


def write_record(con: duckdb.DuckDBPyConnection, record: ImportRecord) -> None:
    """Insert ``record`` and its files (inside the caller's transaction)."""
    values = [getattr(record, name) for name in _LOG_COLUMNS[:-1]]
    values.append(json.dumps(record.warnings, ensure_ascii=False) if record.warnings else None)
    marks = ", ".join("?" for _ in _LOG_COLUMNS)
    con.execute(f"INSERT INTO import_log ({', '.join(_LOG_COLUMNS)}) VALUES ({marks})", values)
    for file in record.files:
        con.execute(
            "INSERT INTO import_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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


def recent_imports(con: duckdb.DuckDBPyConnection, limit: int = 20) -> list[ImportRecord]:
    """The latest imports, newest first."""
    rows = con.execute(
        f"SELECT {', '.join(_LOG_COLUMNS)} FROM import_log ORDER BY import_id DESC LIMIT ?",
        [limit],
    ).fetchall()
    records = []
    for row in rows:
        data = dict(zip(_LOG_COLUMNS, row, strict=True))
        data["warnings"] = json.loads(data["warnings"]) if data["warnings"] else []
        records.append(ImportRecord(**data))
    return records
