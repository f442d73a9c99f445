"""Plan against fact: attainment, pacing, forecasts — by hand; and their properties."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkpi.metrics.catalogue import KPIS_BY_ID
from smmkpi.metrics.model import Direction
from smmkpi.metrics.periods import Period
from smmkpi.planning.status import assess, attainment, elapsed, weekday_weights
from smmkpi.workspace import Workspace

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
    # the 15 days left move it by half a month's spread, and the 15 days so far are a sample:
    # σ = σ_m · √(15/30 · (1 + 15/15)) = σ_m
    sigma = 1.4826 * 0.1
    assert found.forecast == 2.1
    assert (found.low, found.high) == pytest.approx((2.1 - 1.2816 * sigma, 2.1 + 1.2816 * sigma))
    assert found.probability == pytest.approx(0.7500, abs=1e-4)  # Φ(0.1 / 0.14826)
    assert found.status == "on_track"
    lower = assess(
        KPIS_BY_ID["cpl"], NOVEMBER, date(2026, 11, 16), 2.0, 2.1, {}, history, tolerance=0
    )
    assert lower.probability == pytest.approx(0.25, abs=1e-4)  # above the cost plan
    assert lower.status == "off_track"
    # 2.1 is 5 % above a cost plan of 2.0: within the default tolerance, never red
    within = assess(KPIS_BY_ID["cpl"], NOVEMBER, date(2026, 11, 16), 2.0, 2.1, {}, history)
    assert within.status == "on_track"
    # on day 3 the same spread gives an interval three times as wide: 3 days say little
    early = assess(KPIS_BY_ID["er"], NOVEMBER, date(2026, 11, 4), 2.0, 2.1, {}, history)
    assert early.high - early.low == pytest.approx(
        2 * 1.2816 * sigma * (27 / 30 * (1 + 27 / 3)) ** 0.5
    )


def test_a_finished_month_is_achieved_or_not() -> None:
    done = date(2026, 12, 5)
    met = assess(KPIS_BY_ID["leads"], NOVEMBER, done, 100, 104, {}, [])
    missed = assess(KPIS_BY_ID["cpl"], NOVEMBER, done, 1500, 1650, {}, [])
    assert (met.status, met.attainment, met.probability) == ("achieved", 104, 1.0)
    assert (missed.status, missed.probability) == ("off_track", 0.0)
    assert missed.attainment == pytest.approx(1500 / 1650 * 100)
    assert assess(KPIS_BY_ID["leads"], NOVEMBER, done, None, 104, {}, []).status == "no_data"
    assert assess(KPIS_BY_ID["leads"], NOVEMBER, done, 100, None, {}, []).status == "no_data"
    # 96 leads of 100 are within the default 5 %; 94 are not; a cost 4 % over plan is
    near = assess(KPIS_BY_ID["leads"], NOVEMBER, done, 100, 96, {}, [])
    assert (near.status, near.probability) == ("within_tolerance", 0.0)
    assert assess(KPIS_BY_ID["leads"], NOVEMBER, done, 100, 94, {}, []).status == "off_track"
    assert assess(KPIS_BY_ID["cpl"], NOVEMBER, done, 1500, 1560, {}, []).status == (
        "within_tolerance"
    )
    strict = assess(KPIS_BY_ID["leads"], NOVEMBER, done, 100, 96, {}, [], tolerance=0)
    assert strict.status == "off_track"


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
    assert found.status in ("achieved", "within_tolerance", "off_track")


def steady(value: float, until: date, days: int = 90) -> dict[date, float]:
    return {until - timedelta(days=i): value for i in range(1, days + 1)}


def test_a_rate_that_builds_up_over_the_month_is_forecast_from_its_numerator() -> None:
    """Churn: 10 of 10 000 followers leave every day; by the 4th, 0.4 % have left. The rate
    is not 'the value so far': the month ends near 30 × 10 / 10 000 = 3 %."""
    as_of = date(2026, 11, 5)  # 4 days known
    weeks = steady(10, NOVEMBER.start, 84)  # twelve whole weeks before the month
    weekly = {d: 5.0 if (d.toordinal() // 7) % 2 else 15.0 for d in weeks}
    daily = {"followers_lost": weekly}  # slow and busy weeks in turn; every weekday alike
    facts = {"followers_lost": 40, "followers_start": 10_000}
    found = assess(KPIS_BY_ID["churn_rate"], NOVEMBER, as_of, 3.0, 0.4, daily, [], facts)
    assert found.forecast == pytest.approx(3.0)  # 0.4 over 4 of 30 days (flat weekdays)
    assert found.expected_weighted == pytest.approx(3.0 * 4 / 30)
    assert found.pace == pytest.approx(100)  # leaving exactly as fast as the plan allows
    assert found.attainment is None  # 3.0 / 0.4 = 750 % would say nothing on day 4
    assert 0.4 <= found.low < 3.0 < found.high  # what has left has left: never below 0.4
    assert found.status == "on_track"


def test_follower_growth_rate_is_the_levels_forecast_over_the_start() -> None:
    """+20 followers a day on 10 000: 0.8 % after 4 days, 6 % at the month's end (it read
    'off track, 0 %' when the rate so far was taken for the forecast)."""
    as_of = date(2026, 11, 5)
    daily = {"followers_change": steady(20, as_of, 40)}
    facts = {"followers_start": 10_000}
    history = [6.0, 6.0, 6.0]  # the rate of the months before: the same drift each month
    found = assess(
        KPIS_BY_ID["follower_growth_rate"], NOVEMBER, as_of, 6.0, 0.8, daily, history, facts
    )
    assert found.forecast == pytest.approx(0.8 + 20 * 26 / 10_000 * 100)  # 6.0
    assert found.status == "on_track"


def test_a_levels_interval_carries_the_uncertainty_of_its_daily_growth() -> None:
    """Followers grow 10 or 30 a day in turn (median 20); past months grew 15, 25, 20 a day.
    σ² = left·σ_d² + left²·(σ_d²/n + τ²): σ_d = 1.4826 · 10, τ = 1.4826 · 5 · (30.4/30.4)."""
    as_of = date(2026, 11, 5)
    changes = {as_of - timedelta(days=i): 10.0 if i % 2 else 30.0 for i in range(1, 35)}
    history = [10_000, 10_000 + 15 * 30.4, 10_000 + 40 * 30.4, 10_000 + 60 * 30.4]
    found = assess(
        KPIS_BY_ID["followers"], NOVEMBER, as_of, 12_400, 11_900, {"followers_change": changes},
        history,
    )  # fmt: skip
    recent = [v for d, v in changes.items() if d >= NOVEMBER.start - timedelta(days=30)]
    left, n = 26, len(recent)
    sigma_d, tau = 1.4826 * 10, 1.4826 * 5
    sigma = (left * sigma_d**2 + left**2 * (sigma_d**2 / n + tau**2)) ** 0.5
    assert found.forecast == pytest.approx(11_900 + 20 * left)
    assert found.high - found.low == pytest.approx(2 * 1.2816 * sigma)
    # the target is 20 below the forecast: a little better than even, not 1 - 4·10⁻⁷
    assert 0.5 < found.probability < 0.6
    assert found.status == "on_track"  # within 5 % of the target


@settings(max_examples=200, deadline=None)
@given(
    kpi_id=st.sampled_from(["reach", "er", "churn_rate", "cpl", "followers", "romi"]),
    fact=st.floats(min_value=0, max_value=1e5, allow_nan=False),
    day=st.integers(min_value=1, max_value=29),
    history=st.lists(st.floats(min_value=0, max_value=1e5, allow_nan=False), max_size=12),
)
def test_intervals_stay_inside_the_kpis_domain(
    kpi_id: str, fact: float, day: int, history: list[float]
) -> None:
    as_of = NOVEMBER.start + timedelta(days=day)
    found = assess(KPIS_BY_ID[kpi_id], NOVEMBER, as_of, None, fact, {}, list(history))
    if found.low is None:
        return
    assert found.low <= found.high
    assert found.low >= (-100 if kpi_id == "romi" else 0)
    if kpi_id in ("reach", "churn_rate"):  # what the days so far brought stays counted
        assert found.low >= fact - 1e-9


def test_post_based_totals_are_paced_by_the_posts_age() -> None:
    """On the 16th, interactions of 15 days: the posts of the last two days were read 0.5 and
    1.5 days after publication and hold 1 − e^(−0.5) and 1 − e^(−1.5) of their reactions. The
    days so far count for what their posts have gathered, so the forecast is higher than
    fact / (15/30) — yesterday's post has not had its likes yet."""
    import math

    as_of = date(2026, 11, 16)
    posts = {NOVEMBER.start + timedelta(days=i): 1.0 for i in range(15)}
    ripe = dict(posts)
    ripe[date(2026, 11, 14)] = 1 - math.exp(-1.5)
    ripe[date(2026, 11, 15)] = 1 - math.exp(-0.5)
    daily = {"posts": posts, "posts_maturity": ripe}
    found = assess(KPIS_BY_ID["interactions"], NOVEMBER, as_of, 3000, 1300, daily, [])
    share = (13 + (1 - math.exp(-1.5)) + (1 - math.exp(-0.5))) / 30
    assert found.expected_weighted == pytest.approx(3000 * share)
    assert found.forecast == pytest.approx(1300 / share)  # 2,752 rather than 2,600
    # reach of the month (account statistics, not posts) is paced by the days alone
    reach = assess(KPIS_BY_ID["reach"], NOVEMBER, as_of, 3000, 1300, daily, [])
    assert reach.forecast == pytest.approx(1300 / (15 / 30))


