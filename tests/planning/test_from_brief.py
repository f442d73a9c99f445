"""The brief feeds the plan (planning/from_brief.py): its numbers become targets beside the
history's levels, its budget the cost targets and the paid reach."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smmkpi.i18n import use_language
from smmkpi.planning.brief import Brief
from smmkpi.planning.from_brief import apply_brief
from smmkpi.planning.plans import Plan, PlanKpi, Target

MONTHS = ("2026-12", "2027-01")


def levels(conservative: float, target: float, stretch: float) -> dict[str, Target]:
    return {m: Target(conservative=conservative, target=target, stretch=stretch) for m in MONTHS}


PLAN = Plan(
    plan_id="shop-2026-12",
    client="shop",
    start="2026-12",
    months=2,
    goals=["sales"],
    kpis=[
        PlanKpi(kpi="leads", role="main", targets=levels(68, 88, 109)),
        PlanKpi(kpi="sales", role="main", targets=levels(18, 23, 30)),
        PlanKpi(kpi="post_reach_paid", role="secondary", targets=levels(40_000, 45_857, 50_000)),
    ],
)
# paid reach per ruble of ad spend: 40,000 / 200,000 = 0.2 and 42,000 / 300,000 = 0.14 (the
# third month has no paid reach): the median 0.17
HISTORY = {"post_reach_paid": [40_000, 42_000, None], "ad_spend": [200_000, 300_000, 100_000]}


def brief(criteria: str, budget: str | None = "150000") -> Brief:
    return Brief(
        main_goal="sales",
        success_criteria=criteria,
        monthly_budget=Decimal(budget) if budget else None,
    )


def test_the_briefs_numbers_are_the_targets_and_the_history_stays_beside_them() -> None:
    with use_language("en"):
        plan, notes = apply_brief(
            PLAN, brief("120 заявок в месяц из соцсетей; 20 продаж в месяц"), HISTORY, "RUB"
        )
    for month in MONTHS:
        leads = plan.item("leads").targets[month]  # type: ignore[union-attr]
        assert (leads.conservative, leads.target, leads.stretch) == (68, 120, 109)
        assert leads.source == "brief"
        assert plan.item("sales").targets[month].target == 20  # type: ignore[union-attr]
        # the budget's cost targets: 150,000 / 120 leads and 150,000 / 20 sales
        assert plan.item("cpl").targets[month].target == pytest.approx(1250)  # type: ignore[union-attr]
        assert plan.item("cost_per_sale").targets[month].target == pytest.approx(7500)  # type: ignore[union-attr]
        paid = plan.item("post_reach_paid").targets[month]  # type: ignore[union-attr]
        assert (paid.target, paid.conservative, paid.source) == (
            pytest.approx(25_500),
            None,
            "brief",
        )
    assert plan.item("cpl").role == "added"  # type: ignore[union-attr]
    by_kpi = {n.kpi: n for n in notes}
    assert by_kpi["leads"].disagrees and not by_kpi["sales"].disagrees
    assert "the client expects 120 («120 заявок в месяц из соцсетей»)" in by_kpi["leads"].text
    assert "68 … 109 (recommended 88)" in by_kpi["leads"].text
    assert "within what the history supports: 18 … 30" in by_kpi["sales"].text
    assert "RUB1,250.00 = the monthly budget RUB150,000.00" in by_kpi["cpl"].text
    assert "170.0 paid reach per 1,000 RUB" in by_kpi["post_reach_paid"].text
    assert plan.item("leads").note == by_kpi["leads"].text  # type: ignore[union-attr]


def test_a_kpi_outside_the_goals_set_is_added_and_a_brief_without_numbers_changes_nothing() -> None:
    plan, notes = apply_brief(PLAN, brief("ER не ниже 3 %", budget=None), HISTORY, "RUB")
    er = plan.item("er")
    assert er is not None and er.role == "added"
    assert {m: t.target for m, t in er.targets.items()} == dict.fromkeys(MONTHS, 3.0)
    assert [n.kpi for n in notes] == ["er"]
    same, nothing = apply_brief(PLAN, brief("Лиды и их стоимость", budget=None), HISTORY, "RUB")
    assert same == PLAN and nothing == []


def test_the_budget_alone_prices_the_historys_targets() -> None:
    """No number in the criteria: the costs come from the history's 88 leads and 23 sales;
    without ad spend in the history, paid reach waits for a person."""
    plan, notes = apply_brief(PLAN, brief(""), {"post_reach_paid": [40_000]}, "RUB")
    assert plan.item("cpl").targets["2026-12"].target == pytest.approx(150_000 / 88)  # type: ignore[union-attr]
    assert plan.item("cost_per_sale").targets["2027-01"].target == pytest.approx(150_000 / 23)  # type: ignore[union-attr]
    assert plan.item("post_reach_paid").targets == {}  # type: ignore[union-attr]
    assert [n.kpi for n in notes] == ["cpl", "cost_per_sale", "post_reach_paid"]
