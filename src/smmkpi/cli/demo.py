"""``smmkpi demo [DIR]``: build the demo agency's workspace and show its last full month."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from smmkpi.cli import render
from smmkpi.cli.common import LangOption, handle_errors, language_for, today_or
from smmkpi.cli.kpi import chosen_kpis, social_rules
from smmkpi.cli.planning import status_table
from smmkpi.cli.state import console
from smmkpi.cli.sync import print_results
from smmkpi.demo.build import build_demo
from smmkpi.demo.users import DEMO_USERS
from smmkpi.formatting import format_count, format_month
from smmkpi.i18n import _, current_language, set_language
from smmkpi.metrics.compute import compute_kpis
from smmkpi.metrics.periods import Period
from smmkpi.store.users import role_name
from smmkpi.workspace import Workspace

DEFAULT_FOLDER = Path("smmkpi-demo")


def _render_reports(workspace: Workspace, month: Period, today: date) -> None:
    """Every demo client's report for ``month`` in Russian and English, both cores at work."""
    from smmkpi.cli.report import render_and_summarise
    from smmkpi.metrics.scope import load_clients
    from smmkpi.report.render import FORMATS, report_folder

    folder = report_folder(workspace, month, None)
    console.print(
        _("Rendering the reports for {month} (Russian and English):").format(
            month=format_month(month.start, current_language())
        )
    )
    with workspace.open_store(read_only=True) as store:
        clients = [c.client_id for c in load_clients(store.backend, None)]
    render_and_summarise(
        workspace, month, today, clients, ("ru", "en"), FORMATS, folder, jobs=0, every_client=True
    )
    console.print()


def _deliver(workspace: Workspace, as_of: str | None, today: date) -> None:
    """Run the due deliveries into a local mail sink and show what went out."""
    from email.message import EmailMessage

    from smmkpi.cli.deliver import print_alerts, print_outcomes
    from smmkpi.demo.delivery import deliver_into_sink

    now = datetime.now(UTC) if as_of is None else datetime.combine(today, time(23), UTC)
    console.print(
        _("Delivering what is due at {now} (smmkpi deliver --due) into a local mail sink:").format(
            now=f"{now:%Y-%m-%d %H:%M} UTC"
        )
    )
    with Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False),
                  TimeElapsedColumn(), console=console, transient=True) as progress:  # fmt: skip
        progress.add_task(_("Rendering and sending"), total=None)
        done, received = deliver_into_sink(workspace, now)
    print_outcomes(done.reports, due=True)
    print_alerts(done.alerts)
    language = current_language()
    shown = False
    for mail in received:
        message: EmailMessage = mail.message
        files = [
            f"{part.get_filename()} ({format_count(len(part.get_content()) // 1024, language)} KB)"
            for part in message.iter_attachments()
        ]
        console.print(
            f"  → {', '.join(mail.recipients)}: «{message['Subject']}»"
            + (f" — {', '.join(files)}" if files else ""),
            markup=False,
        )
        body = message.get_body(("plain",))
        if files and not shown and body is not None:  # one report's words in full
            shown = True
            for line in str(body.get_content()).splitlines():
                console.print(f"      {line}", markup=False)
    console.print()


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


