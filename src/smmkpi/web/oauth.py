"""Signing in to a platform from a client's Connections section (``shared/spec/
sync-and-delivery.md`` §1): ``/clients/<id>/connections/signin`` sends the person to the
platform with a random ``state`` and a PKCE challenge; the platform sends them back to
``/oauth/callback/<source>``, where the code is exchanged (with the verifier only this server
holds) for the connection's credential, which is checked and kept encrypted like a pasted one.

A state is good once, for ten minutes, and only for the signed-in session that began it, so a
link that lands someone else's sign-in in this app (login CSRF) finds nothing to finish."""

from __future__ import annotations

import secrets
import threading
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from smmkpi.errors import UserError
from smmkpi.i18n import _, use_language
from smmkpi.store.directory import load_directory
from smmkpi.sync.connect import (
    connect_amocrm,
    connect_ga4,
    connect_meta,
    connect_metrica,
    connect_vk,
)
from smmkpi.sync.credentials import credential_box
from smmkpi.sync.oauth import PROVIDERS, Pending, authorize_url, exchange, provider_for
from smmkpi.web.site import Editor, Site


class Signins:
    """The sign-ins under way, by state."""

    def __init__(self) -> None:
        self._pending: dict[str, Pending] = {}
        self._lock = threading.Lock()

    def begin(self, pending: Pending) -> str:
        state = secrets.token_urlsafe(32)
        with self._lock:
            now = datetime.now(UTC)
            self._pending = {k: v for k, v in self._pending.items() if v.expires > now}
            self._pending[state] = pending
        return state

    def finish(self, state: str) -> Pending | None:
        """The sign-in of ``state``, once; None when unknown, used or expired."""
        with self._lock:
            found = self._pending.pop(state, None)
        return found if found is not None and found.expires > datetime.now(UTC) else None


def oauth_router(site: Site) -> APIRouter:
    from smmkpi.web.client_page import client_page

    router = APIRouter(include_in_schema=False)
    signins = Signins()

    def redirect_uri(request: Request, source: str) -> str:
        """``/oauth/callback/<source>`` (the contract's path) on the app's address."""
        base = site.workspace.settings.web.public_url or str(request.base_url)
        return f"{base.rstrip('/')}/oauth/callback/{source}"

    def page(request: Request, who: Any, client_id: str, kind: str, text: str) -> Response:
        notes = [{"section": "connections", "kind": kind, "text": text}]
        status = 422 if kind == "error" else 200
        return client_page(site, request, who, client_id, status, notes=notes)

    @router.post("/clients/{client_id}/connections/signin", response_model=None)
    def begin(
        request: Request,
        client_id: str,
        who: Editor,
        source: str = Form(""),
        object_id: str = Form(""),
        key_event: str = Form(""),
    ) -> Response:
        settings = site.workspace.settings.sync
        source, _sep, account = source.partition("|")
        options: dict[str, str] = {"object_id": object_id.strip()}
        if account:
            options["account"] = account
        if key_event.strip() and source == "ga4":
            options["key_event"] = key_event.strip()
        with use_language(site.language(request)):
            try:
                provider = provider_for(source, settings)
                if account:
                    _own_account(site, client_id, account, source)
                elif source != "amocrm" and not options["object_id"].isdigit():
                    raise UserError(
                        _("Type the {what} first (a number).").format(
                            what=_("GA4 property id") if source == "ga4" else _("counter id")
                        )
                    )
            except UserError as error:
                return page(request, who, client_id, "error", str(error))
        pending = Pending(provider.name, source, client_id, options, who.token_hash)
        state = signins.begin(pending)
        target = authorize_url(provider, settings, pending, state, redirect_uri(request, source))
        return RedirectResponse(target, status_code=303, headers={"Referrer-Policy": "no-referrer"})

    @router.get("/oauth/callback/{source}", response_model=None)
    def callback(
        request: Request, source: str, state: str = "", code: str = "", error: str = ""
    ) -> Response:
        who = site.signed(request)
        pending = signins.finish(state) if state else None
        if (
            who is None
            or pending is None
            or pending.source != source
            or pending.session != who.token_hash
        ):
            return site.forbidden(request, who)
        client_id = pending.client_id
        if site.editor(request, client_id, who.csrf)[1] is not None:
            return site.forbidden(request, who)
        with use_language(site.language(request)):
            if error or not code:
                refused = _("{provider} did not grant access ({error}); nothing was saved.")
                title = PROVIDERS[pending.provider].title
                return page(
                    request, who, client_id, "error",
                    refused.format(provider=title, error=error or "no code"),
                )  # fmt: skip
            try:
                returned = dict(request.query_params)
                text = _finish(site, pending, code, redirect_uri(request, source), returned, state)
            except UserError as failure:
                return page(request, who, client_id, "error", str(failure))
        return page(request, who, client_id, "ok", text)

    return router


def _own_account(site: Site, client_id: str, account: str, platform: str) -> None:
    """``account`` is this client's, on ``platform`` (else the same refusal as pasting)."""
    with site.db.store() as store:
        found = load_directory(store.con).accounts.get(account)
    if found is None or found.client_id != client_id or found.platform != platform:
        raise UserError(
            _("This client has no account '{account}' to connect.").format(account=account)
        )


def _finish(
    site: Site, pending: Pending, code: str, redirect: str, returned: dict[str, str], state: str
) -> str:
    settings = site.workspace.settings.sync
    provider = PROVIDERS[pending.provider]
    granted = exchange(provider, settings, pending, code, redirect, returned, state)
    now = datetime.now(UTC)
    with site.db.store() as store:
        box = credential_box(site.workspace.path, store.engine == "postgresql")
        if pending.source == "vk":
            account = str(pending.options["account"])
            community = connect_vk(
                store, box, settings, account, granted.access, now, keep=granted.credential
            )
            return _("Connected {account}: VK community club{group} «{name}».").format(
                account=account, group=community.group_id, name=community.name
            )
        if pending.source == "amocrm":
            subdomain = returned.get("referer", "").split(".amocrm.")[0]
            crm = connect_amocrm(
                store, box, settings, pending.client_id, subdomain, granted.access, now,
                keep=granted.credential,
            )  # fmt: skip
            return _("Connected {client}: amoCRM account «{name}» ({currency}).").format(
                client=pending.client_id, name=crm.name, currency=crm.detail or "—"
            )
        if pending.source in ("instagram", "facebook"):
            account = str(pending.options["account"])
            graph = connect_meta(
                store, box, settings, pending.source, account,
                pending.options.get("object_id") or None, granted.credential, now,
                expires_at=granted.expires_at,
            )  # fmt: skip
            return _("Connected {account}: {platform} {id} «{name}».").format(
                account=account, platform=pending.source, id=graph.object_id, name=graph.name
            )
        if pending.source == "ga4":
            found = connect_ga4(
                store, box, settings, pending.client_id, str(pending.options["object_id"]),
                pending.options.get("key_event"), granted.credential, now,
            )  # fmt: skip
            return _("Connected {client}: GA4 property {property}.").format(
                client=pending.client_id, property=found.property_id
            )
        counter = connect_metrica(
            store, box, settings, pending.client_id, int(pending.options["object_id"]),
            granted.credential, now, expires_at=granted.expires_at,
        )  # fmt: skip
        return _("Connected {client}: Yandex Metrica counter {counter} «{name}» ({site}).").format(
            client=pending.client_id, counter=counter.counter_id, name=counter.name,
            site=counter.site,
        )  # fmt: skip
