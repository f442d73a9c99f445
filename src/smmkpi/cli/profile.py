"""``smmkpi profile``: mapping profiles for files no importer knows — create one from a sample
file (a preview, then a question per column, each with a suggested answer), list, show."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from smmkpi.cli.common import LangOption, handle_errors, open_workspace
from smmkpi.cli.state import console
from smmkpi.cli.tables import Table
from smmkpi.errors import InvalidArgumentError, UserError
from smmkpi.i18n import _
from smmkpi.ingest import crm, lenient, suggest
from smmkpi.ingest.fields import normalise
from smmkpi.ingest.mapped import DATE_FORMATS
from smmkpi.ingest.meta import post_kind
from smmkpi.ingest.profiles import (
    FROM_OPTIONS,
    Profile,
    load_profile,
    profile_names,
)
from smmkpi.ingest.sheets import HEADER_SCAN, RawRow, Sheet, sheets, text_of
from smmkpi.ingest.values import CellError
from smmkpi.store.tables import DATA_TABLES, TABLES_BY_NAME, Column, ColumnType
from smmkpi.workspace import Workspace

app = typer.Typer(help="Mapping profiles: read files that no importer knows.", no_args_is_help=True)
PREVIEW_ROWS = 5
SAMPLE_ROWS = 2000
SKIP = "-"


def profiles_folder(workspace: Workspace) -> Path:
    return workspace.path / "profiles"


@app.command("create")
@handle_errors
def create(
    file: Annotated[Path, typer.Argument(help="A sample of the files the profile will read.")],
    name: Annotated[str | None, typer.Option("--name", help="The profile's name.")] = None,
    table: Annotated[
        str | None, typer.Option("--table", help=f"The table it fills: {', '.join(DATA_TABLES)}.")
    ] = None,
    maps: Annotated[
        list[str] | None,
        typer.Option("--map", help="COLUMN=HEADER: the file's column for a canonical column."),
    ] = None,
    constants: Annotated[
        list[str] | None,
        typer.Option("--set", help="COLUMN=VALUE: a value every row gets (such as platform=vk)."),
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="The workbook's sheet.")] = None,
    header: Annotated[
        int | None, typer.Option("--header-row", help="The header's row number.")
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option("--date-format", help=f"One of: auto, {', '.join(DATE_FORMATS)}."),
    ] = None,
    decimal: Annotated[
        str | None, typer.Option("--decimal", help="The decimal separator: . or ,")
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone", help="The zone of times without an offset (default: the client's)."
        ),
    ] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="The text encoding.")] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Take the suggested answers without asking.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """Create a mapping profile from a sample file: shows what was found and asks what each
    column is, suggesting an answer for each."""
    workspace = open_workspace(lang)
    if not file.is_file():
        raise UserError(_("{path} is not a file.").format(path=file))
    chosen = _sheet(sheets(file, encoding), sheet, yes)
    head = _head(chosen)
    index = _header_index(head, header, yes)
    headers = [h.strip() for h in text_of(head[index].cells)]
    body = head[index + 1 :] + _more_rows(chosen, SAMPLE_ROWS)
    _preview(chosen, head[index], body[:PREVIEW_ROWS], headers)
    target = _table(headers, table, yes)
    columns = _columns(target, headers, _pairs(maps, "--map"), yes)
    fixed = _pairs(constants, "--set")
    samples = {c: [_cell(r, headers.index(h)) for r in body] for c, h in columns.items()}
    renames = _values(target, samples, yes)
    separator = _decimal(target, samples, decimal, chosen, yes)
    dates = _date_format(target, samples, date_format, yes)
    profile = Profile(
        name=name or _ask(_("Profile name"), _slug(file.stem), yes),
        table=target,
        columns=columns,
        constants=fixed,
        values=renames,
        sheet=sheet or chosen.name,
        header_row=head[index].number,
        encoding=encoding,
        decimal=separator,
        date_format=dates,
        timezone=timezone,
    )
    missing = profile.missing()
    if missing:
        raise UserError(
            _(
                "The profile leaves required columns without a source: {columns}. Map them with "
                "--map COLUMN=HEADER or give them with --set COLUMN=VALUE."
            ).format(columns=", ".join(missing))
        )
    path = profile.save(profiles_folder(workspace))
    console.print(_("Saved the profile {name} in {path}.").format(name=profile.name, path=path))
    console.print(
        _("Import with: smmkpi import {file} --profile {name}").format(file=file, name=profile.name)
    )


@app.command("list")
@handle_errors
def list_profiles(lang: LangOption = None) -> None:
    """The workspace's mapping profiles."""
    workspace = open_workspace(lang)
    folder = profiles_folder(workspace)
    names = profile_names(folder)
    if not names:
        console.print(_("No profiles yet: create one with `smmkpi profile create FILE`."))
        return
    table = Table(_("Profile"), _("Table"), _("Columns"))
    for name in names:
        profile = load_profile(folder, name)
        table.add_row(
            profile.name,
            profile.table,
            ", ".join(f"{c} ← {h}" for c, h in profile.columns.items()),
        )
    console.print(table)


