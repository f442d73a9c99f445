"""The catalogue against spec/metrics.md: every id, level, goal and direction, declared once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from smmkpi.metrics.catalogue import GOALS, KPIS, KPIS_BY_ID, goal_kpis, kpi
from smmkpi.metrics.inputs import INPUTS_BY_ID
from smmkpi.metrics.model import Direction, Level, Role

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "metrics.md"


@pytest.fixture(scope="module")
def spec() -> str:
    if not SPEC.is_file():
        pytest.skip(f"{SPEC} is not beside the project")
    return SPEC.read_text(encoding="utf-8")


def spec_ids(spec: str) -> list[str]:
    body = spec.split("## Direction")[0]
    ids: list[str] = []
    for line in body.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            ids += re.findall(r"`([a-z_]+)`", first_cell)
    return ids


def test_every_spec_kpi_is_declared_once_in_spec_order(spec: str) -> None:
    ids = spec_ids(spec)
    assert len(ids) == 46
    assert [k.id for k in KPIS] == ids
    assert len(KPIS_BY_ID) == len(KPIS)


def test_levels_follow_the_clarifications(spec: str) -> None:
    clarification = spec.split("Account-level KPIs: every id in the")[1].split("\n- ")[0]
    named_client_level = {
        "mentions",
        "branded_hashtag_posts",
        "site_sessions",
        "site_goal_completions",
        "leads",
        "sales",
        "revenue",
        "ad_spend",
        "cpl",
        "cost_per_sale",
        "romi",
        "lead_conversion_rate",
        "lead_to_sale_rate",
    }
    for name in (
        "link_clicks",
        "post_link_clicks",
        "profile_visits",
        "contact_clicks",
        "location_clicks",
    ):
        assert name in clarification
    for item in KPIS:
        expected = Level.CLIENT if item.id in named_client_level else Level.ACCOUNT
        assert item.level is expected, item.id


def test_goal_sets_match_the_spec_table(spec: str) -> None:
    table = spec.split("## Goals and their default KPI sets")[1].split("Caveats")[0]
    for goal in GOALS:
        row = next(line for line in table.splitlines() if line.startswith(f"| `{goal}`"))
        _, _, main, secondary, _ = row.split("|")
        expected_main = re.findall(r"`([a-z_]+)`", main)
        expected_secondary = re.findall(r"`([a-z_]+)`", secondary)
        if "shares of reach" in secondary:
            expected_secondary += ["organic_reach_share", "viral_reach_share", "paid_reach_share"]
        assert {k.id for k in goal_kpis(goal, (Role.MAIN,))} == set(expected_main), goal
        assert {k.id for k in goal_kpis(goal, (Role.SECONDARY,))} == set(expected_secondary), goal


def test_directions(spec: str) -> None:
    assert "Lower is better: `churn_rate`, `cpl`, `cost_per_sale`." in spec
    lower = {k.id for k in KPIS if k.direction is Direction.LOWER}
    # followers_lost is our documented reading: fewer unfollows is better (docs/concepts.md).
    assert lower == {"churn_rate", "cpl", "cost_per_sale", "followers_lost"}


def test_caveats_the_spec_requires() -> None:
    for kpi_id in ("like_rate", "talk_rate", "sales", "revenue", "reach"):
        caveat = kpi(kpi_id).caveat
        assert caveat is not None and caveat.en and caveat.ru, kpi_id
    assert "sales team" in (kpi("sales").caveat.en if kpi("sales").caveat else "")


def test_every_kpi_is_fully_described_in_both_languages() -> None:
    for item in KPIS:
        for text in (item.label, item.description, item.formula_text):
            assert text.ru.strip() and text.en.strip(), item.id
            assert re.search("[а-яё]", text.ru.lower()) or item.id in (
                "romi",
                "like_rate",
                "talk_rate",
            ), item.id
        for input_id in item.inputs:
            assert input_id in INPUTS_BY_ID, (item.id, input_id)
