"""Baselines, trend, seasonality, volatility and anomalies, computed by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from smmkpi.i18n import use_language
from smmkpi.metrics.catalogue import KPIS_BY_ID
from smmkpi.metrics.periods import Period
from smmkpi.planning import stats
from smmkpi.planning.history import (
    KpiHistory,
    classify,
    coverage_and_gaps,
    events,
    seasonality,
    summary,
)
from smmkpi.planning.series import months_back


def test_baselines_are_medians_of_the_last_known_months() -> None:
    values = [1.0, None, 3.0, 5.0, 7.0]
    assert stats.baseline(values, 3) == 5  # median of 3, 5, 7
    assert stats.baseline(values, 6) == 4  # median of 1, 3, 5, 7: the unknown month is left out
    assert stats.baseline([None, None], 3) is None


def test_the_trend_is_not_tilted_by_one_outlier() -> None:
    # ten pairwise slopes: six of 1, then 24.75, 32.67, 48.5, 96 — the median is 1
    assert stats.theil_sen([1, 2, 3, 4, 100]) == 1
    assert stats.theil_sen([5.0]) is None


def test_volatility_is_a_robust_coefficient_of_variation() -> None:
    # median 125; absolute deviations 25, 15, 5, 5, 15, 25 → MAD 15
    assert stats.robust_cv([100, 110, 120, 130, 140, 150]) == pytest.approx(1.4826 * 15 / 125 * 100)


def test_a_planted_spike_is_the_only_anomaly() -> None:
    first = date(2026, 3, 1)
    series = {first + timedelta(days=i): (98.0 if i % 2 else 102.0) for i in range(30)}
    series[date(2026, 3, 16)] = 400.0
    (found,) = stats.anomalies(series)
    assert found.day == date(2026, 3, 16)
    assert found.expected == 100  # the median of the 28 neighbours (14 of 98, 14 of 102)
    assert found.z == pytest.approx(300 / (1.4826 * 2))  # MAD of the neighbours is 2


def test_a_follower_spike_with_an_engagement_spike_is_a_giveaway() -> None:
    days = [date(2026, 7, 1) + timedelta(days=i) for i in range(40)]
    gained = {d: 10.0 + (i % 3) for i, d in enumerate(days)}
    interactions = {d: 200.0 + (i % 5) * 3 for i, d in enumerate(days)}
    lost = {d: 3.0 + (i % 2) for i, d in enumerate(days)}
    giveaway, bots = date(2026, 7, 10), date(2026, 7, 25)
    gained[giveaway] = 400.0
    gained[giveaway + timedelta(days=1)] = 150.0  # its followers keep coming
    interactions[giveaway] = 3_000.0
    gained[bots] = 300.0  # many followers, no reactions
    lost[date(2026, 7, 20)] = 60.0  # unfollows after the giveaway
    found = {
        (a.day, a.series): a.kind
        for a in classify(
            {"followers_gained": gained, "interactions": interactions, "followers_lost": lost}
        )
    }
    assert found[(giveaway, "followers_gained")] == "giveaway"
    assert found[(giveaway + timedelta(days=1), "followers_gained")] == "giveaway"
    assert found[(giveaway, "interactions")] == "giveaway"
    assert found[(bots, "followers_gained")] == "bot_wave"
    assert found[(date(2026, 7, 20), "followers_lost")] == "giveaway_aftermath"
    kinds = events(
        [
            a
            for a in classify({"followers_gained": gained, "interactions": interactions})
            if a.series == "followers_gained"
        ]
    )
    assert kinds[0] == (giveaway, giveaway + timedelta(days=1), "giveaway")


def test_seasonality_needs_13_months_and_shrinks_what_one_year_says() -> None:
    months = months_back(Period.month("2027-01"), 13)  # January 2026 – January 2027
    values: list[float | None] = [100.0] * 13
    values[11] = 85.0  # December 2026, the only December
    index = seasonality(months, values)
    assert index[12] == pytest.approx(1 + 1 / 2 * (0.85 - 1))  # 0.925: one year, half of it
    assert index[6] == 1.0
    assert seasonality(months[1:], values[1:]) == {}  # 12 months are not enough
    # December 2025 and 2026 both at 85: two years say two thirds of it
    months = months_back(Period.month("2026-12"), 13)
    values = [100.0] * 13
    values[0] = values[-1] = 85.0
    assert seasonality(months, values)[12] == pytest.approx(1 + 2 / 3 * (0.85 - 1))  # 0.9


def test_the_summary_says_what_a_person_would() -> None:
    months = months_back(Period.month("2026-12"), 13)
    values = [1000.0 + 40 * i for i in range(13)]  # +40 a month: 4 % of December 2025's 1,000
    values[0] *= 0.7  # both Decembers 30 % below the trend line
    values[-1] *= 0.7
    history = KpiHistory(KPIS_BY_ID["reach"], months, values)
    history.trend = stats.theil_sen(values)
    history.baseline_6 = stats.baseline(values, 6)
    history.trend_percent = history.trend / history.baseline_6 * 100
    history.seasonality = seasonality(months, values)
    with use_language("en"):
        text = summary(history)
    # the trend is 40 a month (the outlying Decembers do not tilt it): 40 / the 6-month
    # median 1,340 = 3.0 %; each December is 0.7 of its trend value, seen twice: shrunk to
    # 1 + 2/3 · (0.7 − 1) = 0.8
    assert text == (
        "Reach (sum of daily) grew 3 % a month on average; December is usually 20 % lower."
    )


def test_coverage_and_gaps_of_daily_statistics() -> None:
    months = [Period.month("2026-10")]
    days = {date(2026, 10, d) for d in range(1, 32) if not 12 <= d <= 17}
    coverage, gaps = coverage_and_gaps({"a": days}, ["a", "b"], months)
    assert coverage == pytest.approx(25 / 62)  # b has no daily rows at all
    assert gaps == [("a", date(2026, 10, 12), date(2026, 10, 17))]


def test_the_months_before_the_data_are_not_zeros() -> None:
    from smmkpi.planning.history import before_data_unknown

    assert before_data_unknown([0.0, 0.0, None, 65.0, 0.0, 83.0]) == [
        None,
        None,
        None,
        65.0,
        0.0,
        83.0,
    ]
    assert before_data_unknown([0.0, 0.0]) == [None, None]


def test_anomalous_days_make_no_season_and_missing_files_are_no_drops() -> None:
    from smmkpi.planning.history import analyse
    from smmkpi.planning.series import DailyData

    months = months_back(Period.month("2026-06"), 14)  # May 2025 – June 2026
    days = [
        months[0].start + timedelta(days=i)
        for i in range((months[-1].end - months[0].start).days + 1)
    ]
    gained = {d: 10.0 + (d.toordinal() % 3) for d in days}  # 10, 11, 12 in turn
    giveaway = [date(2025, 12, 10), date(2025, 12, 11), date(2025, 12, 12)]
    for day in giveaway:
        gained[day] = 600.0
    monthly = {
        "followers_gained": [
            sum(v for d, v in gained.items() if m.start <= d <= m.end) for m in months
        ]
    }
    reach = {d: 1000.0 + 10 * (d.toordinal() % 3) for d in days}
    reach[date(2026, 3, 5)] = 500.0  # account b sent no file for 5 March
    accounts = {"a": set(days), "b": set(days) - {date(2026, 3, 5)}}
    daily = DailyData({"followers_gained": gained, "reach": reach}, accounts)
    found = {
        h.kpi.id: h
        for h in analyse(["followers_gained", "reach"], months, monthly, daily, ["a", "b"])
    }
    # December 2025 brought ~1,800 new followers against ~340, all of it three giveaway days:
    # counted at what their neighbours expected, December has no season
    spikes = [a for a in found["followers_gained"].anomalies if a.day in giveaway]
    assert len(spikes) == 3
    assert found["followers_gained"].seasonality[12] == pytest.approx(1.0, abs=0.05)
    # the half-reach of 5 March is a missing file, not an audience drop
    assert [a for a in found["reach"].anomalies if a.kind == "drop"] == []
