"""``smmkpi report``: the monthly client report (PDF, XLSX, HTML; Russian and English), the
agency's month end (``--all``), and the specialist's commentary (``report comment``)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from smmkpi.cli.brief import author_of
from smmkpi.cli.common import (
    FromOption,
    LangOption,
    PeriodOption,
    ToOption,
    defaulting_group,
    handle_errors,
    open_workspace,
    today_or,
)
from smmkpi.cli.state import console, state
from smmkpi.cli.tables import Table
from smmkpi.errors import InvalidArgumentError, UnknownChoiceError, UserError
from smmkpi.formatting import format_number
from smmkpi.i18n import LANGUAGES, Language, _, current_language, ngettext, parse_language
from smmkpi.metrics.periods import Period, last_full_month, today_in
from smmkpi.metrics.scope import load_clients
from smmkpi.planning import service
from smmkpi.report.commentary import as_text, load_commentary, parse_text, save_commentary
from smmkpi.report.model import EDITIONS, Commentary
from smmkpi.report.wording import period_name
from smmkpi.settings import REPORT_FORMATS as FORMATS
from smmkpi.workspace import Workspace

if TYPE_CHECKING:  # rendering pulls in WeasyPrint, Altair and XlsxWriter: loaded when used
    from smmkpi.report.batch import Job, Outcome


app = typer.Typer(
    cls=defaulting_group("render"),  # smmkpi report CLIENT …; report comment …
    help="The monthly client report: render it (smmkpi report CLIENT --month M) or write its "
    "commentary (smmkpi report comment CLIENT --month M).",
)

MonthOption = Annotated[
    str | None,
    typer.Option("--month", help="The month (YYYY-MM); default: the last full month."),
]


def _month(text: str | None, today: date) -> Period:
    return Period.month(text) if text else last_full_month(today)


def _formats(text: str | None, workspace: Workspace) -> tuple[str, ...]:
    if not text:
        return tuple(workspace.settings.report.formats)
    chosen = [part.strip().lower() for part in text.split(",") if part.strip()]
    for kind in chosen:
        if kind not in FORMATS:
            raise InvalidArgumentError(
                _("--format: '{value}' is not a report format; choose from {choices}.").format(
                    value=kind, choices=", ".join(FORMATS)
                )
            )
    return tuple(dict.fromkeys(chosen))


def _languages(text: str | None, workspace: Workspace) -> tuple[Language, ...]:
    """The report's languages: --lang of the command, else the root --lang, else the
    settings."""
    text = text or state.language
    if not text:
        return (workspace.settings.display.lang,)
    found: list[Language] = []
    for part in text.split(","):
        try:
            found.append(parse_language(part))
        except ValueError:
            raise InvalidArgumentError(
                _("--lang: '{value}' is not a language; choose from {choices}.").format(
                    value=part.strip(), choices=", ".join(LANGUAGES)
                )
            ) from None
    return tuple(dict.fromkeys(found))


@app.command("render")
@handle_errors
def render_command(
    client: Annotated[str | None, typer.Argument(help="The client (or --all).")] = None,
    month: MonthOption = None,
    period_text: PeriodOption = None,
    first: FromOption = None,
    last: ToOption = None,
    all_clients: Annotated[
        bool, typer.Option("--all", help="Every client of the workspace (the month end).")
    ] = False,
    formats: Annotated[
        str | None,
        typer.Option("--format", help="Formats, comma-separated: pdf, xlsx, html (default: all)."),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Language(s) of the report: ru, en or ru,en (default: the settings).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder for the files (default: reports/YYYY-MM in the workspace)."
        ),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Pretend today is this day (YYYY-MM-DD).")
    ] = None,
    jobs: Annotated[
        int,
        typer.Option("--jobs", min=0, help="Worker processes for --all; 0: one per core."),
    ] = 0,
    edition: Annotated[
        str | None,
        typer.Option(
            "--edition",
            help="client (what the client is sent) or internal (everything, for the "
            "specialist); default: the setting report.edition.",
        ),
    ] = None,
) -> None:
    """Render the report of a client (or of every client with --all) as PDF, XLSX and HTML:
    the last full month by default, or --month, --period (a quarter, half-year, year) or
    --from/--to; prints where the files are."""
    from smmkpi.report.render import report_folder

    interface = lang.split(",")[0] if lang and "," not in lang else None
    workspace = open_workspace(interface)
    today = today_or(as_of)
    chosen_formats = _formats(formats, workspace)
    chosen_edition = edition or workspace.settings.report.edition
    if chosen_edition not in EDITIONS:
        raise UnknownChoiceError(_("edition"), chosen_edition, list(EDITIONS))
    languages = _languages(lang, workspace)
    if all_clients == (client is not None):
        raise InvalidArgumentError(
            _("Name one client (smmkpi report CLIENT) or use --all for every client.")
        )
    failed = 0
    chosen = (
        Period.from_options(month, first, last, period_text)
        if month or period_text or first or last
        else None
    )
    for period, clients in _periods_of(workspace, client, chosen, as_of).items():
        folder = report_folder(workspace, period, out.resolve() if out else None)
        failed += render_and_summarise(
            workspace,
            period,
            today,
            clients,
            languages,
            chosen_formats,
            folder,
            jobs,
            every_client=all_clients,
            edition=chosen_edition,
        )
    if failed:
        raise typer.Exit(1)


def _periods_of(
    workspace: Workspace, client: str | None, chosen: Period | None, as_of: str | None
) -> dict[Period, list[str]]:
    """The period to render for each client: the one ``chosen``, else the last full month in
    the client's own time zone (``--as-of`` names the day for every client); clients grouped by
    it (around a month's turn a Moscow and a Los Angeles client disagree for a few hours)."""
    with workspace.open_store(read_only=True) as store:
        if client is None:
            found = load_clients(store.backend, None)
            if not found:
                raise UserError(
                    _("The workspace has no clients yet: add one with `smmkpi client add`.")
                )
        else:
            found = [service.client_info(store, client)]
    months: dict[Period, list[str]] = {}
    for info in found:
        day = today_or(as_of) if as_of else today_in(info.timezone)
        months.setdefault(chosen or last_full_month(day), []).append(info.client_id)
    return months


def render_and_summarise(
    workspace: Workspace,
    period: Period,
    today: date,
    clients: list[str],
    languages: Sequence[Language],
    formats: Sequence[str],
    folder: Path,
    jobs: int,
    every_client: bool = False,
    edition: str = "client",
) -> int:
    """Render the ``clients``' reports (``every_client``: the month end, on ``jobs`` worker
    processes, 0 for one per core) with a progress bar, print what was written and what
    failed; returns how many clients failed."""
    from smmkpi.report.batch import Job

    job_list = [
        Job(
            workspace.path,
            client_id,
            period,
            tuple(languages),
            tuple(formats),
            folder,
            today,
            current_language(),
            edition,
        )
        for client_id in clients
    ]
    workers = (jobs or os.cpu_count() or 1) if every_client else 1
    outcomes = _render_with_progress(job_list, workers, period)
    _print_outcomes(outcomes, folder, period, every_client)
    return sum(1 for o in outcomes if o.error)


def _render_with_progress(jobs: list[Job], workers: int, period: Period) -> list[Outcome]:
    from smmkpi.report.batch import render_all

    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(
            _("Rendering the reports for {month}").format(
                month=period_name(period, current_language())
            ),
            total=len(jobs),
        )
        progress.refresh()

        def done(outcome: Outcome) -> None:
            progress.update(task, advance=1)
            progress.refresh()

        return render_all(jobs, workers, done)


def _print_outcomes(outcomes: list[Outcome], folder: Path, period: Period, many: bool) -> None:
    language = current_language()
    if not many and outcomes and outcomes[0].error is None:
        console.print(
            _("The report for {month} is ready ({seconds} s):").format(
                month=period_name(period, language),
                seconds=format_number(outcomes[0].seconds, 1, language),
            )
        )
        for path in outcomes[0].files:
            console.print(f"  {path}")
        return
    table = Table(
        title=_("Reports for {month} in {folder}").format(
            month=period_name(period, language), folder=folder
        ),
        title_justify="left",
    )
    table.add_column(_("client"))
    table.add_column(_("files"), justify="right")
    table.add_column(_("seconds"), justify="right")
    table.add_column(_("result"), overflow="fold")
    for outcome in outcomes:
        result = (
            Text(_("failed: {why}").format(why=outcome.error), style="red")
            if outcome.error
            else Text(
                " · ".join(
                    ", ".join(dict.fromkeys(part))
                    for part in zip(
                        *((p.suffix[1:], p.stem.rsplit("-", 1)[-1]) for p in outcome.files),
                        strict=True,
                    )
                ),
                style="green",
            )
        )
        table.add_row(
            outcome.client_id,
            str(len(outcome.files)),
            format_number(outcome.seconds, 1, language),
            result,
        )
    console.print(table)
    failed = sum(1 for o in outcomes if o.error)
    console.print(
        ngettext(
            "Rendered: {ok} of {total} client; failed: {failed}.",
            "Rendered: {ok} of {total} clients; failed: {failed}.",
            len(outcomes),
        ).format(ok=len(outcomes) - failed, total=len(outcomes), failed=failed)
    )


@app.command("comment")
@handle_errors
def comment_command(
    client: Annotated[str, typer.Argument(help="The client.")],
    month: MonthOption = None,
    conclusions: Annotated[
        str | None, typer.Option("--conclusions", help="The conclusions of the month.")
    ] = None,
    next_month: Annotated[
        str | None, typer.Option("--next", help="The plan for the next month.")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="A text file with '## Conclusions' and '## Next month' parts ('-' for stdin).",
        ),
    ] = None,
    show: Annotated[bool, typer.Option("--show", help="Print the commentary and stop.")] = False,
    author: Annotated[
        str | None,
        typer.Option("--author", help="Who writes it (default: SMMKPI_AUTHOR or the user)."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Pretend today is this day (YYYY-MM-DD).")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Write the specialist's commentary of a monthly report: conclusions and the plan for the
    next month. Without --conclusions, --next or --file it opens your editor ($EDITOR)."""
    workspace = open_workspace(lang)
    period = _month(month, today_or(as_of))
    with workspace.open_store() as store:
        client_id = service.client_info(store, client).client_id
        current = load_commentary(store, client_id, period)
        if show:
            console.print(as_text(current), soft_wrap=True)
            return
        updated = _edited(current, conclusions, next_month, file)
        if updated is None:
            console.print(_("Nothing changed."))
            return
        revision, changed = save_commentary(store, client_id, period, updated, author_of(author))
    if changed:
        console.print(
            _(
                "Saved the commentary of {client}'s report for {month} (revision {revision})."
            ).format(client=client_id, month=period.label(), revision=revision)
        )
    else:
        console.print(_("Nothing changed."))


def _edited(
    current: Commentary, conclusions: str | None, next_month: str | None, file: Path | None
) -> Commentary | None:
    if file is not None:
        source = "stdin" if str(file) == "-" else str(file)
        try:
            text = sys.stdin.read() if str(file) == "-" else file.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UserError(
                _("Cannot read {file}: {error}").format(file=source, error=error)
            ) from None
        return parse_text(text, source)
    if conclusions is not None or next_month is not None:
        return Commentary(
            current.conclusions if conclusions is None else conclusions,
            current.next_month if next_month is None else next_month,
        )
    edited = edit_in_editor(as_text(current))
    return None if edited is None else parse_text(edited, _("the editor"))


def edit_in_editor(text: str) -> str | None:
    """``text`` as edited in $VISUAL or $EDITOR; None when the file was not saved."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    handle, name = tempfile.mkstemp(suffix=".md", prefix="smmkpi-comment-")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        before = path.stat().st_mtime_ns
        try:
            subprocess.run([*shlex.split(editor), str(path)], check=True)
        except (OSError, subprocess.CalledProcessError) as error:
            raise UserError(
                _(
                    "The editor '{editor}' failed: {error}. Set EDITOR, or pass --conclusions and "
                    "--next, or --file."
                ).format(editor=editor, error=error)
            ) from None
        if path.stat().st_mtime_ns == before:
            return None
        return path.read_text("utf-8")
    finally:
        path.unlink(missing_ok=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="report")
