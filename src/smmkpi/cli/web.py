"""``smmkpi user add|list`` (who may sign in to the web app) and ``smmkpi serve`` (the web app
on this workspace)."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table as RichTable

from smmkpi.cli.common import LangOption, console, handle_errors, open_workspace
from smmkpi.errors import InvalidArgumentError, UserError
from smmkpi.i18n import _
from smmkpi.metrics.scope import load_clients
from smmkpi.store import users

app = typer.Typer(help="Users of the web app: admins, specialists and client viewers.")

PASSWORD_ENV = "SMMKPI_PASSWORD"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    return str(typer.prompt(_("Password"), hide_input=True, confirmation_prompt=True))


@app.command("add")
@handle_errors
def user_add(
    username: Annotated[str, typer.Argument(help="The name to sign in with (an e-mail works).")],
    role: Annotated[
        str, typer.Option("--role", help="admin (every client), specialist or viewer.")
    ] = "specialist",
    clients: Annotated[
        list[str] | None,
        typer.Option("--client", help="A client the user may see (repeat for more)."),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="The name shown.")] = None,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help=f"Read the password from the first line of stdin (else ${PASSWORD_ENV}, "
            "else a prompt).",
        ),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Add a user of the web app (or change an existing one's role, clients and password)."""
    from smmkpi.web.auth import MIN_PASSWORD, hash_password

    workspace = open_workspace(lang)
    if role not in users.ROLES:
        raise InvalidArgumentError(
            _("--role: '{value}' is not a role; choose from {choices}.").format(
                value=role, choices=", ".join(users.ROLES)
            )
        )
    chosen = tuple(dict.fromkeys(clients or []))
    if role == "viewer" and len(chosen) != 1:
        raise InvalidArgumentError(_("A client viewer sees exactly one client: give one --client."))
    if role == "specialist" and not chosen:
        raise InvalidArgumentError(_("A specialist needs at least one --client."))
    password = _password(password_stdin)
    if len(password) < MIN_PASSWORD:
        raise UserError(
            _("The password is too short: use at least {n} characters.").format(n=MIN_PASSWORD)
        )
    with workspace.open_store() as store:
        known = {c.client_id for c in load_clients(store.ibis, None)}
        unknown = [c for c in chosen if c not in known]
        if unknown:
            raise UserError(
                _("Unknown clients: {clients}. Add them with `smmkpi client add`.").format(
                    clients=", ".join(unknown)
                )
            )
        with store.transaction():
            users.add_user(
                store.con, username, hash_password(password), role, name, chosen, datetime.now(UTC)
            )
    console.print(_("User {user} can sign in ({role}).").format(user=username, role=role))


@app.command("token")
@handle_errors
def user_token(
    username: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "api",
    lang: LangOption = None,
) -> None:
    """Make an API token for a user (for scripts and integrations): printed once, stored only
    as a hash."""
    from smmkpi.web.auth import new_token, token_hash

    workspace = open_workspace(lang)
    token = new_token()
    with workspace.open_store() as store:
        if users.get_user(store.con, username) is None:
            raise UserError(
                _("There is no user {user}; add one with `smmkpi user add`.").format(user=username)
            )
        with store.transaction():
            users.add_token(store.con, token_hash(token), username, name, datetime.now(UTC))
    console.print(
        _("API token for {user} (shown once; send it as 'Authorization: Bearer TOKEN'):").format(
            user=username
        )
    )
    console.print(token)


@app.command("list")
@handle_errors
def user_list(lang: LangOption = None) -> None:
    """The users of the web app."""
    workspace = open_workspace(lang)
    with workspace.open_store(read_only=True) as store:
        found = users.list_users(store.con)
    table = RichTable()
    for heading in (_("user"), _("role"), _("clients")):
        table.add_column(heading)
    for user in found:
        table.add_row(user.username, user.role, ", ".join(user.clients) or _("all"))
    console.print(table)


@handle_errors
def serve(
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="The port.")] = 8000,
    secure_cookies: Annotated[
        bool,
        typer.Option("--secure-cookies", help="Mark cookies Secure (behind HTTPS)."),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Start the web app on this workspace (it holds the database while it runs)."""
    import uvicorn

    from smmkpi.web.app import create_app
    from smmkpi.web.site import WATCH_SECONDS

    workspace = open_workspace(lang)
    console.print(
        _("smmkpi web app on http://{host}:{port} — stop it with Ctrl+C.").format(
            host=host, port=port
        )
    )
    uvicorn.run(
        create_app(
            workspace,
            secure_cookies=secure_cookies,
            warm_overview=True,
            watch_seconds=WATCH_SECONDS,
        ),
        host=host,
        port=port,
        log_level="warning",
    )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="user")
    root.command("serve")(serve)
