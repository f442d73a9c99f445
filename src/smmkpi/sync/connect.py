"""Connecting a source: the credential checked with one cheap call before it is saved, then
kept sealed — what ``smmkpi connect``, the web app and the demo share."""

from __future__ import annotations

import re
from datetime import datetime

import httpx

from smmkpi.errors import UnknownChoiceError, UserError
from smmkpi.i18n import _
from smmkpi.settings import SyncSection
from smmkpi.store import connections as stored
from smmkpi.store.database import Store
from smmkpi.store.directory import KnownAccount, load_directory
from smmkpi.sync.credentials import CredentialBox
from smmkpi.sync.crm import CrmAccount, amo_api, amo_check, bitrix_api, bitrix_check
from smmkpi.sync.errors import SyncError, UnreachableError
from smmkpi.sync.google import (
    Ga4Property,
    YouTubeChannel,
    access_token,
    ga4_api,
    ga4_check,
    youtube_apis,
    youtube_check,
)
from smmkpi.sync.meta import GraphAccount, graph_api
from smmkpi.sync.meta import check as meta_check
from smmkpi.sync.metrica import MetricaCounter, metrica_api
from smmkpi.sync.metrica import check as metrica_check
from smmkpi.sync.telegram import Channel, open_client
from smmkpi.sync.throttle import RateLimiter
from smmkpi.sync.tiktok import TikTokUser, refreshed, tiktok_api, user_info
from smmkpi.sync.vk import Community, VkApi, VkError, check


def account_on(store: Store, account: str, platform: str, platform_name: str) -> KnownAccount:
    """The account to connect, known and on ``platform``."""
    accounts = load_directory(store.con).accounts
    found = accounts.get(account)
    if found is None:
        raise UnknownChoiceError(
            _("account"),
            account,
            [a for a, v in accounts.items() if v.platform == platform],
            _("Add it with `smmkpi account add`."),
        )
    if found.platform != platform:
        raise UserError(
            _("Account '{account}' is on {platform}, not on {wanted}.").format(
                account=account, platform=found.platform, wanted=platform_name
            )
        )
    return found


def connect_vk(
    store: Store,
    box: CredentialBox,
    settings: SyncSection,
    account: str,
    token: str,
    now: datetime,
    transport: httpx.BaseTransport | None = None,
    keep: str | None = None,
) -> Community:
    """Check ``token`` against the community of ``account`` and save the connection (with
    ``keep`` as its credential when it is a refreshable one, else the token); a refused or
    unchecked token is not saved."""
    found = account_on(store, account, "vk", "VK")
    with httpx.Client(timeout=settings.timeout_seconds, transport=transport) as client:
        api = VkApi(
            token, settings.vk.base_url, settings.vk.api_version, client,
            RateLimiter(settings.vk.requests_per_second), attempts=settings.attempts,
            backoff=settings.backoff_seconds,
        )  # fmt: skip
        try:
            community = check(api, found.handle or found.account_id)
        except VkError as error:
            raise UserError(
                _(
                    "VK refused the token for {account}: {reason} (error {code}). Nothing was "
                    "saved."
                ).format(account=account, reason=error.message, code=error.code)
            ) from None
        except UnreachableError as error:
            raise UserError(f"{error} " + _("Nothing was saved.")) from None
    options = {"group_id": community.group_id, "screen_name": community.screen_name}
    _save_account_connection(store, box, "vk", found, keep or token, options, now)
    return community


def connect_metrica(
    store: Store,
    box: CredentialBox,
    settings: SyncSection,
    client_id: str,
    counter: int,
    token: str,
    now: datetime,
    transport: httpx.BaseTransport | None = None,
    expires_at: datetime | None = None,
) -> MetricaCounter:
    """Check ``token`` on the Metrica counter and save the client's connection; a refused or
    unchecked token is not saved."""
    _known_client(store, client_id)
    with httpx.Client(timeout=settings.timeout_seconds, transport=transport) as client:
        try:
            found = metrica_check(metrica_api(token, settings, client), counter)
        except SyncError as error:
            raise UserError(f"{error} " + _("Nothing was saved.")) from None
    _save_client_connection(
        store, box, "metrica", client_id, token,
        {"counter": found.counter_id, "time_zone": found.time_zone}, now, expires_at,
    )  # fmt: skip
    return found


