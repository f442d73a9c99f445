"""From cells to canonical rows: every reader hands its rows to a :class:`RowSink`.

The sink checks each cell against its column's type (``values.py``), fills defaults and derived
columns, records problems with their location, and passes valid rows to the staging area in
Arrow batches, so memory stays flat however large the file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import tzinfo
from functools import partial
from typing import Any

import pyarrow as pa

from smmkpi.errors import InputProblem
from smmkpi.hashtags import tags_field
from smmkpi.i18n import _
from smmkpi.ingest import values
from smmkpi.ingest.problems import Problems
from smmkpi.store.arrow import staging_schema
from smmkpi.store.staging import Staging
from smmkpi.store.tables import TABLES_BY_NAME, Column, ColumnType, Table

BATCH_ROWS = 50_000
ARROW_POOL = pa.system_memory_pool()
"""Batches are built with the C allocator: Arrow's default pool keeps freed memory for reuse,
which at a million rows is hundreds of megabytes of a process's peak."""

Parser = Callable[[values.CellInput], Any]

DERIVED: dict[str, dict[str, Callable[[Mapping[str, Any]], Any]]] = {
    "mentions": {"tags": lambda row: tags_field(row["text"])},
}
"""How each derived column is computed from a validated row."""

DERIVED_FROM: dict[str, dict[str, tuple[str, ...]]] = {"mentions": {"tags": ("text",)}}
"""The columns each derived column is computed from."""


def parser_for(column: Column, source_zone: tzinfo | None) -> Parser:
    """The function that turns a cell of ``column`` into its stored value."""
    kind = column.type
    if kind is ColumnType.TIMESTAMP:
        return partial(values.parse_timestamp, source_zone=source_zone)
    if kind is ColumnType.CHOICE:
        return partial(values.parse_choice, choices=column.choices, aliases=column.aliases)
    simple: dict[ColumnType, Parser] = {
        ColumnType.ID: values.parse_id,
        ColumnType.TEXT: values.parse_text,
        ColumnType.DATE: values.parse_date,
        ColumnType.COUNT: values.parse_count,
        ColumnType.MONEY: values.parse_money,
        ColumnType.TIMEZONE: values.parse_timezone,
        ColumnType.CURRENCY: values.parse_currency,
        ColumnType.HASHTAGS: values.parse_hashtags,
    }
    return simple[kind]


class _TableBuffer:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.schema = staging_schema(table)
        self.columns: dict[str, list[Any]] = {f.name: [] for f in self.schema}

    def __len__(self) -> int:
        return len(self.columns["_seq"])

    def to_arrow(self) -> pa.Table:
        arrays = [
            pa.array(self.columns[f.name], type=f.type, memory_pool=ARROW_POOL) for f in self.schema
        ]
        for column in self.columns.values():
            column.clear()
        return pa.Table.from_arrays(arrays, schema=self.schema)


class RowSink:
    """Receives the rows of one import, checks them, and stages the valid ones."""

    def __init__(self, staging: Staging, problems: Problems, source_zone: tzinfo | None) -> None:
        self.staging = staging
        self.problems = problems
        self.source_zone = source_zone
        self._buffers: dict[str, _TableBuffer] = {}
        self._parsers: dict[str, list[tuple[Column, Parser]]] = {}
        self._masks: dict[tuple[str, tuple[str, ...]], int] = {}
        self.rows_read: dict[tuple[str, str], int] = {}

    def add(
        self,
        table: Table,
        cells: Mapping[str, values.CellInput],
        *,
        file: str,
        row: int,
        line: int | None = None,
    ) -> bool:
        """Check one row of ``table`` read from ``file``; stage it when valid.

        ``cells`` maps column names to what the reader found. A column missing from ``cells`` is
        not provided by this source: a new row gets it unknown, a stored row keeps its value.
        Returns whether the row was valid.
        """
        self.rows_read[(file, table.name)] = self.rows_read.get((file, table.name), 0) + 1
        parsers = self._parsers.get(table.name)
        if parsers is None:
            parsers = [(c, parser_for(c, self.source_zone)) for c in table.columns]
            self._parsers[table.name] = parsers
        typed: dict[str, Any] = {}
        ok = True
        for column, parse in parsers:
            raw = cells.get(column.name)
            try:
                value = None if raw is None or raw == "" else parse(raw)
            except values.NoDataMarker:
                value = None
                self.problems.repaired(file, column.name, str(raw).strip())
            except values.CellError as error:
                ok = False
                self.problems.add(
                    InputProblem(
                        file, row, column.name, _shown(raw), error.problem, error.fix, line
                    )
                )
                continue
            if value is None and column.default is not None:
                value = column.default
            if value is None and column.required:
                ok = False
                self.problems.add(
                    InputProblem(
                        file,
                        row,
                        column.name,
                        None,
                        _("is empty, but every row needs it."),
                        _("Fill in the {column} of this row.").format(column=column.name),
                        line,
                    )
                )
                continue
            typed[column.name] = value
        if not ok:
            return False
        for name, derive in DERIVED.get(table.name, {}).items():
            typed[name] = derive(typed)
        buffer = self._buffers.get(table.name)
        if buffer is None:
            buffer = self._buffers[table.name] = _TableBuffer(table)
        typed["_provided"] = self._provided(table, cells)
        typed["_seq"] = self.staging.next_seq()
        typed["_file"] = file
        typed["_row"] = row
        typed["_line"] = line if line is not None else row
        for name, column_values in buffer.columns.items():
            column_values.append(typed[name])
        if len(buffer) >= BATCH_ROWS:
            self.staging.append(table, buffer.to_arrow())
        return True

    def _provided(self, table: Table, cells: Mapping[str, values.CellInput]) -> int:
        """The bit mask of the stored columns ``cells`` provides (keys always; a derived column
        when what it is derived from is provided)."""
        names = tuple(cells)
        cached = self._masks.get((table.name, names))
        if cached is not None:
            return cached
        present = set(names) | set(table.key)
        for derived, sources in DERIVED_FROM.get(table.name, {}).items():
            if set(sources) <= present:
                present.add(derived)
        mask = 0
        for index, column in enumerate(table.stored_columns):
            if column.name in present:
                mask |= 1 << index
        self._masks[(table.name, names)] = mask
        return mask

    def flush(self) -> None:
        """Stage the rows still buffered."""
        for buffer in self._buffers.values():
            if len(buffer):
                self.staging.append(buffer.table, buffer.to_arrow())

    def sum_repeated(self, table_name: str, columns: tuple[str, ...]) -> int:
        """Fold the staged rows of ``table_name`` that share a key into one, adding up
        ``columns`` (reports whose rows meet on one key once read). Returns how many rows were
        folded in."""
        self.flush()
        table = TABLES_BY_NAME[table_name]
        if not self.staging.has(table_name) or not self.staging.repeated_keys(table):
            return 0
        return self.staging.combine_repeated_rows(table, summed=columns)


def _shown(raw: values.CellInput) -> str | None:
    if raw is None:
        return None
    return str(raw)
