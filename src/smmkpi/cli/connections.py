"""``smmkpi connect``, ``smmkpi connections``, ``smmkpi disconnect``: the right to read a
platform's API for an account, its credential kept encrypted (``shared/spec/sync-and-delivery.md``
§1). VK is the first source."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

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
from smmkpi.errors import InvalidArgumentError, UserError
from smmkpi.formatting import format_count
from smmkpi.i18n import _, current_language
from smmkpi.store import connections as stored

if TYPE_CHECKING:
    from smmkpi.store.database import Store
    from smmkpi.sync.credentials import CredentialBox
    from smmkpi.workspace import Workspace

connect_app = typer.Typer(help="Connect a platform's API for an account (or a client).")

TokenEnv = Annotated[
    str | None,
    typer.Option(
        "--token-env",
        help="The environment variable holding the token (else it is asked for, unseen).",
    ),
]


@contextmanager
def _connecting(
    lang: str | None, account: str | None = None, platform: str = "", name: str = ""
) -> Iterator[tuple[Workspace, Store, CredentialBox]]:
    """The workspace, its store and its credential box for a connect (the account checked
    first, when there is one: before the secret is asked for)."""
    from smmkpi.sync.connect import account_on
    from smmkpi.sync.credentials import credential_box

    workspace = open_workspace(lang)
    with workspace.open_store() as store:
        if account is not None:
            account_on(store, account, platform, name)
        yield workspace, store, credential_box(workspace.path, store.engine == "postgresql")


def _count(value: int | None) -> str:
    return format_count(value, current_language()) if value is not None else "—"


def _secret(variable: str | None, what: str) -> str:
    """A secret from an environment variable, else typed without echo; never an argument."""
    if variable:
        value = os.environ.get(variable, "").strip()
        if not value:
            raise InvalidArgumentError(
                _("The environment variable {variable} is empty or not set.").format(
                    variable=variable
                )
            )
        return value
    return str(typer.prompt(what, hide_input=True)).strip()


@connect_app.command("vk")
@handle_errors
def connect_vk(
    account: Annotated[str, typer.Argument(help="The VK account (smmkpi account list).")],
    token_env: TokenEnv = None,
    lang: LangOption = None,
) -> None:
    """Connect a VK community with the user token of one of its admins (scope: stats, wall,
    groups): checked with one call before it is saved."""
    from smmkpi.sync.connect import connect_vk

    with _connecting(lang, account, "vk", "VK") as (workspace, store, box):
        token = _secret(token_env, _("VK user token"))
        community = connect_vk(
            store, box, workspace.settings.sync, account, token, datetime.now(UTC)
        )
    members = _count(community.members)
    console.print(
        _(
            "Connected {account}: VK community club{group} «{name}», {members} members; stats: "
            "{stats}."
        ).format(
            account=account,
            group=community.group_id,
            name=community.name,
            members=members,
            stats=_("yes") if community.stats else _("no (the token's user is not an admin)"),
        )
    )


@connect_app.command("telegram")
@handle_errors
def connect_telegram_command(
    account: Annotated[str, typer.Argument(help="The Telegram channel's account.")],
    session_env: Annotated[
        str | None,
        typer.Option(
            "--session-env",
            help="The environment variable holding the Telethon StringSession (else it is asked "
            "for, unseen).",
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Connect a Telegram channel with a Telethon session of one of its admins (the extra
    smmkpi[telegram]; the app's sync.telegram.api_id and SMMKPI_TELEGRAM_API_HASH)."""
    from smmkpi.sync.connect import connect_telegram

    with _connecting(lang, account, "telegram", "Telegram") as (workspace, store, box):
        session = _secret(session_env, _("Telethon StringSession"))
        channel = connect_telegram(
            store, box, workspace.settings.sync, account, session, datetime.now(UTC)
        )
    subscribers = _count(channel.subscribers)
    console.print(
        _(
            "Connected {account}: Telegram channel @{username} «{title}», {subscribers} "
            "subscribers; stats: {stats}."
        ).format(
            account=account,
            username=channel.username,
            title=channel.title,
            subscribers=subscribers,
            stats=_("yes") if channel.stats else _("no (the session's user is not an admin)"),
        )
    )


def _connect_meta(
    source: str, account: str, object_id: str | None, token_env: str | None, lang: str | None
) -> None:
    from smmkpi.sync.connect import connect_meta

    name = "Instagram" if source == "instagram" else "Facebook"
    with _connecting(lang, account, source, name) as (workspace, store, box):
        token = _secret(token_env, _("Graph API long-lived token"))
        graph = connect_meta(
            store, box, workspace.settings.sync, source, account, object_id, token,
            datetime.now(UTC),
        )  # fmt: skip
    followers = _count(graph.followers)
    console.print(
        _("Connected {account}: {platform} {id} «{name}», {followers} followers.").format(
            account=account,
            platform=name,
            id=graph.object_id,
            name=graph.name,
            followers=followers,
        )
    )