def _save_connection(
    store: Store, box: CredentialBox, source: str, client_id: str, account_id: str | None,
    secret: str, options: dict[str, object], now: datetime, expires_at: datetime | None = None,
) -> None:  # fmt: skip
    """Keep a checked credential, sealed, for an account (or, with no account, the client)."""
    with store.transaction():
        stored.save(
            store.con,
            stored.StoredConnection(
                source, client_id, account_id, box.seal(secret), dict(options),
                token_expires_at=expires_at,
            ),
            now,
        )  # fmt: skip


def _save_account_connection(
    store: Store, box: CredentialBox, source: str, found: KnownAccount, secret: str,
    options: dict[str, object], now: datetime, expires_at: datetime | None = None,
) -> None:  # fmt: skip
    _save_connection(store, box, source, found.client_id, found.account_id, secret, options,
                     now, expires_at)  # fmt: skip


def _known_client(store: Store, client_id: str) -> None:
    clients = load_directory(store.con).clients
    if client_id not in clients:
        raise UnknownChoiceError(
            _("client"), client_id, clients, _("Add it with `smmkpi client add`.")
        )


def _save_client_connection(
    store: Store, box: CredentialBox, source: str, client_id: str, secret: str,
    options: dict[str, object], now: datetime, expires_at: datetime | None = None,
) -> None:  # fmt: skip
    _save_connection(store, box, source, client_id, None, secret, options, now, expires_at)


def connect_amocrm(
    store: Store,
    box: CredentialBox,
    settings: SyncSection,
    client_id: str,
    subdomain: str,
    token: str,
    now: datetime,
    keep: str | None = None,
) -> CrmAccount:
    """Check an amoCRM token on the account and save the client's connection (``keep``: a
    refreshable credential to store instead of the token)."""
    _known_client(store, client_id)
    subdomain = subdomain.strip().removeprefix("https://").split(".amocrm.")[0]
    with httpx.Client(timeout=settings.timeout_seconds) as client:
        try:
            found = amo_check(amo_api(token, subdomain, settings, client))
        except SyncError as error:
            raise UserError(f"{error} " + _("Nothing was saved.")) from None
    _save_client_connection(
        store, box, "amocrm", client_id, keep or token, {"subdomain": subdomain}, now
    )
    return found


def webhook_url(text: str) -> str:
    """A Bitrix24 inbound webhook's address, as ``https://PORTAL/rest/USER/SECRET/``; never
    repeated in an error (it is the secret)."""
    url = text.strip()
    parts = httpx.URL(url) if url.startswith(("https://", "http://")) else None
    loopback = parts is not None and parts.host in ("127.0.0.1", "localhost", "::1")
    if (
        parts is None
        or (parts.scheme != "https" and not loopback)
        or not re.fullmatch(r"/rest/\d+/\w+/?", parts.path)
    ):
        raise UserError(
            _(
                "That is not a Bitrix24 inbound webhook's address: it looks like "
                "https://PORTAL.bitrix24.ru/rest/1/SECRET/ (Developer resources → Other → Inbound "
                "webhook)."
            )
        )
    return url.rstrip("/") + "/"


def connect_bitrix24(
    store: Store,
    box: CredentialBox,
    settings: SyncSection,
    client_id: str,
    webhook: str,
    now: datetime,
) -> CrmAccount:
    """Check a Bitrix24 inbound webhook (the crm scope) and save the client's connection."""
    _known_client(store, client_id)
    url = webhook_url(webhook)
    with httpx.Client(timeout=settings.timeout_seconds) as client:
        try:
            found = bitrix_check(bitrix_api(url, settings, client))
        except SyncError as error:
            raise UserError(f"{error} " + _("Nothing was saved.")) from None
    _save_client_connection(store, box, "bitrix24", client_id, url, {}, now)
    return found


