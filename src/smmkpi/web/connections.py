"""The client page's Connections section and its forms: each connection's health (status, last
success, the last day read, the token's expiry, the last error), connecting or reconnecting by
pasting a token, syncing now, disconnecting; and the agency overview's alert for a connection
that needs a person. Every form acts only on the client of its page: a connection or an account
of another client is refused as unknown."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from smmkpi.errors import UserError
from smmkpi.formatting import format_day
from smmkpi.i18n import N_, Language, _, use_language
from smmkpi.store import connections as stored
from smmkpi.store.database import Store
from smmkpi.store.directory import load_directory
from smmkpi.sync.connect import (
    connect_amocrm,
    connect_bitrix24,
    connect_meta,
    connect_metrica,
    connect_telegram,
    connect_vk,
)
from smmkpi.sync.credentials import credential_box
from smmkpi.sync.runner import FETCHERS, run_sync
from smmkpi.web.site import Editor, Signed, Site

STATUS_TEXT = {
    "ok": N_("syncing"),
    "never_synced": N_("not synced yet"),
    "needs_reauth": N_("needs reconnecting"),
    "permission_denied": N_("no permission"),
    "rate_limited": N_("rate-limited"),
    "failing": N_("failing"),
}
NEEDS_A_PERSON = frozenset({"needs_reauth", "permission_denied", "failing"})
PASTED_ACCOUNTS = ("vk", "telegram", "instagram", "facebook")
"""Account-level sources whose credential the section takes pasted (a token, a session)."""
PASTED_CLIENT = {
    "metrica": N_("Yandex Metrica (the counter's id; an OAuth token)"),
    "amocrm": N_("amoCRM (the subdomain; a long-lived token)"),
    "bitrix24": N_("Bitrix24 (the inbound webhook's address as the token)"),
}
"""Client-level sources the section takes pasted, with what the form's two fields hold."""


def status_text(status: str) -> str:
    return _(STATUS_TEXT.get(status, status))


def health_alerts(store: Store) -> dict[str, list[str]]:
    """Per client, a sentence for each connection that needs a person (the overview's
    alerts)."""
    found: dict[str, list[str]] = {}
    for item in stored.listed(store.con):
        if item.status in NEEDS_A_PERSON:
            found.setdefault(item.client_id, []).append(
                _("{source} {target}: {status}").format(
                    source=item.source, target=item.target, status=status_text(item.status)
                )
            )
    return found


def section(store: Store, client_id: str, lang: Language) -> dict[str, Any]:
    """What the Connections section shows: the client's connections, and its accounts that
    could be connected by pasting a token."""
    found = stored.listed(store.con, client_id)
    connected = {(c.source, c.target) for c in found}
    directory = load_directory(store.con)
    zone = ZoneInfo(directory.clients[client_id].timezone)
    mine = sorted(
        (a.platform, a.account_id) for a in directory.accounts.values() if a.client_id == client_id
    )
    choices = [
        (f"{platform}|{account}", _label(f"{account} ({platform})", (platform, account), connected))
        for platform, account in mine
        if platform in PASTED_ACCOUNTS
    ] + [
        (source, _label(_(label), (source, client_id), connected))
        for source, label in PASTED_CLIENT.items()
    ]
    return {
        "connections": [_row(item, lang, zone) for item in found],
        "paste_choices": choices,
        "signin_accounts": [(p, a) for p, a in mine if p in ("instagram", "facebook", "vk")],
    }


def _label(text: str, key: tuple[str, str], connected: set[tuple[str, str]]) -> str:
    return f"{text}, {_('reconnect')}" if key in connected else text


def _row(item: stored.StoredConnection, lang: Language, zone: ZoneInfo) -> dict[str, Any]:
    """One connection as the section shows it, its moments in the client's time zone."""

    def moment(value: datetime | None) -> str:
        if value is None:
            return "—"
        local = value.astimezone(zone)
        return f"{format_day(local.date(), lang)}, {local:%H:%M}"

    return {
        "source": item.source,
        "target": item.target,
        "status": item.status,
        "status_text": status_text(item.status),
        "last_success": moment(item.last_success_at),
        "synced_through": format_day(item.synced_through, lang) if item.synced_through else "—",
        "token_expires": moment(item.token_expires_at) if item.token_expires_at else _("never"),
        "last_error": item.last_error or "",
        "syncable": item.source in FETCHERS,
    }


