"""Commands that manage the workspace's data: ``init``, ``import``, ``export``."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table as RichTable
from rich.text import Text

from smmkpi.cli.common import (
    LangOption,
    console,
    errors,
    handle_errors,
    language_for,
    open_workspace,
    workspace_path,
)
from smmkpi.errors import UnknownChoiceError, UserError
from smmkpi.formatting import format_count
from smmkpi.i18n import _, current_language, set_language
from smmkpi.ingest.pipeline import ImportOutcome, run_import
from smmkpi.ingest.registry import detect_importer, importer_named
from smmkpi.ingest.values import CellError, parse_timezone
from smmkpi.store.database import Store
from smmkpi.store.export import FORMATS, export_tables
from smmkpi.workspace import Workspace


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("import")(import_command)
    app.command("export")(export)


@handle_errors
def init(
    name: Annotated[str, typer.Option("--name", help="Name of the agency or specialist.")] = "",
    lang: LangOption = None,
) -> None:
    """Create a workspace in the workspace folder: smmkpi.toml and the database."""
    set_language(language_for(lang))
    workspace, created = Workspace.init(workspace_path(), name)
    if created:
        console.print(
            _("Created a workspace in {path}: settings in smmkpi.toml, data in {db}.").format(
                path=workspace.path, db=workspace.database_path.name
            )
        )
        console.print(_("Next: smmkpi import FOLDER --format canonical"))
    else:
        console.print(
            _("{path} is already a workspace; its database is up to date.").format(
                path=workspace.path
            )
        )


@handle_errors
def import_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files or folders to import.", show_default=False),
    ],
    file_format: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="The source format (canonical); detected when left out."
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            help="The time zone of times written without an offset in the files, such as "
            "Europe/Moscow.",
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Import statistics into the workspace: each path is one atomic, idempotent import."""
    workspace = open_workspace(lang)
    zone = None
    if timezone:
        try:
            zone_name = parse_timezone(timezone)
        except CellError as error:
            raise UserError(f"--timezone '{timezone}' {error.problem} {error.fix}") from None
        assert zone_name is not None
        zone = ZoneInfo(zone_name)
    failed = 0
    with workspace.open_store() as store:
        for path in paths:
            try:
                outcome = _import_one(store, path, file_format, zone, workspace)
            except UserError as error:
                if len(paths) == 1:
                    raise
                failed += 1
                errors.print(Text("✗ ", style="red"), end="")
                errors.print(str(error), soft_wrap=True)
                continue
            _print_outcome(path, outcome)
    if failed:
        raise typer.Exit(1)


def _import_one(
    store: Store, path: Path, file_format: str | None, zone: ZoneInfo | None, workspace: Workspace
) -> ImportOutcome:
    """One path, one atomic import, with a progress bar over the bytes read."""
    if file_format:
        importer = importer_named(file_format)
    else:
        importer = detect_importer(path)
        console.print(
            _("{path}: detected format '{format}'.").format(path=path, format=importer.name)
        )
    source = importer.open(path)
    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(
            _("Reading {path}").format(path=path.name), total=sum(f.size for f in source.files)
        )
        return run_import(
            store,
            source,
            source_zone=zone,
            max_errors=workspace.settings.import_.max_errors,
            on_progress=partial(progress.advance, task),
        )


def _print_outcome(path: Path, outcome: ImportOutcome) -> None:
    language = current_language()
    totals = outcome.totals
    if not outcome.changed:
        console.print(
            _("✓ {path}: no changes — all {n} rows are already in the workspace.").format(
                path=path, n=format_count(totals.total, language)
            )
        )
    else:
        console.print(
            _("✓ {path}: imported (import #{id}).").format(path=path, id=outcome.record.import_id)
        )
        table = RichTable(box=None, pad_edge=False)
        table.add_column(_("table"))
        for heading in (_("inserted"), _("replaced"), _("unchanged"), _("ignored (older)")):
            table.add_column(heading, justify="right")
        for name, counts in outcome.tables.items():
            table.add_row(
                name,
                *(
                    format_count(n, language)
                    for n in (counts.inserted, counts.replaced, counts.unchanged, counts.ignored)
                ),
            )
        console.print(table)
    for warning in outcome.record.warnings:
        console.print(Text("  ! ", style="yellow"), end="")
        console.print(warning, soft_wrap=True)


@handle_errors
def export(
    folder: Annotated[Path, typer.Argument(help="Folder to write the tables to.")],
    file_format: Annotated[
        str, typer.Option("--format", "-f", help="canonical (CSV, the import format) or parquet.")
    ] = "canonical",
    lang: LangOption = None,
) -> None:
    """Write every canonical table out, one file per table."""
    workspace = open_workspace(lang)
    if file_format not in FORMATS:
        raise UnknownChoiceError(_("export format"), file_format, FORMATS)
    with workspace.open_store(read_only=True) as store, console.status(_("Exporting…")) as status:
        written = export_tables(
            store,
            folder,
            file_format,
            on_table=lambda name: status.update(_("Exporting {table}…").format(table=name)),
        )
    language = current_language()
    for item in written:
        console.print(f"{item.path}: {format_count(item.rows, language)}")