ObjectId = Annotated[
    str | None,
    typer.Option("--id", help="The account's (or Page's) id at Meta, when its handle is not it."),
]


@connect_app.command("instagram")
@handle_errors
def connect_instagram_command(
    account: Annotated[str, typer.Argument(help="The Instagram account.")],
    object_id: ObjectId = None,
    token_env: TokenEnv = None,
    lang: LangOption = None,
) -> None:
    """Connect an Instagram professional account with a Graph API long-lived token
    (instagram_basic, instagram_manage_insights): checked with one call before it is saved."""
    _connect_meta("instagram", account, object_id, token_env, lang)


@connect_app.command("facebook")
@handle_errors
def connect_facebook_command(
    account: Annotated[str, typer.Argument(help="The Facebook Page's account.")],
    object_id: ObjectId = None,
    token_env: TokenEnv = None,
    lang: LangOption = None,
) -> None:
    """Connect a Facebook Page with a Page token (read_insights, pages_read_engagement):
    checked with one call before it is saved."""
    _connect_meta("facebook", account, object_id, token_env, lang)


@connect_app.command("youtube")
@handle_errors
def connect_youtube_command(
    account: Annotated[str, typer.Argument(help="The YouTube channel's account.")],
    token_env: TokenEnv = None,
    lang: LangOption = None,
) -> None:
    """Connect a YouTube channel with a Google OAuth refresh token of its owner (scopes
    yt-analytics.readonly, youtube.readonly) of the agency's app: checked before it is saved."""
    from smmkpi.sync.connect import connect_youtube

    with _connecting(lang, account, "youtube", "YouTube") as (workspace, store, box):
        token = _secret(token_env, _("Google refresh token"))
        channel = connect_youtube(
            store, box, workspace.settings.sync, account, token, datetime.now(UTC)
        )
    subscribers = _count(channel.subscribers)
    console.print(
        _("Connected {account}: YouTube channel {id} «{title}», {subscribers} subscribers.").format(
            account=account, id=channel.channel_id, title=channel.title, subscribers=subscribers
        )
    )


@connect_app.command("tiktok")
@handle_errors
def connect_tiktok_command(
    account: Annotated[str, typer.Argument(help="The TikTok account.")],
    token_env: TokenEnv = None,
    lang: LangOption = None,
) -> None:
    """Connect a TikTok account with a refresh token of the agency's app (scopes user.info.basic,
    user.info.stats, video.list): traded once and checked; TikTok rotates it, so the new one is
    kept."""
    from smmkpi.sync.connect import connect_tiktok

    with _connecting(lang, account, "tiktok", "TikTok") as (workspace, store, box):
        token = _secret(token_env, _("TikTok refresh token"))
        user = connect_tiktok(
            store, box, workspace.settings.sync, account, token, datetime.now(UTC)
        )
    followers = _count(user.followers)
    console.print(
        _("Connected {account}: TikTok «{name}», {followers} followers.").format(
            account=account, name=user.name, followers=followers
        )
    )


@connect_app.command("metrica")
@handle_errors
def connect_metrica_command(
    client: Annotated[str, typer.Argument(help="The client whose site the counter counts.")],
    counter: Annotated[int, typer.Option("--counter", help="The Metrica counter's id.")],
    token_env: TokenEnv = None,
    lang: LangOption = None,
) -> None:
    """Connect a client's Yandex Metrica counter with an OAuth token that may read it (scope
    metrika:read): checked with one call before it is saved."""
    from smmkpi.store.directory import load_directory
    from smmkpi.sync.connect import connect_metrica

    with _connecting(lang) as (workspace, store, box):
        token = _secret(token_env, _("Yandex OAuth token"))
        found = connect_metrica(
            store, box, workspace.settings.sync, client, counter, token, datetime.now(UTC)
        )
        zone = load_directory(store.con).clients[client].timezone
    console.print(
        _("Connected {client}: Yandex Metrica counter {counter} «{name}» ({site}).").format(
            client=client, counter=found.counter_id, name=found.name, site=found.site
        )
    )
    if found.time_zone and found.time_zone != zone:
        console.print(
            _(
                "Note: the counter counts days in {counter_zone}, the client in {zone}; its web "
                "sessions are the counter's days."
            ).format(counter_zone=found.time_zone, zone=zone)
        )


@connect_app.command("ga4")
@handle_errors
def connect_ga4_command(
    client: Annotated[str, typer.Argument(help="The client whose site the property measures.")],
    property_id: Annotated[str, typer.Option("--property", help="The GA4 property's id.")],
    key_event: Annotated[
        str | None,
        typer.Option(
            "--key-event",
            help="Count this key event as goal completions (generate_lead); default: all.",
        ),
    ] = None,
    token_env: TokenEnv = None,
    lang: LangOption = None,
) -> None:
    """Connect a client's GA4 property with a Google OAuth refresh token (scope
    analytics.readonly) of the agency's app: checked with one call before it is saved."""
    from smmkpi.sync.connect import connect_ga4

    with _connecting(lang) as (workspace, store, box):
        token = _secret(token_env, _("Google refresh token"))
        found = connect_ga4(
            store, box, workspace.settings.sync, client, property_id, key_event, token,
            datetime.now(UTC),
        )  # fmt: skip
    console.print(
        _("Connected {client}: GA4 property {property} ({goals}).").format(
            client=client,
            property=found.property_id,
            goals=_("key event {name}").format(name=key_event)
            if key_event
            else _("all key events"),
        )
    )


