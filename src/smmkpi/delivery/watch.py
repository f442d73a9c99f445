"""What alerts watch (``shared/spec/sync-and-delivery.md`` §4), for each client an alert rule
covers:

- each **main KPI** of this month's plan — its status as ``smmkpi status`` computes it today in
  the client's zone (``off_track``, ``at_risk``, …);
- each **source** with daily data (an account, the web sessions) — ``stale`` when it has had no
  data for more than two days before today;
- each **connection** — ``sync_failed`` when it needs re-authorisation or permission, or has been
  failing for a day.

Each is a :class:`Finding`: the subject, its state now and the sentence that tells it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from smmkpi.formatting import format_day, format_value, sentence
from smmkpi.i18n import Language, _, parse_language, use_language
from smmkpi.metrics.periods import Period
from smmkpi.planning import service
from smmkpi.planning.status import KpiStatus, status_text
from smmkpi.store import connections
from smmkpi.store import deliveries as schedules
from smmkpi.store.coverage import last_days_of_client
from smmkpi.store.database import Store
from smmkpi.store.directory import KnownClient
from smmkpi.workspace import Workspace

STALE_DAYS = 2
"""A source is stale when it has had no data for more than this many days before today."""
FAILING_FOR = timedelta(days=1)
NEEDS_A_PERSON = frozenset({"needs_reauth", "permission_denied"})


@dataclass(frozen=True)
class Finding:
    """A watched subject as it is now: ``kind`` names the alert it is worth, if any."""

    subject: str
    state: str
    kind: str | None
    text: str


def client_language(store: Store, client_id: str, default: Language) -> Language:
    """The language a client hears in: its first schedule's, else the workspace's."""
    for item in schedules.listed(store.con, client_id):
        return parse_language(item.language)
    return default


def look(
    store: Store,
    workspace: Workspace,
    clients: Sequence[KnownClient],
    languages: Mapping[str, Language],
    now: datetime,
) -> dict[str, list[Finding]]:
    """Every watched subject of each of ``clients`` at ``now``, in its language. The plans'
    statuses are computed together for the clients whose day it is (one query each for all of
    them, as the overview does)."""
    days: dict[date, list[KnownClient]] = defaultdict(list)
    for client in clients:
        days[now.astimezone(ZoneInfo(client.timezone)).date()].append(client)
    found: dict[str, list[Finding]] = {}
    for today, group in days.items():
        kpis = _kpis(store, workspace, group, languages, today)
        for client in group:
            language = languages[client.client_id]
            with use_language(language):
                found[client.client_id] = [
                    *kpis.get(client.client_id, []),
                    *_sources(store, client, language, today),
                    *_connections(store, client, now),
                ]
    return found


def _kpis(
    store: Store,
    workspace: Workspace,
    clients: Sequence[KnownClient],
    languages: Mapping[str, Language],
    today: date,
) -> dict[str, list[Finding]]:
    month = Period.of_month(today)
    plans = {}
    for client in clients:
        plan = service.find_plan(store, client.client_id, month)
        if plan is not None:  # without a plan this month, nothing is off track
            plans[client.client_id] = plan
    tolerance = workspace.settings.planning.tolerance
    statuses = service.statuses(store, list(plans.values()), month, today,
                                workspace.social_rules(), tolerance=tolerance)  # fmt: skip
    found: dict[str, list[Finding]] = {}
    for client in clients:
        if client.client_id not in plans:
            continue
        main = {item.kpi for item in plans[client.client_id].kpis if item.role == "main"}
        language = languages[client.client_id]
        with use_language(language):
            found[client.client_id] = [
                _kpi_finding(item, month, language, client.currency)
                for item in statuses[client.client_id]
                if item.kpi.id in main
            ]
    return found


def _kpi_finding(item: KpiStatus, month: Period, language: Language, currency: str) -> Finding:
    def shown(value: float | None) -> str:
        return format_value(value, item.kpi.unit.value, language, currency)

    text = _("{kpi} is {status}: {fact} so far against a target of {target}").format(
        kpi=item.kpi.label(),
        status=status_text(item.status),
        fact=shown(item.fact),
        target=shown(item.target),
    )
    if item.forecast is not None:
        text += "; " + _("month-end forecast {forecast}").format(forecast=shown(item.forecast))
    kind = item.status if item.status in ("off_track", "at_risk") else None
    return Finding(f"kpi:{month.label()}:{item.kpi.id}", item.status, kind, sentence(text))


def _sources(
    store: Store, client: KnownClient, language: Language, today: date
) -> Iterator[Finding]:
    for source, last in sorted(last_days_of_client(store.con, client.client_id).items()):
        stale = (today - last).days - 1 > STALE_DAYS
        name = _("web sessions") if source == "web_sessions" else source
        text = sentence(
            _("{source} has had no data since {day}").format(
                source=name, day=format_day(last, language)
            )
        )
        yield Finding(f"source:{source}", "stale" if stale else "fresh",
                      "stale" if stale else None, text)  # fmt: skip


def _connections(store: Store, client: KnownClient, now: datetime) -> Iterator[Finding]:
    for item in connections.listed(store.con, client.client_id):
        since = item.last_success_at or item.created_at
        failing = item.status in NEEDS_A_PERSON or (
            item.status in ("failing", "rate_limited")
            and since is not None
            and now - since > FAILING_FOR
        )
        if item.status in NEEDS_A_PERSON:
            text = _(
                "The {source} connection of {target} needs a person: {error} Connect it again "
                "(smmkpi connect {source} or the web app)."
            ).format(source=item.source, target=item.target, error=item.last_error or "")
        else:
            text = _("The {source} connection of {target} keeps failing: {error}").format(
                source=item.source, target=item.target, error=item.last_error or ""
            )
        yield Finding(f"connection:{item.source}/{item.target}",
                      item.status if failing else "ok", "sync_failed" if failing else None,
                      text)  # fmt: skip
