"""Finding an export's header among its first rows, and its columns by their names.

Exports put titles, periods and account names above the header (reliability M11), merge two
header rows (``Охват`` over ``Органический | Платный``, M10), name columns in the language of the
exporting user (M18), let the set of columns drift between months, and add totals rows (M12).
A :class:`Layout` declares each field an importer reads with the header names it goes by; it
finds the header row (or pair of rows) that names every required field, maps fields to columns,
and yields the data rows below it without the totals rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from itertools import chain, islice
from typing import Any

from smmkpi.errors import UserError
from smmkpi.i18n import _, ngettext
from smmkpi.ingest.lenient import decimal_evidence
from smmkpi.ingest.sheets import HEADER_SCAN, RawRow, Sheet, text_of

RAGGED_SHOWN = 20  # rows with extra cells named in the error; the rest are counted

SAMPLE_ROWS = 10_000
TOTALS = frozenset(
    {"итого", "всего", "итого и средние", "total", "totals", "grand total", "итог", "сумма"}
)


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """A header as compared: NFKC, case-folded, without quotes, spaces collapsed."""
    text = unicodedata.normalize("NFKC", str(text)).replace("\ufeff", "")
    text = text.strip().strip('"').strip("'").casefold()
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True)
class Field:
    """One column an importer reads, with every header name it is known by.

    ``prefix`` matches headers that start with an alias and carry more after it, such as a
    currency: ``Бюджет, ₽``, ``Amount spent (RUB)``; ``contains`` matches headers that hold an
    alias anywhere: ``Рекламная система (utm_source)``.
    """

    name: str
    aliases: tuple[str, ...]
    required: bool = False
    prefix: bool = False
    contains: bool = False

    @cached_property
    def targets(self) -> tuple[str, ...]:
        """The aliases as headers are compared (:func:`normalise`)."""
        return tuple(normalise(alias) for alias in self.aliases)

    def matches(self, header: str) -> bool:
        if not header:
            return False
        for target in self.targets:
            if header == target:
                return True
            if (self.prefix and header.startswith(target)) or (self.contains and target in header):
                return True
        return False


@dataclass
class Located:
    """A sheet whose header was found: which column holds each field, and the rows below."""

    sheet: Sheet
    header_row: int
    headers: list[str]
    columns: dict[str, int]
    rows: Iterator[RawRow]
    preamble: list[list[str]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    totals: list[RawRow] = field(default_factory=list)

    def value(self, row: RawRow, name: str) -> Any:
        """The cell of field ``name`` in ``row`` (None when the field or the cell is absent)."""
        index = self.columns.get(name)
        if index is None or index >= len(row.cells):
            return None
        value = row.cells[index]
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def sample(self, size: int = SAMPLE_ROWS) -> list[RawRow]:
        """The first ``size`` data rows, put back in front of :attr:`rows`: a column's format
        (its dates, its decimal separator) is found from them while the file streams. A later
        row written another way is then an error naming that row, never a silent misreading."""
        head = list(islice(self.rows, size))
        self.rows = chain(head, self.rows)
        return head

    def header_of(self, name: str) -> str:
        return self.headers[self.columns[name]]

    def decimal_mark(self, name: str, rows: Sequence[RawRow], default: str) -> str:
        """The decimal separator of field ``name`` from ``rows`` (``default`` when no value
        tells); a column that writes both is refused, naming a row of each."""
        first: dict[str, tuple[RawRow, Any]] = {}
        for raw in rows:
            value = self.value(raw, name)
            mark = decimal_evidence(value)
            if mark is not None:
                first.setdefault(mark, (raw, value))
        if len(first) < 2:
            return next(iter(first), default)
        (comma_row, comma), (point_row, point) = first[","], first["."]
        raise UserError(
            _(
                "{file}, column '{column}': row {comma_row} writes '{comma}' with a decimal comma "
                "and row {point_row} writes '{point}' with a decimal point, so neither can be read "
                "safely. Write the column with one separator, or pass --decimal , or --decimal . "
                "to say which is the decimal separator (the other then groups thousands)."
            ).format(
                file=self.sheet.label,
                column=self.header_of(name),
                comma_row=comma_row.number,
                comma=comma,
                point_row=point_row.number,
                point=point,
            )
        )

    def has(self, name: str) -> bool:
        return name in self.columns


class Layout:
    """The fields of one export format."""

    def __init__(self, fields: Sequence[Field]) -> None:
        self.fields = tuple(fields)

    @property
    def required(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)

    def _map(self, headers: list[str]) -> dict[str, int]:
        columns: dict[str, int] = {}
        for index, header in enumerate(headers):
            normal = normalise(header)
            for candidate in self.fields:
                if candidate.name not in columns and candidate.matches(normal):
                    columns[candidate.name] = index
                    break
        return columns

    def score(self, headers: list[str]) -> int:
        """How many fields ``headers`` names; 0 unless it names every required one."""
        columns = self._map(headers)
        if any(f.name not in columns for f in self.required):
            return 0
        return len(columns)

    def locate(self, sheet: Sheet) -> Located | None:
        """The best header within the first rows of ``sheet`` (one row, or two merged rows)."""
        head: list[RawRow] = []
        for row in sheet.rows:
            head.append(row)
            if len(head) >= HEADER_SCAN:
                break
        if not head:
            sheet.empty = True
            return None
        best: tuple[int, int, list[str]] | None = None
        for index, row in enumerate(head):
            single = text_of(row.cells)
            candidates = [(single, index)]
            if index + 1 < len(head):
                candidates.append((_combined(single, text_of(head[index + 1].cells)), index + 1))
            for headers, last in candidates:
                score = self.score(headers)
                if score and (best is None or score > best[0]):
                    best = (score, last, headers)
        if best is None:
            return None
        _score, last, headers = best
        columns = self._map(headers)
        ignored = [h for i, h in enumerate(headers) if h and i not in columns.values()]
        first_header = last - 1 if headers != text_of(head[last].cells) else last
        located = Located(
            sheet,
            head[last].number,
            headers,
            columns,
            iter(()),
            preamble=[text_of(r.cells) for r in head[:first_header]],
            ignored=ignored,
        )
        located.rows = _data_rows(located, head[last + 1 :], sheet.rows)
        return located

    def locate_or_fail(self, sheets: Sequence[Sheet], what: str) -> Located:
        """The first sheet with the header; an error listing what was found otherwise."""
        for sheet in sheets:
            located = self.locate(sheet)
            if located is not None:
                return located
        if sheets and all(s.empty for s in sheets):
            raise UserError(_("{file} is empty: it has no rows.").format(file=sheets[0].file))
        expected = ", ".join(f"'{f.aliases[0]}'" for f in self.required)
        names = ", ".join(s.name for s in sheets if s.name)
        where = _(" (sheets: {names})").format(names=names) if names else ""
        raise UserError(
            _(
                "{file}{where}: no header row of {what} found in the first {n} rows; it needs the "
                "columns {expected}."
            ).format(
                file=sheets[0].file if sheets else "?",
                where=where,
                what=what,
                n=HEADER_SCAN,
                expected=expected,
            )
        )


def _combined(top: list[str], bottom: list[str]) -> list[str]:
    """Two header rows as one: ``Охват / Органический``; a top label spans the empty cells
    after it (a merged cell), a lone label stays as it is."""
    width = max(len(top), len(bottom))
    labels = []
    parent = ""
    for index in range(width):
        upper = top[index] if index < len(top) else ""
        lower = bottom[index] if index < len(bottom) else ""
        if upper:
            parent = upper
        elif not lower:
            parent = ""
        if upper and lower and upper != lower:
            labels.append(f"{upper} / {lower}")
        elif lower and parent and not upper:
            labels.append(f"{parent} / {lower}")
        else:
            labels.append(upper or lower)
    return labels


def totals_disagree(located: Located, name: str, summed: int | Decimal) -> str | None:
    """A warning when the export's totals row says another total of field ``name`` than its
    rows add up to (a cut or filtered export), else None. Only for additive fields."""
    from smmkpi.ingest.lenient import number

    for row in located.totals:
        try:
            said = number(located.value(row, name))
        except ValueError:  # a totals cell that is no number says nothing
            continue
        if said is not None and said != summed:
            return _(
                "{file}: the totals row says {said} in '{column}', but the rows add up to "
                "{summed}; the export may be cut short or filtered. The rows were imported as "
                "they are: check the export's period and filters."
            ).format(
                file=located.sheet.label,
                said=said,
                column=located.header_of(name),
                summed=summed,
            )
    return None


def is_totals(cells: list[Any]) -> bool:
    """A totals row: its first text cell says "Итого", "Total" and the like."""
    for cell in cells[:3]:
        if isinstance(cell, str) and cell.strip():
            if cell.lstrip(" \"'")[:1].isdigit():  # a date, a number: not a label
                return False
            return normalise(cell).rstrip(":") in TOTALS
    return False


def _data_rows(
    located: Located, buffered: list[RawRow], rest: Iterator[RawRow]
) -> Iterator[RawRow]:
    def rows() -> Iterator[RawRow]:
        yield from buffered
        yield from rest

    ragged: list[str] = []
    count = 0
    for row in rows():
        if all(c in (None, "") or (isinstance(c, str) and not c.strip()) for c in row.cells):
            continue
        if is_totals(row.cells):
            located.totals.append(row)
            continue
        extra = [c for c in row.cells[len(located.headers) :] if str(c or "").strip()]
        if extra:
            count += 1
            if len(ragged) < RAGGED_SHOWN:
                where = _("row {row}").format(row=row.number)
                if row.line is not None and row.line != row.number:
                    where += _(" (line {line})").format(line=row.line)
                ragged.append(where + ": " + ", ".join(f"'{c}'" for c in extra))
            continue
        if ragged:
            continue  # the import is refused at the end; the rows after are only counted
        yield row
    if ragged:
        more = _(" and {n} more").format(n=count - len(ragged)) if count > len(ragged) else ""
        raise UserError(
            ngettext(
                "{file}: {n} row has more cells than the header's {width}; the extra values "
                "are: {rows}{more}. A delimiter inside a value that is not quoted? Quote it, or "
                "save the file again from the spreadsheet.",
                "{file}: {n} rows have more cells than the header's {width}; the extra values "
                "are: {rows}{more}. A delimiter inside a value that is not quoted? Quote it, or "
                "save the file again from the spreadsheet.",
                count,
            ).format(
                file=located.sheet.label,
                n=count,
                width=len(located.headers),
                rows="; ".join(ragged),
                more=more,
            )
        )
