"""Whole columns of text cells checked and converted at once: the fast path of an import.

A reader that has its cells as text (the canonical CSV files) hands the sink a batch of rows as
columns. Each column is converted here with Arrow's compute functions, but only the cells
written in the plain form of their type — ``1234``, ``1500.50``, ``2025-03-01``,
``2025-03-01T10:00:00+03:00``, a choice as listed, an id or text — and every other cell is
marked *slow*: its row goes through the per-cell parsers of ``values.py``, which either read it
(``+5``, ``Vk``, a time without an offset and ``--timezone``) or say where it is wrong and how to
fix it. So the values stored are the same whichever path a row takes (tests compare the two on
every kind of cell), and errors keep their file, row, column and value.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from smmkpi.ingest.values import EARLIEST_YEAR, LATEST_YEAR
from smmkpi.store.arrow import ARROW_TYPES
from smmkpi.store.tables import Column, ColumnType

_YEAR = r"(199\d|20\d\d|2100)"
"""A year from EARLIEST_YEAR to LATEST_YEAR, the bounds values.py checks."""
assert (EARLIEST_YEAR, LATEST_YEAR) == (1990, 2100), "update _YEAR with the bounds"

SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""What Python's ``str.strip`` takes off a cell: the characters ``str.isspace`` is true of."""

COUNT_DIGITS = 18
"""A plain count is 1 to 18 ASCII digits (beyond, the parser judges it against MAX_COUNT)."""
PLAIN_MONEY = r"^(\d{1,13}(\.\d{1,4})?|\d{14})$"
"""Up to MONEY_MAX (14 nines) for sure; a 14-digit amount with cents is the parser's to judge."""
PLAIN_DATE = rf"^{_YEAR}-\d\d-\d\d$"
_CLOCK = r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?"
PLAIN_INSTANT = rf"^{_YEAR}-\d\d-\d\d[T ]{_CLOCK}(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$"
SCIENTIFIC = r"^[+-]?\p{Nd}+([.,]\p{Nd}+)?[eE][+-]?\p{Nd}+$"
"""The patterns of plain cells, as RE2 (Arrow's) reads them: \\d there is an ASCII digit, where
Python's is any decimal digit (\\p{Nd}, which values.py's scientific notation also refuses)."""


_ZERO = pa.scalar(0, pa.int32())
_FALSE = pa.scalar(False)
"""Typed once, not inferred from a Python value in every compute call."""


@dataclass(frozen=True)
class ConvertedColumn:
    """A column converted: its values (null where the cell is empty or slow), and which cells
    the per-cell parsers must read instead (None: none of them)."""

    values: pa.Array
    slow: pa.BooleanArray | None


Converter = Callable[[pa.StringArray], ConvertedColumn]


def converter_for(column: Column) -> Converter:
    """How a column of ``column``'s cells is converted. (A time is plain only with its offset,
    which wins over the zone an import names for its times: those without one are slow.)"""
    kind = column.type
    if kind is ColumnType.ID:
        return _ids
    if kind is ColumnType.TEXT:
        return _texts
    if kind is ColumnType.COUNT:
        return _counts
    if kind is ColumnType.MONEY:
        return _amounts
    if kind is ColumnType.DATE:
        return _days
    if kind is ColumnType.TIMESTAMP:
        return _instants
    if kind is ColumnType.CHOICE:
        choices = pa.array(column.choices, pa.string())
        return lambda cells: _choices(cells, choices)
    arrow_type = ARROW_TYPES[kind]
    return lambda cells: _all_slow(cells, arrow_type)


def _converted(
    cells: pa.StringArray,
    plain: pa.BooleanArray,
    convert: Callable[[pa.StringArray], pa.Array],
    filler: str | None = None,
) -> ConvertedColumn:
    """``convert`` applied to the ``plain`` cells; empty cells null; everything else slow.
    ``filler`` stands in for the cells that are not plain where ``convert`` would fail on them."""
    if pc.all(plain).as_py():  # the common case, in a quarter of the steps
        return ConvertedColumn(convert(cells), None)
    empty = pc.equal(pc.binary_length(cells), _ZERO)
    slow = pc.invert(pc.or_(plain, empty))
    written = cells if filler is None else pc.if_else(plain, cells, pa.scalar(filler, pa.string()))
    values = convert(written)
    return ConvertedColumn(pc.if_else(plain, values, pa.scalar(None, values.type)), slow)


