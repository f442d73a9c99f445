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
import pyarrow.compute as pc

from smmkpi.errors import InputProblem
from smmkpi.hashtags import tags_field
from smmkpi.i18n import _
from smmkpi.ingest import values
from smmkpi.ingest.columns import Converter, converter_for
from smmkpi.ingest.problems import Problems
from smmkpi.ingest.row_batches import RowBatches
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
        self._converters: dict[str, dict[str, Converter]] = {}
        self._masks: dict[tuple[str, tuple[str, ...]], int] = {}
        self.rows_read: dict[tuple[str, str], int] = {}
        self._later = RowBatches(self.add_columns, self.add)

    def add_later(
        self,
        table: Table,
        cells: Mapping[str, values.CellInput],
        *,
        file: str,
        row: int,
        line: int | None = None,
    ) -> None:
        """Like :meth:`add`, but the row is checked with others, column-wise
        (``row_batches.py``): by the next :meth:`flush` at the latest."""
        self._later.add(table, cells, file=file, row=row, line=line, seq=self.staging.next_seq())

    def check_gathered(self) -> None:
        """Check the rows :meth:`add_later` gathered: before a problem of a later row is told,
        so that problems are told in the order of the rows."""
        self._later.flush()

    def add(
        self,
        table: Table,
        cells: Mapping[str, values.CellInput],
        *,
        file: str,
        row: int,
        line: int | None = None,
        seq: int | None = None,
    ) -> bool:
        """Check one row of ``table`` read from ``file``; stage it when valid.

        ``cells`` maps column names to what the reader found. A column missing from ``cells`` is
        not provided by this source: a new row gets it unknown, a stored row keeps its value.
        ``seq`` orders the row among all staged rows (the next one when not given).
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
        typed["_seq"] = self.staging.next_seq() if seq is None else seq
        typed["_file"] = file
        typed["_row"] = row
        typed["_line"] = line if line is not None else row
        for name, column_values in buffer.columns.items():
            column_values.append(typed[name])
        if len(buffer) >= BATCH_ROWS:
            self.staging.append(table, buffer.to_arrow())
        return True

    def add_columns(
        self,
        table: Table,
        cells: Mapping[str, pa.StringArray],
        *,
        file: str,
        rows: pa.Int64Array,
        lines: pa.Int64Array,
        seqs: pa.Int64Array,
    ) -> list[int]:
        """Check a batch of rows of ``table`` given as columns of text cells, and stage the
        rows whose every cell is in its type's plain form (``columns.py``).

        Returns the positions of the other rows, in order: the caller hands each to :meth:`add`
        (with its ``seq``), which reads or refuses it cell by cell, so problems are told as
        they always are.
        """
        count = len(rows)
        converters = self._converters.get(table.name)
        if converters is None:
            converters = {c.name: converter_for(c) for c in table.columns}
            self._converters[table.name] = converters
        slow: pa.BooleanArray | None = None
        typed: dict[str, pa.Array] = {}
        for name, column_cells in cells.items():
            converted = converters[name](column_cells)
            if converted.slow is not None:
                slow = converted.slow if slow is None else pc.or_(slow, converted.slow)
            typed[name] = converted.values
        for column in table.columns:
            values_of = typed.get(column.name)
            if column.default is not None:
                typed[column.name] = (
                    pa.repeat(pa.scalar(column.default, pa.string()), count)
                    if values_of is None
                    else pc.fill_null(values_of, pa.scalar(column.default, pa.string()))
                )
            elif column.required:
                missing = (
                    pa.repeat(pa.scalar(True), count)
                    if values_of is None
                    else pc.is_null(values_of)
                )
                if pc.any(missing).as_py():
                    slow = missing if slow is None else pc.or_(slow, missing)
        fast = None if slow is None else pc.invert(slow)
        staged = count if fast is None else pc.sum(fast).as_py() or 0
        if staged:
            self._stage_columns(table, typed, fast, tuple(cells), file, rows, lines, seqs)
            self.rows_read[(file, table.name)] = self.rows_read.get((file, table.name), 0) + staged
        if slow is None or staged == count:
            return []
        positions: list[int] = pc.indices_nonzero(slow).to_pylist()
        return positions

    def _stage_columns(
        self,
        table: Table,
        typed: dict[str, pa.Array],
        fast: pa.BooleanArray | None,
        provided: tuple[str, ...],
        file: str,
        rows: pa.Int64Array,
        lines: pa.Int64Array,
        seqs: pa.Int64Array,
    ) -> None:
        schema = staging_schema(table)

        def kept_rows(array: pa.Array) -> pa.Array:
            return array if fast is None else pc.filter(array, fast)

        kept = {name: kept_rows(array) for name, array in typed.items()}
        count = len(kept_rows(rows))
        for name, derive in DERIVED.get(table.name, {}).items():
            sources = DERIVED_FROM[table.name][name]
            if all(s in kept for s in sources):
                source_rows = zip(*(kept[s].to_pylist() for s in sources), strict=True)
                kept[name] = pa.array(
                    [derive(dict(zip(sources, r, strict=True))) for r in source_rows],
                    schema.field(name).type,
                )
        mask = self._provided(table, dict.fromkeys(provided))
        origin = {
            "_provided": pa.repeat(pa.scalar(mask, pa.int64()), count),
            "_seq": kept_rows(seqs),
            "_file": pa.repeat(pa.scalar(file, pa.string()), count),
            "_row": kept_rows(rows),
            "_line": kept_rows(lines),
        }
        arrays = []
        for field in schema:
            array = kept.get(field.name, origin.get(field.name))
            arrays.append(pa.nulls(count, field.type) if array is None else array)
        self.staging.append(table, pa.Table.from_arrays(arrays, schema=schema))

    def _provided(self, table: Table, cells: Mapping[str, object]) -> int:
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
        """Check the rows gathered, and stage the rows still buffered."""
        self._later.flush()
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
