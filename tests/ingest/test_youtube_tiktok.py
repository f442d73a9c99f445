"""YouTube Studio and TikTok Studio exports → posts and account_daily."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from smmkpi.errors import UserError
from smmkpi.ingest.registry import detect
from smmkpi.metrics.periods import Period
from smmkpi.workspace import Workspace
from tests.conftest import compute, import_path, table_rows, write_table
from tests.ingest.conftest import DATA, platform_import

YOUTUBE = DATA / "youtube"
TIKTOK = DATA / "tiktok"
STUDIO_ZIP = YOUTUBE / "Content 2025-01-01_2025-03-31 Pacific Brew.zip"


def posts(workspace: Workspace, account: str) -> dict[str, tuple]:
    return {r[1]: r for r in table_rows(workspace, "posts") if r[0] == account}


def daily(workspace: Workspace, account: str) -> dict[date, tuple]:
    # followers, gained, lost, reach, impressions, profile visits
    return {r[1]: r[2:8] for r in table_rows(workspace, "account_daily") if r[0] == account}


def test_a_studio_zip_by_content(agency: Workspace) -> None:
    assert [i.name for _p, i in detect(STUDIO_ZIP)] == ["youtube"]
    outcome = platform_import(agency, STUDIO_ZIP)
    found = posts(agency, "pacific-yt")  # the channel named in the zip's name
    # the Total row is left out, and so is the video published before the exported period
    assert set(found) == {"Kx3d9PqLm2A", "b7QwZ1_ytE0", "-9vTmN0cQ8s"}
    cold_brew = found["Kx3d9PqLm2A"]
    # midnight of 14 January in Los Angeles, the client's zone
    assert cold_brew[2] == datetime(2025, 1, 14, 8, tzinfo=UTC)
    assert cold_brew[3:6] == (
        "video",
        "Cold brew at home, step by step ☕",
        "https://www.youtube.com/watch?v=Kx3d9PqLm2A",
    )
    # likes, comments, shares, saves, views, reach
    assert cold_brew[6:12] == (702, 61, 40, None, 8400, 5900)
    # captured at the end of the exported period (midnight after 31 March, Pacific)
    assert cold_brew[16] == datetime(2025, 4, 1, 7, tzinfo=UTC)
    assert any("1 video was published before" in w for w in outcome.record.warnings)


def test_studio_posts_give_kpis(agency: Workspace) -> None:
    platform_import(agency, STUDIO_ZIP)
    (result,) = compute(agency, Period.month("2025-01"), ["pacific"])
    youtube = result.accounts["pacific-yt"]
    assert youtube["posts"].value == 1
    assert youtube["interactions"].value == 702 + 61 + 40
    assert youtube["post_reach"].value == 5900


def test_a_studio_table_by_date(agency: Workspace) -> None:
    outcome = platform_import(agency, YOUTUBE / "Table data.csv", account_id="pacific-yt")
    found = daily(agency, "pacific-yt")
    assert sorted(found) == [date(2025, 3, d) for d in range(1, 8)]
    # followers, gained, lost, reach, impressions: net Subscribers is not split
    assert found[date(2025, 3, 1)][:5] == (None, None, None, 220, 4100)
    assert found[date(2025, 3, 5)][:5] == (None, None, None, None, 4600)  # empty viewers: unknown
    assert any("net 'Subscribers'" in w for w in outcome.record.warnings)


def test_a_russian_studio_table_with_gained_and_lost(agency: Workspace) -> None:
    platform_import(agency, YOUTUBE / "Данные таблицы.csv", account_id="pacific-yt")
    found = daily(agency, "pacific-yt")
    assert found == {
        date(2025, 3, 1): (None, 4, 2, None, 4100, None),
        date(2025, 3, 2): (None, 3, 1, None, 3890, None),
        date(2025, 3, 3): (None, 4, 1, None, 7910, None),
    }


def test_an_analytics_api_report_by_day(agency: Workspace) -> None:
    platform_import(agency, YOUTUBE / "reports_query_by_day.json", client_id="pacific")
    found = daily(agency, "pacific-yt")
    assert found[date(2025, 3, 31)][:3] == (None, 4, 2)
    assert found[date(2025, 4, 1)][:3] == (None, 7, 0)


def test_a_tiktok_export_folder_across_new_year(agency: Workspace) -> None:
    as_of = datetime(2026, 1, 3, 18, tzinfo=UTC)  # 10:00 on 3 January in Los Angeles
    outcome = platform_import(agency, TIKTOK / "export", as_of=as_of, client_id="pacific")
    assert outcome.record.format == "tiktok"
    found = daily(agency, "pacific-tt")
    assert sorted(found) == [
        date(2025, 12, 29),
        date(2025, 12, 30),
        date(2025, 12, 31),
        date(2026, 1, 1),
        date(2026, 1, 2),
    ]
    # followers, gained, lost, reach (Total Viewers), impressions (Video Views), profile visits
    assert found[date(2025, 12, 30)] == (12031, None, None, 1411, 1804, 97)
    assert found[date(2025, 12, 31)] == (12030, None, None, 980, None, None)  # "undefined"
    assert found[date(2026, 1, 1)] == (12077, None, None, 1890, 2410, 133)
    warnings = " ".join(outcome.record.warnings)
    assert "read as 2025-12-29 to 2026-01-02" in warnings
    assert "audience breakdown" in warnings


def test_tiktok_kpis(agency: Workspace) -> None:
    platform_import(
        agency, TIKTOK / "export", as_of=datetime(2026, 1, 3, 18, tzinfo=UTC), client_id="pacific"
    )
    (result,) = compute(agency, Period.month("2025-12"), ["pacific"])
    tiktok = result.accounts["pacific-tt"]
    assert tiktok["impressions"].value == 1520 + 1804  # 31 December is unknown
    assert tiktok["profile_visits"].value == 84 + 97
    assert tiktok["followers"].value == 12030  # the last known day of the month


def test_a_portuguese_tiktok_overview(agency: Workspace) -> None:
    platform_import(
        agency,
        TIKTOK / "Overview_pt.csv",
        as_of=datetime(2025, 8, 2, tzinfo=UTC),
        client_id="pacific",
    )
    found = daily(agency, "pacific-tt")
    assert found[date(2025, 7, 30)][4:6] == (1204, 61)
    assert found[date(2025, 8, 1)][4:6] == (2015, 98)


def test_a_tiktok_file_needs_the_account_when_there_are_two(
    agency: Workspace, tmp_path: Path
) -> None:
    write_table(
        tmp_path / "more",
        "accounts",
        [{"account_id": "coffeelab-tt", "client_id": "coffeelab", "platform": "tiktok"}],
    )
    import_path(agency, tmp_path / "more")
    with pytest.raises(UserError, match=r"does not say which client it is for\. Pass --client"):
        platform_import(agency, TIKTOK / "Overview_pt.csv")
    with pytest.raises(UserError, match=r"Client 'homedecor' has no tiktok account"):
        platform_import(agency, TIKTOK / "Overview_pt.csv", client_id="homedecor")
    platform_import(
        agency,
        TIKTOK / "Overview_pt.csv",
        account_id="coffeelab-tt",
        as_of=datetime(2025, 8, 2, tzinfo=UTC),
    )
    assert date(2025, 7, 31) in daily(agency, "coffeelab-tt")


def test_an_archive_that_would_unpack_without_end_is_refused(
    agency: Workspace, tmp_path: Path
) -> None:
    import zipfile

    bomb = tmp_path / "Content 2025-01-01_2025-03-31 Pacific Brew.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Table data.csv", b"0" * (50 << 20))  # 50 MB that pack into 50 KB
    with pytest.raises(UserError, match="would unpack to 52428800 bytes; that is not an export"):
        platform_import(agency, bomb)


def test_a_365_day_tiktok_export_counts_back_from_its_last_row(
    agency: Workspace, tmp_path: Path
) -> None:
    """Saved on 28 February 2026, a year of days from "February 28" to "February 28": the
    first row is 28 February 2025 (it was read as the save day itself, and its own day lost)."""
    first = date(2025, 2, 28)
    days = [first + timedelta(days=i) for i in range(366)]
    lines = ["Date,Video Views,Profile Views,Likes,Comments,Shares"]
    lines += [f"{d:%B} {d.day},{100 + i},{i % 7},1,0,0" for i, d in enumerate(days)]
    export = tmp_path / "Overview.csv"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = platform_import(
        agency, export, client_id="pacific", as_of=datetime(2026, 2, 28, 20, tzinfo=UTC)
    )
    assert outcome.tables["account_daily"].inserted == 366
    stored = daily(agency, "pacific-tt")
    assert min(stored) == date(2025, 2, 28) and max(stored) == date(2026, 2, 28)
    assert stored[date(2025, 2, 28)][4] == 100  # impressions of the first row
    assert stored[date(2026, 2, 28)][4] == 465
    # out of order: a row that would have to jump back months is refused, nothing written
    shuffled = tmp_path / "shuffled" / "Overview.csv"
    shuffled.parent.mkdir()
    shuffled.write_text(
        "Date,Video Views,Profile Views,Likes,Comments,Shares\n"
        "June 1,10,1,0,0,0\nJanuary 5,10,1,0,0,0\nJanuary 6,10,1,0,0,0\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError, match=r"row 2 \(June 1\) does not come right before row 3"):
        platform_import(
            agency, shuffled, client_id="pacific", as_of=datetime(2026, 2, 1, tzinfo=UTC)
        )


def test_the_2025_tiktok_overview_maps_reach_and_followers(
    agency: Workspace, tmp_path: Path
) -> None:
    export = tmp_path / "Overview.csv"
    export.write_text(
        "Date,Video Views,Reached audience,Profile Views,Likes,Shares,Comments,"
        "Phone number clicks,Lead submissions,Net growth,New followers,Lost followers\n"
        "2025/10/30,NAN,NAN,0,0,0,0,0,0,0,0,0\n"
        "2025/10/31,1520,1210,84,210,9,12,1,0,5,7,2\n"
        "2025/11/01,1804,1400,97,260,11,15,0,1,-1,3,4\n",
        encoding="utf-8",
    )
    outcome = platform_import(agency, export, client_id="pacific")
    assert outcome.tables["account_daily"].inserted == 3
    stored = daily(agency, "pacific-tt")
    assert stored[date(2025, 10, 31)][1:6] == (7, 2, 1210, 1520, 84)
    assert stored[date(2025, 10, 30)][3:5] == (None, None)  # NAN: unknown, not 0
    assert (
        "Overview.csv: left out (no place in daily statistics): Net growth, Likes, Comments, "
        "Shares, Phone number clicks, Lead submissions." in outcome.record.warnings
    )


def test_videos_without_a_publish_time_are_left_out_by_name(
    agency: Workspace, tmp_path: Path
) -> None:
    export = tmp_path / "Table data.csv"
    export.write_text(
        "Content,Video title,Video publish time,Views,Watch time (hours)\n"
        "Total,,,900,40.5\n"
        'abc123XYZ00,Cold brew at home,"Mar 3, 2025",700,30.1\n'
        "unl1st3d000,Draft for the client,,150,8.2\n"
        "pr1v4t3000,,,50,2.2\n",
        encoding="utf-8",
    )
    outcome = platform_import(
        agency, export, client_id="pacific", as_of=datetime(2025, 4, 1, tzinfo=UTC)
    )
    assert outcome.tables["posts"].inserted == 1
    assert {r[1] for r in table_rows(agency, "posts")} == {"abc123XYZ00"}
    assert (
        "Table data.csv: 2 videos have no publish time (unlisted, private or scheduled) and were "
        "left out: unl1st3d000 «Draft for the client», pr1v4t3000." in outcome.record.warnings
    )
