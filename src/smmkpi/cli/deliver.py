"""``smmkpi deliver``: send the scheduled reports — each schedule's month to each destination
exactly once — and, with ``--due``, the alerts (``shared/spec/sync-and-delivery.md`` §3–4)."""

from __future__ import annotations

import json
import os
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from smmkpi.cli.common import (
    LangOption,
    OutputOption,
    echo_json,
    handle_errors,
    open_workspace,
    table_or_json,
)
from smmkpi.cli.state import console
from smmkpi.errors import InvalidArgumentError
from smmkpi.i18n import _
from smmkpi.metrics.periods import Period

if TYPE_CHECKING:
    from smmkpi.delivery.alerts import AlertOutcome
    from smmkpi.delivery.runner import Outcome


def parse_now(text: str | None) -> datetime:
    """``--now``: an ISO 8601 moment (without an offset: UTC); the current time when None."""
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidArgumentError(
            _("--now '{value}' is not an ISO 8601 moment such as 2026-12-03T10:00+03:00.").format(
                value=text
            )
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@handle_errors
def deliver_command(
    due: Annotated[
        bool, typer.Option("--due", help="What is due now (run it from cron); alerts too.")
    ] = False,
    client: Annotated[str | None, typer.Option("--client", help="Only this client's.")] = None,
    month: Annotated[
        str | None,
        typer.Option("--month", help="This month's report (YYYY-MM) instead of the due one."),
    ] = None,
    now_text: Annotated[
        str | None,
        typer.Option("--now", help="Act as if it were this moment (ISO 8601; replays, catch-up)."),
    ] = None,
    resend: Annotated[
        bool, typer.Option("--resend", help="Send again what was sent (on purpose).")
    ] = False,
    to: Annotated[
        str | None, typer.Option("--to", help="Only this destination (email:…, telegram:…).")
    ] = None,
    output: OutputOption = "table",
    lang: LangOption = None,
) -> None:
    """Send the scheduled reports: each schedule's report of the last full month (or --month)
    to each destination, once. A month whose data is not final, or awaiting approval, is held;
    a failed send is retried by a later run. Exit status 1 when any send failed."""
    from smmkpi.delivery.destinations import parse_destination
    from smmkpi.delivery.runner import Deliverer, Selection
    from smmkpi.sync.credentials import credential_box

    table_or_json(output)
    selection = Selection(
        now=parse_now(now_text),
        due=due,
        client=client,
        month=Period.month(month) if month else None,
        resend=resend,
        destination=str(parse_destination(to)) if to else None,
    )
    workspace = open_workspace(lang)
    with workspace.open_store() as store:
        box = credential_box(workspace.path, store.engine == "postgresql")
        deliverer = Deliverer(workspace, lambda: nullcontext(store), box.open, os.environ)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}", markup=False),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=output == "json",
        ) as progress:
            task = progress.add_task(_("Delivering"), total=None)

            def done(outcome: Outcome) -> None:
                progress.update(
                    task, description=f"{outcome.schedule} {outcome.month} → {outcome.destination}"
                )

            delivered = deliverer.run(selection, done)
    if output == "json":
        rows = [o.as_json() for o in delivered.reports if o.logged]
        rows += [a.as_json() for a in delivered.alerts]
        echo_json(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print_outcomes(delivered.reports, due)
        print_alerts(delivered.alerts)
    if delivered.failed:
        raise typer.Exit(1)


def print_alerts(alerts: list[AlertOutcome]) -> None:
    words = {"sent": _("sent"), "failed": _("failed")}
    for a in alerts:
        line = _("Alert {alert} → {destination}: {status} — {text}").format(
            alert=a.alert, destination=a.destination, status=words[a.status], text=a.text
        )
        if a.error:
            line += f" ({a.error})"
        console.print(line, markup=False, soft_wrap=True)


def print_outcomes(outcomes: list[Outcome], due: bool) -> None:
    """A line for each send this run made, failed or held; a count of what it left alone."""
    words = {"sent": _("sent"), "failed": _("failed"), "held": _("held")}
    for o in outcomes:
        if not o.logged:
            continue
        line = f"{o.schedule} {o.month} → {o.destination}: {words[o.status]}"
        if o.status == "sent" and o.attempts > 1:
            line += " " + _("(attempt {n})").format(n=o.attempts)
        if o.error:
            line += f" — {o.error}"
        console.print(line, markup=False, soft_wrap=True)
    counts = {s: sum(o.status == s for o in outcomes) for s in
              ("sent", "failed", "held", "already", "waiting", "gave_up", "busy")}  # fmt: skip
    if not outcomes:
        console.print(_("No report is due.") if due else _("No schedule matches."))
        return
    console.print(
        _(
            "Sent {sent}, failed {failed}, held {held}; left alone: {already} sent before, "
            "{waiting} waiting to be retried, {gave_up} given up, {busy} being sent by another run."
        ).format(**counts)
    )


def register(app: typer.Typer) -> None:
    app.command("deliver")(deliver_command)
