"""``smmkpi deliver``: each schedule's report to each destination, exactly once
(``shared/spec/sync-and-delivery.md`` §3).

For every destination the run reads the log's row (schedule, month, destination) and then:

- *sent* — nothing, unless ``--resend``;
- *sending* by a run that is alive — nothing (it is that run's); by a run that died — the send
  may or may not have gone out, so it is not repeated on its own: logged ``failed`` as
  unconfirmed, for a person to check and ``--resend``;
- the month's data not final, or a ``--review`` schedule not approved — logged ``held`` with why;
- *failed* — tried again once its wait is over (it doubles with each attempt), given up after
  ``delivery.max_attempts``;
- otherwise claimed as ``sending`` (the attempt logged before anything is sent: a claim compares
  and sets the row, so of two runs at once only one sends), sent, and logged ``sent`` or
  ``failed`` with the reason. One destination failing never stops the others.

The report is rendered once per schedule and only when something is to be sent; the database is
not held while a message travels."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from smmkpi.delivery.alerts import Alerter, AlertOutcome
from smmkpi.delivery.channels import Channels
from smmkpi.delivery.destinations import Destination, parse_destination
from smmkpi.delivery.finality import not_final
from smmkpi.delivery.letter import Attachment, attachments, compose_letter, webhook_payload
from smmkpi.delivery.retries import next_try
from smmkpi.delivery.schedule import Schedule, due_month, parse_time
from smmkpi.delivery.telegram import DOCUMENT_LIMIT
from smmkpi.errors import UserError
from smmkpi.i18n import _, current_language, parse_language
from smmkpi.metrics.periods import Period
from smmkpi.report.model import Report
from smmkpi.report.render import compose_all, report_bytes
from smmkpi.store import deliveries as stored
from smmkpi.store import shares
from smmkpi.store.claims import owner_id, stale_claim
from smmkpi.store.database import StoreOpener, lost_race
from smmkpi.store.directory import KnownClient, load_directory
from smmkpi.store.sends import DELIVERIES, SENDING, SendRow
from smmkpi.sync.errors import SyncError
from smmkpi.workspace import Workspace

CLAIM_EXPIRES = timedelta(hours=1)
"""A ``sending`` row older than this is a run that died: no send takes that long."""
Unseal = Callable[[str], str]


@dataclass
class Outcome:
    """What a run did for one schedule's month to one destination. ``status``: sent, failed,
    held — as logged — or, when the run left it alone, already (sent before), busy (another
    run is sending it), waiting (failed; tried again later) or gave_up."""

    schedule: str
    client_id: str
    month: str
    destination: str
    status: str
    at: datetime
    attempts: int = 0
    error: str | None = None

    @property
    def logged(self) -> bool:
        return self.status in ("sent", "failed", "held")

    def as_json(self) -> dict[str, object]:
        return {
            "kind": "report",
            "schedule": self.schedule,
            "client": self.client_id,
            "month": self.month,
            "destination": self.destination,
            "status": self.status,
            "at": self.at.isoformat(),
            "attempts": self.attempts,
            "error": self.error,
        }


@dataclass
class Delivered:
    """What a run did: each report to each destination, each alert."""

    reports: list[Outcome] = field(default_factory=list)
    alerts: list[AlertOutcome] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(o.status == "failed" for o in self.reports) or any(
            o.status == "failed" for o in self.alerts
        )


@dataclass
class Selection:
    """Which reports a run considers: ``due`` — those whose due moment has come at ``now``;
    ``month`` — that month's instead of each schedule's due one."""

    now: datetime
    due: bool = True
    client: str | None = None
    month: Period | None = None
    resend: bool = False
    destination: str | None = None
    """Only this destination (as written in the schedule)."""
    alerts: bool | None = None
    """Whether to look for alerts too; by default with ``due``."""


@dataclass
class _Parcel:
    """A schedule's month, rendered once for all its destinations."""

    report: Report
    files: tuple[Attachment, ...]
    links: dict[str, str] = field(default_factory=dict)


