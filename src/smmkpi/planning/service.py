"""The planning services the CLI (and later the web app) call: a client's history, a plan
made from it, plan against fact — each reading the store and the KPI engine."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from smmkpi.errors import (
    InvalidArgumentError,
    NoPlanError,
    NotReadyError,
    UnknownChoiceError,
    UserError,
)
from smmkpi.i18n import _
from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.catalogue import KPIS, KPIS_BY_ID
from smmkpi.metrics.kept import kpi_values
from smmkpi.metrics.periods import Period, last_full_month
from smmkpi.metrics.scope import ClientInfo, load_clients
from smmkpi.planning import kpisets
from smmkpi.planning.brief import Brief
from smmkpi.planning.from_brief import BriefNote, apply_brief
from smmkpi.planning.history import KpiHistory, analyse
from smmkpi.planning.plans import Plan, build
from smmkpi.planning.series import (
    DailyData,
    daily_data,
    daily_data_many,
    monthly_values,
    months_back,
    next_months,
)
from smmkpi.planning.status import (
    DEFAULT_TOLERANCE,
    PACE_HISTORY_DAYS,
    KpiStatus,
    assess,
    kind_of,
)
from smmkpi.planning.targets import Levels, Recommendation, recommend, target_warnings
from smmkpi.store import revisions
from smmkpi.store.database import Store

DEFAULT_HISTORY_MONTHS = 24
STATUS_HISTORY_MONTHS = 12  # the month-to-month spread a ratio's uncertainty comes from


def client_info(store: Store, client_id: str) -> ClientInfo:
    found = load_clients(store.backend, [client_id])
    if not found:
        known = [c.client_id for c in load_clients(store.backend, None)]
        raise UnknownChoiceError(
            _("client"), client_id, known, _("Add it with `smmkpi client add`.")
        )
    return found[0]


def brief_of(store: Store, client_id: str) -> Brief | None:
    latest = revisions.latest_brief(store.con, client_id)
    return None if latest is None else Brief.model_validate(latest.content)


def save_brief(
    store: Store, client: ClientInfo, brief: Brief, author: str | None, note: str | None
) -> tuple[revisions.Revision, bool]:
    """Keep ``brief`` as the client's next brief revision; the revision and whether anything
    changed. An error names accounts the client does not have."""
    known = [a.account_id for a in client.accounts]
    unknown = [a for a in brief.accounts if a not in known]
    if unknown:
        raise InvalidArgumentError(
            _("{client} has no accounts {accounts}; its accounts: {known}.").format(
                client=client.client_id, accounts=", ".join(unknown), known=", ".join(known) or "—"
            )
        )
    with store.revision_transaction():
        return revisions.save_brief(
            store.con, client.client_id, brief.answers(), author, note, datetime.now(UTC)
        )


def goals_of(store: Store, client: ClientInfo) -> list[str]:
    """The client's goals: the brief's, else the client's goal; an error without either."""
    brief = brief_of(store, client.client_id)
    if brief is not None:
        return brief.goals
    if client.goal:
        return [client.goal]
    raise NotReadyError(
        _(
            "{client} has no goal yet: fill in its brief (smmkpi brief {client}) or set one "
            "(smmkpi client add {client} --goal sales)."
        ).format(client=client.client_id)
    )


@dataclass
class History:
    """A client's analysed history."""

    client: ClientInfo
    months: list[Period]
    monthly: dict[str, list[Any]]
    daily: DailyData
    kpis: list[KpiHistory]

    @property
    def computable(self) -> set[str]:
        """KPIs with a value in some month of the history."""
        return {k for k, values in self.monthly.items() if any(v is not None for v in values)}


def history(
    store: Store,
    client_id: str,
    kpi_ids: list[str] | None,
    months: int,
    until: Period,
    rules: SocialRules | None = None,
    monthly: dict[str, list[Any]] | None = None,
) -> History:
    """The history of ``kpi_ids`` (the goals' KPI set when None) over ``months`` months
    ending with ``until`` (``monthly``: the client's values of those months, when already
    computed)."""
    client = client_info(store, client_id)
    if kpi_ids is None:
        kpi_ids = [c.kpi.id for c in kpisets.default_set(goals_of(store, client))]
    periods = months_back(until, months)
    if monthly is None:
        monthly = monthly_values(store, [client_id], periods, rules)[client_id]
    daily = daily_data(store.con, client, periods[0].start, periods[-1].end, rules)
    accounts = [a.account_id for a in client.accounts]
    return History(
        client, periods, monthly, daily, analyse(kpi_ids, periods, monthly, daily, accounts)
    )


