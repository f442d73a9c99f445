"""``smmkpi delivery add|list|remove``: the schedules that send each client's monthly report
by themselves (``shared/spec/sync-and-delivery.md`` §3)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer

from smmkpi.cli.common import (
    LangOption,
    OutputOption,
    echo_json,
    handle_errors,
    open_workspace,
    table_or_json,
)
from smmkpi.cli.state import console
from smmkpi.cli.tables import Table
from smmkpi.delivery.destinations import Destination, parse_destination
from smmkpi.delivery.schedule import (
    FORMATS,
    Schedule,
    due_moment,
    due_month,
    parse_formats,
    parse_time,
)
from smmkpi.errors import InvalidArgumentError, UnknownChoiceError, UserError
from smmkpi.formatting import format_month
from smmkpi.i18n import _, current_language
from smmkpi.metrics.periods import Period
from smmkpi.store import deliveries as stored
from smmkpi.store.directory import load_directory

if TYPE_CHECKING:
    from smmkpi.store.database import Store
    from smmkpi.workspace import Workspace

delivery_app = typer.Typer(help="Schedules that send each client's monthly report by themselves.")


@delivery_app.command("add")
@handle_errors
def add_command(
    client: Annotated[str, typer.Argument(help="The client whose report is sent.")],
    to: Annotated[
        list[str],
        typer.Option("--to", help="email:ADDRESS, telegram:CHAT_ID or webhook:URL (repeat)."),
    ],
    day: Annotated[int, typer.Option("--day", help="Day of the month it goes out (1–31).")] = 3,
    at: Annotated[str, typer.Option("--time", help="Time of day, the client's zone.")] = "10:00",
    language: Annotated[str, typer.Option("--lang", help="The report's language: ru or en.")] = "",
    formats: Annotated[str, typer.Option("--format", help="pdf,xlsx,html")] = ",".join(FORMATS),
    review: Annotated[
        bool, typer.Option("--review", help="Hold each report until `delivery approve`.")
    ] = False,
    name: Annotated[str | None, typer.Option("--name", help="The schedule's name.")] = None,
) -> None:
    """Send CLIENT's report of the last full month on day --day of each month at --time (in the
    client's time zone), to every --to."""
    if not 1 <= day <= 31:
        raise InvalidArgumentError(
            _("--day {day} is not a day of the month (1–31).").format(day=day)
        )
    if language and language not in ("ru", "en"):
        raise UnknownChoiceError(_("language"), language, ["ru", "en"])
    destinations = tuple(dict.fromkeys(parse_destination(t) for t in to))
    workspace = open_workspace(None)
    lang = language or workspace.settings.display.lang
    with workspace.open_store() as store:
        clients = load_directory(store.con).clients
        if client not in clients:
            raise UnknownChoiceError(
                _("client"), client, clients, _("Add it with `smmkpi client add`.")
            )
        taken = stored.names(store.con)
        name = name or _free_name(client, taken)
        hooks, sealed = webhook_secrets(workspace, store, destinations)
        found = stored.StoredSchedule(
            name, client, [str(d) for d in destinations], day, f"{parse_time(at):%H:%M}", lang,
            list(parse_formats(formats)), review, sealed,
        )  # fmt: skip
        with store.transaction():
            if not stored.add(store.con, found, datetime.now(UTC)):
                raise UserError(
                    _("A schedule named {name} exists (`smmkpi delivery list`).").format(name=name)
                )
        zone = ZoneInfo(clients[client].timezone)
    row = _as_json(found, zone, datetime.now(UTC))
    console.print(
        _(
            "Schedule {name}: {client}'s report of the last full month on day {day} at {time} "
            "({zone}), {lang}, {formats}, to {to}. Next: {next} ({month})."
        ).format(
            name=name,
            client=client,
            day=day,
            time=found.at_time,
            zone=zone.key,
            lang=lang,
            formats="+".join(found.formats),
            to=", ".join(found.destinations),
            next=row["next_due"],
            month=row["next_month"],
        ),
        markup=False,
    )
    show_secrets(hooks)
    if review:
        console.print(_("Each report is held until `smmkpi delivery approve {client} --month M`.")
                      .format(client=client))  # fmt: skip


def webhook_secrets(
    workspace: Workspace, store: Store, destinations: Sequence[Destination]
) -> tuple[dict[str, str], str | None]:
    """A new signing secret for each webhook destination, and all of them sealed."""
    from smmkpi.sync.credentials import credential_box

    hooks = {str(d): secrets.token_urlsafe(32) for d in destinations if d.kind == "webhook"}
    if not hooks:
        return hooks, None
    box = credential_box(workspace.path, store.engine == "postgresql")
    return hooks, box.seal(json.dumps(hooks))


def show_secrets(hooks: dict[str, str]) -> None:
    for destination, secret in hooks.items():
        console.print(
            _(
                "Signing secret of {destination} (shown once; the receiver checks the "
                "X-Smmkpi-Signature header, HMAC-SHA256 of the body): {secret}"
            ).format(destination=destination, secret=secret),
            markup=False,
        )