class Deliverer:
    """Sends what a :class:`Selection` picks, with the workspace's settings and the secrets of
    ``environ`` (``SMMKPI_SMTP_PASSWORD``, ``SMMKPI_TELEGRAM_BOT_TOKEN``)."""

    def __init__(
        self,
        workspace: Workspace,
        open_store: StoreOpener,
        unseal: Unseal,
        environ: Mapping[str, str],
        http: httpx.Client | None = None,
    ) -> None:
        self.workspace = workspace
        self.settings = workspace.settings.delivery
        self.open_store = open_store
        self.unseal = unseal
        self.environ = environ
        self.holder = owner_id()
        self._http = http

    def run(
        self, selection: Selection, on_done: Callable[[Outcome], None] | None = None
    ) -> Delivered:
        """The reports the selection picks; with ``due``, the alerts too."""
        done = Delivered()
        with self._client() as http:
            channels = Channels(self.settings, self.environ, http)
            for schedule, client in self._schedules(selection):
                zone = ZoneInfo(client.timezone)
                month = selection.month or due_month(schedule, zone, selection.now)
                if selection.due and month != due_month(schedule, zone, selection.now):
                    continue
                for outcome in self._schedule(schedule, client, month, selection, channels):
                    done.reports.append(outcome)
                    if on_done is not None:
                        on_done(outcome)
            if selection.due if selection.alerts is None else selection.alerts:
                alerter = Alerter(self.workspace, self.open_store, self.unseal, self.holder)
                done.alerts = alerter.run(selection.now, channels, selection.client)
        return done

    def _client(self) -> AbstractContextManager[httpx.Client]:
        if self._http is not None:
            return nullcontext(self._http)  # the caller's: not closed here
        return httpx.Client(timeout=self.settings.timeout_seconds, follow_redirects=False)

    def _schedules(self, selection: Selection) -> list[tuple[Schedule, KnownClient]]:
        with self.open_store() as store:
            clients = load_directory(store.con).clients
            if selection.client is not None and selection.client not in clients:
                from smmkpi.errors import UnknownChoiceError

                raise UnknownChoiceError(_("client"), selection.client, clients)
            found = stored.listed(store.con, selection.client)
        chosen = []
        for item in found:
            if item.client_id not in clients:
                continue
            secrets = json.loads(self.unseal(item.sealed_secrets)) if item.sealed_secrets else {}
            schedule = Schedule(
                item.name, item.client_id, tuple(parse_destination(d) for d in item.destinations),
                item.day, parse_time(item.at_time), parse_language(item.language),
                tuple(item.formats), item.review, secrets,
            )  # fmt: skip
            chosen.append((schedule, clients[item.client_id]))
        return chosen

    def _schedule(
        self,
        schedule: Schedule,
        client: KnownClient,
        month: Period,
        selection: Selection,
        channels: Channels,
    ) -> Iterator[Outcome]:
        now = selection.now
        # why a report is held is for the specialist: in the workspace's language, not the
        # client's
        with self.open_store() as store:
            reasons = not_final(store.con, client.client_id, month, current_language())
            if schedule.review and not stored.approved(store.con, client.client_id, month.label()):
                reasons.append(
                    _("waiting for approval (smmkpi delivery approve {client} --month {month})")
                    .format(client=client.client_id, month=month.label())
                )  # fmt: skip
        held = "; ".join(reasons) if reasons else None
        parcel: _Parcel | None = None
        for destination in schedule.destinations:
            if selection.destination not in (None, str(destination)):
                continue
            key = (schedule.name, month.label(), str(destination))
            outcome = Outcome(schedule.name, client.client_id, month.label(), str(destination),
                              "", now)  # fmt: skip
            try:
                attempts = self._claim(key, client.client_id, held, selection, outcome)
            except Exception as error:
                if not lost_race(error):
                    raise
                outcome.status, attempts = "busy", None  # another run claimed it at this moment
            if attempts is None:
                yield outcome
                continue
            outcome.attempts, outcome.error = attempts, None
            try:
                if parcel is None:
                    parcel = self._render(schedule, client, month, now)
                self._send(schedule, destination, parcel, key, now, channels)
            except (UserError, SyncError) as error:
                outcome.status, outcome.error = "failed", str(error)
            except Exception as error:  # a bug in one send must not stop the others
                outcome.status = "failed"
                outcome.error = f"{type(error).__name__}: {error}"
            else:
                outcome.status = "sent"
            outcome.at = now
            self._finish(key, outcome)
            yield outcome

    def _claim(
        self,
        key: tuple[str, str, str],
        client_id: str,
        held: str | None,
        selection: Selection,
        outcome: Outcome,
    ) -> int | None:
        """Claim the key's row for a send: the attempt's number, or None with ``outcome`` saying
        why nothing is sent."""
        now = selection.now
        with self.open_store() as store, store.transaction():
            seen = DELIVERIES.read(store.con, key)
            if seen is not None:
                outcome.attempts, outcome.error = seen.attempts, seen.error
            if seen is not None and seen.status == SENDING:
                if seen.claimed_by and not stale_claim(
                    seen.claimed_by, seen.happened_at, now, CLAIM_EXPIRES
                ):
                    outcome.status = "busy"
                    return None
                outcome.status, outcome.error = "failed", _unconfirmed(key, client_id)
                DELIVERIES.finish(store.con, key, seen.claimed_by or "", "failed", now,
                                  outcome.error)  # fmt: skip
                return None
            if seen is not None and seen.status == "sent" and not selection.resend:
                outcome.status = "already"
                return None
            if held is not None:
                DELIVERIES.hold(store.con, key, [client_id], held, now)
                outcome.status, outcome.error = "held", held
                return None
            if seen is not None and seen.status == "failed" and not selection.resend:
                if seen.next_try_at is None:
                    outcome.status = "gave_up"
                    return None
                if seen.next_try_at > now:
                    outcome.status = "waiting"
                    return None
            attempts = _next_attempt(seen, selection.resend)
            if not DELIVERIES.claim(store.con, key, [client_id], seen, self.holder, now, attempts):
                outcome.status = "busy"
                return None
        return attempts

    def _finish(self, key: tuple[str, str, str], outcome: Outcome) -> None:
        retry_at = None
        if outcome.status == "failed":
            retry_at = next_try(outcome.at, outcome.attempts, self.settings)
            if retry_at is None:
                outcome.error = (
                    (outcome.error or "")
                    + " "
                    + _(
                        "Gave up after {attempts} attempts; `smmkpi deliver --resend` tries again."
                    ).format(attempts=outcome.attempts)
                )
        with self.open_store() as store, store.transaction():
            DELIVERIES.finish(store.con, key, self.holder, outcome.status, outcome.at,
                              outcome.error, retry_at)  # fmt: skip

    def _render(
        self, schedule: Schedule, client: KnownClient, month: Period, now: datetime
    ) -> _Parcel:
        today = now.astimezone(ZoneInfo(client.timezone)).date()
        with self.open_store() as store:
            (report,) = compose_all(
                self.workspace, store, client.client_id, month, [schedule.language], today,
                edition="client",
            )  # fmt: skip
        return _Parcel(report, attachments(report, report_bytes(report, schedule.formats)))

    def _links(self, parcel: _Parcel, schedule: Schedule, why: str) -> dict[str, str]:
        """Share links to the report's files (made once per run and schedule). A link is for
        people to open now, so it lasts ``delivery.link_days`` from now on the real clock, also
        in a run replayed with ``--now``."""
        if parcel.links:
            return parcel.links
        public = self.workspace.settings.web.public_url.strip()
        if not public:
            raise UserError(
                _(
                    "{why} needs links to the report: set web.public_url (the address the web "
                    "app answers at) in smmkpi.toml."
                ).format(why=why)
            )
        report = parcel.report
        with self.open_store() as store, store.transaction():
            token = shares.open_link(
                store.con, report.client.client_id, report.period.label(), report.language,
                f"delivery:{schedule.name}", datetime.now(UTC), self.settings.link_days,
            )  # fmt: skip
        base = public.rstrip("/") + f"/s/{token}"
        parcel.links = {_kind(f): f"{base}?format={_kind(f)}" for f in parcel.files}
        return parcel.links

    def _send(
        self,
        schedule: Schedule,
        destination: Destination,
        parcel: _Parcel,
        key: tuple[str, str, str],
        now: datetime,
        channels: Channels,
    ) -> None:
        report, address = parcel.report, destination.address
        if destination.kind == "email":
            size = sum(len(f.data) for f in parcel.files)
            files, links = parcel.files, {}
            if size > self.settings.attachment_limit_mb * 1024 * 1024:
                files = ()
                links = self._links(parcel, schedule, _("An e-mail over the size limit"))
            channels.email(address, compose_letter(report, files, links), "/".join(key))
        elif destination.kind == "telegram":
            small = tuple(f for f in parcel.files if len(f.data) <= DOCUMENT_LIMIT)
            links = {}
            if len(small) < len(parcel.files):
                every = self._links(parcel, schedule, _("A file over 50 MB"))
                links = {k: v for k, v in every.items() if k not in {_kind(f) for f in small}}
            channels.telegram(address, compose_letter(report, small, links))
        else:
            links = self._links(parcel, schedule, _("A webhook"))
            payload = webhook_payload(report, links, now.isoformat())
            channels.webhook(address, schedule.secrets.get(str(destination)), payload,
                             "/".join(key))  # fmt: skip


def _kind(item: Attachment) -> str:
    return item.name.rpartition(".")[2]


def _next_attempt(seen: SendRow | None, resend: bool) -> int:
    if seen is None or resend or seen.status == "held":
        return 1
    return seen.attempts + 1


def _unconfirmed(key: tuple[str, str, str], client_id: str) -> str:
    _schedule, month, destination = key
    return _(
        "Unconfirmed: a run stopped while sending to {destination}, so it may have gone out; it "
        "is not sent again on its own. Check with the recipient and, if it did not arrive, run "
        "`smmkpi deliver --client {client} --month {month} --to {destination} --resend`."
    ).format(destination=destination, month=month, client=client_id)
