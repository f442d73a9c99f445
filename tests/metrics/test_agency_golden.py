"""The acceptance case of the foundation: import the canonical files of a small agency twice,
then a file of restated days and newer (and older) post snapshots, and check every KPI of every
client and account of March 2025 through ``smmkpi kpi --format json``.

The fixture is ``tests/data/canonical/agency`` (+ ``restated``). Every expected value below was
worked out by hand from those files; the arithmetic is written next to it. Fractions are left
as fractions (``630 / 12560.5 * 100``) so that a reader can retrace them.

What the fixture holds, in short:

- ``moscow`` (Europe/Moscow, awareness): ``m-vk`` with gaps in its daily rows, a follower count
  known on 28 February (the look-back) and a restated 31 March; ``m-tg`` whose follower count is
  known only from 16 March and whose posts have views but no reach and no comments; ``m-ig``
  whose follower count is never known; ``m-zero`` with zero followers and a post only in April.
  Posts and mentions sit on both sides of the month's edges in Moscow time. No web, CRM or spend
  data at all: those KPIs are null, not 0.
- ``la`` (America/Los_Angeles, sales; DST starts on 9 March): posts on both sides of 1 March
  00:00 PST and 1 April 00:00 PDT; web sessions, leads and sales with unexpanded UTM macros,
  sales inheriting their lead's UTM (all or nothing), ad spend.
- ``quiet``: a client with no accounts and no data.
"""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from smmkpi.metrics.catalogue import ACCOUNT_KPIS, KPIS
from smmkpi.metrics.compute import compute_kpis, compute_periods
from smmkpi.metrics.periods import Period
from tests.conftest import CANONICAL, cli_json, import_path

# m-vk, March after restatement. Followers known on 01, 02, 15, 31 March: 1010, 1020, 1050, 1098.
# F(m-vk) = followers_avg = (1010 + 1020 + 1050 + 1098) / 4 = 1044.5
# Posts in March (Moscow time): 1002 (28 Feb 21:00Z = 1 Mar 00:00 MSK), 1003 (newer snapshot),
# 1004 (no interaction data, reach 0), 1234567890123456789. Not 1001 (28 Feb 23:59:59 MSK),
# not 1005 (1 Apr 00:00 MSK).
# interactions: 1002 = 40+4+6 = 50; 1003 = 70+12+10 = 92; 1004 unknown; big = 20+2+0 = 22.
# Posts with known interactions: 3 -> Σ F(p) = 3 × 1044.5 = 3133.5
M_VK = {
    "followers": 1098,
    "followers_start": 1000,  # 28 Feb, within the 31-day look-back
    "followers_avg": 1044.5,
    "followers_gained": 77,  # 15 + 12 + 20 + 30
    "followers_lost": 24,  # 5 + 2 + 10 + 7 (31 Mar restated from 5 to 7)
    "net_follower_growth": 53,  # 77 − 24 (not followers − start = 98: gained and lost are known)
    "follower_growth_rate": 9.8,  # (1098 − 1000) / 1000 × 100
    "churn_rate": 2.4,  # 24 / 1000 × 100
    "audience_renewal_rate": 7.7,  # 77 / 1000 × 100
    "reach": 2050,  # 400 + 300 + 600 + 750: a sum over the days that exist
    "impressions": 2850,  # 600 + 450 + 800 + 1000
    "post_reach": 1550,  # 500 + 750 + 0 + 300
    "avg_post_reach": 387.5,  # 1550 / 4 (a post with reach 0 counts)
    "post_reach_organic": 1050,  # 400 + 650 + 0 (big post: unknown)
    "post_reach_viral": 150,  # 50 + 100 + 0
    "post_reach_paid": 50,  # 50 + 0 + 0
    "organic_reach_share": 84.0,  # 1050 / 1250 × 100 over the three posts with all parts
    "viral_reach_share": 12.0,  # 150 / 1250 × 100
    "paid_reach_share": 4.0,  # 50 / 1250 × 100
    "posts": 4,
    "interactions": 164,  # 50 + 92 + 22
    "er": 164 / 3133.5 * 100,
    "like_rate": 130 / 3133.5 * 100,  # 40 + 70 + 20
    "talk_rate": 18 / 3133.5 * 100,  # 4 + 12 + 2
    "amplification_rate": 16 / 3133.5 * 100,  # 6 + 10 + 0
    "er_day": 164 / (31 * 1044.5) * 100,
    "err": 164 / 1550 * 100,  # 1004 left out (no interactions, reach 0): 500 + 750 + 300
    "view_rate": 2200 / 3133.5 * 100,  # 800 + 1100 + 300 over 3 posts with views
    "link_clicks": 18,  # 3 + 4 + 5 + 6
    "post_link_clicks": 14,  # 5 + 9 + 0
    "profile_visits": 145,  # 30 + 25 + 40 + 50
    "contact_clicks": 6,  # 2 + 0 + 3 + 1
    "location_clicks": 4,  # 1 + 1 + 2 + 0
}

