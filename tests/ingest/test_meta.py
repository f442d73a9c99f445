"""Meta Business Suite exports and Graph API insights → posts and account_daily."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from smmkpi.errors import UserError
from smmkpi.metrics.periods import Period
from smmkpi.workspace import Workspace
from tests.conftest import compute, table_rows
from tests.ingest.conftest import DATA, platform_import

META = DATA / "meta"
AS_OF = datetime(2025, 4, 5, 9, tzinfo=UTC)


def posts(workspace: Workspace, account: str) -> dict[str, tuple]:
    return {r[1]: r for r in table_rows(workspace, "posts") if r[0] == account}


def daily(workspace: Workspace, account: str) -> dict[str, tuple]:
    return {
        r[1].isoformat(): r[2:11] for r in table_rows(workspace, "account_daily") if r[0] == account
    }


def test_an_instagram_post_export(agency: Workspace) -> None:
    outcome = platform_import(agency, META / "ig_posts_mar-2025.csv", as_of=AS_OF)
    assert outcome.record.format == "meta"
    found = posts(agency, "coffeelab-ig")  # found by the username coffeelab.msk
    assert set(found) == {f"1791234567890123{i}" for i in range(4, 8)}
    first = found["17912345678901234"]
    assert first[2] == datetime(2025, 3, 1, 6, tzinfo=UTC)  # 09:00 in Moscow, the client's zone
    assert first[3] == "post"
    assert first[4] == "Утро с 𝐂𝐨𝐟𝐟𝐞𝐞𝐋𝐚𝐛 ☕ #кофелаб\nЖдём вас!"  # stored as given
    # likes, comments, shares, saves, views, reach
    assert first[6:12] == (120, 14, 8, 30, 2400, 1900)
    assert found["17912345678901235"][3] == "reel"
    assert found["17912345678901235"][2] == datetime(2025, 3, 15, 15, 30, tzinfo=UTC)  # month-first
    assert found["17912345678901236"][2] == datetime(
        2025, 3, 31, 20, 30, tzinfo=UTC
    )  # still March in Moscow
    assert found["17912345678901237"][3] == "story"
    assert found["17912345678901237"][6:12] == (None,) * 6  # expired insights: unknown, not 0
    assert any("read in Europe/Moscow" in w for w in outcome.record.warnings)


def test_localised_headers_another_encoding_and_drifting_columns(agency: Workspace) -> None:
    platform_import(agency, META / "ig_posts_mar-2025.csv", as_of=AS_OF)
    later = datetime(2025, 4, 6, tzinfo=UTC)
    outcome = platform_import(agency, META / "ig_posts_ru_cp1251.csv", as_of=later)
    assert (outcome.tables["posts"].inserted, outcome.tables["posts"].replaced) == (1, 1)
    reel = posts(agency, "coffeelab-ig")["17912345678901235"]
    # likes, comments, shares, saves, views, reach: saves kept from the first export (this one has
    # no Saves column), the rest from the newer snapshot; "9 450" with a no-break space
    assert reel[6:12] == (436, 35, 55, 95, 9450, 5300)
    assert reel[2] == datetime(2025, 3, 15, 15, 30, tzinfo=UTC)  # day-first this time
    assert posts(agency, "coffeelab-ig")["17912345678901238"][3] == "post"  # "Фото"


def test_a_facebook_post_export(agency: Workspace) -> None:
    platform_import(agency, META / "fb_posts_mar-2025.csv", as_of=AS_OF)
    found = posts(agency, "homedecor-fb")  # found by the Page ID
    assert found["104328871000001_901"][4] == "Диван «Осло» в новой обивке — ссылка на каталог"
    assert found["104328871000001_902"][4] == "Гостиная в скандинавском стиле"  # the Title
    assert found["104328871000001_902"][3] == "video"
    # likes (Reactions), comments, shares, saves, views, reach, organic, viral, paid, link clicks
    assert found["104328871000001_902"][6:16] == (
        190,
        25,
        15,
        None,
        5200,
        3900,
        None,
        None,
        None,
        71,
    )


def test_the_daily_breakdown_export_is_refused(agency: Workspace) -> None:
    with pytest.raises(UserError, match="daily breakdown"):
        platform_import(agency, META / "fb_posts_daily_breakdown.csv", as_of=AS_OF)


def test_page_level_series_fill_their_columns(agency: Workspace) -> None:
    outcome = platform_import(agency, META / "fb_page_series", client_id="homedecor")
    assert outcome.tables["account_daily"].inserted == 3
    # followers, gained, lost, reach, impressions, visits, link, contact, location
    assert daily(agency, "homedecor-fb") == {
        "2025-03-01": (None, 20, None, None, 4200, 310, None, None, None),
        "2025-03-02": (None, 14, None, None, 5100, 280, None, None, None),
        "2025-03-03": (None, 9, None, None, 3900, 260, None, None, None),
    }
    assert any("'content interactions' has no place" in w for w in outcome.record.warnings)
    restated = platform_import(agency, META / "Follows_restated.csv", account_id="homedecor-fb")
    assert restated.tables["account_daily"].replaced == 1
    assert daily(agency, "homedecor-fb")["2025-03-01"][:6] == (None, 22, None, None, 4200, 310)


def test_instagram_insights_by_pacific_day(agency: Workspace) -> None:
    outcome = platform_import(agency, META / "ig_insights.json", account_id="coffeelab-ig")
    assert daily(agency, "coffeelab-ig") == {
        "2025-03-07": (None, 12, None, 1800, 2600, 140, None, None, None),
        "2025-03-08": (None, 15, None, 2100, 3050, 165, None, None, None),
        "2025-03-09": (
            None,
            9,
            None,
            1650,
            2900,
            120,
            None,
            None,
            None,
        ),  # views replace impressions
    }
    warnings = " ".join(outcome.record.warnings)
    assert "follows_and_unfollows" in warnings  # a total, not a daily value
    assert "website_clicks" in warnings  # no values: unknown, not 0
    assert "views instead of impressions" in warnings


def test_facebook_insights(agency: Workspace) -> None:
    outcome = platform_import(agency, META / "fb_insights.json")  # the page id names the account
    assert daily(agency, "homedecor-fb") == {
        "2025-03-01": (None, 20, 3, 2500, None, 310, None, None, None),
        "2025-03-02": (None, 14, 5, 2900, None, 280, None, None, None),
    }
    warnings = " ".join(outcome.record.warnings)
    assert "page_post_engagements" in warnings
    assert "page_actions_post_reactions_total" in warnings


def test_the_kpis_of_an_instagram_month(agency: Workspace) -> None:
    platform_import(agency, META / "ig_posts_mar-2025.csv", as_of=AS_OF)
    platform_import(agency, META / "ig_insights.json", account_id="coffeelab-ig")
    (result,) = compute(agency, Period.month("2025-03"), ["coffeelab"])
    instagram = result.accounts["coffeelab-ig"]
    # insights: Pacific days 7–9 March; on the 9th views (2,900) stand for impressions
    assert instagram["reach"].value == 1800 + 2100 + 1650
    assert instagram["impressions"].value == 2600 + 3050 + 2900
    assert instagram["profile_visits"].value == 140 + 165 + 120
    assert instagram["followers_gained"].value == 12 + 15 + 9
    # posts: four in March in Moscow (the last at 23:30 on the 31st); the story's insights
    # expired, so its interactions are unknown and it is not counted in them
    assert instagram["posts"].value == 4
    assert instagram["interactions"].value == (120 + 14 + 8 + 30) + (410 + 33 + 52 + 95) + (
        60 + 4 + 2 + 11
    )
    assert instagram["post_reach"].value == 1900 + 5100 + 1200
    assert instagram["err"].value == pytest.approx(839 / 8200 * 100)  # ERR by reach


def test_a_plainly_titled_series_is_read_and_an_unknown_one_spares_its_neighbours(
    agency: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "page"
    folder.mkdir()
    (folder / "Follows.csv").write_text(
        '"Follows"\n"Date","Primary"\n"2025-03-01T00:00:00","12"\n"2025-03-02T00:00:00","7"\n',
        encoding="utf-8",
    )
    (folder / "Growth.csv").write_text(
        '"Follower growth"\n"Date","Primary"\n"2025-03-01T00:00:00","5"\n', encoding="utf-8"
    )
    outcome = platform_import(agency, folder, account_id="homedecor-fb")
    gained = {day: row[1] for day, row in daily(agency, "homedecor-fb").items()}
    assert gained == {"2025-03-01": 12, "2025-03-02": 7}
    assert any(
        w.startswith("Growth.csv: the title 'follower growth' is not a Meta series this importer "
                     "knows (known: ") and w.endswith("); the file was left out.")
        for w in outcome.record.warnings
    )  # fmt: skip
    # alone, with --format meta, the plainly titled file is a Meta series too
    single = platform_import(agency, folder / "Follows.csv", file_format="meta",
                             account_id="homedecor-fb")  # fmt: skip
    assert single.tables["account_daily"].unchanged == 2