@app.command("show")
@handle_errors
def show(
    name: Annotated[str, typer.Argument(help="The profile.")], lang: LangOption = None
) -> None:
    """A profile's file (TOML)."""
    workspace = open_workspace(lang)
    load_profile(profiles_folder(workspace), name)  # checks that it is valid
    console.print((profiles_folder(workspace) / f"{name}.toml").read_text(encoding="utf-8"))


# -- the questions ---------------------------------------------------------------------------


def _ask(question: str, default: str, yes: bool) -> str:
    if yes:
        return default
    return str(typer.prompt(question, default=default)).strip()


def _sheet(found: list[Sheet], wanted: str | None, yes: bool) -> Sheet:
    if wanted is not None:
        for sheet in found:
            if sheet.name == wanted:
                return sheet
        raise UserError(
            _("No sheet '{sheet}' (sheets: {names}).").format(
                sheet=wanted, names=", ".join(s.name or "" for s in found)
            )
        )
    if len(found) == 1 or yes:
        return found[0]
    for number, sheet in enumerate(found, start=1):
        console.print(f"  {number}. {sheet.name}")
    answer = _ask(_("Which sheet (number)"), "1", yes)
    try:
        return found[int(answer) - 1]
    except (ValueError, IndexError):
        raise InvalidArgumentError(
            _("'{answer}' is not a sheet's number.").format(answer=answer)
        ) from None


def _head(sheet: Sheet) -> list[RawRow]:
    head = []
    for row in sheet.rows:
        head.append(row)
        if len(head) >= HEADER_SCAN:
            break
    if not head:
        raise UserError(_("{file} has no rows.").format(file=sheet.label))
    return head


def _more_rows(sheet: Sheet, limit: int) -> list[RawRow]:
    more = []
    for row in sheet.rows:
        more.append(row)
        if len(more) >= limit:
            break
    return more


def _header_index(head: list[RawRow], given: int | None, yes: bool) -> int:
    numbers = [r.number for r in head]
    guess = suggest.header_row([r.cells for r in head])
    if given is None:
        given = int(_ask(_("Header row"), str(numbers[guess]), yes))
    if given not in numbers:
        raise InvalidArgumentError(
            _("Row {row} is not among the first rows ({first}–{last}).").format(
                row=given, first=numbers[0], last=numbers[-1]
            )
        )
    return numbers.index(given)


def _preview(sheet: Sheet, header: RawRow, rows: list[RawRow], headers: list[str]) -> None:
    details = [sheet.label]
    if sheet.encoding:
        details.append(_("encoding {encoding}").format(encoding=sheet.encoding))
    if sheet.delimiter:
        details.append(
            _("delimiter '{delimiter}'").format(delimiter=sheet.delimiter.replace("\t", "\\t"))
        )
    details.append(_("header in row {row}").format(row=header.number))
    console.print(" · ".join(details))
    table = Table(*(f"{i}. {h}" for i, h in enumerate(headers, start=1)), show_lines=False)
    for row in rows:
        table.add_row(*(_short(_cell(row, i)) for i in range(len(headers))))
    console.print(table)


def _table(headers: list[str], given: str | None, yes: bool) -> str:
    answer = given or _ask(
        _("Which table does the file fill ({tables})").format(tables=", ".join(DATA_TABLES)),
        suggest.best_table(headers),
        yes,
    )
    if answer not in DATA_TABLES:
        raise InvalidArgumentError(
            _("'{table}' is not one of: {tables}.").format(
                table=answer, tables=", ".join(DATA_TABLES)
            )
        )
    return answer


def _columns(table: str, headers: list[str], given: dict[str, str], yes: bool) -> dict[str, str]:
    found = suggest.mapping(table, headers)
    found.update(given)
    for name, wanted in given.items():
        if wanted not in headers:
            raise InvalidArgumentError(
                _("--map {column}={header}: the file has no column '{header}'.").format(
                    column=name, header=wanted
                )
            )
    if yes:
        return {
            c: h for c, h in found.items() if c in {k.name for k in TABLES_BY_NAME[table].columns}
        }
    result: dict[str, str] = {}
    for column in TABLES_BY_NAME[table].columns:
        if column.name in given:
            result[column.name] = given[column.name]
            continue
        note = ""
        if column.name in FROM_OPTIONS:
            note = _(" ({option} when importing, if not in the file)").format(
                option=FROM_OPTIONS[column.name]
            )
        default = found.get(column.name, SKIP)
        answer = _ask(
            f"{column.name} — {column.help}{note} "
            + _("(header or number, {skip} for none)").format(skip=SKIP),
            default,
            yes,
        )
        chosen = _header_named(answer, headers)
        if chosen is not None:
            result[column.name] = chosen
    return result