def connect_telegram(
    store: Store,
    box: CredentialBox,
    settings: SyncSection,
    account: str,
    session: str,
    now: datetime,
) -> Channel:
    """Check a Telethon session on the channel of ``account`` and save the connection."""
    found = account_on(store, account, "telegram", "Telegram")
    try:
        client = open_client(session, settings)
        try:
            channel = client.channel(found.handle or found.name or found.account_id)
        finally:
            client.close()
    except SyncError as error:
        raise UserError(f"{error} " + _("Nothing was saved.")) from None
    _save_account_connection(
        store,
        box,
        "telegram",
        found,
        session,
        {"channel_id": channel.channel_id, "username": channel.username},
        now,
    )
    return channel


def connect_meta(
    store: Store,
    box: CredentialBox,
    settings: SyncSection,
    source: str,
    account: str,
    object_id: str | None,
    token: str,
    now: datetime,
    expires_at: datetime | None = None,
) -> GraphAccount:
    """Check a Graph API token on the Instagram account or Facebook Page of ``account`` (its
    id: ``object_id``, else a numeric handle) and save the connection."""
    name = "Instagram" if source == "instagram" else "Facebook"
    found = account_on(store, account, source, name)
    wanted = object_id or (found.handle or "").lstrip("@")
    if not wanted.isdigit():
        raise UserError(
            _(
                "Pass --id with the {platform} account's id (a number: Meta Business Suite → "
                "Settings → Business assets); the handle '{handle}' is not one."
            ).format(platform=name, handle=found.handle or "")
        )
    with httpx.Client(timeout=settings.timeout_seconds) as client:
        try:
            graph = meta_check(graph_api(token, settings, client, source), source, wanted)
        except SyncError as error:
            raise UserError(f"{error} " + _("Nothing was saved.")) from None
    _save_account_connection(
        store, box, source, found, token, {"object_id": graph.object_id}, now, expires_at
    )
    return graph


def connect_ga4(
    store: Store,
    box: CredentialBox,
    settings: SyncSection,
    client_id: str,
    property_id: str,
    key_event: str | None,
    refresh_token: str,
    now: datetime,
) -> Ga4Property:
    """Check a Google refresh token on the GA4 property and save the client's connection."""
    _known_client(store, client_id)
    property_id = property_id.strip().removeprefix("properties/")
    with httpx.Client(timeout=settings.timeout_seconds) as client:
        try:
            token = access_token(refresh_token, settings, client)
            found = ga4_check(ga4_api(token, settings, client), property_id)
        except SyncError as error:
            raise UserError(f"{error} " + _("Nothing was saved.")) from None
    options: dict[str, object] = {"property": found.property_id}
    if key_event:
        options["key_event"] = key_event
    _save_client_connection(store, box, "ga4", client_id, refresh_token, options, now)
    return found


def connect_youtube(
    store: Store,
    box: CredentialBox,
    settings: SyncSection,
    account: str,
    refresh_token: str,
    now: datetime,
) -> YouTubeChannel:
    """Check a Google refresh token on the signed-in user's YouTube channel and save the
    connection of ``account``."""
    found = account_on(store, account, "youtube", "YouTube")
    with httpx.Client(timeout=settings.timeout_seconds) as client:
        try:
            token = access_token(refresh_token, settings, client)
            channel = youtube_check(youtube_apis(token, settings, client)[1])
        except SyncError as error:
            raise UserError(f"{error} " + _("Nothing was saved.")) from None
    _save_account_connection(
        store,
        box,
        "youtube",
        found,
        refresh_token,
        {"channel_id": channel.channel_id, "uploads": channel.uploads},
        now,
    )
    return channel


def connect_tiktok(
    store: Store,
    box: CredentialBox,
    settings: SyncSection,
    account: str,
    refresh_token: str,
    now: datetime,
) -> TikTokUser:
    """Trade the refresh token once (TikTok rotates it: the new one is what is kept), check the
    access token on ``user/info`` and save the connection of ``account``."""
    found = account_on(store, account, "tiktok", "TikTok")
    with httpx.Client(timeout=settings.timeout_seconds) as client:
        try:
            tokens = refreshed(tiktok_api(settings, client), settings, refresh_token)
            user, _answer = user_info(tiktok_api(settings, client, tokens.access))
        except SyncError as error:
            raise UserError(f"{error} " + _("Nothing was saved.")) from None
    _save_account_connection(
        store, box, "tiktok", found, tokens.refresh, {}, now, tokens.refresh_expires_at
    )
    return user
