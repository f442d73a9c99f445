"""Sending alerts (``shared/spec/sync-and-delivery.md`` §4), with each run of ``deliver --due``
and of the server.

An alert goes out when a watched subject (:mod:`smmkpi.delivery.watch`) *turns* into a state to
tell of — the state it was in is kept per client and subject, a KPI's per month — at most once
per client, subject and day to each destination: the log's key, claimed in the same transaction
that records the new state, so that of two runs at once one sends. One message per rule, client
and destination carries that run's alerts, in the client's language, with a link to the
client's page when ``web.public_url`` is set.

A failed alert is retried after its wait, like a report, and given up after
``delivery.max_attempts``. One a run died sending is sent again: a second alert costs less than a
missed one (a report is not — see :mod:`smmkpi.delivery.runner`)."""

from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from smmkpi.delivery.channels import Channels
from smmkpi.delivery.destinations import parse_destination
from smmkpi.delivery.letter import Letter
from smmkpi.delivery.retries import next_try
from smmkpi.delivery.watch import Finding, client_language, look
from smmkpi.errors import UserError
from smmkpi.i18n import Language, _, use_language
from smmkpi.store import alerts as stored
from smmkpi.store.claims import stale_claim
from smmkpi.store.database import StoreOpener, lost_race
from smmkpi.store.directory import KnownClient, load_directory
from smmkpi.store.sends import ALERTS, SendRow
from smmkpi.sync.errors import SyncError
from smmkpi.workspace import Workspace

CLAIM_EXPIRES = timedelta(hours=1)


@dataclass
class AlertOutcome:
    """One alert to one destination, as a run logged it: sent or failed."""

    alert: str
    client_id: str
    subject: str
    day: date
    destination: str
    status: str
    at: datetime
    attempts: int
    error: str | None
    text: str

    def as_json(self) -> dict[str, object]:
        return {
            "kind": "alert",
            "schedule": self.alert,
            "client": self.client_id,
            "month": self.day.strftime("%Y-%m"),
            "day": self.day.isoformat(),
            "subject": self.subject,
            "destination": self.destination,
            "status": self.status,
            "at": self.at.isoformat(),
            "attempts": self.attempts,
            "error": self.error,
            "text": self.text,
        }


@dataclass(frozen=True)
class _Item:
    """An alert claimed for a send: its log key, attempt and words."""

    key: tuple[str, str, str, date, str]
    attempts: int
    kind: str
    text: str


