"""``smmkpi client`` and ``smmkpi account``: add (or update), list and show the workspace's
clients and their accounts. Adding goes through the import path (format ``cli``): checked,
logged, and an option left out keeps the stored value."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from smmkpi.cli.common import LangOption, handle_errors, open_workspace
from smmkpi.cli.state import console
from smmkpi.cli.tables import Table
from smmkpi.errors import InvalidArgumentError, UnknownChoiceError
from smmkpi.formatting import format_count
from smmkpi.i18n import _, current_language
from smmkpi.ingest.pipeline import ImportOutcome, run_import
from smmkpi.ingest.records import RecordsSource
from smmkpi.metrics.goals import goal_title
from smmkpi.store.coverage import account_coverage, client_coverage
from smmkpi.store.database import Store
from smmkpi.store.directory import Directory, load_directory
from smmkpi.store.tables import GOALS, PLATFORMS
from smmkpi.workspace import Workspace

clients = typer.Typer(help="The agency's clients.", no_args_is_help=True)
accounts = typer.Typer(help="Clients' social accounts.", no_args_is_help=True)


def _write(workspace: Workspace, table: str, row: dict[str, Any], label: str) -> ImportOutcome:
    with workspace.open_store() as store:
        return run_import(
            store,
            RecordsSource(table, [row], label),
            max_errors=workspace.settings.import_.max_errors,
        )


def _verb(outcome: ImportOutcome, table: str) -> str:
    counts = outcome.tables.get(table)
    if counts is None or not counts.changed:
        return _("unchanged")
    return _("added") if counts.inserted else _("updated")


def _directory(workspace: Workspace) -> Directory:
    with workspace.open_store(read_only=True) as store:
        return load_directory(store.con)


# -- clients ---------------------------------------------------------------------------------


@clients.command("add")
@handle_errors
def client_add(
    client_id: Annotated[str, typer.Argument(help="A stable id, such as coffeelab.")],
    name: Annotated[str | None, typer.Option("--name", help="The display name.")] = None,
    timezone: Annotated[
        str | None,
        typer.Option("--timezone", help="The calendar of its days and months (Europe/Moscow)."),
    ] = None,
    currency: Annotated[
        str | None, typer.Option("--currency", help="The currency of its money (RUB).")
    ] = None,
    goal: Annotated[
        str | None, typer.Option("--goal", help=f"The goal: {', '.join(GOALS)}.")
    ] = None,
    brand_hashtags: Annotated[
        str | None, typer.Option("--brand-hashtags", help="Brand hashtags: '#coffeelab #кофелаб'.")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Add a client, or change the given details of an existing one."""
    workspace = open_workspace(lang)
    known = _directory(workspace).clients
    row: dict[str, Any] = {"client_id": client_id}
    given = {
        "name": name,
        "timezone": timezone,
        "currency": currency,
        "goal": goal,
        "brand_hashtags": brand_hashtags,
    }
    row.update({k: v for k, v in given.items() if v is not None})
    if client_id in known and "name" not in row:
        row["name"] = known[client_id].name  # required by the table; kept as stored
    if client_id not in known and "name" not in row:
        raise InvalidArgumentError(_("A new client needs --name."))
    outcome = _write(workspace, "clients", row, f"client add {client_id}")
    console.print(
        _("Client {client}: {what}.").format(client=client_id, what=_verb(outcome, "clients"))
    )
    if client_id not in known and timezone is None:
        console.print(
            _(
                "No --timezone: its days and months are UTC days. For a client in Moscow run "
                "`smmkpi client add {client} --timezone Europe/Moscow`."
            ).format(client=client_id)
        )


@clients.command("list")
@handle_errors
def client_list(lang: LangOption = None) -> None:
    """Every client with its settings and accounts."""
    workspace = open_workspace(lang)
    directory = _directory(workspace)
    if not directory.clients:
        console.print(_("No clients yet: add one with `smmkpi client add ID --name NAME`."))
        return
    table = Table(_("Client"), _("Name"), _("Time zone"), _("Currency"), _("Goal"), _("Accounts"))
    for client in directory.clients.values():
        owned = [
            a.account_id for a in directory.accounts.values() if a.client_id == client.client_id
        ]
        table.add_row(
            client.client_id,
            client.name,
            client.timezone,
            client.currency,
            goal_title(client.goal) if client.goal else "—",
            ", ".join(owned) or "—",
        )
    console.print(table)


