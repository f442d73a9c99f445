"""VK API responses → account_daily and posts (fixtures in tests/data/vk)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from smmkpi.errors import UserError
from smmkpi.metrics.periods import Period
from smmkpi.workspace import Workspace
from tests.conftest import compute, table_rows
from tests.ingest.conftest import DATA, platform_import

VK = DATA / "vk"
AS_OF = datetime(2025, 3, 5, 9, tzinfo=UTC)


def daily(workspace: Workspace) -> dict[str, tuple]:
    return {
        r[1].isoformat(): r
        for r in table_rows(workspace, "account_daily")
        if r[0] == "coffeelab-vk"
    }


def test_a_community_folder(agency: Workspace) -> None:
    outcome = platform_import(agency, VK / "coffeelab", as_of=AS_OF)
    assert outcome.record.format == "vk"
    assert (outcome.tables["account_daily"].inserted, outcome.tables["posts"].inserted) == (4, 3)
    rows = daily(agency)
    # columns: account_id, date, followers, gained, lost, reach, impressions, profile_visits, ...
    assert rows["2025-03-01"][2:8] == (None, 0, 0, 1200, None, 340)  # VK left out 0 keys
    assert rows["2025-03-02"][2:8] == (None, 15, 4, 1500, None, 410)
    assert rows["2025-03-03"][2:8] == (None, 0, 0, 900, None, 120)  # no activity at all: 0
    assert rows["2025-03-05"][2] == 14230  # groups.getById's members_count, on the --as-of day
    posts = {r[1]: r for r in table_rows(agency, "posts")}
    assert set(posts) == {"4812", "4813", "1234567890123456789"}  # the postponed one left out
    first = posts["4812"]
    # published_at, kind, text, url, likes, comments, shares, saves, views, reach, organic,
    # viral, paid, link_clicks, captured_at
    assert first[2] == datetime(2025, 3, 1, 12, tzinfo=UTC)
    assert first[3:6] == (
        "post",
        "Новый сорт эфиопии в воронке #кофелаб",
        "https://vk.com/wall-21890451_4812",
    )
    assert first[6:16] == (
        54,
        6,
        3,
        None,
        2100,
        1300,
        1050,
        150,
        100,
        14,
    )  # organic = 1300 − 150 − 100
    assert first[16] == AS_OF
    assert posts["4813"][3] == "video"
    assert posts["4813"][11:16] == (2000, 1600, 400, 0, 20)
    assert posts["1234567890123456789"][11] is None  # not in getPostReach: reach unknown


def test_the_kpis_of_the_imported_month(agency: Workspace) -> None:
    platform_import(agency, VK / "coffeelab", as_of=AS_OF)
    (result,) = compute(agency, Period.month("2025-03"), ["coffeelab"])
    vk = result.accounts["coffeelab-vk"]
    assert vk["reach"].value == 1200 + 1500 + 900
    assert vk["net_follower_growth"].value == 15 - 4
    assert vk["post_reach"].value == 1300 + 2000
    assert vk["err"].value == pytest.approx((54 + 6 + 3 + 80 + 11 + 9) / (1300 + 2000) * 100)
    assert vk["organic_reach_share"].value == pytest.approx((1050 + 1600) / (1300 + 2000) * 100)


def test_importing_again_changes_nothing(agency: Workspace) -> None:
    platform_import(agency, VK / "coffeelab", as_of=AS_OF)
    assert not platform_import(agency, VK / "coffeelab", as_of=AS_OF).changed


def test_statistics_alone_need_the_account_when_it_is_ambiguous(agency: Workspace) -> None:
    with pytest.raises(
        UserError,
        match=r"does not say which client it is for\. Pass --client \(one of: coffeelab, "
        r"homedecor, pacific\) or --account\.",
    ):
        platform_import(agency, VK / "coffeelab" / "stats_get.json")
    outcome = platform_import(
        agency, VK / "coffeelab" / "stats_get.json", account_id="coffeelab-vk"
    )
    assert outcome.tables["account_daily"].inserted == 3


def test_post_reach_alone_with_no_stored_posts_is_refused(agency: Workspace) -> None:
    with pytest.raises(
        UserError, match=r"none of the 2 posts of stats\.getPostReach is stored for account"
    ):
        platform_import(agency, VK / "coffeelab" / "get_post_reach.json", account_id="coffeelab-vk")
    assert table_rows(agency, "posts") == []


def test_post_reach_alone_adds_reach_to_the_stored_posts(agency: Workspace) -> None:
    platform_import(agency, VK / "coffeelab" / "wall_get.json", as_of=AS_OF)
    before = {r[1]: r for r in table_rows(agency, "posts")}
    assert before["4812"][11] is None  # reach unknown without getPostReach
    later = datetime(2025, 3, 6, 9, tzinfo=UTC)
    outcome = platform_import(
        agency, VK / "coffeelab" / "get_post_reach.json", account_id="coffeelab-vk", as_of=later
    )
    assert outcome.tables["posts"].replaced == 2 and outcome.tables["posts"].inserted == 0
    assert outcome.record.warnings == [
        "stats.getPostReach: the reach of 2 stored posts was added (matched by post id); 0 posts "
        "are not stored and were left out (import their wall.get)."
    ]
    posts = {r[1]: r for r in table_rows(agency, "posts")}
    assert set(posts) == {"4812", "4813", "1234567890123456789"}  # no post made of reach alone
    # published_at and the counters stay; reach, organic (1300 - 150 - 100), viral, paid, links
    assert posts["4812"][2] == before["4812"][2]
    assert posts["4812"][6:11] == before["4812"][6:11]
    assert posts["4812"][11:16] == (1300, 1050, 150, 100, 14)
    assert posts["4813"][11:16] == (2000, 1600, 400, 0, 20)
    assert posts["1234567890123456789"] == before["1234567890123456789"]


def test_wall_and_reach_named_together_are_one_import(agency: Workspace) -> None:
    outcome = platform_import(
        agency,
        VK / "coffeelab" / "wall_get.json",
        VK / "coffeelab" / "get_post_reach.json",
        as_of=AS_OF,
    )
    assert outcome.tables["posts"].inserted == 3
    assert len(outcome.record.files) == 2
    posts = {r[1]: r for r in table_rows(agency, "posts")}
    assert posts["4812"][11:16] == (1300, 1050, 150, 100, 14)


def test_the_old_groups_shape_and_a_screen_name(agency: Workspace) -> None:
    outcome = platform_import(agency, VK / "groups_get_by_id_old.json", as_of=AS_OF)
    assert outcome.tables["account_daily"].inserted == 1
    assert daily(agency)["2025-03-05"][2] == 14180
