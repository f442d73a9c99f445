"""Signing in to a platform with OAuth 2.0 from the web app — the authorisation code flow with
``state`` and PKCE (S256), with the agency's own app (its id in the settings, its secret in the
environment): the address to send a person to, and the exchange of the code the platform sends
back for the credential a connection keeps (Google: a refresh token; Yandex: its long-lived
token, with its expiry)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.settings import SyncSection
from smmkpi.sync.errors import CredentialRefusedError, SyncError
from smmkpi.sync.http import JsonApi
from smmkpi.sync.meta import graph_url


@dataclass(frozen=True)
class Provider:
    name: str
    title: str
    sources: dict[str, str]
    """The sources it signs in for, each with the scopes it asks."""
    client_id: Callable[[SyncSection], str]
    auth_url: Callable[[SyncSection], str]
    token_url: Callable[[SyncSection, dict[str, str]], str]
    """Where codes and refresh tokens are traded, given what the callback brought back (or
    what a refreshable credential keeps: amoCRM's account, VK ID's device)."""
    secret_variable: str
    credential: str
    """What of the token answer a connection keeps: ``refresh_token`` or ``access_token``."""
    extra: dict[str, str] = field(default_factory=dict)
    long_lived: Callable[[SyncSection], str] | None = None
    """Where a short-lived token is traded for a long-lived one (Meta's ``fb_exchange_token``);
    None: the token answer's credential is kept as it is."""
    returned: tuple[str, ...] = ()
    """What of the callback's parameters the token requests need (VK ID's ``device_id``,
    amoCRM's ``referer``: the account's address)."""
    json_body: bool = False
    """Token requests as JSON (amoCRM) rather than a form."""


def _amo_base(settings: SyncSection, returned: dict[str, str]) -> str:
    """amoCRM's account address, from the callback's ``referer`` (``name.amocrm.ru``)."""
    host = returned.get("referer", "").removeprefix("https://").split("/")[0]
    return settings.amocrm.address(host.split(".amocrm.")[0])


def _graph_token_url(settings: SyncSection) -> str:
    return f"{graph_url(settings, 'facebook')}/oauth/access_token"  # Facebook Login's


PROVIDERS = {
    p.name: p
    for p in (
        Provider(
            "google", "Google",
            {"ga4": "https://www.googleapis.com/auth/analytics.readonly"},
            lambda s: s.google.client_id, lambda s: s.google.auth_url,
            lambda s, _r: s.google.token_url, "SMMKPI_GOOGLE_CLIENT_SECRET", "refresh_token",
            {"access_type": "offline", "prompt": "consent"},
        ),
        Provider(
            "meta", "Meta",
            {"instagram": "instagram_basic,instagram_manage_insights,pages_show_list,"
                          "pages_read_engagement,business_management",
             "facebook": "pages_show_list,pages_read_engagement,read_insights"},
            lambda s: s.meta.app_id, lambda s: s.meta.auth_url,
            lambda s, _r: _graph_token_url(s), "SMMKPI_META_APP_SECRET", "access_token",
            long_lived=lambda s: _graph_token_url(s),
        ),
        Provider(
            "yandex", "Yandex", {"metrica": "metrika:read"},
            lambda s: s.metrica.client_id, lambda s: s.metrica.auth_url,
            lambda s, _r: s.metrica.token_url, "SMMKPI_YANDEX_CLIENT_SECRET", "access_token",
        ),
        Provider(
            "vkid", "VK ID", {"vk": "stats wall groups"},
            lambda s: s.vk.app_id, lambda s: s.vk.auth_url, lambda s, _r: s.vk.token_url,
            "SMMKPI_VK_CLIENT_SECRET", "refreshable", returned=("device_id",),
        ),
        Provider(
            "amocrm", "amoCRM", {"amocrm": ""},
            lambda s: s.amocrm.client_id, lambda s: s.amocrm.auth_url,
            lambda s, r: f"{_amo_base(s, r)}/oauth2/access_token",
            "SMMKPI_AMOCRM_CLIENT_SECRET", "refreshable", {"mode": "post_message"},
            returned=("referer",), json_body=True,
        ),
    )
}  # fmt: skip
PROVIDER_OF = {source: p for p in PROVIDERS.values() for source in p.sources}


def provider_for(source: str, settings: SyncSection) -> Provider:
    """The provider a source signs in with, configured; else why not."""
    found = PROVIDER_OF.get(source)
    if found is None:
        raise UserError(_("{source} has no sign-in here; paste its token.").format(source=source))
    if not found.client_id(settings) or not os.environ.get(found.secret_variable, "").strip():
        raise UserError(
            _(
                "Signing in with {provider} needs the agency's app: its id in the settings and "
                "its secret in {variable} (docs/connections.md)."
            ).format(provider=found.title, variable=found.secret_variable)
        )
    return found


@dataclass
class Pending:
    """A sign-in under way: what it is for, and the PKCE verifier that only we know."""

    provider: str
    source: str
    client_id: str
    options: dict[str, Any]
    session: str
    """The signed-in session that began it (its hash): only it may finish it."""
    verifier: str = field(default_factory=lambda: secrets.token_urlsafe(48), repr=False)
    expires: datetime = field(default_factory=lambda: datetime.now(UTC) + timedelta(minutes=10))


def challenge(verifier: str) -> str:
    """PKCE's S256 challenge of ``verifier``."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_url(
    provider: Provider, settings: SyncSection, pending: Pending, state: str, redirect: str
) -> str:
    query = {
        "response_type": "code",
        "client_id": provider.client_id(settings),
        "redirect_uri": redirect,
        "scope": provider.sources[pending.source],
        "state": state,
        "code_challenge": challenge(pending.verifier),
        "code_challenge_method": "S256",
        **provider.extra,
    }
    return f"{provider.auth_url(settings)}?{urlencode(query)}"


@dataclass(frozen=True)
class Granted:
    credential: str = field(repr=False)
    expires_at: datetime | None
    access: str = field(default="", repr=False)
    """The access token that came with it (what a refreshable credential is checked with)."""


def exchange(
    provider: Provider,
    settings: SyncSection,
    pending: Pending,
    code: str,
    redirect: str,
    returned: dict[str, str] | None = None,
    state: str = "",
) -> Granted:
    """The credential for the code the platform sent back (with the PKCE verifier)."""
    returned = {k: v for k, v in (returned or {}).items() if k in provider.returned}
    fields = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect,
              "client_id": provider.client_id(settings),
              "client_secret": os.environ.get(provider.secret_variable, "").strip(),
              "code_verifier": pending.verifier, **returned}  # fmt: skip
    if "device_id" in returned:
        fields["state"] = state  # VK ID asks for it again
    with httpx.Client(timeout=settings.timeout_seconds) as client:
        try:
            answer = _token_request(provider, settings, client, returned, fields)
        except SyncError as error:
            raise UserError(f"{error} " + _("Nothing was saved.")) from None
        if provider.long_lived is not None and isinstance(answer, dict):
            answer = _long_lived(provider, settings, client, answer)
    if provider.credential == "refreshable":
        return _refreshable(provider, answer, returned, redirect)
    credential = answer.get(provider.credential) if isinstance(answer, dict) else None
    if not isinstance(credential, str) or not credential:
        raise UserError(
            _("{provider} gave no {what}: sign in again and allow offline access.").format(
                provider=provider.title, what=provider.credential
            )
        )
    expires_in = answer.get("expires_in") if provider.credential == "access_token" else None
    expires = (
        datetime.now(UTC) + timedelta(seconds=int(expires_in))
        if isinstance(expires_in, int)
        else None
    )
    return Granted(credential, expires)


def _token_request(
    provider: Provider, settings: SyncSection, client: httpx.Client,
    returned: dict[str, str], fields: dict[str, str],
) -> Any:  # fmt: skip
    api = JsonApi(provider.title, provider.token_url(settings, returned), {}, client,
                  attempts=settings.attempts, backoff=settings.backoff_seconds,
                  reason=_token_reason)  # fmt: skip
    if provider.json_body:
        return api.post("", fields)
    return api.post("", form=fields)


def _token_reason(body: Any) -> str | None:
    if isinstance(body, dict):
        why = body.get("error_description") or body.get("hint") or body.get("detail")
        return str(why or body.get("error") or body.get("title") or "") or None
    return None


def _refreshable(
    provider: Provider, answer: Any, returned: dict[str, str], redirect: str
) -> Granted:
    """A credential that is a refresh token the platform rotates, with what its trades need."""
    refresh = answer.get("refresh_token") if isinstance(answer, dict) else None
    access = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(refresh, str) or not isinstance(access, str):
        raise UserError(
            _("{provider} gave no refresh token: sign in again.").format(provider=provider.title)
        )
    kept = {"provider": provider.name, "refresh_token": refresh, "redirect_uri": redirect,
            **returned}  # fmt: skip
    return Granted(json.dumps(kept, sort_keys=True), None, access)


def is_refreshable(credential: str) -> bool:
    """Whether a stored credential is a rotating refresh token (JSON) rather than a token."""
    return credential.startswith("{")


def refresh(credential: str, settings: SyncSection, client: httpx.Client) -> tuple[str, str]:
    """Trade a refreshable credential: the access token, and the credential to keep instead
    (the platform rotated the refresh token: save it before using the access token)."""
    kept = json.loads(credential)
    provider = PROVIDERS[kept["provider"]]
    returned = {k: str(kept[k]) for k in provider.returned if k in kept}
    fields = {"grant_type": "refresh_token", "refresh_token": kept["refresh_token"],
              "client_id": provider.client_id(settings),
              "client_secret": os.environ.get(provider.secret_variable, "").strip(),
              "redirect_uri": kept.get("redirect_uri", ""), **returned}  # fmt: skip
    if "device_id" in returned:
        fields["state"] = secrets.token_urlsafe(16)  # VK ID wants one on every request
    try:
        answer = _token_request(provider, settings, client, returned, fields)
    except SyncError as error:
        if error.status in ("failing", "permission_denied") and not error.transient:
            raise CredentialRefusedError(str(error)) from None
        raise
    refresh_token = answer.get("refresh_token") if isinstance(answer, dict) else None
    access = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(refresh_token, str) or not isinstance(access, str):
        raise SyncError(
            _("{provider} answered a refresh without the tokens.").format(provider=provider.title)
        )
    return access, json.dumps({**kept, "refresh_token": refresh_token}, sort_keys=True)


def _long_lived(
    provider: Provider, settings: SyncSection, client: httpx.Client, answer: dict[str, Any]
) -> Any:
    """Meta's short-lived user token (an hour or two) traded for a long-lived one (60 days)."""
    assert provider.long_lived is not None
    api = JsonApi(provider.title, provider.long_lived(settings), {}, client,
                  attempts=settings.attempts, backoff=settings.backoff_seconds)  # fmt: skip
    try:
        return api.post(
            "",
            form={"grant_type": "fb_exchange_token", "client_id": provider.client_id(settings),
                  "client_secret": os.environ.get(provider.secret_variable, "").strip(),
                  "fb_exchange_token": str(answer.get("access_token") or "")},
        )  # fmt: skip
    except SyncError as error:
        raise UserError(f"{error} " + _("Nothing was saved.")) from None
