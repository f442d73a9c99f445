"""``smmkpi user add|list|remove|signout|token`` (who may sign in to the web app and call its
API) and ``smmkpi serve`` (the web app
on this workspace)."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from smmkpi.cli.common import LangOption, defaulting_group, handle_errors, open_workspace
from smmkpi.cli.state import console
from smmkpi.cli.tables import Table
from smmkpi.errors import InvalidArgumentError, UserError
from smmkpi.extras import require
from smmkpi.i18n import _, ngettext
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
            ngettext(
                "The password is too short: use at least {n} character.",
                "The password is too short: use at least {n} characters.",
                MIN_PASSWORD,
            ).format(n=MIN_PASSWORD)
        )
    with workspace.open_store() as store:
        known = {c.client_id for c in load_clients(store.backend, None)}
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


tokens_app = typer.Typer(
    cls=defaulting_group("add"),  # smmkpi user token USER makes one, as it always did
    help="API tokens: `smmkpi user token USER` makes one; `list` and `revoke` manage them.",
)


@tokens_app.command("add")
@handle_errors
def user_token(
    username: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "api",
    days: Annotated[
        int | None,
        typer.Option("--days", min=1, help="Valid for this many days (default: until revoked)."),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Make an API token for a user (for scripts and integrations): printed once, stored only
    as a hash."""
    from smmkpi.web.auth import new_token, token_hash

    workspace = open_workspace(lang)
    token = new_token()
    now = datetime.now(UTC)
    expires = now + timedelta(days=days) if days else None
    with workspace.open_store() as store:
        if users.get_user(store.con, username) is None:
            raise UserError(
                _("There is no user {user}; add one with `smmkpi user add`.").format(user=username)
            )
        with store.transaction():
            token_id = users.add_token(store.con, token_hash(token), username, name, now, expires)
    if expires is None:
        said = _("API token {id} for {user}, valid until revoked").format(
            id=token_id, user=username
        )
    else:
        said = _("API token {id} for {user}, valid until {day}").format(
            id=token_id, user=username, day=expires.date().isoformat()
        )
    console.print(said + " " + _("(shown once; send it as 'Authorization: Bearer TOKEN'):"))
    console.print(token)


@tokens_app.command("list")
@handle_errors
def token_list(
    username: Annotated[
        str | None, typer.Argument(help="Only this user's tokens.", show_default=False)
    ] = None,
    lang: LangOption = None,
) -> None:
    """The API tokens: id, user, what for, made, expires, last used, state."""
    workspace = open_workspace(lang)
    with workspace.open_store(read_only=True) as store:
        found = users.tokens(store.con, username)
    now = datetime.now(UTC)
    table = Table()
    for heading in (
        _("id"),
        _("user"),
        _("for"),
        _("made"),
        _("expires"),
        _("last used"),
        _("state"),
    ):
        table.add_column(heading, no_wrap=True)
    for token in found:
        table.add_row(
            token.token_id,
            token.username,
            token.name,
            token.created_at.astimezone(UTC).date().isoformat(),
            token.expires_at.astimezone(UTC).date().isoformat() if token.expires_at else _("never"),
            _moment(token.last_used_at) if token.last_used_at else _("never"),
            {"active": _("active"), "expired": _("expired"), "revoked": _("revoked")}[
                token.state(now)
            ],
        )
    console.print(table)


@tokens_app.command("revoke")
@handle_errors
def token_revoke(
    token_id: Annotated[
        str | None,
        typer.Argument(help="The token's id (`smmkpi user token list`).", show_default=False),
    ] = None,
    every_of: Annotated[
        str | None, typer.Option("--user", help="Revoke every token of this user instead.")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Revoke an API token (or every token of a user): calls with it are refused at once."""
    workspace = open_workspace(lang)
    if (token_id is None) == (every_of is None):
        raise InvalidArgumentError(_("Name a token id, or --user for all of a user's tokens."))
    with workspace.open_store() as store, store.transaction():
        count = users.revoke_tokens(
            store.con, datetime.now(UTC), token_id=token_id, username=every_of
        )
    if token_id is not None and count == 0:
        raise UserError(
            _("No active token has the id '{id}'; `smmkpi user token list` shows the ids.").format(
                id=token_id
            )
        )
    console.print(_("Revoked {n} API token(s).").format(n=count))


@app.command("remove")
@handle_errors
def user_remove(
    username: Annotated[str, typer.Argument(help="The user to remove.")],
    lang: LangOption = None,
) -> None:
    """Remove a user: signed out everywhere, API tokens revoked, no longer able to sign in
    (what they authored keeps their name)."""
    workspace = open_workspace(lang)
    with workspace.open_store() as store, store.transaction():
        removed = users.remove_user(store.con, username, datetime.now(UTC))
    if not removed:
        raise UserError(_("There is no user {user}.").format(user=username))
    console.print(_("User {user} removed: signed out, API tokens revoked.").format(user=username))


@app.command("signout")
@handle_errors
def user_signout(
    username: Annotated[str, typer.Argument(help="The user to sign out.")],
    lang: LangOption = None,
) -> None:
    """End every web session of a user (a lost laptop, a changed password); they can sign in
    again."""
    workspace = open_workspace(lang)
    with workspace.open_store() as store, store.transaction():
        if users.get_user(store.con, username) is None:
            raise UserError(_("There is no user {user}.").format(user=username))
        count = users.end_sessions(store.con, username)
    console.print(_("{user} is signed out ({n} session(s) ended).").format(user=username, n=count))


def _moment(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


@app.command("list")
@handle_errors
def user_list(lang: LangOption = None) -> None:
    """The users of the web app."""
    workspace = open_workspace(lang)
    with workspace.open_store(read_only=True) as store:
        found = users.list_users(store.con)
    table = Table()
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
    workspace = open_workspace(lang)
    require("web")
    import uvicorn

    from smmkpi.web.app import create_app
    from smmkpi.web.site import WATCH_SECONDS

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
            warm_pages=True,
            watch_seconds=WATCH_SECONDS,
        ),
        host=host,
        port=port,
        log_level="warning",
    )


app.add_typer(tokens_app, name="token")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="user")
    root.command("serve")(serve)