def test_the_daily_series_know_how_ripe_each_days_posts_were(
    workspace: Workspace, tmp_path: Path
) -> None:
    import math

    from smmkpi.metrics.scope import load_clients
    from smmkpi.planning.series import daily_data_many
    from tests.conftest import import_path, write_table

    data = tmp_path / "data"
    write_table(data, "clients", [{"client_id": "c", "name": "C", "timezone": "UTC"}])
    write_table(data, "accounts", [{"account_id": "c-vk", "client_id": "c", "platform": "vk"}])
    write_table(
        data,
        "posts",
        [
            {"account_id": "c-vk", "post_id": "1", "published_at": "2026-11-14T12:00:00Z",
             "likes": 10, "captured_at": "2026-11-16T00:00:00Z"},  # 1.5 days old when read
            {"account_id": "c-vk", "post_id": "2", "published_at": "2026-11-15T12:00:00Z",
             "likes": 4, "captured_at": "2026-11-16T00:00:00Z"},  # half a day old
            {"account_id": "c-vk", "post_id": "3", "published_at": "2026-11-15T18:00:00Z",
             "likes": 1, "captured_at": "2026-11-16T00:00:00Z"},  # a quarter of a day
        ],
    )  # fmt: skip
    import_path(workspace, data)
    with workspace.open_store(read_only=True) as store:
        clients = load_clients(store.backend, None)
        series = daily_data_many(store.con, clients, date(2026, 11, 1), date(2026, 11, 30))
    found = series["c"].series
    assert found["posts"][date(2026, 11, 15)] == 2
    assert found["posts_maturity"][date(2026, 11, 14)] == pytest.approx(1 - math.exp(-1.5))
    assert found["posts_maturity"][date(2026, 11, 15)] == pytest.approx(
        (1 - math.exp(-0.5)) + (1 - math.exp(-0.25))
    )


