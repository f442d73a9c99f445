"""Rows of tabular files — CSV in any of the usual dialects, XLSX/XLS workbooks, HTML tables —
with the row numbers a person sees, for the platform importers.

- CSV: the encoding from ``encodings.py``; the delimiter from Excel's ``sep=`` line or from the
  first lines (``,`` ``;`` tab ``|``); quoted multi-line cells.
- Workbooks (XLSX, XLS) through python-calamine: every visible sheet, cells typed (numbers,
  dates), merged header cells filled across their span.
- HTML saved with an ``.xls`` name (CRM exports do that): the largest ``<table>``.

Which of these a file is, is decided by its bytes, not its name (reliability M19).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import chain, islice
from pathlib import Path
from typing import Any

from smmkpi.errors import UnreadableFileError
from smmkpi.i18n import _
from smmkpi.ingest import encodings
from smmkpi.ingest.files import container_of, locate_invalid_utf8

DELIMITERS = (",", ";", "\t", "|")
HEADER_SCAN = 40


@dataclass(frozen=True)
class WorkbookLimits:
    """How large a workbook may be before it is read (settings ``import.max_unpacked_mb`` and
    ``import.max_cells``): a 1 MB XLSX can unpack to gigabytes, and one upload must not take
    the server down."""

    unpacked_bytes: int = 256 << 20
    cells: int = 20_000_000


_limits = WorkbookLimits()


def set_workbook_limits(max_unpacked_mb: int, max_cells: int) -> None:
    """The limits of this process (the CLI and the web app set them from the settings
    ``import.max_unpacked_mb`` and ``import.max_cells``)."""
    global _limits
    _limits = WorkbookLimits(max_unpacked_mb << 20, max_cells)


@dataclass
class RawRow:
    """One row of a sheet: its number as a spreadsheet shows it, its first line in a text file,
    and its cells (strings, or typed values from a workbook)."""

    number: int
    line: int | None
    cells: list[Any]


@dataclass
class Sheet:
    """The rows of one table: a CSV file, one sheet of a workbook, or an HTML table."""

    file: str
    name: str | None
    rows: Iterator[RawRow]
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)
    bytes_read: int = 0  # how far a CSV has been read, for progress bars
    empty: bool = False  # found to have no rows at all

    @property
    def label(self) -> str:
        return f"{self.file} [{self.name}]" if self.name else self.file


def kind_of(path: Path) -> str:
    """``xlsx``, ``xls``, ``html``, ``zip``, ``json`` or ``text``, from the file's first bytes."""
    with path.open("rb") as handle:
        head = handle.read(2048)
    container = container_of(head)
    if container == "ZIP/XLSX":
        import zipfile

        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile as error:  # a download cut short, a damaged copy
            raise UnreadableFileError(
                _(
                    "{file} is damaged: it starts as a workbook (XLSX) or zip archive but cannot "
                    "be opened ({error}). Download or export it again."
                ).format(file=path.name, error=error)
            ) from None
        return (
            "xlsx"
            if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)
            else "zip"
        )
    if container == "XLS":
        return "xls"
    stripped = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    lowered = head.replace(b"\x00", b"").lower()
    if b"<html" in lowered or b"<table" in lowered or lowered.lstrip().startswith(b"<!doctype"):
        return "html"
    if stripped[:1] in (b"{", b"["):
        return "json"
    return "text"


def sheets(path: Path, encoding: str | None = None) -> list[Sheet]:
    """The tables of ``path``: one for a CSV or HTML file, one per visible workbook sheet."""
    kind = kind_of(path)
    if kind in ("xlsx", "xls"):
        return _workbook_sheets(path)
    if kind == "html":
        return [_html_sheet(path, encoding)]
    if kind == "text":
        return [csv_sheet(path, encoding)]
    raise UnreadableFileError(
        _("{file} is not a table file (CSV, XLSX, XLS or HTML).").format(file=path.name)
    )


# -- CSV -------------------------------------------------------------------------------------


