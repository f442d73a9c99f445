"""The platform importers' rows gathered into columns, so the sink checks them column-wise.

A platform importer reads each row of an export into Python values (``cells.py``: a count from
``1 234``, a day from ``01.02.2025``, an instant in the client's zone). Checking each of those
rows against the canonical table cell by cell cost more than reading it. Rows are gathered
here instead: each value is written in its canonical plain form (``1234``, ``2025-02-01``,
``2025-02-01T10:00:00+03:00``, a text as it is), and every :data:`BATCH` rows the columns go to
:meth:`RowSink.add_columns`, the canonical files' fast path. A row that path leaves (a value
without a plain form, such as a negative count or a time without an offset, or one it refuses)
is then checked cell by cell with its original values, so what is stored and what an error
says are the same as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa

from smmkpi.store.tables import Table

BATCH = 10_000
"""Rows gathered before they are checked: large enough for Arrow to pay off, small enough that
a batch's Python values stay a few megabytes."""


def plain_text(value: Any) -> str | None:
    """``value`` written as the canonical files write it, or None when they have no such form
    (the row is then checked cell by cell): a bool, a float, anything unusual. (A form the
    column-wise path does not read as plain — a time without an offset, a negative count —
    sends the row to the cell-by-cell check there.)"""
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is int:
        return str(value)
    if kind is date:
        return value.isoformat()  # type: ignore[no-any-return]
    if kind is datetime:  # without an offset it is not plain: checked cell by cell
        return value.isoformat()  # type: ignore[no-any-return]
    if kind is Decimal:
        return str(value)
    return None


def plain_texts(values: Sequence[Any]) -> list[str | None]:
    """:func:`plain_text` of each of ``values``, a column at a time: a column of texts or of
    counts (the usual ones) without a call per value."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if kinds <= {str}:
        return [v if v is not None else "" for v in values]
    if kinds == {int}:
        return [str(v) if v is not None else "" for v in values]
    if kinds == {date} or kinds == {datetime}:
        return [v.isoformat() if v is not None else "" for v in values]
    return list(map(plain_text, values))


@dataclass
class _Batch:
    """Rows of one table, read from one file with the same columns."""

    names: tuple[str, ...]
    cells: list[Mapping[str, Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    lines: list[int | None] = field(default_factory=list)
    seqs: list[int] = field(default_factory=list)


AddColumns = Callable[..., list[int]]
AddRow = Callable[..., bool]


class RowBatches:
    """The rows waiting to be checked, by table, file and set of columns."""

    def __init__(self, add_columns: AddColumns, add_row: AddRow) -> None:
        self._add_columns = add_columns
        self._add_row = add_row
        self._batches: dict[tuple[str, str, tuple[str, ...]], tuple[Table, _Batch]] = {}

    def add(
        self,
        table: Table,
        cells: Mapping[str, Any],
        *,
        file: str,
        row: int,
        line: int | None,
        seq: int,
    ) -> None:
        """Gather one row (checked when its batch is full, or at :meth:`flush`)."""
        names = tuple(cells)
        key = (table.name, file, names)
        found = self._batches.get(key)
        if found is None:
            found = self._batches[key] = (table, _Batch(names))
        batch = found[1]
        batch.cells.append(cells)
        batch.rows.append(row)
        batch.lines.append(line)
        batch.seqs.append(seq)
        if len(batch.rows) >= BATCH:
            self._check(key)

    def flush(self) -> None:
        """Check every row gathered, in the order the batches were begun."""
        for key in list(self._batches):
            self._check(key)

    def _check(self, key: tuple[str, str, tuple[str, ...]]) -> None:
        table, batch = self._batches.pop(key)
        file = key[1]
        columns = [plain_texts(c) for c in zip(*(row.values() for row in batch.cells), strict=True)]
        # the rows with a value without a plain form are checked cell by cell
        odd = {k for column in columns if None in column for k, t in enumerate(column) if t is None}
        plain = [k for k in range(len(batch.cells)) if k not in odd] if odd else None

        def kept(values: list[Any]) -> list[Any]:
            return values if plain is None else [values[k] for k in plain]

        handed_back = self._add_columns(
            table,
            {
                name: pa.array(kept(texts), pa.string())
                for name, texts in zip(batch.names, columns, strict=True)
            },
            file=file,
            rows=pa.array(kept(batch.rows), pa.int64()),
            lines=pa.array(
                kept([r if n is None else n for r, n in zip(batch.rows, batch.lines, strict=True)]),
                pa.int64(),
            ),
            seqs=pa.array(kept(batch.seqs), pa.int64()),
        )
        slow = [k if plain is None else plain[k] for k in handed_back]
        for k in sorted(odd.union(slow)):
            self._add_row(
                table,
                batch.cells[k],
                file=file,
                row=batch.rows[k],
                line=batch.lines[k],
                seq=batch.seqs[k],
            )
