"""Signing in to a platform with OAuth 2.0 from the web app — the authorisation code flow with
``state`` and PKCE (S256), with the agency's own app (its id in the settings, its secret in the
environment): the address to send a person to, and the exchange of the code the platform sends
back for the credential a connection keeps (Google: a refresh token; Yandex: its long-lived
token, with its expiry)."""

from __future__ import annotations

import base64
import hashlib
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
from smmkpi.sync.errors import SyncError
from smmkpi.sync.http import JsonApi


@dataclass(frozen=True)
class Provider:
    name: str
    title: str
    sources: dict[str, str]
    """The sources it signs in for, each with the scopes it asks."""
    client_id: Callable[[SyncSection], str]
    auth_url: Callable[[SyncSection], str]
    token_url: Callable[[SyncSection], str]
    secret_variable: str
    credential: str
    """What of the token answer a connection keeps: ``refresh_token`` or ``access_token``."""
    extra: dict[str, str] = field(default_factory=dict)
    long_lived: Callable[[SyncSection], str] | None = None
    """Where a short-lived token is traded for a long-lived one (Meta's ``fb_exchange_token``);
    None: the token answer's credential is kept as it is."""


def _graph_token_url(settings: SyncSection) -> str:
    return f"{settings.meta.base_url.rstrip('/')}/{settings.meta.api_version}/oauth/access_token"


PROVIDERS = {
    p.name: p
    for p in (
        Provider(
            "google", "Google",
            {"ga4": "https://www.googleapis.com/auth/analytics.readonly"},
            lambda s: s.google.client_id, lambda s: s.google.auth_url,
            lambda s: s.google.token_url, "SMMKPI_GOOGLE_CLIENT_SECRET", "refresh_token",
            {"access_type": "offline", "prompt": "consent"},
        ),
        Provider(
            "meta", "Meta",
            {"instagram": "instagram_basic,instagram_manage_insights,pages_show_list,"
                          "pages_read_engagement,business_management",
             "facebook": "pages_show_list,pages_read_engagement,read_insights"},
            lambda s: s.meta.app_id, lambda s: s.meta.auth_url,
            lambda s: _graph_token_url(s), "SMMKPI_META_APP_SECRET", "access_token",
            long_lived=lambda s: _graph_token_url(s),
        ),
        Provider(
            "yandex", "Yandex", {"metrica": "metrika:read"},
            lambda s: s.metrica.client_id, lambda s: s.metrica.auth_url,
            lambda s: s.metrica.token_url, "SMMKPI_YANDEX_CLIENT_SECRET", "access_token",
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


def exchange(
    provider: Provider, settings: SyncSection, pending: Pending, code: str, redirect: str
) -> Granted:
    """The credential for the code the platform sent back (with the PKCE verifier)."""
    with httpx.Client(timeout=settings.timeout_seconds) as client:
        api = JsonApi(provider.title, provider.token_url(settings), {}, client,
                      attempts=settings.attempts, backoff=settings.backoff_seconds)  # fmt: skip
        try:
            answer = api.post(
                "",
                form={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect,
                      "client_id": provider.client_id(settings),
                      "client_secret": os.environ.get(provider.secret_variable, "").strip(),
                      "code_verifier": pending.verifier},
            )  # fmt: skip
        except SyncError as error:
            raise UserError(f"{error} " + _("Nothing was saved.")) from None
        if provider.long_lived is not None and isinstance(answer, dict):
            answer = _long_lived(provider, settings, client, answer)
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