def _matches(cells: pa.StringArray, pattern: str) -> pa.BooleanArray:
    return pc.match_substring_regex(cells, pattern)


def _nfc(cells: pa.StringArray) -> pa.StringArray:
    """Unicode NFC as Python's ``unicodedata`` does it (the per-cell parsers use it).

    Arrow's normalisation finds the cells NFC changes; those are normalised by Python, whose
    Unicode version the per-cell path has. (A text NFC leaves alone under one Unicode version is
    left alone under a later one: normalisation is stable.)"""
    if pc.all(pc.string_is_ascii(cells)).as_py():
        return cells
    changed = pc.not_equal(pc.utf8_normalize(cells, "NFC"), cells)
    if not pc.any(changed).as_py():
        return cells
    positions = pc.indices_nonzero(changed).to_pylist()
    texts = pc.take(cells, positions).to_pylist()
    result = cells.to_pylist()
    for position, text in zip(positions, texts, strict=True):
        result[position] = unicodedata.normalize("NFC", text)
    return pa.array(result, pa.string())


def _written(cells: pa.StringArray) -> pa.BooleanArray:
    """Cells that hold something, and not a text behind an apostrophe: the reader takes the
    apostrophe off a formula-looking text (``'=…``), cell by cell."""
    return pc.and_not(pc.greater(pc.binary_length(cells), _ZERO), pc.starts_with(cells, "'"))


def _trimmed_length(cells: pa.StringArray) -> pa.Int32Array:
    """Each cell's length once ``str.strip`` has taken its spaces off (without a regular
    expression, which scans a long text to its end)."""
    return pc.binary_length(pc.utf8_trim(cells, characters=SPACES))


def _ids(cells: pa.StringArray) -> ConvertedColumn:
    padded = pc.not_equal(_trimmed_length(cells), pc.binary_length(cells))
    unusual = pc.or_(padded, _matches(cells, SCIENTIFIC))
    return _converted(cells, pc.and_not(_written(cells), unusual), _nfc)


def _texts(cells: pa.StringArray) -> ConvertedColumn:
    blank_looking = pc.equal(_trimmed_length(cells), _ZERO)
    return _converted(cells, pc.and_not(_written(cells), blank_looking), _nfc)


def _counts(cells: pa.StringArray) -> ConvertedColumn:
    plain = pc.and_(
        pc.ascii_is_decimal(cells),
        pc.less_equal(pc.binary_length(cells), pa.scalar(COUNT_DIGITS, pa.int32())),
    )
    return _converted(cells, plain, lambda c: pc.cast(c, pa.int64()), "0")


def _amounts(cells: pa.StringArray) -> ConvertedColumn:
    plain = _matches(cells, PLAIN_MONEY)
    return _converted(cells, plain, lambda c: pc.cast(c, ARROW_TYPES[ColumnType.MONEY]), "0")


def _days(cells: pa.StringArray) -> ConvertedColumn:
    shaped = _matches(cells, PLAIN_DATE)
    written = pc.if_else(shaped, cells, pa.scalar("2000-01-01", pa.string()))
    read = pc.strptime(written, format="%Y-%m-%d", unit="s", error_is_null=True)
    # strptime rolls 2025-02-30 over to March; a real day reads back as it was written
    real = pc.fill_null(pc.equal(pc.strftime(read, format="%Y-%m-%d"), written), _FALSE)
    days = pc.cast(read, pa.date32())
    return _converted(cells, pc.and_(shaped, real), lambda _: days)


def _instants(cells: pa.StringArray) -> ConvertedColumn:
    plain = _matches(cells, PLAIN_INSTANT)
    try:
        return _converted(
            cells,
            plain,
            lambda c: pc.cast(c, ARROW_TYPES[ColumnType.TIMESTAMP]),
            "2000-01-01T00:00:00Z",
        )
    except pa.ArrowInvalid:  # a day that does not exist (2025-02-30): let the parser say so
        return _all_slow(cells, ARROW_TYPES[ColumnType.TIMESTAMP])


def _choices(cells: pa.StringArray, choices: pa.StringArray) -> ConvertedColumn:
    return _converted(cells, pc.is_in(cells, value_set=choices), lambda c: c)


def _all_slow(cells: pa.StringArray, arrow_type: pa.DataType) -> ConvertedColumn:
    nulls = pa.nulls(len(cells), arrow_type)
    return _converted(cells, pa.repeat(_FALSE, len(cells)), lambda _: nulls)