# m-tg: followers 500 (16 Mar), 520, 560; none before March -> start = first known in March.
# F = (500 + 520 + 560) / 3 = 1580 / 3. Posts 7001 (30 reactions, 5 forwards, 400 views) and
# 7002 (10, 1, 250). No comments and no reach on either.
F_TG = 1580 / 3
M_TG = {
    "followers": 560,
    "followers_start": 500,
    "followers_avg": F_TG,
    "followers_gained": 90,  # 20 + 25 + 45
    "followers_lost": 14,  # 4 + 5 + 5
    "net_follower_growth": 76,
    "follower_growth_rate": 12.0,  # 60 / 500 × 100
    "churn_rate": 2.8,  # 14 / 500 × 100
    "audience_renewal_rate": 18.0,  # 90 / 500 × 100
    "reach": None,  # no daily reach was ever reported: unknown, not 0
    "impressions": None,
    "post_reach": None,  # posts exist, but none has a reach
    "avg_post_reach": None,
    "post_reach_organic": None,
    "post_reach_viral": None,
    "post_reach_paid": None,
    "organic_reach_share": None,
    "viral_reach_share": None,
    "paid_reach_share": None,
    "posts": 2,
    "interactions": 46,  # 35 + 11
    "er": 46 / (2 * F_TG) * 100,
    "like_rate": 40 / (2 * F_TG) * 100,
    "talk_rate": None,  # no post has comments
    "amplification_rate": 6 / (2 * F_TG) * 100,
    "er_day": 46 / (31 * F_TG) * 100,
    "err": None,  # no post with reach > 0
    "view_rate": 650 / (2 * F_TG) * 100,
    "link_clicks": None,
    "post_link_clicks": None,
    "profile_visits": None,
    "contact_clicks": None,
    "location_clicks": None,
}

# m-ig: follower count never known, gained/lost known; one post (135 interactions, reach 800).
M_IG = {
    "followers": None,
    "followers_start": None,
    "followers_avg": None,
    "followers_gained": 14,
    "followers_lost": 4,
    "net_follower_growth": 10,
    "follower_growth_rate": None,
    "churn_rate": None,
    "audience_renewal_rate": None,
    "reach": 300,
    "impressions": 400,
    "post_reach": 800,
    "avg_post_reach": 800.0,
    "post_reach_organic": None,
    "post_reach_viral": None,
    "post_reach_paid": None,
    "organic_reach_share": None,
    "viral_reach_share": None,
    "paid_reach_share": None,
    "posts": 1,
    "interactions": 135,  # 100 + 10 + 5 + 20
    "er": None,  # F unknown
    "like_rate": None,
    "talk_rate": None,
    "amplification_rate": None,
    "er_day": None,
    "err": 16.875,  # 135 / 800 × 100
    "view_rate": None,
    "link_clicks": 3,
    "post_link_clicks": None,
    "profile_visits": 20,
    "contact_clicks": 5,
    "location_clicks": 1,
}

# m-zero: zero followers; its only post is in April, so the posts table covers it and March has
# 0 posts (0, not null), while every rate over a zero base is null.
M_ZERO = {
    "followers": 0,
    "followers_start": 0,
    "followers_avg": 0.0,
    "followers_gained": 0,
    "followers_lost": 0,
    "net_follower_growth": 0,
    "follower_growth_rate": None,
    "churn_rate": None,
    "audience_renewal_rate": None,
    "reach": 0,
    "impressions": 0,
    "post_reach": 0,
    "avg_post_reach": None,
    "post_reach_organic": 0,
    "post_reach_viral": 0,
    "post_reach_paid": 0,
    "organic_reach_share": None,
    "viral_reach_share": None,
    "paid_reach_share": None,
    "posts": 0,
    "interactions": 0,
    "er": None,
    "like_rate": None,
    "talk_rate": None,
    "amplification_rate": None,
    "er_day": None,
    "err": None,
    "view_rate": None,
    "link_clicks": 0,
    "post_link_clicks": 0,
    "profile_visits": 0,
    "contact_clicks": 0,
    "location_clicks": 0,
}