def csv_sheet(path: Path, encoding: str | None = None, delimiter: str | None = None) -> Sheet:
    """A CSV file as a sheet; the encoding and the delimiter are detected unless given."""
    chosen = encodings.detect(path, encoding)
    with path.open(encoding=chosen, newline="", errors="strict") as handle:
        try:
            head = handle.read(64 * 1024)
        except UnicodeDecodeError:
            head = ""
    lines = head.splitlines()
    sep_line = lines[0].strip().strip('"') if lines else ""
    if sep_line.lower().startswith("sep=") and len(sep_line) == 5:
        delimiter = delimiter or sep_line[4]
    delimiter = delimiter or sniff_delimiter(lines)
    sheet = Sheet(path.name, None, iter(()), chosen, delimiter)
    sheet.rows = _csv_rows(path, chosen, delimiter, sheet)
    return sheet


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the first lines into the most consistent number of columns."""
    candidates = [line for line in lines[:HEADER_SCAN] if line.strip()]
    best, best_score = ",", -1.0
    for delimiter in DELIMITERS:
        counts = [len(next(csv.reader([line], delimiter=delimiter))) for line in candidates]
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        most = max(set(wide), key=wide.count)
        score = wide.count(most) * most
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(path: Path, encoding: str, delimiter: str, sheet: Sheet) -> Iterator[RawRow]:
    with path.open(encoding=encoding, newline="", errors="strict") as handle:
        reader = csv.reader(handle, delimiter=delimiter, strict=True)
        number = 0
        previous_line = 0
        try:
            for cells in reader:
                number += 1
                line = previous_line + 1
                previous_line = reader.line_num
                if number == 1 and cells:
                    cells[0] = cells[0].lstrip("\ufeff")
                if number % 4096 == 0:
                    sheet.bytes_read = handle.buffer.tell()  # type: ignore[attr-defined]
                yield RawRow(number, line, cells)
        except UnicodeDecodeError:
            if encoding.replace("-", "").lower().startswith("utf8"):
                line_no, offset, byte = locate_invalid_utf8(path)
                raise UnreadableFileError(
                    _(
                        "{file} is not UTF-8: byte 0x{byte:02X} at line {line} (offset {offset}). "
                        "Pass --encoding cp1251 if it is Windows-1251, or save it as 'CSV UTF-8'."
                    ).format(file=path.name, byte=byte, line=line_no, offset=offset)
                ) from None
            raise UnreadableFileError(
                _("{file} is not valid {encoding} text after line {line}.").format(
                    file=path.name, encoding=encoding, line=previous_line
                )
            ) from None
        except csv.Error as error:
            raise UnreadableFileError(
                _(
                    "{file}, row {row} (line {line}): is not valid CSV: {error}. A quote inside a "
                    "text must be doubled."
                ).format(file=path.name, row=number + 1, line=previous_line + 1, error=error)
            ) from None


# -- workbooks -------------------------------------------------------------------------------


def check_workbook_size(path: Path, limits: WorkbookLimits | None = None) -> None:
    """Refuse an XLSX that unpacks beyond the limits, before anything of it is read: the sizes
    its zip directory declares, and the cells each sheet's ``<dimension>`` declares."""
    import zipfile

    limits = limits or _limits
    if not zipfile.is_zipfile(path):
        return
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        unpacked = sum(m.file_size for m in members)
        if unpacked > limits.unpacked_bytes:
            raise UnreadableFileError(
                _(
                    "{file} unpacks to {size} MB, more than the {limit} MB a workbook may "
                    "(import.max_unpacked_mb): nothing was read. Export the data as CSV, or a "
                    "shorter period, or raise the setting if the file is genuine."
                ).format(
                    file=path.name,
                    size=unpacked >> 20,
                    limit=limits.unpacked_bytes >> 20,
                )
            )
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                with archive.open(member) as stream:
                    cells = _declared_cells(stream.read(4096))
                if cells > limits.cells:
                    raise UnreadableFileError(
                        _(
                            "{file}: a sheet declares {cells} cells, more than the {limit} a "
                            "workbook may have (import.max_cells): nothing was read. Export the "
                            "data as CSV, or a shorter period."
                        ).format(file=path.name, cells=cells, limit=limits.cells)
                    )


def _declared_cells(head: bytes) -> int:
    """The cells a worksheet's ``<dimension ref="A1:AD1000000"/>`` spans (0 when absent)."""
    import re

    found = re.search(rb'<dimension ref="[A-Z]+(\d+):([A-Z]+)(\d+)"', head)
    if found is None:
        return 0
    column = 0
    for letter in found.group(2).decode():
        column = column * 26 + ord(letter) - 64
    first, last = int(found.group(1)), int(found.group(3))
    return column * (last - first + 1)