def connections_router(site: Site) -> APIRouter:
    from smmkpi.web.client_page import client_page

    router = APIRouter(include_in_schema=False)

    def answer(request: Request, who: Signed, client_id: str, act: Any) -> Response:
        with use_language(site.language(request)):
            try:
                text, kind = act(), "ok"
            except UserError as error:
                text, kind = str(error), "error"
        notes = [{"section": "connections", "kind": kind, "text": text}]
        return client_page(
            site, request, who, client_id, 422 if kind == "error" else 200, notes=notes
        )

    @router.post("/clients/{client_id}/connections/connect", response_model=None)
    def connect(
        request: Request,
        client_id: str,
        who: Editor,
        target: str = Form(""),
        detail: str = Form(""),
        token: str = Form(""),
    ) -> Response:
        def act() -> str:
            source, _sep, account = target.partition("|")
            with site.db.store() as store:
                if account:
                    _own_account(store, client_id, account, source)
                elif source not in PASTED_CLIENT:
                    raise UserError(_("Choose what to connect."))
                if not token.strip():
                    raise UserError(_("Paste the token first."))
                box = credential_box(site.workspace.path, store.engine == "postgresql")
                return pasted(store, box, source, client_id, account, detail.strip(), token.strip())

        return answer(request, who, client_id, act)

    def pasted(
        store: Store, box: Any, source: str, client_id: str, account: str, detail: str, token: str
    ) -> str:
        """Connect ``source`` with a pasted credential, as ``smmkpi connect`` does; what was
        connected, in words."""
        settings, now = site.workspace.settings.sync, datetime.now(UTC)
        if source == "vk":
            community = connect_vk(store, box, settings, account, token, now)
            return _("Connected {account}: VK community club{group} «{name}».").format(
                account=account, group=community.group_id, name=community.name
            )
        if source == "telegram":
            connect_telegram(store, box, settings, account, token, now)
        elif source in ("instagram", "facebook"):
            connect_meta(store, box, settings, source, account, detail or None, token, now)
        elif source == "metrica":
            if not detail.isdigit():
                raise UserError(_("Type the {what} first (a number).").format(what=_("counter id")))
            connect_metrica(store, box, settings, client_id, int(detail), token, now)
        elif source == "amocrm":
            if not detail:
                raise UserError(_("Type the amoCRM subdomain first (NAME of NAME.amocrm.ru)."))
            connect_amocrm(store, box, settings, client_id, detail, token, now)
        else:
            connect_bitrix24(store, box, settings, client_id, token, now)
        return _("Connected {source} for {target}: checked, and kept encrypted.").format(
            source=source, target=account or client_id
        )

    @router.post("/clients/{client_id}/connections/sync", response_model=None)
    def sync_now(
        request: Request,
        client_id: str,
        who: Editor,
        source: str = Form(""),
        target: str = Form(""),
    ) -> Response:
        def act() -> str:
            with site.db.store() as store:
                found = _own_connection(store, client_id, source, target)
                box = credential_box(site.workspace.path, store.engine == "postgresql")
            (result,) = run_sync(
                site.db.store, site.workspace.path, site.workspace.settings.sync, [found], box
            )
            if result.failed or result.status == "busy":
                raise UserError(result.error or result.status)
            site.refresh()
            counts, window = result.counts, result.window
            assert counts is not None and window is not None
            return _(
                "Synced {source} {target}: {first} to {last}; {new} new, {changed} changed rows."
            ).format(
                source=source, target=target, first=window.first.isoformat(),
                last=window.last.isoformat(), new=counts.inserted, changed=counts.replaced,
            )  # fmt: skip

        return answer(request, who, client_id, act)

    @router.post("/clients/{client_id}/connections/disconnect", response_model=None)
    def disconnect(
        request: Request,
        client_id: str,
        who: Editor,
        source: str = Form(""),
        target: str = Form(""),
    ) -> Response:
        def act() -> str:
            with site.db.store() as store:
                _own_connection(store, client_id, source, target)
                with store.transaction():
                    stored.remove(store.con, source, target)
            return _("Disconnected {source} for {target}; its credential is forgotten.").format(
                source=source, target=target
            )

        return answer(request, who, client_id, act)

    return router


def _own_account(store: Store, client_id: str, account: str, platform: str) -> None:
    found = load_directory(store.con).accounts.get(account)
    if (
        found is None
        or found.client_id != client_id
        or found.platform != platform
        or platform not in PASTED_ACCOUNTS
    ):
        raise UserError(
            _("This client has no account '{account}' to connect.").format(account=account)
        )


def _own_connection(
    store: Store, client_id: str, source: str, target: str
) -> stored.StoredConnection:
    for item in stored.listed(store.con, client_id):
        if (item.source, item.target) == (source, target):
            return item
    raise UserError(
        _("There is no {source} connection for {target} (see `smmkpi connections`).").format(
            source=source, target=target
        )
    )