def _header_named(answer: str, headers: list[str]) -> str | None:
    if answer in ("", SKIP):
        return None
    if answer.isdigit() and 1 <= int(answer) <= len(headers):
        return headers[int(answer) - 1]
    for header in headers:
        if normalise(header) == normalise(answer):
            return header
    raise InvalidArgumentError(
        _("'{answer}' is neither a header of the file nor its number.").format(answer=answer)
    )


def _values(table: str, samples: dict[str, list[Any]], yes: bool) -> dict[str, dict[str, str]]:
    """For each choice column: the file's words that are not canonical, and what they mean."""
    renames: dict[str, dict[str, str]] = {}
    for column in TABLES_BY_NAME[table].columns:
        if column.type is not ColumnType.CHOICE or column.name not in samples:
            continue
        words = sorted({str(v).strip() for v in samples[column.name] if v not in (None, "")})
        unknown = [w for w in words if _canonical_choice(column, w) is None]
        for word in unknown[:50]:
            guess = _guess_choice(column, word)
            answer = _ask(
                _("'{word}' in {column} means ({choices})").format(
                    word=word, column=column.name, choices=", ".join(column.choices)
                ),
                guess,
                yes,
            )
            if answer not in column.choices:
                raise InvalidArgumentError(
                    _("'{answer}' is not one of: {choices}.").format(
                        answer=answer, choices=", ".join(column.choices)
                    )
                )
            renames.setdefault(column.name, {})[word] = answer
    return renames


def _canonical_choice(column: Column, word: str) -> str | None:
    key = word.strip().lower()
    key = column.aliases.get(key, key)
    return key if key in column.choices else None


def _guess_choice(column: Column, word: str) -> str:
    if column.name == "status":
        return crm.status_of(word)
    if column.name == "kind":
        return post_kind(word)
    return "other" if "other" in column.choices else column.choices[0]


def _decimal(
    table: str, samples: dict[str, list[Any]], given: str | None, sheet: Sheet, yes: bool
) -> str:
    if given is not None:
        if given not in (".", ","):
            raise InvalidArgumentError(_("--decimal is '.' or ','."))
        return given
    numbers = [
        v
        for c in TABLES_BY_NAME[table].columns
        if c.type in (ColumnType.COUNT, ColumnType.MONEY) and c.name in samples
        for v in samples[c.name]
    ]
    if not numbers:
        return "."
    try:
        guess = lenient.decimal_mark(numbers, "," if sheet.delimiter == ";" else ".")
    except CellError as mixed:  # the person answers which one it is
        console.print(f"{sheet.label}: {mixed.problem} {mixed.fix}")
        guess = "," if sheet.delimiter == ";" else "."
    answer = _ask(_("Decimal separator (. or ,)"), guess, yes)
    if answer not in (".", ","):
        raise InvalidArgumentError(_("--decimal is '.' or ','."))
    return answer


def _date_format(table: str, samples: dict[str, list[Any]], given: str | None, yes: bool) -> str:
    choices = ("auto", *DATE_FORMATS)
    if given is None:
        dates = [
            v
            for c in TABLES_BY_NAME[table].columns
            if c.type in (ColumnType.DATE, ColumnType.TIMESTAMP) and c.name in samples
            for v in samples[c.name]
        ]
        if not dates:
            return "auto"
        found = lenient.date_format(dates)
        given = _ask(
            _("Date format ({choices})").format(choices=", ".join(choices)),
            found.name if found else "auto",
            yes,
        )
    if given not in choices:
        raise InvalidArgumentError(
            _("'{answer}' is not one of: {choices}.").format(
                answer=given, choices=", ".join(choices)
            )
        )
    return given


# -- small helpers ---------------------------------------------------------------------------


def _pairs(items: list[str] | None, option: str) -> dict[str, str]:
    found = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidArgumentError(
                _("{option} '{item}' is not COLUMN=VALUE.").format(option=option, item=item)
            )
        found[key.strip()] = value.strip()
    return found


def _cell(row: RawRow, index: int) -> Any:
    value = row.cells[index] if index < len(row.cells) else None
    return value.strip() if isinstance(value, str) else value


def _short(value: Any, width: int = 28) -> str:
    text = "" if value is None else str(value).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _slug(stem: str) -> str:
    cleaned = "".join(c if c.isalnum() and c.isascii() else "-" for c in stem.lower()).strip("-")
    while "--" in cleaned:
        cleaned = cleaned.replace("--", "-")
    return cleaned[:64] or "profile"