def test_the_daily_series_place_each_event_on_its_clients_local_day(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Two clients eleven hours apart, read in one call: each post, mention and lead lands on
    its client's local day; sums skip what is unknown; leads count only when social."""
    from smmkpi.metrics.scope import load_clients
    from smmkpi.planning.series import daily_data_many
    from tests.conftest import import_path, write_table

    data = tmp_path / "data"
    write_table(
        data,
        "clients",
        [
            {"client_id": "msk", "name": "Moscow", "timezone": "Europe/Moscow"},  # UTC+3
            {"client_id": "vl", "name": "Vladivostok", "timezone": "Asia/Vladivostok"},  # UTC+10
        ],
    )
    write_table(
        data,
        "accounts",
        [
            {"account_id": "msk-vk", "client_id": "msk", "platform": "vk"},
            {"account_id": "msk-tg", "client_id": "msk", "platform": "telegram"},
            {"account_id": "vl-vk", "client_id": "vl", "platform": "vk"},
        ],
    )
    write_table(
        data,
        "account_daily",
        [
            {"account_id": "msk-vk", "date": "2026-11-10", "reach": 100},
            {"account_id": "msk-tg", "date": "2026-11-10", "reach": 50},
            {"account_id": "vl-vk", "date": "2026-11-10", "reach": 7},
        ],
    )
    write_table(
        data,
        "posts",
        [
            # 01:30 on 11 November in Moscow
            {
                "account_id": "msk-vk",
                "post_id": "1",
                "published_at": "2026-11-10T22:30:00Z",
                "likes": 3,
                "reach": 40,
                "captured_at": "2026-11-20T00:00:00Z",
            },
            # 08:00 on 11 November; nothing known of its interactions
            {
                "account_id": "msk-tg",
                "post_id": "2",
                "published_at": "2026-11-11T05:00:00Z",
                "captured_at": "2026-11-20T00:00:00Z",
            },
            # 23:30 on 10 November in Vladivostok
            {
                "account_id": "vl-vk",
                "post_id": "3",
                "published_at": "2026-11-10T13:30:00Z",
                "likes": 1,
                "shares": 2,
                "captured_at": "2026-11-20T00:00:00Z",
            },
        ],
    )
    write_table(
        data,
        "mentions",
        [
            # 03:30 on 1 November in Moscow
            {"client_id": "msk", "mention_id": "m1", "published_at": "2026-11-01T00:30:00Z"},
            # 01:00 on 1 December in Moscow: after the period
            {"client_id": "msk", "mention_id": "m2", "published_at": "2026-11-30T22:00:00Z"},
            # 01:00 on 1 November in Vladivostok, still October in UTC
            {"client_id": "vl", "mention_id": "m3", "published_at": "2026-10-31T15:00:00Z"},
        ],
    )
    write_table(data, "leads", [
        {"client_id": "msk", "lead_id": "l1", "created_at": "2026-11-05T10:00:00Z",
         "utm_source": "vk", "utm_medium": "social"},
        {"client_id": "msk", "lead_id": "l2", "created_at": "2026-11-05T11:00:00Z",
         "utm_source": "google", "utm_medium": "cpc"},  # not from social media
    ])  # fmt: skip
    import_path(workspace, data)
    with workspace.open_store(read_only=True) as store:
        clients = load_clients(store.backend, None)
        series = daily_data_many(store.con, clients, date(2026, 11, 1), date(2026, 11, 30))
    msk, vl = series["msk"].series, series["vl"].series
    assert msk["reach"] == {date(2026, 11, 10): 150}
    assert "impressions" not in msk  # unknown every day: nothing to add
    assert msk["posts"] == {date(2026, 11, 11): 2}
    assert msk["interactions"] == {date(2026, 11, 11): 3}
    assert msk["post_reach"] == {date(2026, 11, 11): 40}
    assert {d: n for d, n in msk["mentions"].items() if n} == {date(2026, 11, 1): 1}
    assert len(msk["mentions"]) == 30  # every day of the month, 0 without mentions
    assert {d: n for d, n in msk["leads"].items() if n} == {date(2026, 11, 5): 1}
    assert vl["reach"] == {date(2026, 11, 10): 7}
    assert vl["posts"] == {date(2026, 11, 10): 1}
    assert vl["interactions"] == {date(2026, 11, 10): 3}
    assert "post_reach" not in vl
    assert {d: n for d, n in vl["mentions"].items() if n} == {date(2026, 11, 1): 1}
    assert "leads" not in vl
    assert series["msk"].account_days == {
        "msk-vk": {date(2026, 11, 10)},
        "msk-tg": {date(2026, 11, 10)},
    }
