"""What the brief adds to a plan made from the history.

- A **success criterion with a number** ("100 заказов в месяц": planning/criteria.py) becomes
  the proposed target of its KPI in every month of the plan (the KPI is added when the goals'
  set lacks it); the history's recommended conservative and stretch levels stay beside it, and
  a note names both sources. Where the brief's number lies outside what the history supports
  (beyond the stretch, or below the conservative level), the note says they disagree.
- The **monthly budget** gives the cost targets: CPL = budget / the month's leads target, cost
  per sale = budget / its sales target. The catalogue's CPL counts ad spend only, while the
  brief's budget holds content too — so these are ceilings, said in the note.
- **Paid post reach** follows the budget, not the history's trend: the budget × the paid reach
  one unit of ad spend bought in the history (the median over the months with both); without
  such months it waits for a manual target.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from smmkpi.formatting import format_value
from smmkpi.i18n import _, current_language, ngettext
from smmkpi.metrics.catalogue import KPIS_BY_ID
from smmkpi.planning.brief import Brief
from smmkpi.planning.criteria import success_targets
from smmkpi.planning.plans import Plan, PlanKpi, Target

COSTS = (("cpl", "leads"), ("cost_per_sale", "sales"))


@dataclass(frozen=True)
class BriefNote:
    """What the brief did to one KPI of the plan; ``disagrees``: the brief's number lies
    outside the history's levels."""

    kpi: str
    text: str
    disagrees: bool = False


def apply_brief(
    plan: Plan, brief: Brief, monthly: dict[str, list[Any]], currency: str
) -> tuple[Plan, list[BriefNote]]:
    """``plan`` with the brief's targets (``monthly``: the client's KPI values over the
    history, oldest first), and a note per KPI the brief set."""
    changed = plan.model_copy(deep=True)
    notes: list[BriefNote] = []
    for criterion in success_targets(brief.success_criteria):
        item = _item(changed, criterion.kpi)
        history = _levels(item, changed)
        for month in changed.periods():
            old = item.targets.get(month.label()) or Target()
            item.targets[month.label()] = Target(
                conservative=old.conservative,
                target=criterion.value,
                stretch=old.stretch,
                source="brief",
            )
        notes.append(
            _criterion_note(criterion.kpi, criterion.value, criterion.words, history, currency)
        )
    budget = float(brief.monthly_budget) if brief.monthly_budget is not None else None
    if budget:
        for cost, count in COSTS:
            derived = _cost_targets(changed, cost, count, budget)
            if derived:
                notes.append(BriefNote(cost, _cost_note(cost, count, budget, derived, currency)))
        paid = changed.item("post_reach_paid")
        if paid is not None:
            notes.append(_paid_reach(changed, paid, budget, monthly, currency))
    for note in notes:  # kept with the plan: `plan show`, its YAML and the web app say why
        kept = changed.item(note.kpi)
        if kept is not None:
            kept.note = note.text
    return Plan.model_validate(changed.content()), notes


def _item(plan: Plan, kpi_id: str) -> PlanKpi:
    item = plan.item(kpi_id)
    if item is None:
        item = PlanKpi(kpi=kpi_id, role="added")
        plan.kpis.append(item)
    return item


def _levels(item: PlanKpi, plan: Plan) -> Target | None:
    """The history's levels of the plan's first month, when it recommended any."""
    first = item.targets.get(plan.periods()[0].label())
    return first if first is not None and first.target is not None else None


def _value(kpi_id: str, value: float, currency: str) -> str:
    unit = KPIS_BY_ID[kpi_id].unit.value
    return format_value(value, unit, current_language(), currency)