def _workbook_sheets(path: Path) -> list[Sheet]:
    from python_calamine import CalamineError, load_workbook

    check_workbook_size(path)
    try:
        workbook = load_workbook(str(path))
    except (CalamineError, OSError, ValueError) as error:
        raise UnreadableFileError(
            _("{file} cannot be read as a workbook: {error}").format(file=path.name, error=error)
        ) from error
    found = []
    for meta in workbook.sheets_metadata:
        if str(meta.visible).lower().endswith("hidden"):
            continue
        sheet = workbook.get_sheet_by_name(meta.name)
        if sheet.height * sheet.width > _limits.cells:  # an XLS, or an XLSX without dimension
            raise UnreadableFileError(
                _(
                    "{file}: a sheet declares {cells} cells, more than the {limit} a workbook may "
                    "have (import.max_cells): nothing was read. Export the data as CSV, or a "
                    "shorter period."
                ).format(file=path.name, cells=sheet.height * sheet.width, limit=_limits.cells)
            )
        found.append(Sheet(path.name, meta.name, _sheet_rows(sheet)))
    return found


def _sheet_rows(sheet: Any) -> Iterator[RawRow]:
    """The rows of a workbook sheet, converted to Python one at a time (a whole sheet as
    Python objects takes ten times its size); merged header cells filled across their span."""
    offset, left = sheet.start if sheet.start else (0, 0)
    pad = [None] * left  # cells before the first used column, so indexes are the sheet's
    rows = sheet.iter_rows()
    head = [pad + list(r) for r in islice(rows, HEADER_SCAN)]
    _fill_merged(head, sheet.merged_cell_ranges or [], offset)
    for index, cells in enumerate(chain(head, (pad + list(r) for r in rows))):
        yield RawRow(offset + index + 1, None, cells)


def _fill_merged(rows: list[list[Any]], ranges: list[Any], offset: int = 0) -> None:
    """Copy the value of each merged range near the top (a header) across its cells
    (``rows`` starts at sheet row ``offset``)."""
    for (sheet_top, left), (sheet_bottom, right) in ranges:
        top, bottom = sheet_top - offset, sheet_bottom - offset
        if top < 0 or top >= HEADER_SCAN or top >= len(rows):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, right + 1):
                if c < len(rows[r]) and rows[r][c] in ("", None):
                    rows[r][c] = value


# -- HTML ------------------------------------------------------------------------------------


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
            self._depth += 1
        elif tag == "tr" and self._depth:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split(" ")).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None
        elif tag == "table":
            self._depth = max(0, self._depth - 1)

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _html_sheet(path: Path, encoding: str | None) -> Sheet:
    raw = path.read_bytes()
    text = raw.decode(encoding or _html_charset(raw), errors="strict")
    parser = _Tables()
    parser.feed(text)
    if not parser.tables or not max(parser.tables, key=len):
        raise UnreadableFileError(
            _("{file} is an HTML page without a table.").format(file=path.name)
        )
    table = max(parser.tables, key=len)
    sheet = Sheet(path.name, None, iter([RawRow(i + 1, None, r) for i, r in enumerate(table)]))
    sheet.notes.append(
        _(
            "{file} is an HTML page with an .xls name (as some CRMs export); its table was read."
        ).format(file=path.name)
    )
    return sheet


def _html_charset(raw: bytes) -> str:
    head = raw[:4096].lower()
    for name in (b"utf-8", b"windows-1251", b"cp1251"):
        if b"charset=" + name in head or b'charset="' + name in head:
            return name.decode()
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1251"


def text_of(cells: list[Any]) -> list[str]:
    """Cells as trimmed text (for matching headers)."""
    return ["" if c is None else str(c).strip() for c in cells]


def read_text(path: Path, encoding: str | None = None) -> str:
    """A whole text file (JSON) decoded with its detected encoding."""
    chosen = encodings.detect(path, encoding)
    try:
        return path.read_text(encoding=chosen)
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            _("{file} is not valid {encoding} text.").format(file=path.name, encoding=chosen)
        ) from error


def preview_rows(path: Path, limit: int = 6, encoding: str | None = None) -> list[list[str]]:
    """The first ``limit`` rows of a table file as text, for a person to check before an
    import (a JSON file: its first characters; an archive: its file names)."""
    kind = kind_of(path)
    if kind == "json":
        return [[read_text(path, encoding)[:300]]]
    if kind == "zip":
        import zipfile

        with zipfile.ZipFile(path) as archive:
            return [[name] for name in archive.namelist()[:limit]]
    found = sheets(path, encoding)
    if not found:
        return []
    rows = []
    for row in found[0].rows:
        rows.append(text_of(row.cells))
        if len(rows) >= limit:
            break
    return rows