# The client: sums over the accounts where a value is known; ratios from the sums over the
# accounts where both parts are known. Σ F(p) over the three accounts with F:
# 3133.5 + 2 × 1580/3 + 0 = 12560.5 / 3.
BASE = 12560.5 / 3
MOSCOW = {
    "followers": 1658,  # 1098 + 560 + 0 (m-ig unknown)
    "followers_start": 1500,  # 1000 + 500 + 0
    "followers_avg": 1044.5 + F_TG + 0.0,
    "followers_gained": 181,  # 77 + 90 + 14 + 0
    "followers_lost": 42,  # 24 + 14 + 4 + 0
    # 53 + 76 + 10 + 0: m-ig counts though its follower count is unknown
    "net_follower_growth": 139,
    "follower_growth_rate": 158 / 1500 * 100,  # (98 + 60 + 0) / (1000 + 500 + 0)
    "churn_rate": 38 / 1500 * 100,  # (24 + 14 + 0) / 1500; m-ig has no start
    "audience_renewal_rate": 167 / 1500 * 100,  # (77 + 90 + 0) / 1500
    "reach": 2350,  # 2050 + 300 + 0
    "impressions": 3250,  # 2850 + 400 + 0
    "post_reach": 2350,  # 1550 + 800 + 0
    "avg_post_reach": 470.0,  # 2350 / (4 + 1 + 0)
    "post_reach_organic": 1050,
    "post_reach_viral": 150,
    "post_reach_paid": 50,
    "organic_reach_share": 84.0,
    "viral_reach_share": 12.0,
    "paid_reach_share": 4.0,
    # mentions in March (Moscow time): m1, m2, m3, m4, m5, m7, m9 — not m6 (28 Feb 23:59:59
    # MSK) nor m8 (1 Apr 00:00 MSK). Brand tags "#coffeelab кофелаб": m1 "#CoffeeLab!",
    # m3 "#КОФЕЛАБ", m4 fullwidth "#ｃｏｆｆｅｅｌａｂ" (NFKC), m7 (both tags, counted once).
    # Not m2 "#coffeelabs", m5 "coffeelab" without "#", m9 without text.
    "mentions": 7,
    "branded_hashtag_posts": 4,
    "posts": 7,  # 4 + 2 + 1 + 0
    "interactions": 345,  # 164 + 46 + 135 + 0
    "er": (164 + 46 + 0) / BASE * 100,  # m-ig left out: its F is unknown
    "like_rate": (130 + 40 + 0) / BASE * 100,
    "talk_rate": 18 / 3133.5 * 100,  # m-tg has no comments: left out of both sums
    "amplification_rate": (16 + 6 + 0) / BASE * 100,
    "er_day": (164 + 46 + 0) / (31 * 1044.5 + 31 * F_TG + 0) * 100,
    "err": (164 + 135) / (1550 + 800) * 100,
    "view_rate": (2200 + 650 + 0) / BASE * 100,
    "link_clicks": 21,  # 18 + 3 + 0
    "post_link_clicks": 14,
    "profile_visits": 165,  # 145 + 20 + 0
    "contact_clicks": 11,  # 6 + 5 + 0
    "location_clicks": 5,  # 4 + 1 + 0
    # No web analytics, CRM or spend data was ever imported for moscow: null, not 0.
    "site_sessions": None,
    "site_goal_completions": None,
    "leads": None,
    "sales": None,
    "revenue": None,
    "ad_spend": None,
    "cpl": None,
    "cost_per_sale": None,
    "romi": None,
    "lead_conversion_rate": None,
    "lead_to_sale_rate": None,
}