def _criterion_note(
    kpi_id: str, value: float, words: str, history: Target | None, currency: str
) -> BriefNote:
    kpi = KPIS_BY_ID[kpi_id]
    said = _value(kpi_id, value, currency)
    if history is None or history.target is None:
        text = _("{kpi}: {value} from the brief («{words}»); the history has no level for it.")
        return BriefNote(kpi_id, text.format(kpi=kpi.label(), value=said, words=words))
    low, high = history.conservative, history.stretch
    recommended = _value(kpi_id, history.target, currency)
    band = (
        f"{_value(kpi_id, low, currency)} … {_value(kpi_id, high, currency)}"
        if low is not None and high is not None
        else recommended
    )
    beyond = _outside(value, low, high)
    if beyond:
        text = _(
            "{kpi}: the brief and the history disagree — the client expects {value} («{words}»), "
            "the history supports {band} (recommended {recommended}). The plan takes the brief's "
            "number: agree on it with the client, or on what will get there (budget, offers)."
        )
    else:
        text = _(
            "{kpi}: {value} from the brief («{words}»), within what the history supports: {band} "
            "(recommended {recommended})."
        )
    return BriefNote(
        kpi_id,
        text.format(kpi=kpi.label(), value=said, words=words, band=band, recommended=recommended),
        beyond,
    )


def _outside(value: float, low: float | None, high: float | None) -> bool:
    """Whether ``value`` lies outside the band (mirrored for lower-is-better KPIs)."""
    if low is None or high is None:
        return False
    return not min(low, high) <= value <= max(low, high)


def _cost_targets(plan: Plan, cost: str, count: str, budget: float) -> dict[str, float]:
    """Month → budget / the month's ``count`` target, set as ``cost``'s target (the cost KPI
    is added when the plan has a ``count`` target)."""
    counted = plan.item(count)
    if counted is None:
        return {}
    derived = {
        month: budget / target.target
        for month, target in counted.targets.items()
        if target.target is not None and target.target > 0
    }
    if not derived:
        return {}
    item = _item(plan, cost)
    for month, value in derived.items():
        old = item.targets.get(month) or Target()
        item.targets[month] = Target(
            conservative=old.conservative, target=value, stretch=old.stretch, source="brief"
        )
    return derived


def _cost_note(
    cost: str, count: str, budget: float, derived: dict[str, float], currency: str
) -> str:
    first = min(derived)
    return _(
        "{kpi}: {value} = the monthly budget {budget} / the target of {count} ({first}); the "
        "budget holds content as well as ads, so this is a ceiling."
    ).format(
        kpi=KPIS_BY_ID[cost].label(),
        value=_value(cost, derived[first], currency),
        budget=_value("ad_spend", budget, currency),
        count=KPIS_BY_ID[count].label().lower(),
        first=first,
    )


def _paid_reach(
    plan: Plan, item: PlanKpi, budget: float, monthly: dict[str, list[Any]], currency: str
) -> BriefNote:
    """Paid post reach from the budget at the history's paid reach per unit of ad spend."""
    pairs = zip(monthly.get("post_reach_paid", []), monthly.get("ad_spend", []), strict=False)
    rates = [float(r) / float(s) for r, s in pairs if r is not None and s]
    label = KPIS_BY_ID["post_reach_paid"].label()
    if not rates:
        for month in plan.periods():
            item.targets.pop(month.label(), None)
        return BriefNote(
            "post_reach_paid",
            _(
                "{kpi}: set by hand — with a budget in the brief, paid reach follows the budget, "
                "and the history has no month with both ad spend and paid reach."
            ).format(kpi=label),
        )
    rate = statistics.median(rates)
    for month in plan.periods():
        item.targets[month.label()] = Target(target=budget * rate, source="brief")
    return BriefNote(
        "post_reach_paid",
        ngettext(
            "{kpi}: {value} = the budget {budget} × {rate} paid reach per 1,000 {currency} of ad "
            "spend (in the one month of history with both), not the history's trend — as if the "
            "whole budget went to ads: lower it by the content's share.",
            "{kpi}: {value} = the budget {budget} × {rate} paid reach per 1,000 {currency} of ad "
            "spend (the median of {months} months of history), not the history's trend — as if "
            "the whole budget went to ads: lower it by the content's share.",
            len(rates),
        ).format(
            kpi=label,
            value=_value("post_reach_paid", budget * rate, currency),
            budget=_value("ad_spend", budget, currency),
            rate=format_value(rate * 1000, "number", current_language()),
            currency=currency,
            months=len(rates),
        ),
    )