@handle_errors
def demo(
    folder: Annotated[Path, typer.Argument(help="Folder of the demo workspace.")] = DEFAULT_FOLDER,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the generated data.")] = 42,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Pretend today is this day (YYYY-MM-DD); default: today."),
    ] = None,
    kpis: Annotated[
        str, typer.Option("--kpis", help="Rows of the tables: goal (default), all, or ids a,b,c.")
    ] = "goal",
    reports: Annotated[
        bool,
        typer.Option(
            "--reports/--no-reports",
            help="Render the last full month's reports (PDF, XLSX, HTML; ru and en).",
        ),
    ] = True,
    lang: LangOption = None,
) -> None:
    """Build a realistic demo agency (4 clients, 15 months), print each client's KPIs for the
    last full month and plan against fact this month, and render the last full month's
    reports."""
    set_language(language_for(lang))
    today = today_or(as_of)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        steps = progress.add_task(_("Building the demo"), total=8)
        reading = progress.add_task(_("Import"), total=None, visible=False)

        completed = iter(range(7))

        def on_step(text: str) -> None:
            progress.update(steps, description=text, completed=next(completed))

        def on_progress(n: int) -> None:
            progress.update(reading, visible=True, advance=n)

        build = build_demo(folder, today, seed, on_step, on_progress)
        progress.update(steps, description=_("Computing KPIs"), completed=7)
        workspace = build.workspace
        set_language(language_for(lang, workspace))
        month = build.data.last_full_month
        with workspace.open_store(read_only=True) as store:
            results = compute_kpis(store.backend, month, None, social_rules(workspace.settings))
        progress.update(steps, completed=8)
    language = current_language()
    rows = sum(build.data.rows.values())
    console.print(
        _(
            "Demo workspace: {path} — {clients} clients, {rows} rows of data from {start} to {end}."
        ).format(
            path=workspace.path,
            clients=len(results),
            rows=format_count(rows, language),
            start=build.data.history_start.isoformat(),
            end=build.data.history_end.isoformat(),
        )
    )
    importers = Counter(name for name, _outcome in build.outcomes)
    console.print(
        _("Imported through: {importers}.").format(
            importers=", ".join(f"{name} × {n}" if n > 1 else name for name, n in importers.items())
        )
    )
    if not build.changed:
        console.print(_("The data was already imported: nothing changed."))
    if build.synced:
        console.print(
            _(
                "VK connected to the local sandbox (recorded answers served as VK's API would, "
                "3 requests a second per token) and synced:"
            )
        )
        print_results(build.synced)
    console.print(
        _("KPIs for {month}, the last full month (★ main KPIs of the client's goal):").format(
            month=format_month(month.start, language)
        )
    )
    console.print()
    for result in results:
        console.print(render.kpi_table(result, chosen_kpis(kpis, result.client.goal)))
        console.print()
    console.print(_("Plan against fact this month (plans made from each client's history):"))
    console.print()
    for result in results:
        found = build.statuses.get(result.client.client_id)
        if found:
            plan = build.plans[result.client.client_id]
            console.print(
                status_table(
                    result.client.name,
                    result.client.client_id,
                    plan.plan_id,
                    Period.of_month(today),
                    today,
                    found,
                    result.client.currency,
                )
            )
            console.print()
    if reports:
        _render_reports(workspace, month, today)
        _deliver(workspace, as_of, today)
    console.print(
        _(
            "The web app: smmkpi -w {path} serve, then open http://127.0.0.1:8000 and sign in:"
        ).format(path=workspace.path)
    )
    for username, role, _clients, password in DEMO_USERS:
        console.print(f"  {username} / {password}  ({role_name(role)})")
    console.print()
    console.print(
        _("Next: smmkpi -w {path} kpi --client homedecor --month {month} --explain cpl").format(
            path=workspace.path, month=month.label()
        )
    )
    console.print(
        _("Or: smmkpi -w {path} history coffeelab; smmkpi -w {path} plan show {plan}").format(
            path=workspace.path, plan=build.plans["coffeelab"].plan_id if build.plans else "?"
        )
    )
    _how_to_run()


def _how_to_run() -> None:
    """Where `smmkpi` is, when this shell would not find it (make demo installs it into the
    project's .venv, not on the PATH)."""
    import shutil
    import sys

    script = Path(sys.argv[0]).resolve() if sys.argv and sys.argv[0] else None
    found = shutil.which("smmkpi")
    if script is None or not script.is_file() or (found and Path(found).resolve() == script):
        return
    activate = script.parent / "activate"
    console.print()
    if activate.is_file():
        text = _(
            "smmkpi is not on this shell's PATH: run {script} …, or first `source {activate}` "
            "and then just smmkpi …"
        ).format(script=script, activate=activate)
    else:
        text = _("smmkpi is not on this shell's PATH: run {script} …").format(script=script)
    console.print(text, markup=False, soft_wrap=True)
