"""Connecting a source: the credential checked with one cheap call before it is saved, then
kept sealed — what ``smmkpi connect``, the web app and the demo share."""

from __future__ import annotations

from datetime import datetime

import httpx

from smmkpi.errors import UnknownChoiceError, UserError
from smmkpi.i18n import _
from smmkpi.settings import SyncSection
from smmkpi.store import connections as stored
from smmkpi.store.database import Store
from smmkpi.store.directory import KnownAccount, load_directory
from smmkpi.sync.credentials import CredentialBox
from smmkpi.sync.errors import SyncError, UnreachableError
from smmkpi.sync.metrica import MetricaCounter, metrica_api
from smmkpi.sync.metrica import check as metrica_check
from smmkpi.sync.throttle import RateLimiter
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
) -> Community:
    """Check ``token`` against the community of ``account`` and save the connection; a refused
    or unchecked token is not saved."""
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
    with store.transaction():
        stored.save(
            store.con,
            stored.StoredConnection(
                "vk",
                found.client_id,
                found.account_id,
                box.seal(token),
                {"group_id": community.group_id, "screen_name": community.screen_name},
            ),
            now,
        )
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
) -> MetricaCounter:
    """Check ``token`` on the Metrica counter and save the client's connection; a refused or
    unchecked token is not saved."""
    clients = load_directory(store.con).clients
    if client_id not in clients:
        raise UnknownChoiceError(
            _("client"), client_id, clients, _("Add it with `smmkpi client add`.")
        )
    with httpx.Client(timeout=settings.timeout_seconds, transport=transport) as client:
        try:
            found = metrica_check(metrica_api(token, settings, client), counter)
        except SyncError as error:
            raise UserError(f"{error} " + _("Nothing was saved.")) from None
    with store.transaction():
        stored.save(
            store.con,
            stored.StoredConnection(
                "metrica",
                client_id,
                None,
                box.seal(token),
                {"counter": found.counter_id, "time_zone": found.time_zone},
            ),
            now,
        )
    return found