# la-ig: followers 2000 (8 Mar), 2010 (9 Mar). March in Los Angeles runs from
# 2025-03-01T08:00:00Z (PST) to 2025-04-01T07:00:00Z (PDT). Posts in it: 5002, 5003, 5004
# (interactions 26, 39, 52; reach 200, 300, 400; link clicks 4, 6, 8); not 5001 (07:59:59Z =
# 28 Feb 23:59:59 PST) nor 5005 (07:00:00Z = 1 Apr 00:00 PDT). F = 2005.
LA_IG = {
    "followers": 2010,
    "followers_start": 2000,
    "followers_avg": 2005.0,
    "followers_gained": 35,
    "followers_lost": 10,
    "net_follower_growth": 25,
    "follower_growth_rate": 0.5,  # 10 / 2000 × 100
    "churn_rate": 0.5,
    "audience_renewal_rate": 1.75,
    "reach": 2100,
    "impressions": 3100,
    "post_reach": 900,
    "avg_post_reach": 300.0,
    "post_reach_organic": None,
    "post_reach_viral": None,
    "post_reach_paid": None,
    "organic_reach_share": None,
    "viral_reach_share": None,
    "paid_reach_share": None,
    "posts": 3,
    "interactions": 117,
    "er": 117 / (3 * 2005) * 100,
    "like_rate": 90 / (3 * 2005) * 100,
    "talk_rate": 9 / (3 * 2005) * 100,
    "amplification_rate": 9 / (3 * 2005) * 100,
    "er_day": 117 / (31 * 2005) * 100,
    "err": 13.0,  # 117 / 900 × 100
    "view_rate": None,  # no views reported
    "link_clicks": 45,
    "post_link_clicks": 18,
    "profile_visits": 210,
    "contact_clicks": 22,
    "location_clicks": 11,
}

LA = {
    **LA_IG,
    "mentions": None,  # no mentions imported
    "branded_hashtag_posts": None,  # and no brand hashtags set
    # Social web sessions in March: instagram/social 100, " IG "/{medium} 50 (the macro counts
    # as empty; the source decides), {source}/SMM 20. Not google/cpc, newsletter/email, direct,
    # nor 28 February's 999.
    "site_sessions": 170,
    "site_goal_completions": 8,  # 5 + 2 + 1
    # Social leads created in March: L1 (instagram/social), L3 (channel "Instagram"), L4 (source
    # is a macro, channel "tg"). Not L2 (google/cpc), L5 (сарафан), L7 (only a campaign macro),
    # L6 (28 Feb 23:59:59 PST).
    "leads": 3,
    # Social sales closed in March: S1 (inherits L1), S3 (own "vk"), S5 (inherits L6), S7
    # (channel facebook), S9 (own telegram, no amount), S10 (own channel vk: it does not take
    # L2's google/cpc). Not S2 (inherits сарафан), S4 (only a macro: inherits L2's google/cpc),
    # S6 (unknown lead, no UTM), S8 (1 Apr 00:00 PDT).
    "sales": 6,
    "revenue": 2100.75,  # 1000.50 + 700.25 + 200 + 50 + 150 (S9's amount is unknown)
    "ad_spend": 500.0,  # 300.25 + 199.75 (not 28 Feb, not 1 Apr)
    "cpl": 500 / 3,
    "cost_per_sale": 500 / 6,
    "romi": (2100.75 - 500) / 500 * 100,
    "lead_conversion_rate": 3 / 170 * 100,
    "lead_to_sale_rate": 6 / 3 * 100,  # both counted in March: sales may exceed leads
}

QUIET = dict.fromkeys((k.id for k in KPIS), None)


def assert_values(actual: dict[str, Any], expected: dict[str, Any], where: str) -> None:
    assert set(actual) == set(expected), where
    for kpi_id, value in expected.items():
        got = actual[kpi_id]
        if value is None:
            assert got is None, f"{where} {kpi_id}: expected null, got {got!r}"
        elif isinstance(value, int) and not isinstance(value, bool):
            assert got == value, f"{where} {kpi_id}: expected {value!r}, got {got!r}"
            assert isinstance(got, int), f"{where} {kpi_id}: a count must be an integer"
        else:
            assert got == pytest.approx(value, rel=1e-12), f"{where} {kpi_id}"


@pytest.fixture
def agency(workspace: Any, runner: CliRunner) -> Any:
    folder = CANONICAL / "agency"
    first = import_path(workspace, folder)
    again = import_path(workspace, folder)
    restated = import_path(workspace, CANONICAL / "restated")
    return workspace, first, again, restated


def test_second_identical_import_changes_nothing(agency: Any) -> None:
    _ws, first, again, _restated = agency
    assert first.totals.inserted == 3 + 5 + 14 + 15 + 9 + 7 + 7 + 10 + 4
    assert not again.changed
    assert again.totals.unchanged == first.totals.inserted


def test_restated_days_replace_and_older_snapshots_are_ignored(agency: Any) -> None:
    _ws, _first, _again, restated = agency
    daily, posts = restated.tables["account_daily"], restated.tables["posts"]
    assert (daily.inserted, daily.replaced, daily.unchanged) == (0, 1, 1)
    assert (posts.inserted, posts.replaced, posts.ignored) == (0, 1, 1)


