"""The rows of a canonical CSV file, read in batches and checked column by column.

Arrow's CSV reader parses the file in blocks (in C++, on every core) into columns of text; the
sink converts and stages whole columns (``columns.py``) and hands back the rows that need the
per-cell parsers. Each row keeps its spreadsheet row number (the header is row 1, a blank line
is a row) and the file line it starts on (a quoted cell may hold line breaks), so a problem is
told where a person finds it.

Where Arrow's reading of a file could differ from Python's ``csv`` module, Python's is used:

- a row with another number of cells than the header, or bytes that are not UTF-8, stop Arrow;
  the rows before it stay checked and the rest of the file is read by ``csv``, which says what
  is wrong on which row;
- a file with an odd number of quote characters — a quote left open, or a quote inside an
  unquoted cell (``5" screen``) — is read by ``csv`` from the start: Arrow would read an open
  quote to the end of the file as one cell.

Arrow reads ``"abc"def`` (text after a closing quote) as ``abcdef``, as spreadsheets do; Python's
``csv`` in strict mode refuses it. The rows of such a file read by ``csv`` after a fallback are
refused as before.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from smmkpi.errors import InputProblem
from smmkpi.i18n import _
from smmkpi.ingest.rows import RowSink
from smmkpi.store.export import FORMULA_START
from smmkpi.store.tables import Table

ProgressCallback = Callable[[int], None]

BLOCK_BYTES = 3 << 20
"""How much of the file Arrow parses at a time: about 40,000 rows of posts."""

_NOTHING = pa.scalar(0, pa.int32())
"""Typed once, not inferred from a Python value in every compute call."""

BATCH_ROWS = 20_000
"""Rows the ``csv`` fallback reads before checking them column by column."""


def unescape_cell(text: str) -> str:
    """A cell as stored: ``smmkpi export`` writes a text that a spreadsheet would run as a
    formula (``=…``, ``+…``, ``-…``, ``@…``, a leading tab or carriage return) behind an
    apostrophe, which is taken off again here, so an export imports back unchanged."""
    if text.startswith("'") and text[1:2] in FORMULA_START:
        return text[1:]
    return text


class CsvReader(Protocol):
    """Python's ``csv`` reader: its records, and the file line the last one ended on."""

    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


