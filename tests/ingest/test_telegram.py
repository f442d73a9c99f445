"""Telegram Desktop exports, Telethon statistics and TGStat → posts and account_daily."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from smmkpi.errors import ImportRejectedError
from smmkpi.metrics.periods import Period
from smmkpi.workspace import Workspace
from tests.conftest import compute, table_rows
from tests.ingest.conftest import DATA, platform_import

TG = DATA / "telegram"
AS_OF = datetime(2025, 3, 5, 9, tzinfo=UTC)


def posts(workspace: Workspace) -> dict[str, tuple]:
    return {r[1]: r for r in table_rows(workspace, "posts") if r[0] == "coffeelab-tg"}


def test_a_desktop_export_with_the_channel_statistics(agency: Workspace) -> None:
    outcome = platform_import(agency, TG / "coffeelab", as_of=AS_OF)
    assert outcome.record.format == "telegram"
    found = posts(agency)
    assert set(found) == {"12", "13", "14"}  # the service message is not a post
    # published_at, kind, text, url, likes, comments, shares, saves, views, reach
    assert found["12"][2] == datetime(2025, 3, 1, 9, tzinfo=UTC)  # from date_unixtime
    assert found["12"][3:6] == (
        "post",
        "Утро с #кофелаб! Новая воронка 😋",
        "https://t.me/coffeelab_msk/12",
    )
    assert found["12"][6:12] == (
        15,
        None,
        15,
        None,
        2100,
        None,
    )  # 12 + 3 reactions; stats: views, forwards
    assert found["13"][4] == "Расписание на выходные:\n— суббота 9–22\n— воскресенье 10–20"
    assert found["13"][6:11] == (
        0,
        None,
        None,
        None,
        None,
    )  # no reactions: 0; not in the stats: unknown
    assert found["14"][3] == "video"
    assert found["14"][6:11] == (7, None, 19, None, 3900)
    daily = {
        r[1].isoformat(): r[2:7]
        for r in table_rows(agency, "account_daily")
        if r[0] == "coffeelab-tg"
    }
    # followers, gained, lost, reach, impressions: from growth, followers and interactions graphs
    assert daily == {
        "2025-03-01": (5296, 9, 3, None, 2300),
        "2025-03-02": (5305, 12, 3, None, 4100),
        "2025-03-03": (5312, 10, 3, None, 3900),
    }
    warnings = " ".join(outcome.record.warnings)
    assert "carry no views or forwards" in warnings
    (result,) = compute(agency, Period.month("2025-03"), ["coffeelab"])
    tg = result.accounts["coffeelab-tg"]
    assert tg["interactions"].value == (15 + 15) + 0 + (7 + 19)
    assert tg["view_rate"].value == pytest.approx(
        (2100 + 3900) / (2 * (5296 + 5305 + 5312) / 3) * 100
    )


def test_an_old_export_needs_the_time_zone_of_the_computer(agency: Workspace) -> None:
    with pytest.raises(ImportRejectedError, match="Pass --timezone"):
        platform_import(agency, TG / "result_old.json")
    platform_import(
        agency, TG / "result_old.json", source_zone=ZoneInfo("Europe/Moscow"), as_of=AS_OF
    )
    found = posts(agency)
    assert found["12"][2] == datetime(2025, 3, 1, 12, tzinfo=UTC)  # 15:00 in Moscow
    assert found["12"][6] is None  # no reactions in old exports: likes unknown, not 0


def test_a_full_export_reads_only_channels(agency: Workspace) -> None:
    outcome = platform_import(agency, TG / "full_export.json", as_of=AS_OF)
    assert outcome.tables["posts"].inserted == 1
    assert posts(agency)["12"][6] == 15


def test_tgstat(agency: Workspace) -> None:
    platform_import(agency, TG / "tgstat_stat.json", as_of=AS_OF)
    followers = {r[1].isoformat(): r[2] for r in table_rows(agency, "account_daily")}
    assert followers == {"2025-03-05": 5320}  # 12:00 in Moscow on the --as-of day
    platform_import(agency, TG / "coffeelab", as_of=AS_OF)
    later = datetime(2025, 3, 6, tzinfo=UTC)
    outcome = platform_import(agency, TG / "tgstat_posts.json", as_of=later)
    assert outcome.tables["posts"].replaced == 2  # the message ids of the links meet the export's
    found = posts(agency)
    assert (found["12"][10], found["14"][10]) == (2140, 3950)  # a later snapshot's views
    assert found["12"][6] == 15  # likes from the Desktop export stay: TGStat does not provide them