def recommendations(
    found: History, months: int, start: Period | None = None
) -> dict[str, list[Recommendation]]:
    """Each KPI's recommended levels for the ``months`` months from ``start`` (by default the
    month after the history; a later start skips the months between, which the forecast
    still steps over)."""
    last = found.months[-1]
    gap = 0
    if start is not None:
        while next_months(last, gap + 1)[-1].start < start.start:
            gap += 1
    horizon = next_months(last, gap + months)
    return {h.kpi.id: recommend(h, horizon)[gap:] for h in found.kpis}


def new_plan(
    store: Store,
    client_id: str,
    start: Period,
    months: int,
    history_months: int = DEFAULT_HISTORY_MONTHS,
    add: list[str] | None = None,
    remove: list[str] | None = None,
    plan_id: str | None = None,
    rules: SocialRules | None = None,
    monthly: dict[str, list[Any]] | None = None,
    as_of: date | None = None,
) -> tuple[Plan, History, list[kpisets.SetWarning], list[BriefNote]]:
    """A plan for ``client_id`` from ``start``: the goals' KPI set (edited), each KPI's
    recommended levels from the full months before ``start`` — a month still in progress on
    ``as_of`` is not history yet (its half would read as a collapse) — with what the brief
    adds (planning/from_brief.py); the set's warnings and the brief's notes."""
    client = client_info(store, client_id)
    goals = goals_of(store, client)
    choices = kpisets.edited(kpisets.default_set(goals), goals, add or [], remove or [])
    found = history(
        store,
        client_id,
        [c.kpi.id for c in choices],
        history_months,
        _last_history_month(start, as_of),
        rules,
        monthly,
    )
    plan = build(
        plan_id or f"{client_id}-{start.label()}",
        client_id,
        start,
        months,
        goals,
        choices,
        recommendations(found, months, start),
    )
    notes: list[BriefNote] = []
    brief = brief_of(store, client_id)
    if brief is not None:
        plan, notes = apply_brief(plan, brief, found.monthly, client.currency)
    return plan, found, kpisets.warnings(choices, goals, found.computable), notes


def _last_history_month(start: Period, as_of: date | None) -> Period:
    """The month before ``start``, or the last month that ended before ``as_of`` if earlier."""
    before = start.previous_month()
    if as_of is None:
        return before
    finished = last_full_month(as_of)
    return finished if finished.start < before.start else before


def plan_warnings(
    store: Store, plan: Plan, as_of: date, rules: SocialRules | None = None
) -> list[kpisets.SetWarning]:
    """The set's warnings for a saved plan (what the last 12 months can compute)."""
    choices = [kpisets.choice(k.kpi, k.role, plan.goals) for k in plan.kpis]
    months = months_back(last_full_month(as_of), DEFAULT_HISTORY_MONTHS)
    monthly = monthly_values(store, [plan.client], months, rules)[plan.client]
    computable = {k for k, v in monthly.items() if any(x is not None for x in v)}
    return kpisets.warnings(choices, plan.goals, computable)


def beyond_history(
    store: Store,
    client_id: str,
    kpi_id: str,
    target: float,
    start: Period,
    rules: SocialRules | None = None,
) -> list[str]:
    """A warning when a target set by hand lies beyond anything the KPI reached in the
    12 months before ``start``."""
    months = months_back(start.previous_month(), STATUS_HISTORY_MONTHS)
    values = monthly_values(store, [client_id], months, rules)[client_id].get(kpi_id, [])
    found = [float(v) for v in values if v is not None]
    if not found:
        return []
    kpi = KPIS_BY_ID[kpi_id]
    levels = Levels(target, target, target)
    history = KpiHistory(kpi, months, [float(v) if v is not None else None for v in values])
    return target_warnings(history, levels, months=max(len(found), 2))  # no confidence note


