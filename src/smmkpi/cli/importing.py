"""``smmkpi import``: files and folders into the workspace, a line per import."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from smmkpi.cli.common import LangOption, handle_errors, language_for, open_workspace
from smmkpi.cli.state import console, errors
from smmkpi.cli.tables import Table
from smmkpi.errors import InvalidArgumentError, UserError
from smmkpi.i18n import _, set_language
from smmkpi.ingest.context import ImportContext
from smmkpi.ingest.registry import IMPORTERS
from smmkpi.ingest.service import ImportReport, import_paths
from smmkpi.ingest.sheets import set_workbook_limits
from smmkpi.ingest.summary import outcome_text
from smmkpi.ingest.values import CellError, parse_timezone


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)


def _zone(timezone: str | None) -> ZoneInfo | None:
    if not timezone:
        return None
    try:
        name = parse_timezone(timezone)
    except CellError as error:
        raise InvalidArgumentError(f"--timezone '{timezone}' {error.problem} {error.fix}") from None
    assert name is not None
    return ZoneInfo(name)


def _as_of(value: str | None, zone: ZoneInfo | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(value), time(12))
        except ValueError:
            raise InvalidArgumentError(
                _(
                    "--as-of '{value}' is neither a day (YYYY-MM-DD) nor a time "
                    "(YYYY-MM-DDTHH:MM:SS)."
                ).format(value=value)
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone or UTC)
    return moment.astimezone(UTC)


def print_formats() -> None:
    table = Table(title=_("Supported sources"), title_justify="left")
    table.add_column(_("format"), no_wrap=True)
    table.add_column(_("reads"))
    table.add_column(_("fills"))
    for importer in IMPORTERS:
        table.add_row(importer.name, _(importer.reads), _(importer.fills))
    console.print(table)


@handle_errors
def import_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders to import.", show_default=False),
    ] = None,
    file_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="The source format; recognised from the content when left out (see --formats).",
        ),
    ] = None,
    client: Annotated[
        str | None, typer.Option("--client", help="The client, for files that do not say.")
    ] = None,
    account: Annotated[
        str | None, typer.Option("--account", help="The account, for files that do not say.")
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            help="The time zone of times written without an offset (default for platform "
            "exports: the client's), such as Europe/Moscow.",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="When the file's lifetime and snapshot values were read (YYYY-MM-DD or a time); "
            "default: the file's modification time.",
        ),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="The text encoding, when detection fails.")
    ] = None,
    decimal: Annotated[
        str | None,
        typer.Option(
            "--decimal",
            help="The decimal separator of amounts (. or ,), when a file mixes them or writes "
            "1.234 among decimal commas.",
        ),
    ] = None,
    profile: Annotated[
        str | None, typer.Option("--profile", help="A saved mapping profile (smmkpi profile).")
    ] = None,
    allow_empty: Annotated[
        bool,
        typer.Option(
            "--allow-empty", help="Accept a file without rows of data (else it is an error)."
        ),
    ] = False,
    formats: Annotated[
        bool, typer.Option("--formats", help="List the supported sources and exit.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """Import statistics into the workspace: each file (or export folder) is one atomic,
    idempotent import."""
    if formats:
        set_language(language_for(lang))
        print_formats()
        return
    if not paths:
        raise UserError(_("Name the files or folders to import (or pass --formats)."))
    workspace = open_workspace(lang)
    settings = workspace.settings.import_
    set_workbook_limits(settings.max_unpacked_mb, settings.max_cells)
    zone = _zone(timezone)
    if profile:
        file_format = file_format or "mapped"
    if decimal not in (None, ".", ","):
        raise InvalidArgumentError(_("--decimal is '.' or ','."))
    context = ImportContext(
        client_id=client,
        account_id=account,
        source_zone=zone,
        as_of=_as_of(as_of, zone),
        encoding=encoding,
        decimal=decimal,
        allow_empty=allow_empty,
        profile=profile,
        profiles_folder=workspace.path / "profiles",
    )
    failed = 0
    with (
        workspace.open_store() as store,
        Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        ) as progress,
    ):

        def bar(name: str, total: int) -> Callable[[int], None]:
            task = progress.add_task(_("Reading {path}").format(path=name), total=total)
            return lambda n: progress.advance(task, n)

        for report in import_paths(
            store,
            paths,
            context,
            file_format=file_format,
            max_errors=workspace.settings.import_.max_errors,
            memory_limit=workspace.settings.import_.memory_limit,
            progress=bar,
            crash_folder=workspace.path / "logs",
        ):
            failed += not report.ok
            _print_report(report)
    if failed:
        raise typer.Exit(1)


def _print_report(report: ImportReport) -> None:
    name = report.importer.name if report.importer else "?"
    if report.error is not None or report.outcome is None:
        errors.print(Text("✗ ", style="red"), end="")
        errors.print(f"{report.label} ({name}): {report.error}", soft_wrap=True)
        return
    outcome = report.outcome
    name = outcome.record.format or name  # "mapped:tilda" names the profile
    summary = outcome_text(outcome)
    console.print(Text("✓ ", style="green"), end="")
    console.print(f"{report.label} ({name}): {summary}", soft_wrap=True)
    for warning in outcome.record.warnings:
        console.print(Text("  ! ", style="yellow"), end="")
        console.print(warning, soft_wrap=True)
