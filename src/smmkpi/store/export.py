"""Writing the canonical tables back out as canonical CSV, the interchange format (the Parquet
lake is ``lake.py``).

Rows stream out of the database in Arrow batches, so exporting millions of posts keeps memory
flat. Canonical CSV is the import format — re-importing an export changes nothing. Texts from
social networks are hostile: one starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return would run as a formula in a spreadsheet, so it is written behind an apostrophe (the
canonical importer takes it off again); ``raw`` writes every text exactly as stored, for
programs that read the files.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from smmkpi.store.arrow import arrow_field
from smmkpi.store.database import Store
from smmkpi.store.tables import TABLES, Table

BATCH_ROWS = 100_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP's CSV injection list)."""
FORMATS = ("canonical", "parquet")


@dataclass(frozen=True)
class ExportedFile:
    table: str
    path: Path
    rows: int


def _batches(store: Store, table: Table) -> Iterator[pa.RecordBatch]:
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    order = ", ".join(f'"{c}"' for c in table.key)
    reader = store.con.sql(f"SELECT {columns} FROM {table.name} ORDER BY {order}").to_arrow_reader(
        BATCH_ROWS
    )
    schema = pa.schema([arrow_field(c) for c in table.columns])
    for batch in reader:
        yield pa.RecordBatch.from_arrays(
            [batch.column(i).cast(schema.field(i).type) for i in range(batch.num_columns)],
            schema=schema,
        )


def csv_cell(value: Any, raw: bool = False) -> str:
    """A stored value as written in canonical CSV (``raw``: texts without the apostrophe that
    keeps a formula from running)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value if raw or not value.startswith(FORMULA_START) else "'" + value
    if isinstance(value, datetime):
        moment = value.astimezone(UTC)
        text = moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds")
        return text.replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def export_tables(
    store: Store,
    folder: Path,
    on_table: Callable[[str], None] | None = None,
    raw: bool = False,
) -> list[ExportedFile]:
    """Write every canonical table to ``folder`` as ``<table>.csv`` (Parquet: ``lake.py``);
    ``raw``: texts exactly as stored (see the module docstring)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        if on_table:
            on_table(table.name)
        written.append(_write_csv(store, table, folder / f"{table.name}.csv", raw))
    return written


def _write_csv(store: Store, table: Table, path: Path, raw: bool) -> ExportedFile:
    rows = 0
    partial = path.with_suffix(".csv.partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.column_names)
        for batch in _batches(store, table):
            columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
            for values in zip(*columns, strict=True):
                writer.writerow([csv_cell(v, raw) for v in values])
            rows += batch.num_rows
    partial.replace(path)
    return ExportedFile(table.name, path, rows)
