"""Yandex Metrica and Google Analytics 4 reports → web_sessions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from smmkpi.errors import UserError
from smmkpi.ingest.registry import detect
from smmkpi.metrics.periods import Period
from smmkpi.workspace import Workspace
from tests.conftest import compute, table_rows
from tests.ingest.conftest import DATA, platform_import

METRICA = DATA / "metrica"
GA4 = DATA / "ga4"


def sessions(workspace: Workspace, client: str) -> dict[tuple, tuple]:
    """(date, source, medium, campaign, content, term) → (sessions, users, goal completions)."""
    return {tuple(r[1:7]): r[7:10] for r in table_rows(workspace, "web_sessions") if r[0] == client}


def test_a_metrica_report_by_day(agency: Workspace) -> None:
    assert [i.name for _p, i in detect(METRICA / "utm_by_day.csv")] == ["metrica"]
    outcome = platform_import(agency, METRICA / "utm_by_day.csv", client_id="coffeelab")
    found = sessions(agency, "coffeelab")
    march_1, march_2 = date(2025, 3, 1), date(2025, 3, 2)
    assert found == {
        (march_1, "vk", "social", "march_promo", "post_0301", None): (120, 101, 6),
        (march_1, None, None, None, None, None): (340, 300, 10),  # "Не определено"
        (march_1, "telegram", "social", "march_promo", None, None): (55, 50, 3),
        (march_2, "vk", "social", "march_promo", "post_0301", None): (98, 90, 4),
        (march_2, "yandex", "cpc", "{campaign_id}", None, "кофе зерно"): (71, 68, 2),
        (march_2, None, None, None, None, None): (335, 290, 12),
    }  # the "Итого и средние" row is left out; "1 019" would have been its sessions
    assert any("Достижения цели (Заявка с сайта)" in w for w in outcome.record.warnings)
    (result,) = compute(agency, Period.month("2025-03"), ["coffeelab"])
    assert result.kpis["site_sessions"].value == 120 + 55 + 98  # vk and telegram
    assert result.kpis["site_goal_completions"].value == 6 + 3 + 4


def test_importing_the_report_again_changes_nothing(agency: Workspace) -> None:
    platform_import(agency, METRICA / "utm_by_day.csv", client_id="coffeelab")
    again = platform_import(agency, METRICA / "utm_by_day.csv", client_id="coffeelab")
    assert not again.changed


def test_a_metrica_api_response(agency: Workspace) -> None:
    platform_import(agency, METRICA / "api_utm.json", client_id="coffeelab")
    found = sessions(agency, "coffeelab")
    # goal completions: the two goals' reaches added
    assert found[(date(2025, 3, 3), "vk", "social", "march_promo", None, None)] == (131, 118, 6)
    assert found[(date(2025, 3, 3), None, None, None, None, None)] == (402, 351, 12)
    assert found[(date(2025, 3, 4), "telegram", "social", "march_promo", None, None)] == (44, 41, 2)
    assert len(found) == 4


def test_one_day_without_the_date_grouping(agency: Workspace) -> None:
    outcome = platform_import(agency, METRICA / "api_one_day_sampled.json", client_id="coffeelab")
    assert set(sessions(agency, "coffeelab")) == {
        (date(2025, 3, 5), "vk", "social", "march_promo", None, None),
        (date(2025, 3, 5), None, None, None, None, None),
    }
    assert any("sampled this report (10% of visits)" in w for w in outcome.record.warnings)
    platform_import(agency, METRICA / "utm_one_day.xlsx", client_id="coffeelab")
    found = sessions(agency, "coffeelab")
    # the day from the title rows; goal visits used as there are no reaches
    assert found[(date(2025, 3, 6), "vk", "social", "march_promo", None, None)] == (150, 140, 7)


def test_a_ga4_download(agency: Workspace) -> None:
    assert [i.name for _p, i in detect(GA4 / "traffic_acquisition.csv")] == ["ga4"]
    outcome = platform_import(agency, GA4 / "traffic_acquisition.csv", client_id="pacific")
    found = sessions(agency, "pacific")
    march_1 = date(2025, 3, 1)
    # "(direct) / (none)" and "(not set) / (not set)" are both "no tag": added together
    assert found[(march_1, None, None, None, None, None)] == (210 + 12, 190 + 11, 4)
    assert found[(march_1, "instagram", "social", "spring_menu", None, None)] == (64, 60, 3)
    assert found[(march_1, "l.instagram.com", "referral", None, None, None)] == (19, 18, 1)
    assert found[(date(2025, 3, 2), "youtube", "social", "{campaignname}", None, None)] == (8, 8, 0)
    assert len(found) == 6
    assert any("1 row had the same day and UTM tags" in w for w in outcome.record.warnings)
    (result,) = compute(agency, Period.month("2025-03"), ["pacific"])
    # instagram (both days), the l.instagram.com referral is not social (source not a
    # platform name, medium referral), youtube / social is
    assert result.kpis["site_sessions"].value == 64 + 71 + 8


def test_a_ga4_report_of_one_day_and_of_a_month(agency: Workspace) -> None:
    platform_import(agency, GA4 / "one_day_no_date.csv", client_id="pacific")
    found = sessions(agency, "pacific")
    assert found[(date(2025, 3, 3), "instagram", "social", None, None, None)] == (58, 55, 2)
    with pytest.raises(UserError, match="more than one day without the Date dimension"):
        platform_import(agency, GA4 / "whole_month_no_date.csv", client_id="pacific")


def test_a_ga4_data_api_response(agency: Workspace) -> None:
    outcome = platform_import(agency, GA4 / "run_report.json", client_id="pacific")
    found = sessions(agency, "pacific")
    assert found[(date(2025, 3, 5), "tiktok", "paid_social", "spring_menu", None, None)] == (
        33,
        31,
        0,
    )
    assert found[(date(2025, 3, 4), None, None, None, None, None)] == (190, 176, 3)
    assert any("'keyEvents:generate_lead'" in w for w in outcome.record.warnings)
    # the property's zone is the client's: no warning about days
    assert not any("property's days" in w for w in outcome.record.warnings)


def test_web_analytics_need_the_client(agency: Workspace) -> None:
    with pytest.raises(UserError, match="Pass --client"):
        platform_import(agency, GA4 / "run_report.json")


def test_a_ga4_download_is_recognised_by_its_preamble(tmp_path: Path) -> None:
    """A report without Date or a source column (by channel group) is still GA4's own
    download: its advice is GA4's, not "cannot tell what it is"."""
    from smmkpi.ingest.registry import detect

    report = tmp_path / "channels.csv"
    report.write_text(
        "# ----------------------------------------\n# Traffic acquisition\n"
        "# ----------------------------------------\n#\n"
        "# Start date: 20250301\n# End date: 20250331\n"
        "Session default channel group,Sessions,Engaged sessions\nOrganic Social,1200,800\n",
        encoding="utf-8",
    )
    assert [i.name for _path, i in detect(report)] == ["ga4"]
