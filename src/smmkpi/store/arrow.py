"""Arrow types of the canonical columns: how validated rows travel into the database."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pyarrow as pa

from smmkpi.store.tables import Column, ColumnType, Table

ARROW_TYPES: dict[ColumnType, pa.DataType] = {
    ColumnType.ID: pa.string(),
    ColumnType.TEXT: pa.string(),
    ColumnType.DATE: pa.date32(),
    ColumnType.TIMESTAMP: pa.timestamp("us", tz="UTC"),
    ColumnType.COUNT: pa.int64(),
    ColumnType.MONEY: pa.decimal128(18, 4),
    ColumnType.CHOICE: pa.string(),
    ColumnType.TIMEZONE: pa.string(),
    ColumnType.CURRENCY: pa.string(),
    ColumnType.HASHTAGS: pa.string(),
}

ORIGIN_FIELDS: tuple[pa.Field, ...] = (
    pa.field("_provided", pa.int64()),
    pa.field("_seq", pa.int64()),
    pa.field("_file", pa.string()),
    pa.field("_row", pa.int64()),
    pa.field("_line", pa.int64()),
)
"""About each staged row: which stored columns its source provided (a bit mask, see
``store/writer.py``), its order in the import, file, spreadsheet row and file line."""


def arrow_field(column: Column) -> pa.Field:
    return pa.field(column.name, ARROW_TYPES[column.type])


def staging_schema(table: Table) -> pa.Schema:
    """The stored columns of ``table`` plus the origin of each row."""
    return pa.schema([arrow_field(c) for c in table.stored_columns] + list(ORIGIN_FIELDS))


def python_rows(table: pa.Table) -> list[dict[str, Any]]:
    """``table.to_pylist()``, its instants (timestamps with a time zone, stored as UTC) read as
    UTC datetimes: pyarrow's own conversion looks the zone up through pandas, whose import
    alone costs a command 0.3 s."""
    instants = [
        f.name for f in table.schema if pa.types.is_timestamp(f.type) and f.type.tz is not None
    ]
    for name in instants:
        column = table.column(name)
        table = table.set_column(
            table.schema.get_field_index(name),
            name,
            column.cast(pa.timestamp(column.type.unit)),
        )
    rows: list[dict[str, Any]] = table.to_pylist()
    for row in rows:
        for name in instants:
            if row[name] is not None:
                row[name] = row[name].replace(tzinfo=UTC)
    return rows