def save(store: Store, plan: Plan, author: str | None, why: str | None) -> revisions.Revision:
    with store.revision_transaction():
        return revisions.save_plan(
            store.con, plan.plan_id, plan.client, plan.content(), author, why, datetime.now(UTC)
        )


def update(
    store: Store,
    client_id: str,
    month: Period,
    change: Callable[[Plan], Plan | None],
    author: str | None,
    why: str | None,
) -> tuple[Plan, revisions.Revision | None]:
    """Change the client's plan for ``month`` and keep the result as its next revision: read,
    changed and saved in one revision transaction, so that a change made at the same moment by
    someone else is the one this change builds on (``change`` returns None to save nothing).
    The plan as it was read, and the new revision."""
    with store.revision_transaction():
        plan = plan_for(store, client_id, month)
        changed = change(plan)
        if changed is None:
            return plan, None
        saved = revisions.save_plan(
            store.con, plan.plan_id, plan.client, changed.content(), author, why,
            datetime.now(UTC),
        )  # fmt: skip
        return plan, saved


def load(store: Store, plan_id: str, revision: int | None = None) -> Plan:
    found = revisions.plan_revisions(store.con, plan_id)
    if not found:
        raise UnknownChoiceError(
            _("plan"),
            plan_id,
            revisions.plan_ids(store.con),
            _("Create one with `smmkpi plan create CLIENT`."),
        )
    chosen = (
        found[-1] if revision is None else next((r for r in found if r.revision == revision), None)
    )
    if chosen is None:
        raise UserError(
            _("Plan {plan} has revisions 1 to {last}; there is no revision {revision}.").format(
                plan=plan_id, last=found[-1].revision, revision=revision
            )
        )
    return Plan.model_validate(chosen.content)


def find_plan(store: Store, client_id: str, period: Period) -> Plan | None:
    """The client's latest-created plan whose months hold every month ``period`` touches (a
    quarter needs a plan with its three months); None when none does — a client without a
    plan is a normal state, not an error (:func:`plan_for` says what to do about it)."""
    needed = {Period.of_month(m.start) for m in period.months()}
    for plan_id in reversed(revisions.plan_ids(store.con, client_id)):
        plan = load(store, plan_id)
        if needed <= set(plan.periods()):
            return plan
    return None


def plan_for(store: Store, client_id: str, period: Period) -> Plan:
    """:func:`find_plan`, or an error saying which plan to create."""
    found = find_plan(store, client_id, period)
    if found is not None:
        return found
    needed = {Period.of_month(m.start) for m in period.months()}
    if period.is_month:
        raise NoPlanError(
            _(
                "{client} has no plan for {month}: create one with `smmkpi plan create {client}`."
            ).format(client=client_id, month=period.label())
        )
    raise NoPlanError(
        _(
            "{client} has no plan that holds every month of {period} ({months}): a plan runs up "
            "to 12 months; create one with `smmkpi plan create {client} --start {first} "
            "--months {count}`."
        ).format(
            client=client_id,
            period=period.label(),
            months=", ".join(sorted(m.label() for m in needed)),
            first=min(needed).label(),
            count=len(needed),
        )
    )


def period_target(plan: Plan, kpi_id: str, period: Period) -> float | None:
    """The plan's target of ``kpi_id`` over ``period``, from its monthly targets: a total (a
    count, money) adds the months' targets, each in proportion to the month's days inside the
    period; a level (followers) is the target of the month the period ends in — within that
    month, moved there from the month before's target in proportion to the days; a rate built
    up over the period on a fixed base (follower growth, churn) adds the months' rates in the
    same proportion; any other ratio is the months' targets averaged, weighted by their days in
    the period. None when a month of the period has no target."""
    pieces = []
    for piece in period.months():
        found = plan.target(kpi_id, Period.of_month(piece.start))
        if found is None or found.target is None:
            return None
        pieces.append((piece, found.target))
    kind = kind_of(KPIS_BY_ID[kpi_id])
    if kind == "level":
        last, target = pieces[-1]
        month = Period.of_month(last.end)
        before = plan.target(kpi_id, month.previous_month())
        if last.end == month.end or before is None or before.target is None:
            return target
        share = (last.end - month.start).days + 1
        return before.target + (target - before.target) * share / month.days
    if kind in ("total", "accumulating"):
        return sum(t * p.days / Period.of_month(p.start).days for p, t in pieces)
    return sum(t * p.days for p, t in pieces) / period.days


