"""``smmkpi alert add|list|remove``: who hears when a main KPI turns off track or at risk, a
source goes stale or a connection needs a person (``shared/spec/sync-and-delivery.md`` §4).
``smmkpi deliver --due`` and the server send them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer

from smmkpi.cli.common import (
    LangOption,
    OutputOption,
    echo_json,
    handle_errors,
    open_workspace,
    table_or_json,
)
from smmkpi.cli.delivery import show_secrets, webhook_secrets
from smmkpi.cli.state import console
from smmkpi.cli.tables import Table
from smmkpi.delivery.destinations import parse_destination
from smmkpi.errors import InvalidArgumentError, UnknownChoiceError, UserError
from smmkpi.i18n import _
from smmkpi.store import alerts as stored
from smmkpi.store.directory import load_directory

KINDS = stored.KINDS
alert_app = typer.Typer(help="Alerts: a KPI off track or at risk, stale data, a broken sync.")


@alert_app.command("add")
@handle_errors
def add_command(
    to: Annotated[
        list[str],
        typer.Option("--to", help="email:ADDRESS, telegram:CHAT_ID or webhook:URL (repeat)."),
    ],
    client: Annotated[
        str | None, typer.Argument(help="The client watched (or --all).", show_default=False)
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Watch every client.")] = False,
    when: Annotated[
        str, typer.Option("--when", help="What to tell of: off_track,at_risk,stale,sync_failed")
    ] = ",".join(KINDS),
    name: Annotated[str | None, typer.Option("--name", help="The alert's name.")] = None,
    lang: LangOption = None,
) -> None:
    """Tell every --to when one of CLIENT's (or, with --all, any client's) main KPIs turns off
    track or at risk, a source has had no data for more than two days, or a connection needs
    re-authorisation or keeps failing — once per client, subject and day."""
    if (client is None) == (not every):
        raise InvalidArgumentError(_("Name one client, or give --all for every client."))
    kinds = [k.strip() for k in when.split(",") if k.strip()]
    wrong = [k for k in kinds if k not in KINDS]
    if wrong or not kinds:
        raise InvalidArgumentError(
            _("--when '{value}': choose among {choices} (comma-separated).").format(
                value=when, choices=", ".join(KINDS)
            )
        )
    destinations = tuple(dict.fromkeys(parse_destination(t) for t in to))
    workspace = open_workspace(lang)
    with workspace.open_store() as store:
        if client is not None:
            clients = load_directory(store.con).clients
            if client not in clients:
                raise UnknownChoiceError(
                    _("client"), client, clients, _("Add it with `smmkpi client add`.")
                )
        taken = stored.names(store.con)
        name = name or _free_name(client or "all", taken)
        hooks, sealed = webhook_secrets(workspace, store, destinations)
        found = stored.StoredAlert(name, client, [str(d) for d in destinations], kinds, sealed)
        with store.transaction():
            if not stored.add(store.con, found, datetime.now(UTC)):
                raise UserError(
                    _("An alert named {name} exists (`smmkpi alert list`).").format(name=name)
                )
    console.print(
        _("Alert {name}: {client} — {kinds}, to {to}.").format(
            name=name,
            client=client or _("every client"),
            kinds=", ".join(kinds),
            to=", ".join(found.destinations),
        ),
        markup=False,
    )
    show_secrets(hooks)


def _free_name(client: str, taken: set[str]) -> str:
    base = f"{client}-alerts"
    n = 2
    name = base
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


@alert_app.command("list")
@handle_errors
def list_command(
    output: OutputOption = "table",
    lang: LangOption = None,
) -> None:
    """The alerts: whom they watch, what they tell of, to whom (never their secrets)."""
    table_or_json(output)
    workspace = open_workspace(lang)
    with workspace.open_store(read_only=True) as store:
        found = stored.listed(store.con)
    if output == "json":
        rows = [{"name": a.name, "client": a.client_id, "when": a.kinds,
                 "destinations": a.destinations} for a in found]  # fmt: skip
        echo_json(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table()
    for heading in (_("alert"), _("client"), _("when"), _("to")):
        table.add_column(heading)
    for a in found:
        table.add_row(a.name, a.client_id or _("every client"), ", ".join(a.kinds),
                      "\n".join(a.destinations))  # fmt: skip
    console.print(table)


@alert_app.command("remove")
@handle_errors
def remove_command(
    name: Annotated[str, typer.Argument(help="The alert (smmkpi alert list).")],
    lang: LangOption = None,
) -> None:
    """Stop an alert (what it sent stays in the log)."""
    workspace = open_workspace(lang)
    with workspace.open_store() as store, store.transaction():
        removed = stored.remove(store.con, name)
    if not removed:
        raise UserError(_("There is no alert {name} (see `smmkpi alert list`).").format(name=name))
    console.print(_("Removed the alert {name}; what it sent stays in the log.").format(name=name))


def register(app: typer.Typer) -> None:
    app.add_typer(alert_app, name="alert")