def _free_name(client: str, taken: set[str], suffix: str = "monthly") -> str:
    base = f"{client}-{suffix}"
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _as_json(found: stored.StoredSchedule, zone: ZoneInfo, now: datetime) -> dict[str, Any]:
    """A schedule as ``delivery list --format json`` writes it (never its secrets), with the
    next due moment and its month."""
    schedule = Schedule(found.name, found.client_id, (), found.day, parse_time(found.at_time))
    month = due_month(schedule, zone, now).next_month()
    moment = due_moment(month, schedule.day, schedule.at, zone)
    return {
        "name": found.name,
        "client": found.client_id,
        "destinations": found.destinations,
        "day": found.day,
        "time": found.at_time,
        "lang": found.language,
        "formats": found.formats,
        "review": found.review,
        "next_due": moment.isoformat(),
        "next_month": month.label(),
    }


@delivery_app.command("list")
@handle_errors
def list_command(
    client: Annotated[str | None, typer.Option("--client", help="Only this client's.")] = None,
    output: OutputOption = "table",
    lang: LangOption = None,
) -> None:
    """The schedules: client, destinations, when, language, formats, and the next report due."""
    table_or_json(output)
    workspace = open_workspace(lang)
    now = datetime.now(UTC)
    with workspace.open_store(read_only=True) as store:
        clients = load_directory(store.con).clients
        rows = [
            _as_json(s, ZoneInfo(clients[s.client_id].timezone), now)
            for s in stored.listed(store.con, client)
            if s.client_id in clients
        ]
    if output == "json":
        echo_json(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table()
    for heading in (_("schedule"), _("client"), _("to"), _("when"), _("next")):
        table.add_column(heading)
    for row in rows:
        month = format_month(datetime.fromisoformat(row["next_due"]).date().replace(day=1),
                             current_language())  # fmt: skip
        table.add_row(
            row["name"], row["client"], "\n".join(row["destinations"]),
            _("day {day}, {time}").format(day=row["day"], time=row["time"]),
            f"{row['next_due'][:16].replace('T', ' ')} ({month})",
        )  # fmt: skip
    console.print(table)


@delivery_app.command("remove")
@handle_errors
def remove_command(
    name: Annotated[str, typer.Argument(help="The schedule (smmkpi delivery list).")],
    lang: LangOption = None,
) -> None:
    """Stop a schedule (its delivery log stays)."""
    workspace = open_workspace(lang)
    with workspace.open_store() as store, store.transaction():
        removed = stored.remove(store.con, name)
    if not removed:
        raise UserError(
            _("There is no schedule {name} (see `smmkpi delivery list`).").format(name=name)
        )
    console.print(_("Removed the schedule {name}; its delivery log stays.").format(name=name))


@delivery_app.command("approve")
@handle_errors
def approve_command(
    client: Annotated[str, typer.Argument(help="The client whose report is approved.")],
    month: Annotated[str, typer.Option("--month", help="The report's month, YYYY-MM.")],
    lang: LangOption = None,
) -> None:
    """Release a client's month held for review (--review): the next `smmkpi deliver --due`
    sends it."""
    import getpass

    period = Period.month(month)
    workspace = open_workspace(lang)
    with workspace.open_store() as store:
        clients = load_directory(store.con).clients
        if client not in clients:
            raise UnknownChoiceError(_("client"), client, clients)
        with store.transaction():
            new = stored.approve(
                store.con, client, period.label(), getpass.getuser(), datetime.now(UTC)
            )
    console.print(
        (
            _("Approved {client}'s report for {month}: it goes out with the next due run.")
            if new
            else _("{client}'s report for {month} was approved already.")
        ).format(client=client, month=format_month(period.start, current_language()))
    )


@handle_errors
def deliveries_command(
    client: Annotated[str | None, typer.Option("--client", help="Only this client's.")] = None,
    month: Annotated[str | None, typer.Option("--month", help="Only this month, YYYY-MM.")] = None,
    output: OutputOption = "table",
    lang: LangOption = None,
) -> None:
    """The delivery log: each schedule's month to each destination — sent, failed (with why)
    or held (with why), when, and after how many attempts — and the alerts sent."""
    table_or_json(output)
    from smmkpi.store import alerts

    period = Period.month(month) if month else None
    label = period.label() if period else None
    workspace = open_workspace(lang)
    with workspace.open_store(read_only=True) as store:
        rows: list[dict[str, object]] = [
            {"kind": "report", "schedule": d.schedule, "client": d.client_id, "month": d.month,
             "destination": d.destination, "status": d.status,
             "at": d.happened_at.isoformat(), "attempts": d.attempts, "error": d.error}
            for d in stored.log(store.con, client, label)
        ]  # fmt: skip
        days = (period.start, period.end) if period else None
        rows += [
            {"kind": "alert", "schedule": a.alert, "client": a.client_id,
             "month": a.day.strftime("%Y-%m"), "day": a.day.isoformat(), "subject": a.subject,
             "destination": a.destination, "status": a.status, "at": a.happened_at.isoformat(),
             "attempts": a.attempts, "error": a.error, "text": a.detail}
            for a in alerts.log(store.con, client, days)
        ]  # fmt: skip
    if output == "json":
        echo_json(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table()
    for heading in (_("schedule"), _("month"), _("to"), _("status"), _("at"), _("error")):
        table.add_column(heading)
    for row in rows:  # an alert shows its day, and what it said
        table.add_row(
            str(row["schedule"]), str(row.get("day") or row["month"]), str(row["destination"]),
            str(row["status"]), str(row["at"])[:16].replace("T", " "),
            str(row["error"] or row.get("text") or ""),
        )  # fmt: skip
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(delivery_app, name="delivery")
    app.command("deliveries")(deliveries_command)
