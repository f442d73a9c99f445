"""The ``smmkpi`` command: the root options; the commands themselves are loaded when used
(cli/lazy.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from smmkpi import __version__
from smmkpi.cli.lazy import TYPER_OPTIONS, LazyGroup
from smmkpi.cli.state import console, state

app = typer.Typer(
    name="smmkpi",
    help="KPIs for SMM that follow from the client's goal: import statistics, compute KPIs "
    "exactly, plan and report.",
    no_args_is_help=True,
    cls=LazyGroup,  # commands are imported when used: cli/lazy.py
    **TYPER_OPTIONS,
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


def main() -> None:
    """Entry point of the ``smmkpi`` script."""
    app()