@clients.command("show")
@handle_errors
def client_show(
    client_id: Annotated[str, typer.Argument(help="The client.")], lang: LangOption = None
) -> None:
    """A client's settings, accounts and the data the workspace has for it."""
    workspace = open_workspace(lang)
    with workspace.open_store(read_only=True) as store:
        directory = load_directory(store.con)
        client = directory.clients.get(client_id)
        if client is None:
            raise UnknownChoiceError(
                _("client"), client_id, directory.clients, _("Add it with `smmkpi client add`.")
            )
        console.print(f"{client.client_id} — {client.name}")
        for label, value in (
            (_("Time zone"), client.timezone),
            (_("Currency"), client.currency),
            (_("Goal"), goal_title(client.goal) if client.goal else "—"),
            (_("Brand hashtags"), client.brand_hashtags or "—"),
        ):
            console.print(f"  {label}: {value}")
        owned = [a for a in directory.accounts.values() if a.client_id == client_id]
        if owned:
            accounts_table = Table(_("Account"), _("Platform"), _("Handle"), _("Name"))
            for account in owned:
                accounts_table.add_row(
                    account.account_id, account.platform, account.handle or "—", account.name or "—"
                )
            console.print(accounts_table)
        console.print(_coverage(store, client_id, client.timezone))


def _coverage(store: Store, client_id: str, zone: str) -> Table:
    """Rows and the days they span, per table, in the client's calendar."""
    language = current_language()
    table = Table(_("Data"), _("Rows"), _("First day"), _("Last day"))
    for name, rows, first, last in client_coverage(store.con, client_id, zone):
        table.add_row(
            name,
            format_count(rows, language),
            str(first) if first else "—",
            str(last) if last else "—",
        )
    return table


# -- accounts --------------------------------------------------------------------------------


@accounts.command("add")
@handle_errors
def account_add(
    account_id: Annotated[str, typer.Argument(help="A stable id, such as coffeelab-vk.")],
    client: Annotated[
        str | None, typer.Option("--client", help="The client it belongs to.")
    ] = None,
    platform: Annotated[
        str | None, typer.Option("--platform", help=f"One of: {', '.join(PLATFORMS)}.")
    ] = None,
    handle: Annotated[
        str | None,
        typer.Option("--handle", help="How exports name it: club123, @coffeelab, a page id."),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="The display name.")] = None,
    lang: LangOption = None,
) -> None:
    """Add an account to a client, or change the given details of an existing one."""
    workspace = open_workspace(lang)
    directory = _directory(workspace)
    existing = directory.accounts.get(account_id)
    if existing is None and (client is None or platform is None):
        raise UnknownChoiceError(
            _("account"),
            account_id,
            directory.accounts,
            _("A new account needs --client and --platform."),
        )
    if client is not None and client not in directory.clients:
        raise UnknownChoiceError(
            _("client"), client, directory.clients, _("Add it with `smmkpi client add`.")
        )
    row: dict[str, Any] = {"account_id": account_id}
    given = {"client_id": client, "platform": platform, "handle": handle, "name": name}
    row.update({k: v for k, v in given.items() if v is not None})
    if existing is not None and "client_id" not in row:
        row["client_id"] = existing.client_id  # required by the table; kept as stored
    if existing is not None and "platform" not in row:
        row["platform"] = existing.platform
    outcome = _write(workspace, "accounts", row, f"account add {account_id}")
    console.print(
        _("Account {account}: {what}.").format(account=account_id, what=_verb(outcome, "accounts"))
    )


@accounts.command("list")
@handle_errors
def account_list(
    client: Annotated[str | None, typer.Option("--client", help="Only this client's.")] = None,
    lang: LangOption = None,
) -> None:
    """The accounts, with their clients."""
    workspace = open_workspace(lang)
    directory = _directory(workspace)
    shown = [a for a in directory.accounts.values() if client is None or a.client_id == client]
    if not shown:
        console.print(
            _("No accounts yet: add one with `smmkpi account add ID --client C --platform P`.")
        )
        return
    table = Table(_("Account"), _("Client"), _("Platform"), _("Handle"), _("Name"))
    for account in shown:
        table.add_row(
            account.account_id,
            account.client_id,
            account.platform,
            account.handle or "—",
            account.name or "—",
        )
    console.print(table)


@accounts.command("show")
@handle_errors
def account_show(
    account_id: Annotated[str, typer.Argument(help="The account.")], lang: LangOption = None
) -> None:
    """An account's details and the data the workspace has for it."""
    workspace = open_workspace(lang)
    language = current_language()
    with workspace.open_store(read_only=True) as store:
        directory = load_directory(store.con)
        account = directory.accounts.get(account_id)
        if account is None:
            raise UnknownChoiceError(
                _("account"), account_id, directory.accounts, _("Add it with `smmkpi account add`.")
            )
        client = directory.clients[account.client_id]
        console.print(
            f"{account.account_id} — {account.name or account.handle or account.platform}"
        )
        for label, value in (
            (_("Client"), f"{client.client_id} ({client.name})"),
            (_("Platform"), account.platform),
            (_("Handle"), account.handle or "—"),
        ):
            console.print(f"  {label}: {value}")
        days, first, last, posts = account_coverage(store.con, account_id)
        console.print(
            "  "
            + _("Daily statistics: {days} days ({first} – {last}); posts: {posts}.").format(
                days=format_count(days, language),
                first=first or "—",
                last=last or "—",
                posts=format_count(posts, language),
            )
        )


def register(app: typer.Typer) -> None:
    app.add_typer(clients, name="client")
    app.add_typer(accounts, name="account")