def status(
    store: Store,
    plan: Plan,
    period: Period,
    as_of: date,
    rules: SocialRules | None = None,
    monthly: dict[str, list[Any]] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> list[KpiStatus]:
    """Plan against fact for every KPI of ``plan`` in ``period`` (a month, or any period its
    months hold: see :func:`period_target`) as of ``as_of`` (``monthly``: the client's values
    of the 12 months before, when already computed; ``tolerance``: the setting
    ``planning.tolerance``)."""
    given = None if monthly is None else {plan.client: monthly}
    return statuses(store, [plan], period, as_of, rules, given, tolerance)[plan.client]


def statuses(
    store: Store,
    plans: Sequence[Plan],
    period: Period,
    as_of: date,
    rules: SocialRules | None = None,
    monthly: dict[str, dict[str, list[Any]]] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> dict[str, list[KpiStatus]]:
    """Plan against fact of several clients' plans (one each) in ``period`` as of ``as_of``,
    each query run once for all of them: client → its KPIs' statuses."""
    if not plans:
        return {}
    ids = [p.client for p in plans]
    clients = {c.client_id: c for c in load_clients(store.backend, ids)}
    for unknown in set(ids) - set(clients):
        client_info(store, unknown)  # says which client is unknown and how to add it
    days = max(1, min((as_of - period.start).days, period.days))
    so_far = Period(period.start, period.start + timedelta(days=days - 1))
    before = months_back(Period.of_month(period.start).previous_month(), STATUS_HISTORY_MONTHS)
    # the period so far and the months before it in one call to the engine (those already
    # computed in this process are kept)
    facts, *by_month = kpi_values(store, [so_far, *(before if monthly is None else [])], ids, rules)
    if monthly is None:
        monthly = {
            client: {k.id: [month.get(client, {}).get(k.id) for month in by_month] for k in KPIS}
            for client in ids
        }
    daily = daily_data_many(
        store.con,
        list(clients.values()),
        period.start - timedelta(days=PACE_HISTORY_DAYS),
        period.end,
        rules,
    )
    found: dict[str, list[KpiStatus]] = {}
    for plan in plans:
        history_values = {
            k: v[-STATUS_HISTORY_MONTHS:] for k, v in monthly.get(plan.client, {}).items()
        }
        found[plan.client] = [
            assess(
                KPIS_BY_ID[item.kpi],
                period,
                as_of,
                period_target(plan, item.kpi, period),
                facts[plan.client][item.kpi] if as_of > period.start else None,
                daily[plan.client].series,
                [None if v is None else float(v) for v in history_values.get(item.kpi, [])],
                facts[plan.client] if as_of > period.start else None,
                tolerance,
            )
            for item in plan.kpis
        ]
    return found


def history_json(found: History) -> dict[str, Any]:
    """The object of ``smmkpi history --format json`` (and ``Workspace.history``)."""
    return {
        "client_id": found.client.client_id,
        "months": [m.label() for m in found.months],
        "kpis": {item.kpi.id: kpi_history_json(item) for item in found.kpis},
    }


def kpi_history_json(item: KpiHistory) -> dict[str, Any]:
    return {
        "values": item.values,
        "baseline_3": item.baseline_3,
        "baseline_6": item.baseline_6,
        "trend_per_month": item.trend,
        "trend_percent": item.trend_percent,
        "seasonality": {str(m): r for m, r in sorted(item.seasonality.items())},
        "volatility_percent": item.volatility,
        "anomalies": [
            {
                "day": a.day.isoformat(),
                "series": a.series,
                "value": a.value,
                "expected": a.expected,
                "z": round(a.z, 2),
                "kind": a.kind,
            }
            for a in item.anomalies
        ],
        "coverage": item.coverage,
        "gaps": [[a, f.isoformat(), t.isoformat()] for a, f, t in item.gaps],
        "summary": item.summary,
    }
