"""Plan against fact: attainment, pacing, forecasts — by hand; and their properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkpi.metrics.catalogue import KPIS_BY_ID
from smmkpi.metrics.model import Direction
from smmkpi.metrics.periods import Period
from smmkpi.planning.status import assess, attainment, elapsed, weekday_weights

NOVEMBER = Period.month("2026-11")  # 30 days; the 1st is a Sunday


def mondays_busy(until: date) -> dict[date, float]:
    """90 days before ``until``: 20 on Mondays, 10 on other days."""
    return {
        until - timedelta(days=i): 20.0 if (until - timedelta(days=i)).weekday() == 0 else 10.0
        for i in range(1, 91)
    }


def test_attainment_follows_the_direction() -> None:
    assert attainment(90, 100, Direction.HIGHER) == 90
    assert attainment(1500, 1650, Direction.LOWER) == pytest.approx(110)  # cheaper: better
    assert attainment(None, 100, Direction.HIGHER) is None
    assert attainment(0, 100, Direction.LOWER) is None


def test_elapsed_days() -> None:
    assert elapsed(NOVEMBER, date(2026, 11, 16)) == 15
    assert elapsed(NOVEMBER, date(2026, 11, 1)) == 0
    assert elapsed(NOVEMBER, date(2026, 12, 20)) == 30


def test_mid_month_pacing_of_a_total_is_weighted_by_weekday() -> None:
    daily = {"leads": mondays_busy(NOVEMBER.start)}
    weights = weekday_weights(daily["leads"], NOVEMBER.start)
    # Monday 20 over the weekday average (20 + 6 × 10) / 7
    assert weights[0] == pytest.approx(20 / (80 / 7))
    assert weights[3] == pytest.approx(10 / (80 / 7))
    found = assess(KPIS_BY_ID["leads"], NOVEMBER, date(2026, 11, 16), 300, 160, daily, [])
    # 1–15 November hold 2 of the month's 5 Mondays: 2 × 1.75 + 13 × 0.875 = 14.875 of 30.625
    share = 14.875 / 30.625
    assert found.expected_linear == 150
    assert found.expected_weighted == pytest.approx(300 * share)
    assert found.pace == pytest.approx(160 / (300 * share) * 100)
    assert found.forecast == pytest.approx(160 / share)  # 329.4
    assert found.status == "on_track"


def test_a_ratio_so_far_with_its_uncertainty() -> None:
    history = [2.0, 2.2, 1.8, 2.1, 1.9]  # median 2.0, MAD 0.1
    found = assess(KPIS_BY_ID["er"], NOVEMBER, date(2026, 11, 16), 2.0, 2.1, {}, history)
    sigma = 1.4826 * 0.1 * (15 / 30) ** 0.5
    assert found.forecast == 2.1
    assert (found.low, found.high) == pytest.approx((2.1 - 1.2816 * sigma, 2.1 + 1.2816 * sigma))
    assert found.probability == pytest.approx(0.8299, abs=1e-4)  # Φ(0.1 / σ)
    assert found.status == "on_track"
    lower = assess(KPIS_BY_ID["cpl"], NOVEMBER, date(2026, 11, 16), 2.0, 2.1, {}, history)
    assert lower.probability == pytest.approx(1 - 0.8299, abs=1e-4)  # above the cost plan
    assert lower.status == "off_track"


def test_a_finished_month_is_achieved_or_not() -> None:
    done = date(2026, 12, 5)
    met = assess(KPIS_BY_ID["leads"], NOVEMBER, done, 100, 104, {}, [])
    missed = assess(KPIS_BY_ID["cpl"], NOVEMBER, done, 1500, 1650, {}, [])
    assert (met.status, met.attainment, met.probability) == ("achieved", 104, 1.0)
    assert (missed.status, missed.probability) == ("off_track", 0.0)
    assert missed.attainment == pytest.approx(1500 / 1650 * 100)
    assert assess(KPIS_BY_ID["leads"], NOVEMBER, done, None, 104, {}, []).status == "no_data"
    assert assess(KPIS_BY_ID["leads"], NOVEMBER, done, 100, None, {}, []).status == "no_data"


def test_a_total_past_its_target_mid_month_is_achieved() -> None:
    found = assess(KPIS_BY_ID["leads"], NOVEMBER, date(2026, 11, 10), 50, 52, {}, [40, 45, 50])
    assert found.status == "achieved"


numbers = st.floats(min_value=0.01, max_value=1e6, allow_nan=False)
kpis = st.sampled_from(["leads", "reach", "er", "cpl", "churn_rate", "followers", "revenue"])


@settings(max_examples=200, deadline=None)
@given(kpi_id=kpis, target=numbers, fact=numbers, better=numbers)
def test_attainment_moves_the_right_way(
    kpi_id: str, target: float, fact: float, better: float
) -> None:
    kpi = KPIS_BY_ID[kpi_id]
    improved = fact + better if kpi.direction is Direction.HIGHER else fact * fact / (fact + better)
    before, after = (
        attainment(fact, target, kpi.direction),
        attainment(improved, target, kpi.direction),
    )
    assert before is not None and after is not None
    assert after >= before


@settings(max_examples=200, deadline=None)
@given(
    kpi_id=kpis,
    target=numbers,
    fact=numbers,
    day=st.integers(min_value=31, max_value=90),
    history=st.lists(numbers, max_size=12),
)
def test_at_month_end_the_interval_holds_the_fact(
    kpi_id: str, target: float, fact: float, day: int, history: list[float]
) -> None:
    as_of = NOVEMBER.start + timedelta(days=day)
    found = assess(KPIS_BY_ID[kpi_id], NOVEMBER, as_of, target, fact, {}, list(history))
    assert found.low is not None and found.high is not None
    assert found.low <= fact <= found.high
    assert found.status in ("achieved", "off_track")