class CanonicalRows:
    """Reads the rows after the header of one canonical file into the sink."""

    def __init__(
        self, path: Path, name: str, table: Table, columns: list[str | None], sink: RowSink
    ) -> None:
        self.path = path
        self.name = name
        self.table = table
        self.columns = columns  # the column of each header cell; None for one set aside
        self.sink = sink
        self.next_row = 2  # the spreadsheet row of the next record (the header is row 1)
        self.next_line = 0  # the file line the next record starts on
        self.data_rows = 0

    def read(
        self,
        reader: CsvReader,
        binary: io.BufferedReader,
        on_progress: ProgressCallback | None,
    ) -> None:
        """Read every row after the header; ``reader`` (Python's ``csv`` over ``binary``) has
        just read the header."""
        header_lines = reader.line_num
        self.next_line = header_lines + 1
        reported = 0
        if _quotes_paired(self.path):
            stopped_at = self._read_with_arrow(header_lines, on_progress)
            if stopped_at is None:
                return
            reported = stopped_at
        self._read_with_csv(reader, binary, on_progress, reported)

    # Arrow: the whole file, or up to the first row it cannot read as Python would

    def _read_with_arrow(
        self, header_lines: int, on_progress: ProgressCallback | None
    ) -> int | None:
        """Read with Arrow; None when the file was read to its end, else how many bytes of
        progress were reported before Arrow stopped (the ``csv`` fallback goes on from
        ``next_row``)."""
        names = [f"c{index}" for index in range(len(self.columns))]
        reported = 0
        with self.path.open("rb") as handle:
            # only Arrow's parsing may stop it: a batch is checked outside the ``try``, so that
            # a batch half staged is never read again by the fallback
            try:
                batches = pa_csv.open_csv(
                    handle,
                    read_options=pa_csv.ReadOptions(
                        column_names=names, skip_rows=header_lines, block_size=BLOCK_BYTES
                    ),
                    parse_options=pa_csv.ParseOptions(
                        newlines_in_values=True, ignore_empty_lines=False
                    ),
                    convert_options=pa_csv.ConvertOptions(
                        column_types=dict.fromkeys(names, pa.string()),
                        strings_can_be_null=False,
                        quoted_strings_can_be_null=False,
                    ),
                )
            except pa.ArrowInvalid:
                return reported
            while True:
                try:
                    batch = batches.read_next_batch()
                except StopIteration:
                    break
                except pa.ArrowInvalid:
                    return reported
                self._check_batch(batch.columns)
                if on_progress is not None:
                    position = handle.tell()
                    on_progress(position - reported)
                    reported = position
        if on_progress is not None:
            on_progress(self.path.stat().st_size - reported)
        return None

    def _check_batch(self, cells: list[pa.StringArray]) -> None:
        """Check rows parsed by Arrow: blank ones skipped, the rest column-wise, the rows the
        sink hands back one by one."""
        count = len(cells[0])
        spans = np.ones(count, dtype=np.int64)  # the lines each row takes in the file
        for column in cells:
            spans += _line_breaks(column)
        starts = self.next_line + np.cumsum(spans) - spans
        rows = np.arange(self.next_row, self.next_row + count, dtype=np.int64)
        seqs = np.arange(count, dtype=np.int64) + self.sink.staging.reserve(count)
        written = pc.greater(pc.binary_length(cells[0]), _NOTHING)
        for column in cells[1:]:
            written = pc.or_(written, pc.greater(pc.binary_length(column), _NOTHING))
        kept = np.flatnonzero(np.asarray(written.to_numpy(zero_copy_only=False)))
        if len(kept):
            chosen = cells if len(kept) == count else [pc.take(c, kept) for c in cells]
            slow = self.sink.add_columns(
                self.table,
                {
                    column: values
                    for column, values in zip(self.columns, chosen, strict=True)
                    if column is not None
                },
                file=self.name,
                rows=pa.array(rows[kept]),
                lines=pa.array(starts[kept]),
                seqs=pa.array(seqs[kept]),
            )
            self.data_rows += len(kept) - len(slow)
            for position in kept[slow]:
                record = [column[position].as_py() for column in cells]
                self._check_row(
                    record, int(rows[position]), int(starts[position]), int(seqs[position])
                )
        self.next_row += count
        self.next_line = int(starts[-1] + spans[-1]) if count else self.next_line

    # Python's csv: the file's rows after those Arrow read

    def _read_with_csv(
        self,
        reader: CsvReader,
        binary: io.BufferedReader,
        on_progress: ProgressCallback | None,
        reported: int,
    ) -> None:
        skip = self.next_row - 2  # the rows Arrow read
        self.next_row = 2
        records: list[list[str]] = []
        ends: list[int] = []
        try:
            for record in reader:
                if skip:
                    skip -= 1
                    self.next_row += 1
                    self.next_line = reader.line_num + 1
                    continue
                records.append(record)
                ends.append(reader.line_num)
                if len(records) == BATCH_ROWS:
                    self._check_records(records, ends)
                    records, ends = [], []
                    if on_progress is not None:
                        position = max(binary.tell(), reported)
                        on_progress(position - reported)
                        reported = position
        except csv.Error as error:
            self._check_records(records, ends)
            self.sink.problems.add(
                InputProblem(
                    self.name,
                    self.next_row,
                    None,
                    None,
                    _("is not valid CSV: {error}.").format(error=error),
                    _("Check the quotes on this row: a quote inside a text must be doubled."),
                    self.next_line,
                )
            )
            return
        self._check_records(records, ends)
        if on_progress is not None:
            on_progress(max(self.path.stat().st_size - reported, 0))

    def _check_records(self, records: list[list[str]], ends: list[int]) -> None:
        """Check records read by ``csv``: those of the header's width and not blank
        column-wise, the others (and those the sink hands back) one by one."""
        if not records:
            return
        width = len(self.columns)
        seq = self.sink.staging.reserve(len(records))
        lines = [self.next_line, *(end + 1 for end in ends[:-1])]
        whole = [k for k, record in enumerate(records) if len(record) == width and any(record)]
        slow: list[int] = []
        if whole:
            chosen = records if len(whole) == len(records) else [records[k] for k in whole]
            cells = {
                column: pa.array(values, pa.string())
                for column, values in zip(self.columns, zip(*chosen, strict=True), strict=True)
                if column is not None
            }
            handed_back = self.sink.add_columns(
                self.table,
                cells,
                file=self.name,
                rows=pa.array([self.next_row + k for k in whole], pa.int64()),
                lines=pa.array([lines[k] for k in whole], pa.int64()),
                seqs=pa.array([seq + k for k in whole], pa.int64()),
            )
            slow = [whole[k] for k in handed_back]
            self.data_rows += len(whole) - len(handed_back)
        if len(whole) < len(records):
            slow = sorted(set(range(len(records))).difference(whole).union(slow))
        for k in slow:
            self._check_row(records[k], self.next_row + k, lines[k], seq + k)
        self.next_row += len(records)
        self.next_line = ends[-1] + 1

    # one row, cell by cell

    def _check_row(self, record: list[str], row: int, line: int, seq: int) -> None:
        """One row checked cell by cell (blank rows are skipped)."""
        if not record or all(not cell.strip() for cell in record):
            return
        self.data_rows += 1
        columns = self.columns
        if len(record) != len(columns):
            extra = record[len(columns) :]
            if len(record) < len(columns) or any(cell.strip() for cell in extra):
                self.sink.problems.add(
                    InputProblem(
                        self.name,
                        row,
                        None,
                        None,
                        _("has {found} cells, but the header has {expected}.").format(
                            found=len(record), expected=len(columns)
                        ),
                        _('A comma inside a text must be in a quoted cell ("a, b").'),
                        line,
                    )
                )
                return
        cells = {
            column: unescape_cell(cell)
            for column, cell in zip(columns, record, strict=False)
            if column is not None
        }
        self.sink.add(self.table, cells, file=self.name, row=row, line=line, seq=seq)


def _line_breaks(cells: pa.StringArray) -> np.ndarray | int:
    """The line breaks in each cell as Python's ``csv`` counts file lines: ``\\n``, ``\\r``
    and ``\\r\\n`` each end a line. Most columns hold none: their bytes are looked at once."""
    data = cells.buffers()[2]
    if data is None:
        return 0
    raw = np.frombuffer(data, dtype=np.uint8)
    has_newline = bool(np.any(raw == 10))
    has_return = bool(np.any(raw == 13))
    if not (has_newline or has_return):
        return 0
    breaks = np.asarray(pc.count_substring(cells, "\n").to_numpy(zero_copy_only=False))
    if has_return:
        breaks = breaks + np.asarray(pc.count_substring(cells, "\r").to_numpy(False))
        breaks = breaks - np.asarray(pc.count_substring(cells, "\r\n").to_numpy(False))
    return breaks.astype(np.int64)


def _quotes_paired(path: Path) -> bool:
    """Whether the file holds an even number of quote characters (see the module's docstring)."""
    quotes = 0
    with path.open("rb") as handle:
        while chunk := handle.read(BLOCK_BYTES):
            quotes += chunk.count(b'"')
    return quotes % 2 == 0
