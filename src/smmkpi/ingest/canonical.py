"""The canonical CSV format: one UTF-8, comma-separated file per table, named after it.

``smmkpi import DIR --format canonical`` reads a folder holding any subset of ``clients.csv``,
``accounts.csv``, ``account_daily.csv``, ``posts.csv``, ``mentions.csv``, ``web_sessions.csv``,
``leads.csv``, ``sales.csv``, ``ad_spend.csv``; a single such file works as well. Header names
are matched without regard to case; columns may come in any order; a column left out is not
provided (new rows get it unknown, stored rows keep theirs). Blank lines are skipped.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from smmkpi.errors import InputProblem, UserError
from smmkpi.i18n import _
from smmkpi.ingest.canonical_rows import CanonicalRows
from smmkpi.ingest.files import container_of, locate_invalid_utf8, sha256_of, utf16_bom
from smmkpi.ingest.rows import RowSink

if TYPE_CHECKING:
    from smmkpi.ingest.pipeline import SourceFile
from smmkpi.store.tables import TABLES, TABLES_BY_NAME, Table

NAME = "canonical"
VERSION = "1"

ProgressCallback = Callable[[int], None]
"""Called with the number of bytes read since the last call."""


@dataclass(frozen=True)
class CanonicalFile:
    """One canonical CSV file and the table it fills."""

    path: Path
    table: Table

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    def sha256(self) -> str:
        return sha256_of(self.path)


def is_canonical(path: Path) -> bool:
    """Whether ``path`` looks like canonical input: a table-named CSV or a folder holding one."""
    if path.is_dir():
        return any(p.stem.lower() in TABLES_BY_NAME for p in path.glob("*.csv"))
    return path.suffix.lower() == ".csv" and path.stem.lower() in TABLES_BY_NAME


def find_files(path: Path) -> list[CanonicalFile]:
    """The canonical files at ``path`` (a file or a folder), in table dependency order."""
    if not path.exists():
        raise UserError(_("{path} does not exist.").format(path=path))
    known = ", ".join(f"{t.name}.csv" for t in TABLES)
    if path.is_file():
        table = TABLES_BY_NAME.get(path.stem.lower())
        if table is None or path.suffix.lower() != ".csv":
            raise UserError(
                _(
                    "{name}: a canonical file is named after its table. Rename it to one of: "
                    "{known}."
                ).format(name=path.name, known=known)
            )
        return [CanonicalFile(path, table)]
    files: list[CanonicalFile] = []
    unknown: list[str] = []
    for candidate in sorted(path.glob("*.csv")):
        table = TABLES_BY_NAME.get(candidate.stem.lower())
        if table is None:
            unknown.append(candidate.name)
        else:
            files.append(CanonicalFile(candidate, table))
    if unknown:
        suggestions = []
        for name in unknown:
            close = difflib.get_close_matches(Path(name).stem.lower(), list(TABLES_BY_NAME), n=1)
            hint = _(" (did you mean {name}.csv?)").format(name=close[0]) if close else ""
            suggestions.append(name + hint)
        raise UserError(
            _(
                "{folder} holds CSV files that are not canonical tables: {names}. Rename them "
                "to a table name or move them out. Canonical files: {known}."
            ).format(folder=path, names=", ".join(suggestions), known=known)
        )
    if not files:
        raise UserError(
            _("{folder} holds no canonical files. Expected any of: {known}.").format(
                folder=path, known=known
            )
        )
    order = {t.name: i for i, t in enumerate(TABLES)}
    return sorted(files, key=lambda f: order[f.table.name])


def read_file(
    file: CanonicalFile, sink: RowSink, on_progress: ProgressCallback | None = None
) -> None:
    """Read one canonical file into ``sink``; problems go to ``sink.problems``."""
    problems = sink.problems
    name = file.name
    with file.path.open("rb") as binary:
        head = binary.read(4)
        binary.seek(0)
        container = container_of(head)
        if container:
            problems.add(
                InputProblem(
                    name,
                    None,
                    None,
                    None,
                    _("is a {kind} file, not a CSV text file.").format(kind=container),
                    _("Save the table as 'CSV UTF-8 (comma delimited)' and import that."),
                )
            )
            return
        if utf16_bom(head):
            problems.add(
                InputProblem(
                    name,
                    None,
                    None,
                    None,
                    _("is saved as UTF-16 ('Unicode text'); canonical files are UTF-8."),
                    _("Save it as 'CSV UTF-8 (comma delimited)'."),
                )
            )
            return
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
        try:
            _read_rows(file, text, binary, sink, on_progress)
        except UnicodeDecodeError:
            line, offset, byte = locate_invalid_utf8(file.path)
            problems.add(
                InputProblem(
                    name,
                    None,
                    None,
                    None,
                    _(
                        "is not UTF-8: byte 0x{byte:02X} at line {line} (offset {offset}) is "
                        "not valid there. Spreadsheets in Russian often save Windows-1251."
                    ).format(byte=byte, line=line, offset=offset),
                    _("Save it as 'CSV UTF-8 (comma delimited)' and import it again."),
                )
            )


def _read_rows(
    file: CanonicalFile,
    text: io.TextIOWrapper,
    binary: io.BufferedReader,
    sink: RowSink,
    on_progress: ProgressCallback | None,
) -> None:
    problems = sink.problems
    name = file.name
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        problems.add(InputProblem(name, None, None, None, _("is empty."), _("Export it again.")))
        return
    except csv.Error as error:
        problems.add(
            InputProblem(name, 1, None, None, _("is not valid CSV: {error}.").format(error=error))
        )
        return
    columns = _check_header(file, header, sink)
    if columns is None:
        return
    rows = CanonicalRows(file.path, file.name, file.table, columns, sink)
    rows.read(reader, binary, on_progress)
    if rows.data_rows == 0:  # an empty table of an export folder; an import of nothing is refused
        problems.note(_("{file}: a header without rows, nothing to import.").format(file=name))


def _check_header(file: CanonicalFile, header: list[str], sink: RowSink) -> list[str | None] | None:
    """The column of each header cell (None for an empty trailing cell), or None when the
    header has problems (they are recorded)."""
    problems = sink.problems
    table = file.table
    name = file.name
    found = [cell.strip().lstrip("\ufeff").lower() for cell in header]
    if len(found) == 1 and (";" in found[0] or "\t" in found[0]):
        separator = "';'" if ";" in found[0] else _("a tab")
        problems.add(
            InputProblem(
                name,
                1,
                None,
                header[0][:60],
                _("separates columns with {separator}; canonical files use commas.").format(
                    separator=separator
                ),
                _("Save it as 'CSV UTF-8 (comma delimited)'."),
            )
        )
        return None
    known = set(table.column_names)
    ok = True
    seen: set[str] = set()
    columns: list[str | None] = []
    for index, name_found in enumerate(found):
        if not name_found:
            if index == len(found) - 1 and index > 0:
                columns.append(None)
                continue
            problems.add(
                InputProblem(
                    name,
                    1,
                    None,
                    None,
                    _("has an empty column name (column {n}).").format(n=index + 1),
                    _("Name every column or delete the empty one."),
                )
            )
            ok = False
            continue
        if name_found not in known:
            close = difflib.get_close_matches(name_found, sorted(known), n=1)
            hint = (
                _("Did you mean '{choice}'?").format(choice=close[0])
                if close
                else _("Columns of {table}: {columns}.").format(
                    table=table.name, columns=", ".join(table.column_names)
                )
            )
            problems.note(
                _(
                    "{file}: the column '{column}' is not a column of {table} and was set aside "
                    "(not imported). {hint}"
                ).format(file=name, column=name_found, table=table.name, hint=hint)
            )
            columns.append(None)
            continue
        elif name_found in seen:
            problems.add(
                InputProblem(
                    name,
                    1,
                    name_found,
                    None,
                    _("appears twice in the header."),
                    _("Keep one of them."),
                )
            )
            ok = False
        seen.add(name_found)
        columns.append(name_found)
    for column in table.columns:
        if column.required and column.name not in seen:
            problems.add(
                InputProblem(
                    name,
                    1,
                    column.name,
                    None,
                    _("is missing from the header; {table} needs it.").format(table=table.name),
                    _("Add the column {column}.").format(column=column.name),
                )
            )
            ok = False
    return columns if ok else None


class CanonicalSource:
    """An import of canonical CSV files (a folder or one file), for ``run_import``."""

    format = NAME
    version = VERSION

    def __init__(self, path: Path) -> None:
        self.label = str(path)
        self.files: Sequence[SourceFile] = find_files(path)

    def read(self, file: SourceFile, sink: RowSink, on_progress: ProgressCallback | None) -> None:
        assert isinstance(file, CanonicalFile)
        read_file(file, sink, on_progress)
