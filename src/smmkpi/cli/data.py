"""Commands that manage the workspace's data: ``init``, ``import``, ``export``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from smmkpi.cli.common import (
    LangOption,
    handle_errors,
    language_for,
    open_workspace,
    workspace_path,
)
from smmkpi.cli.state import console
from smmkpi.errors import InvalidArgumentError, UnknownChoiceError
from smmkpi.formatting import format_count
from smmkpi.i18n import _, current_language, set_language
from smmkpi.store.export import FORMATS, ExportedFile, export_tables
from smmkpi.store.lake import LakeTable, export_lake
from smmkpi.store.urls import is_postgres_url, safe_url
from smmkpi.workspace import Workspace


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("export")(export)


@handle_errors
def init(
    name: Annotated[str, typer.Option("--name", help="Name of the agency or specialist.")] = "",
    store: Annotated[
        str,
        typer.Option(
            "--store",
            help="Keep the data in this PostgreSQL database (postgresql://USER@HOST:PORT/DB; "
            "the password from PGPASSWORD or ~/.pgpass) instead of a DuckDB file.",
        ),
    ] = "",
    lang: LangOption = None,
) -> None:
    """Create a workspace in the workspace folder: smmkpi.toml and the database."""
    set_language(language_for(lang))
    if store:
        check_store_url(store)
    workspace, created = Workspace.init(workspace_path(), name, store)
    if created:
        console.print(
            _("Created a workspace in {path}: settings in smmkpi.toml, data in {db}.").format(
                path=workspace.path, db=safe_url(store) if store else workspace.database_path.name
            )
        )
        console.print(
            _(
                "Next, add a client and its account, then import what the platform exported "
                "(recognised by its content) — or connect the platform so the data arrives "
                "every day:"
            )
        )
        for line in (
            'smmkpi client add coffeelab --name "Кофелаб" --goal community '
            "--timezone Europe/Moscow",
            "smmkpi account add coffeelab-vk --client coffeelab --platform vk --handle club123",
            "smmkpi import ~/Downloads/vk-stats.xlsx --account coffeelab-vk",
            "smmkpi connect vk coffeelab-vk",
        ):
            console.print(f"  {line}", markup=False, soft_wrap=True)
        console.print(_("docs/tutorial.md walks through the first hour."))
    else:
        console.print(
            _("{path} is already a workspace; its database is up to date.").format(
                path=workspace.path
            )
        )


def check_store_url(url: str) -> None:
    """A PostgreSQL URL without a password (it would be written to smmkpi.toml)."""
    if not is_postgres_url(url):
        raise InvalidArgumentError(
            _("--store takes a PostgreSQL URL such as postgresql://smmkpi@db.local:5432/agency.")
        )
    if safe_url(url) != url:
        raise InvalidArgumentError(
            _(
                "Leave the password out of the URL: it would be written to smmkpi.toml. Give it in "
                "PGPASSWORD or ~/.pgpass."
            )
        )


@handle_errors
def export(
    folder: Annotated[Path, typer.Argument(help="Folder to write the tables to.")],
    file_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="canonical (a CSV file per table, the import format) or parquet (a lake: a "
            "folder per table and month, rows sorted by client, for Spark and other engines).",
        ),
    ] = "canonical",
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="Write texts exactly as stored: without the apostrophe that keeps a text "
            "starting with = + - @ from running as a spreadsheet formula (for programs).",
        ),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Write every canonical table out: canonical CSV files, or a Parquet lake."""
    workspace = open_workspace(lang)
    if file_format not in FORMATS:
        raise UnknownChoiceError(_("export format"), file_format, FORMATS)
    with workspace.open_store(read_only=True) as store, console.status(_("Exporting…")) as status:

        def on_table(name: str) -> None:
            status.update(_("Exporting {table}…").format(table=name))

        written: Sequence[ExportedFile | LakeTable] = (
            export_lake(store, folder, on_table)
            if file_format == "parquet"
            else export_tables(store, folder, on_table, raw)
        )
    language = current_language()
    for item in written:
        console.print(f"{item.path}: {format_count(item.rows, language)}")
