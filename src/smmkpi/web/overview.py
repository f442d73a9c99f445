"""The agency overview: every client with its goal, this month's plan against fact in a word
(the worst status of its KPIs and how many are in each), how fresh its data is, and alerts.

Computed for all clients at once (``service.statuses`` runs each query once for all of them) and
kept until the data, the plans or the day change, so the page answers from memory; each user
sees the rows of their clients."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.periods import Period
from smmkpi.metrics.scope import load_clients
from smmkpi.planning import service
from smmkpi.planning.plans import Plan
from smmkpi.planning.status import DEFAULT_TOLERANCE
from smmkpi.store.coverage import last_daily_days
from smmkpi.store.database import Store
from smmkpi.web.cache import VersionedCache, data_version

STALE_DAYS = 3  # data older than this many days before today is an alert
SEVERITY = {
    "off_track": 0,
    "at_risk": 1,
    "no_data": 2,
    "on_track": 3,
    "within_tolerance": 4,
    "achieved": 5,
}


@dataclass(frozen=True)
class OverviewRow:
    client_id: str
    name: str
    goal: str | None
    plan_id: str | None
    counts: dict[str, int]  # status → KPIs
    worst: str | None  # the worst status among the plan's KPIs; None without a plan
    fresh: date | None  # the last day with daily statistics
    alerts: tuple[str, ...] = field(default_factory=tuple)  # codes: no_plan, stale, off_track

    @property
    def off_track(self) -> int:
        return self.counts.get("off_track", 0)


def compute_rows(
    store: Store, today: date, rules: SocialRules | None, tolerance: float = DEFAULT_TOLERANCE
) -> list[OverviewRow]:
    month = Period.of_month(today)
    clients = load_clients(store.backend, None)
    plans: dict[str, Plan] = {}
    for client in clients:
        plan = service.find_plan(store, client.client_id, month)
        if plan is not None:
            plans[client.client_id] = plan
    found = service.statuses(store, list(plans.values()), month, today, rules, tolerance=tolerance)
    fresh = last_daily_days(store.con)
    rows = []
    for client in clients:
        statuses = found.get(client.client_id, [])
        counts = dict(Counter(s.status for s in statuses))
        worst = min(counts, key=lambda s: SEVERITY[s]) if counts else None
        last = fresh.get(client.client_id)
        alerts = []
        if client.client_id not in plans:
            alerts.append("no_plan")
        if last is None or last < today - timedelta(days=STALE_DAYS):
            alerts.append("stale")
        if counts.get("off_track"):
            alerts.append("off_track")
        rows.append(
            OverviewRow(
                client.client_id,
                client.name,
                client.goal,
                plans[client.client_id].plan_id if client.client_id in plans else None,
                counts,
                worst,
                last,
                tuple(alerts),
            )
        )
    return rows


class OverviewCache:
    """The overview's rows, recomputed when the day or the data version changes."""

    def __init__(self) -> None:
        self._cache = VersionedCache()

    def rows(
        self,
        store: Store,
        today: date,
        rules: SocialRules | None,
        tolerance: float = DEFAULT_TOLERANCE,
    ) -> list[OverviewRow]:
        return self._cache.get(
            ("overview", today, tolerance),
            data_version(store),
            lambda: compute_rows(store, today, rules, tolerance),
        )


def select(
    rows: list[OverviewRow], text: str = "", goal: str = "", status: str = "", sort: str = "name"
) -> list[OverviewRow]:
    """The rows matching the filters, sorted by name, status (worst first) or freshness
    (stalest first)."""
    needle = text.strip().casefold()
    chosen = [
        r
        for r in rows
        if (not needle or needle in r.name.casefold() or needle in r.client_id.casefold())
        and (not goal or r.goal == goal)
        and (not status or r.worst == status or (status == "none" and r.worst is None))
    ]
    if sort == "status":
        chosen.sort(key=lambda r: (SEVERITY.get(r.worst or "", 9), -r.off_track, r.name.casefold()))
    elif sort == "fresh":
        chosen.sort(key=lambda r: (r.fresh or date.min, r.name.casefold()))
    else:
        chosen.sort(key=lambda r: r.name.casefold())
    return chosen