def test_every_kpi_of_every_client_and_account(agency: Any, runner: CliRunner) -> None:
    workspace = agency[0]
    output = cli_json(
        runner, "--workspace", str(workspace.path), "kpi", "--month", "2025-03", "--format", "json"
    )
    assert [o["client_id"] for o in output] == ["la", "moscow", "quiet"]
    by_client = {o["client_id"]: o for o in output}

    moscow = by_client["moscow"]
    assert moscow["period"] == {
        "start": "2025-03-01",
        "end": "2025-03-31",
        "timezone": "Europe/Moscow",
    }
    assert_values(moscow["kpis"], MOSCOW, "moscow")
    assert list(moscow["accounts"]) == ["m-ig", "m-tg", "m-vk", "m-zero"]
    for account_id, expected in (
        ("m-vk", M_VK),
        ("m-tg", M_TG),
        ("m-ig", M_IG),
        ("m-zero", M_ZERO),
    ):
        assert_values(moscow["accounts"][account_id], expected, account_id)

    la = by_client["la"]
    assert la["period"]["timezone"] == "America/Los_Angeles"
    assert_values(la["kpis"], LA, "la")
    assert_values(la["accounts"]["la-ig"], LA_IG, "la-ig")

    quiet = by_client["quiet"]
    assert quiet["period"]["timezone"] == "UTC"  # the default of an empty timezone cell
    assert_values(quiet["kpis"], QUIET, "quiet")
    assert quiet["accounts"] == {}


def test_account_objects_carry_every_account_level_kpi(agency: Any, runner: CliRunner) -> None:
    output = cli_json(
        runner, "-w", str(agency[0].path), "kpi", "-c", "la", "-m", "2025-03", "--format", "json"
    )
    assert isinstance(output, dict)  # one client: an object, not an array
    assert list(output["kpis"]) == [k.id for k in KPIS]
    assert list(output["accounts"]["la-ig"]) == [k.id for k in ACCOUNT_KPIS]


def test_values_before_the_restatement(workspace: Any, runner: CliRunner) -> None:
    import_path(workspace, CANONICAL / "agency")
    output = cli_json(
        runner,
        "-w",
        str(workspace.path),
        "kpi",
        "-c",
        "moscow",
        "-m",
        "2025-03",
        "--format",
        "json",
    )
    vk = output["accounts"]["m-vk"]
    assert vk["reach"] == 2000  # 400 + 300 + 600 + 700
    assert vk["followers"] == 1100
    assert vk["followers_avg"] == 1045.0  # (1010 + 1020 + 1050 + 1100) / 4
    assert vk["net_follower_growth"] == 55  # 77 − 22
    assert vk["interactions"] == 152  # 50 + (60 + 10 + 10) + 22
    assert vk["err"] == pytest.approx(152 / 1500 * 100)  # reach 500 + 700 + 300


def test_many_periods_in_one_call_give_each_period_its_own_values(agency: Any) -> None:
    """March computed beside the other months of the quarter, April and the quarter itself —
    overlapping periods in one call to the engine — has exactly the hand-computed values, and
    every other period equals its own computation alone (no row counted in a neighbour's
    period, no lead repeated)."""
    workspace = agency[0]
    months = [Period.month(m) for m in ("2025-01", "2025-02", "2025-03", "2025-04")]
    periods = [*months, Period.parse("2025-Q1")]
    clients = ["moscow", "la", "quiet"]
    with workspace.open_store(read_only=True) as store:
        together = compute_periods(store.backend, periods, clients)
        alone = [compute_kpis(store.backend, p, clients) for p in periods]
    assert [r.period for r in together] == periods
    march, march_accounts = together[2].values()
    assert_values(march["moscow"], MOSCOW, "moscow")
    assert_values(march["la"], LA, "la")
    assert_values(march["quiet"], QUIET, "quiet")
    assert_values(march_accounts["moscow"]["m-vk"], M_VK, "m-vk")
    assert_values(march_accounts["la"]["la-ig"], LA_IG, "la-ig")
    for joint, single in zip(together, alone, strict=True):
        assert joint.values() == single.values(), joint.period.key()
        assert [c.kpis for c in joint] == [c.kpis for c in single], joint.period.key()
    quarter = together[4].client_values()
    for client, kpi in (("moscow", "posts"), ("la", "posts"), ("la", "leads"), ("la", "sales")):
        by_month = [r.client_values()[client][kpi] or 0 for r in together[:3]]
        assert quarter[client][kpi] == sum(by_month), (client, kpi)
