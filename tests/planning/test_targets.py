"""Target levels from history, computed by hand; their order, as a property."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkpi.i18n import use_language
from smmkpi.metrics.catalogue import KPIS_BY_ID
from smmkpi.metrics.model import Direction
from smmkpi.metrics.periods import Period
from smmkpi.planning import stats
from smmkpi.planning.history import KpiHistory, seasonality
from smmkpi.planning.series import months_back, next_months
from smmkpi.planning.targets import backtest_errors, recommend

LAST = Period.month("2026-06")


def history_of(kpi_id: str, values: list[float | None]) -> KpiHistory:
    months = months_back(LAST, len(values))
    found = KpiHistory(KPIS_BY_ID[kpi_id], months, values)
    found.volatility = stats.robust_cv(values)
    found.seasonality = seasonality(months, values)
    return found


def test_a_total_follows_its_trend_with_a_volatility_band() -> None:
    found = history_of("reach", [100.0, 110.0, 120.0, 130.0, 140.0, 150.0])
    # back-test: month 4 from [100, 110, 120] (no trend with 3 points) = 110 → +18 %;
    # months 5 and 6 exactly on the trend → 0; three errors are too few for percentiles
    assert backtest_errors(found.values) == pytest.approx([130 / 110 - 1, 0.0, 0.0])
    with use_language("en"):
        (july,) = recommend(found, next_months(LAST, 1))
    # median of the last 3 months 140 (at month 5) + trend 10 × 2 months = 160; band
    # ± 0.8416 × volatility 17.79 % = ± 14.97 %
    assert july.levels is not None
    assert (july.levels.conservative, july.levels.target, july.levels.stretch) == (136, 160, 184)
    assert july.confidence == "high"
    assert july.method.startswith("Seasonal naive plus trend: median of the last 3 months 140.0")
    assert july.warnings == ["The target 160 is above anything the history reached (at most 150)."]


def test_a_lower_is_better_ratio_gets_mirrored_levels() -> None:
    found = history_of("churn_rate", [3.0, 3.2, 2.8, 3.1, 2.9, 3.0])
    (july,) = recommend(found, next_months(LAST, 1))
    # median 3.0; the 25th and 75th percentiles 2.925 and 3.075; lower is better, so the
    # conservative level is the higher churn
    assert july.levels is not None
    assert (july.levels.conservative, july.levels.target, july.levels.stretch) == (3.08, 3.0, 2.93)


def test_one_month_is_low_confidence_and_none_asks_for_a_manual_target() -> None:
    with use_language("en"):
        (one,) = recommend(history_of("leads", [40.0]), next_months(LAST, 1))
        (none,) = recommend(history_of("leads", [None, None]), next_months(LAST, 1))
    assert one.confidence == "low"
    assert one.levels is not None and one.levels.target == 40
    assert "One month of history: low confidence" in one.warnings[-1]
    assert none.levels is None
    assert none.method == "No history: set this target by hand (smmkpi plan set)."


def test_seasonality_moves_the_target_of_a_seasonal_month() -> None:
    values = [1000.0] * 14
    values[7] = 700.0  # December 2025 (the months run May 2025 to June 2026)
    found = history_of("site_sessions", values)
    # one December: half its dip (it may have been a one-off), 1 + 1/2 · (0.7 − 1)
    assert found.seasonality[12] == pytest.approx(0.85)
    horizon = next_months(LAST, 6)
    targets = {r.month.label(): r.levels.target for r in recommend(found, horizon) if r.levels}
    assert targets["2026-11"] == 1000
    assert targets["2026-12"] == 850  # last December's dip, shrunk, against flat months


positive = st.floats(min_value=0.5, max_value=1e6, allow_nan=False, allow_infinity=False)
series = st.lists(st.one_of(st.none(), positive), min_size=1, max_size=24).filter(
    lambda v: any(x is not None for x in v)
)


@settings(max_examples=150, deadline=None)
@given(
    values=series,
    kpi_id=st.sampled_from(
        ["reach", "leads", "er", "churn_rate", "cpl", "followers_lost", "followers"]
    ),
)
def test_levels_are_ordered_and_mirrored_for_lower_is_better(
    values: list[float | None], kpi_id: str
) -> None:
    found = history_of(kpi_id, values)
    for recommendation in recommend(found, next_months(LAST, 3)):
        assert recommendation.levels is not None
        assert recommendation.levels.ordered(found.kpi.direction)
        low, high = sorted((recommendation.levels.conservative, recommendation.levels.stretch))
        assert low <= recommendation.levels.target <= high
        if found.kpi.direction is Direction.LOWER:
            assert recommendation.levels.conservative >= recommendation.levels.stretch


def test_a_warning_compares_the_target_with_the_history_as_both_are_shown() -> None:
    from smmkpi.planning.targets import Levels, target_warnings

    found = history_of("er", [0.0402, 0.05, 0.06, 0.07])
    with use_language("en"):
        # the lowest month shows as 0.04 %: a target of 0.04 % is not below it
        assert target_warnings(found, Levels(0.04, 0.04, 0.05), 4) == []
        assert target_warnings(found, Levels(0.03, 0.03, 0.04), 4) == [
            "The target 0.03% is below anything the history reached (at least 0.04%)."
        ]


def test_the_target_is_the_forecast_not_moved_by_the_back_test_bias() -> None:
    """Reach grew 10 % a month, so one-step back-tests of a median-of-3 forecast all
    undershoot; the target stays the forecast (inside the band), the band carries the bias."""
    values = [1000.0 * 1.1**i for i in range(8)]
    (found,) = recommend(history_of("reach", values), next_months(LAST, 1))
    assert found.levels is not None
    low, _mid, high = found.inputs["band"]
    assert low > 0  # every back-test error was positive
    forecast = found.inputs["forecast"]
    assert found.levels.target == round(forecast * (1 + low))  # the band's nearest edge
    assert found.levels.stretch == round(forecast * (1 + high))
