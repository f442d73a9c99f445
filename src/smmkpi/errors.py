"""Errors of smmkpi: what a user can fix versus what is a bug.

::

    SmmkpiError
    ├── UserError                 bad input or configuration: a message, no traceback, exit code 1
    │   ├── NotAWorkspaceError    the folder has no smmkpi.toml
    │   ├── WorkspaceBusyError    another process holds the workspace database
    │   ├── SchemaTooNewError     the database was written by a newer smmkpi
    │   ├── InvalidArgumentError  a malformed option value (a month, a date range, a time zone)
    │   ├── NotFoundError         what was named is not there
    │   │   ├── UnknownChoiceError  an id or name that is not one of the known ones (lists them)
    │   │   └── NoPlanError       the client has no plan for the period (says which to create)
    │   ├── NotReadyError         cannot be done as things stand (a client without a goal yet)
    │   ├── UnreadableFileError   a file that cannot be read at all (encoding, damaged, too big)
    │   ├── ImportRejectedError   an import found bad rows; nothing was written (lists the problems)
    │   ├── UnavailableError      a server out of reach (PostgreSQL, the database file's disk)
    │   └── MissingExtraError     an optional part is not installed (names the extra)
    └── InternalError             a bug: the CLI logs the traceback and asks for a report

Callers catch the kind they can act on — the web app answers a ``NotFoundError`` with 404, the
importer's first look at a file skips an ``UnreadableFileError`` — and let the rest through;
every kind is a ``UserError``, so the CLI shows any of them as a message.

Third-party exceptions (duckdb, ibis, csv) are translated at the boundary and raised ``from``
the original, so the message a marketer sees always says what to do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from smmkpi.i18n import _


class SmmkpiError(Exception):
    """Base of every error raised on purpose by smmkpi."""


class UserError(SmmkpiError):
    """Something the user can fix: shown as a message without a traceback (exit code 1)."""


class InternalError(SmmkpiError):
    """A bug in smmkpi. The CLI writes the traceback to the workspace log."""


class NotAWorkspaceError(UserError):
    """The folder is not an smmkpi workspace."""


class WorkspaceBusyError(UserError):
    """Another process holds the workspace database for writing."""


class SchemaTooNewError(UserError):
    """The workspace database was written by a newer version of smmkpi."""


class InvalidArgumentError(UserError):
    """An option value that cannot be understood (a month, a date range, a time zone)."""


class NotFoundError(UserError):
    """What was named is not there."""


class NoPlanError(NotFoundError):
    """The client has no plan for the period; the message says which plan to create."""


class NotReadyError(UserError):
    """What was asked cannot be done as things stand (a report of a client without a goal)."""


class UnreadableFileError(UserError):
    """A file that cannot be read at all: its encoding, a damaged workbook or archive, a size
    beyond the limits."""


class UnavailableError(UserError):
    """A server or resource out of reach: the PostgreSQL server, the database file."""


class MissingExtraError(UserError):
    """An optional part of smmkpi is not installed; the message names the extra to install."""


class UnknownChoiceError(NotFoundError):
    """A value that must be one of a known set, with the set listed in the message."""

    def __init__(self, what: str, value: str, known: Iterable[str], hint: str = "") -> None:
        self.what = what
        self.value = value
        self.known = sorted(known)
        listing = ", ".join(self.known) if self.known else _("none yet")
        message = _("Unknown {what} '{value}'. Known: {known}.").format(
            what=what, value=value, known=listing
        )
        if hint:
            message = f"{message} {hint}"
        super().__init__(message)


@dataclass(frozen=True)
class InputProblem:
    """One bad value in an input file, located the way a person finds it in a spreadsheet.

    ``row`` counts rows as a spreadsheet shows them: the header is row 1, the first data row is
    row 2. ``line`` is the physical line in the file when it differs (a quoted text with line
    breaks spans several lines).
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    problem: str
    fix: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            row = _("row {row}").format(row=self.row)
            if self.line is not None and self.line != self.row:
                row += " " + _("(line {line})").format(line=self.line)
            where.append(row)
        if self.column is not None:
            where.append(_("column '{column}'").format(column=self.column))
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "…"
            where.append(_("value '{value}'").format(value=shown))
        text = ", ".join(where) + ": " + self.problem
        if self.fix:
            text += " " + self.fix
        return text


class ImportRejectedError(UserError):
    """An import found problems in its input; nothing was written.

    ``problems`` holds the first problems found (up to the configured limit);
    ``total`` counts all of them.
    """

    def __init__(
        self,
        source: str,
        problems: Sequence[InputProblem],
        total: int,
        repeated: Sequence[RepeatedProblem] = (),
    ) -> None:
        self.source = source
        self.problems = list(problems)
        self.total = total
        lines = [
            _("Import of {source} rejected: nothing was written.").format(source=source),
        ]
        grouped = {r.kind for r in repeated}
        lines += [f"  - {r}" for r in repeated]
        shown = [p for p in self.problems if _kind(p) not in grouped]
        lines += [f"  - {p}" for p in shown]
        listed = len(shown) + sum(r.count for r in repeated)
        if total > listed:
            lines.append(
                "  " + _("… and {n} more problems of the same kinds.").format(n=total - listed)
            )
        super().__init__("\n".join(lines))


def _kind(problem: InputProblem) -> tuple[str, str | None, str, str]:
    return (problem.file, problem.column, problem.problem, problem.fix)


@dataclass(frozen=True)
class RepeatedProblem:
    """One problem found on many rows, said once: how many rows, the first of them and their
    values."""

    kind: tuple[str, str | None, str, str]
    count: int
    rows: tuple[int, ...]
    values: tuple[str, ...]

    def __str__(self) -> str:
        file, column, problem, fix = self.kind
        where = [file]
        if column is not None:
            where.append(_("column '{column}'").format(column=column))
        rows = ", ".join(str(r) for r in self.rows) + (", …" if self.count > len(self.rows) else "")
        values = ", ".join(f"'{v}'" for v in dict.fromkeys(self.values))
        text = (
            ", ".join(where)
            + ": "
            + _("{n} rows ({rows}): {problem}").format(n=self.count, rows=rows, problem=problem)
        )
        if values:
            text += " " + _("Values: {values}.").format(values=values)
        return text + (" " + fix if fix else "")
