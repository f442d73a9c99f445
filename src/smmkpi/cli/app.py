"""The ``smmkpi`` command: the root options and the registration of every command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from smmkpi import __version__
from smmkpi.cli import (
    alerts,
    brief,
    connections,
    data,
    deliver,
    delivery,
    demo,
    directory,
    importing,
    kpi,
    migrate,
    planning,
    profile,
    report,
    sync,
    utm,
    web,
)
from smmkpi.cli.common import console, state

app = typer.Typer(
    name="smmkpi",
    help="KPIs for SMM that follow from the client's goal: import statistics, compute KPIs "
    "exactly, plan and report.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        console.print(f"smmkpi {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="The workspace folder (default: $SMMKPI_WORKSPACE, else the current folder).",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", help="Language of messages and tables: ru or en.", show_default=False
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Options that apply to every command."""
    state.workspace = workspace
    state.language = lang  # type: ignore[assignment]


data.register(app)
directory.register(app)
brief.register(app)
planning.register(app)
importing.register(app)
app.add_typer(kpi.app, name="kpi")
app.add_typer(profile.app, name="profile")
app.add_typer(utm.app, name="utm")
demo.register(app)
report.register(app)
web.register(app)
migrate.register(app)
connections.register(app)
sync.register(app)
delivery.register(app)
deliver.register(app)
alerts.register(app)


def main() -> None:
    """Entry point of the ``smmkpi`` script."""
    app()