class Alerter:
    def __init__(
        self,
        workspace: Workspace,
        open_store: StoreOpener,
        unseal: Callable[[str], str],
        holder: str,
    ) -> None:
        self.workspace = workspace
        self.open_store = open_store
        self.unseal = unseal
        self.holder = holder
        self.settings = workspace.settings.delivery

    def run(
        self, now: datetime, channels: Channels, client: str | None = None
    ) -> list[AlertOutcome]:
        """Retry what failed, then look at every client a rule covers and tell what turned."""
        with self.open_store() as store:
            rules = [r for r in stored.listed(store.con) if client is None or r.applies_to(client)]
            clients = load_directory(store.con).clients
            default = self.workspace.settings.display.lang
            languages = {c: client_language(store, c, default) for c in clients}
        if not rules:
            return []
        secrets = {r.name: self._secrets(r) for r in rules}
        outcomes = self._retry(now, channels, {r.name: r for r in rules}, secrets, clients,
                               languages)  # fmt: skip
        watched = [
            known
            for client_id, known in sorted(clients.items())
            if (client is None or client == client_id)
            and any(r.applies_to(client_id) for r in rules)
        ]
        with self.open_store() as store:
            findings = look(store, self.workspace, watched, languages, now)
        for known in watched:
            mine = [r for r in rules if r.applies_to(known.client_id)]
            outcomes += self._client(known, mine, secrets, languages[known.client_id],
                                     findings[known.client_id], now, channels)  # fmt: skip
        return outcomes

    def _secrets(self, rule: stored.StoredAlert) -> dict[str, str]:
        return json.loads(self.unseal(rule.sealed_secrets)) if rule.sealed_secrets else {}

    def _client(
        self,
        client: KnownClient,
        rules: Sequence[stored.StoredAlert],
        secrets: dict[str, dict[str, str]],
        language: Language,
        findings: list[Finding],
        now: datetime,
        channels: Channels,
    ) -> list[AlertOutcome]:
        day = now.astimezone(ZoneInfo(client.timezone)).date()
        groups: dict[tuple[str, str], list[_Item]] = defaultdict(list)
        try:
            with self.open_store() as store, store.transaction():
                before = stored.states(store.con, client.client_id)
                turned = [f for f in findings if f.kind and before.get(f.subject) != f.state]
                for finding in findings:
                    if before.get(finding.subject) != finding.state:
                        stored.set_state(store.con, client.client_id, finding.subject,
                                         finding.state, now)  # fmt: skip
                for rule in rules:
                    for destination in rule.destinations:
                        for finding in _chosen(turned, rule.kinds):
                            key = (rule.name, client.client_id, finding.subject, day, destination)
                            fixed = [finding.kind, finding.text]
                            if ALERTS.claim(store.con, key, fixed, None, self.holder, now, 1):
                                groups[(rule.name, destination)].append(
                                    _Item(key, 1, str(finding.kind), finding.text)
                                )
        except Exception as error:
            if not lost_race(error):
                raise
            return []  # another run looked at this client at the same moment
        return [
            outcome
            for (name, destination), items in groups.items()
            for outcome in self._send(client, language, destination,
                                      secrets[name].get(destination), items, now, channels)
        ]  # fmt: skip

    def _retry(
        self,
        now: datetime,
        channels: Channels,
        rules: dict[str, stored.StoredAlert],
        secrets: dict[str, dict[str, str]],
        clients: dict[str, KnownClient],
        languages: dict[str, Language],
    ) -> list[AlertOutcome]:
        """Send again what failed (its wait over), and what a run died sending."""
        with self.open_store() as store, store.transaction():
            for item in stored.in_flight(store.con):
                if item.claimed_by and not stale_claim(
                    item.claimed_by, item.happened_at, now, CLAIM_EXPIRES
                ):
                    continue
                ALERTS.finish(store.con, _key(item), item.claimed_by or "", "failed", now,
                              _("A run stopped while sending it; sent again."), now)  # fmt: skip
            due = stored.to_retry(store.con, now)
        groups: dict[tuple[str, str, str], list[stored.LoggedAlert]] = defaultdict(list)
        for item in due:
            if item.alert in rules and item.client_id in clients:
                groups[(item.alert, item.client_id, item.destination)].append(item)
        outcomes: list[AlertOutcome] = []
        for (name, client_id, destination), items in groups.items():
            claimed = []
            with self.open_store() as store, store.transaction():
                for item in items:
                    seen = SendRow(item.status, item.attempts, item.happened_at, None,
                                   item.next_try_at, item.error)  # fmt: skip
                    attempts = item.attempts + 1
                    if ALERTS.claim(store.con, _key(item), [], seen, self.holder, now, attempts):
                        claimed.append(_Item(_key(item), attempts, item.kind, item.detail))
            if claimed:
                outcomes += self._send(clients[client_id], languages[client_id], destination,
                                       secrets[name].get(destination), claimed, now,
                                       channels)  # fmt: skip
        return outcomes

    def _send(
        self,
        client: KnownClient,
        language: Language,
        destination: str,
        secret: str | None,
        items: list[_Item],
        now: datetime,
        channels: Channels,
    ) -> list[AlertOutcome]:
        """One message with ``items`` to ``destination``; each item logged sent or failed."""
        link = self._link(client.client_id)
        letter = alert_letter(client, language, [i.text for i in items], link)
        error: str | None = None
        try:
            where = parse_destination(destination)
            key = "alert/" + "/".join(str(part) for part in items[0].key)
            if where.kind == "email":
                channels.email(where.address, letter, key)
            elif where.kind == "telegram":
                channels.telegram(where.address, letter)
            else:
                payload = alert_payload(client, language, items, link, now)
                channels.webhook(where.address, secret, payload, key)
        except (UserError, SyncError) as failure:
            error = str(failure)
        except Exception as failure:  # a bug in one send must not stop the others
            error = f"{type(failure).__name__}: {failure}"
        outcomes = []
        with self.open_store() as store, store.transaction():
            for item in items:
                status, retry_at, why = "sent", None, error
                if error is not None:
                    status = "failed"
                    retry_at = next_try(now, item.attempts, self.settings)
                    if retry_at is None:
                        why = f"{error} " + _("Gave up after {attempts} attempts.").format(
                            attempts=item.attempts
                        )
                ALERTS.finish(store.con, item.key, self.holder, status, now, why, retry_at)
                alert, client_id, subject, day, _to = item.key
                outcomes.append(
                    AlertOutcome(alert, client_id, subject, day, destination, status, now,
                                 item.attempts, why, item.text)
                )  # fmt: skip
        return outcomes

    def _link(self, client_id: str) -> str | None:
        public = self.workspace.settings.web.public_url.strip()
        return f"{public.rstrip('/')}/clients/{client_id}" if public else None


def _chosen(turned: list[Finding], kinds: list[str]) -> list[Finding]:
    return [f for f in turned if f.kind in kinds]


def _key(item: stored.LoggedAlert) -> tuple[str, str, str, date, str]:
    return (item.alert, item.client_id, item.subject, item.day, item.destination)


def alert_letter(
    client: KnownClient, language: Language, texts: list[str], link: str | None
) -> Letter:
    """The alerts' message: a subject naming the client, a line per alert, the link."""
    with use_language(language):
        subject = _("{client}: needs attention").format(client=client.name)
        opening = _("Link to the client:") if link else ""
    lines = [f"• {t}" for t in texts]
    text = "\n".join([subject, "", *lines] + (["", f"{opening} {link}"] if link else [])) + "\n"
    items = "".join(f"<li>{html.escape(t)}</li>" for t in texts)
    anchor = f'<p><a href="{html.escape(link)}">{html.escape(opening)}</a></p>' if link else ""
    page = (
        f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head>"
        '<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5">'
        f"<p><b>{html.escape(subject)}</b></p><ul>{items}</ul>{anchor}</body></html>\n"
    )
    telegram = "\n".join(
        [f"<b>{html.escape(subject)}</b>", "", *(f"• {html.escape(t)}" for t in texts)]
        + ([f'<a href="{html.escape(link)}">{html.escape(opening)}</a>'] if link else [])
    )
    return Letter(subject, text, page, telegram[:4096], (), {})


def alert_payload(
    client: KnownClient,
    language: Language,
    items: list[_Item],
    link: str | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "event": "alert",
        "client": {"id": client.client_id, "name": client.name},
        "language": language,
        "alerts": [
            {"kind": i.kind, "subject": i.key[2], "day": i.key[3].isoformat(), "text": i.text}
            for i in items
        ],
        "link": link,
        "sent_at": now.isoformat(),
    }
