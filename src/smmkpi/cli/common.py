"""What every command shares: the console, the workspace and language options, error handling."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.text import Text
from typer.core import TyperGroup

from smmkpi.cli.state import errors, state
from smmkpi.crashlog import write_crash_log
from smmkpi.errors import InvalidArgumentError, UnknownChoiceError, UserError
from smmkpi.i18n import Language, _, parse_language, set_language
from smmkpi.settings import ENV_PREFIX
from smmkpi.workspace import Workspace, default_workspace_path

P = ParamSpec("P")
R = TypeVar("R")

OutputOption = Annotated[str, typer.Option("--format", help="table or json.")]
PeriodOption = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="A quarter 2026-Q3, half-year 2026-H2, year 2026 or month 2026-03 (instead of "
        "--month).",
    ),
]
FromOption = Annotated[
    str | None, typer.Option("--from", help="First day YYYY-MM-DD of a range (with --to).")
]
ToOption = Annotated[str | None, typer.Option("--to", help="Last day YYYY-MM-DD, inclusive.")]


def table_or_json(output: str) -> None:
    """Refuse an ``--format`` that is neither ``table`` nor ``json``."""
    if output not in ("table", "json"):
        raise UnknownChoiceError(_("output format"), output, ["table", "json"])


LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Language of the output: ru or en (default: the settings).",
        show_default=False,
    ),
]


def workspace_path() -> Path:
    return state.workspace or default_workspace_path()


def language_for(flag: str | None, workspace: Workspace | None = None) -> Language:
    """The language to use: the command's flag, the root flag, the settings, else Russian."""
    for candidate in (flag, state.language):
        if candidate:
            return _parse_lang(candidate)
    if workspace is not None:
        return workspace.settings.display.lang
    env = os.environ.get(f"{ENV_PREFIX}DISPLAY__LANG")
    if env:
        return _parse_lang(env)
    return "ru"


def _parse_lang(value: str) -> Language:
    try:
        return parse_language(value)
    except ValueError as error:
        raise UserError(str(error)) from None


def open_workspace(lang_flag: str | None = None) -> Workspace:
    """Open the workspace named by --workspace / SMMKPI_WORKSPACE / the current folder, and
    switch messages to its language."""
    set_language(language_for(lang_flag))
    workspace = Workspace.open(workspace_path())
    set_language(language_for(lang_flag, workspace))
    return workspace


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Show a :class:`UserError` as a message (exit code 1); log anything else as a bug
    (exit code 2) with the traceback in the workspace's ``logs/`` folder."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except UserError as error:
            errors.print(Text(_("Error") + ": ", style="bold red"), end="")
            errors.print(str(error), soft_wrap=True)
            raise typer.Exit(1) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as error:
            if os.environ.get("SMMKPI_DEBUG"):
                raise
            log = _write_crash_log(error)
            errors.print(
                _(
                    "Internal error ({kind}): {error}. This is a bug in smmkpi; the details are in "
                    "{log}. Please report it with that file."
                ).format(kind=type(error).__name__, error=error, log=log),
                soft_wrap=True,
            )
            raise typer.Exit(2) from None

    return wrapper


def _write_crash_log(error: BaseException) -> Path:
    return write_crash_log(workspace_path() / "logs", error)


def echo_json(text: str) -> None:
    """Print machine-readable output exactly, without Rich markup or wrapping."""
    typer.echo(text, nl=False)


def today_or(as_of: str | None) -> date:
    """The day ``--as-of`` names (YYYY-MM-DD), else today."""
    if not as_of:
        return date.today()
    try:
        return date.fromisoformat(as_of)
    except ValueError:
        raise InvalidArgumentError(
            _("--as-of '{value}' is not a day; write it as YYYY-MM-DD.").format(value=as_of)
        ) from None


def defaulting_group(default: str) -> type[TyperGroup]:
    """A command group whose first word, when it is not one of its commands (or help), goes to
    ``default``: ``smmkpi report CLIENT`` renders, ``smmkpi user token USER`` makes a token,
    while ``smmkpi report comment …`` and ``smmkpi user token list`` name their commands."""

    class Defaulting(TyperGroup):
        def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # ctx: a click Context
            if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
                args = [default, *args]
            return super().parse_args(ctx, args)

    return Defaulting


def known_client(con: Any, client: str) -> None:
    """Refuse a client the workspace does not have, listing those it has."""
    from smmkpi.store.directory import load_directory

    clients = load_directory(con).clients
    if client not in clients:
        raise UnknownChoiceError(
            _("client"), client, clients, _("Add it with `smmkpi client add`.")
        )