@connect_app.command("amocrm")
@handle_errors
def connect_amocrm_command(
    client: Annotated[str, typer.Argument(help="The client whose CRM it is.")],
    subdomain: Annotated[
        str, typer.Option("--subdomain", help="The account's subdomain (NAME.amocrm.ru).")
    ],
    token_env: TokenEnv = None,
    lang: LangOption = None,
) -> None:
    """Connect a client's amoCRM with a private integration's long-lived token: checked with
    one call before it is saved."""
    from smmkpi.sync.connect import connect_amocrm

    with _connecting(lang) as (workspace, store, box):
        token = _secret(token_env, _("amoCRM long-lived token"))
        found = connect_amocrm(
            store, box, workspace.settings.sync, client, subdomain, token, datetime.now(UTC)
        )
    console.print(
        _("Connected {client}: amoCRM account «{name}» ({currency}).").format(
            client=client, name=found.name, currency=found.detail or "—"
        )
    )


@connect_app.command("bitrix24")
@handle_errors
def connect_bitrix24_command(
    client: Annotated[str, typer.Argument(help="The client whose CRM it is.")],
    webhook_env: Annotated[
        str | None,
        typer.Option(
            "--webhook-env",
            help="The environment variable holding the inbound webhook's address (else it is "
            "asked for, unseen).",
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Connect a client's Bitrix24 with an inbound webhook (scope crm): its address holds the
    secret, so it is read from the environment or typed unseen, checked, then kept encrypted."""
    from smmkpi.sync.connect import connect_bitrix24

    with _connecting(lang) as (workspace, store, box):
        webhook = _secret(webhook_env, _("Bitrix24 inbound webhook address"))
        found = connect_bitrix24(
            store, box, workspace.settings.sync, client, webhook, datetime.now(UTC)
        )
    console.print(
        _("Connected {client}: Bitrix24 as {user} (scopes: {scopes}).").format(
            client=client, user=found.name, scopes=found.detail
        )
    )


@handle_errors
def connections_command(
    client: Annotated[str | None, typer.Option("--client", help="Only this client's.")] = None,
    output: OutputOption = "table",
    lang: LangOption = None,
) -> None:
    """The connections: source, client, account, status, last success and attempt, the last
    day fully read, the token's expiry and the last error."""
    table_or_json(output)
    workspace = open_workspace(lang)
    with workspace.open_store(read_only=True) as store:
        found = stored.listed(store.con, client)
    if output == "json":
        echo_json(json.dumps([as_json(c) for c in found], ensure_ascii=False, indent=2))
        return
    table = Table()
    for heading in (_("source"), _("client"), _("account"), _("status"), _("last success"),
                    _("token expires"), _("last error")):  # fmt: skip
        table.add_column(heading)
    for item in found:
        table.add_row(
            item.source,
            item.client_id,
            item.account_id or "—",
            item.status,
            _moment(item.last_success_at),
            _moment(item.token_expires_at),
            item.last_error or "",
        )
    console.print(table)


def as_json(item: stored.StoredConnection) -> dict[str, Any]:
    """A connection as ``smmkpi connections --format json`` writes it (the contract's fields;
    never the credential)."""
    return {
        "source": item.source,
        "client": item.client_id,
        "account": item.account_id,
        "status": item.status,
        "last_success_at": _iso(item.last_success_at),
        "last_attempt_at": _iso(item.last_attempt_at),
        "synced_through": item.synced_through.isoformat() if item.synced_through else None,
        "token_expires_at": _iso(item.token_expires_at),
        "last_error": item.last_error,
    }


@handle_errors
def disconnect_command(
    source: Annotated[str, typer.Argument(help="vk, metrica, …")],
    target: Annotated[str, typer.Argument(help="The account (or, for client sources, client).")],
    lang: LangOption = None,
) -> None:
    """Forget a connection and its credential (the data it brought stays)."""
    workspace = open_workspace(lang)
    with workspace.open_store() as store, store.transaction():
        removed = stored.remove(store.con, source, target)
    if not removed:
        raise UserError(
            _("There is no {source} connection for {target} (see `smmkpi connections`).").format(
                source=source, target=target
            )
        )
    console.print(
        _("Disconnected {source} for {target}; its credential is forgotten.").format(
            source=source, target=target
        )
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _moment(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else "—"


def register(app: typer.Typer) -> None:
    app.add_typer(connect_app, name="connect")
    app.command("connections")(connections_command)
    app.command("disconnect")(disconnect_command)
