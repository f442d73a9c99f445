"""Listening-tool mentions and advertising spend exports."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from smmkpi.errors import UserError
from smmkpi.ingest.registry import detect
from smmkpi.metrics.periods import Period
from smmkpi.workspace import Workspace
from tests.conftest import compute, table_rows
from tests.ingest.conftest import DATA, platform_import

MENTIONS = DATA / "mentions"
ADS = DATA / "ads"


def mentions(workspace: Workspace) -> list[tuple]:
    """(platform, published_at, url, author, text) of every mention, by time."""
    return sorted((r[2:7] for r in table_rows(workspace, "mentions")), key=lambda r: r[1])


def spend(workspace: Workspace) -> dict[tuple, Decimal]:
    return {(r[1], r[2], r[3]): r[4] for r in table_rows(workspace, "ad_spend")}


def test_a_listening_tool_workbook(agency: Workspace) -> None:
    assert [i.name for _p, i in detect(MENTIONS / "brand_analytics.xlsx")] == ["mentions"]
    outcome = platform_import(agency, MENTIONS / "brand_analytics.xlsx", client_id="coffeelab")
    found = mentions(agency)
    msk = "+03:00"
    assert found == [
        (
            "vk",  # no Площадка: from the vk.com link
            datetime.fromisoformat(f"2025-02-28T23:30{msk}"),
            "https://vk.com/wall-1_77",
            "Олег",
            "Кофелаб опять без овсяного молока",
        ),
        (
            "vk",  # "ВКонтакте"
            datetime.fromisoformat(f"2025-03-02T14:05{msk}"),
            "https://vk.com/wall-21890451_100",
            "Мария К.",
            "Лучший раф в городе — #кофелаб ☕",
        ),
        (
            "telegram",
            datetime.fromisoformat(f"2025-03-03T09:30{msk}"),  # "9:30"
            "https://t.me/coffee_blog/55",
            "coffee_blog",
            "Обзор: Кофелаб на Покровке\nЦены, меню, атмосфера",
        ),
        (
            "pikabu.ru",  # a site by its domain
            datetime.fromisoformat(f"2025-03-05T18:00{msk}"),
            "https://pikabu.ru/story/kofelab_123",
            "Ирина",
            "Зашла в Кофелаб, а там кот 😺",
        ),
    ]
    ids = {r[1] for r in table_rows(agency, "mentions")}
    assert all(i.startswith("m") and len(i) == 17 for i in ids)
    assert any("4 were made from each mention's link" in w for w in outcome.record.warnings)
    assert not platform_import(
        agency, MENTIONS / "brand_analytics.xlsx", client_id="coffeelab"
    ).changed  # the same ids again
    (march,) = compute(agency, Period.month("2025-03"), ["coffeelab"])
    assert march.kpis["mentions"].value == 3  # 28 February is February in Moscow


def test_a_listening_tool_csv_with_ids(agency: Workspace) -> None:
    platform_import(agency, MENTIONS / "youscan.csv", client_id="coffeelab")
    rows = {r[1]: r[2:7] for r in table_rows(agency, "mentions")}
    assert rows["ys-20250306-0001"][0] == "instagram"
    assert rows["ys-20250306-0001"][1] == datetime(2025, 3, 6, 7, tzinfo=UTC)
    assert rows["ys-20250306-0001"][4] == "Латте-арт в @coffeelab.msk 🔥\n#кофелаб"
    assert rows["ys-20250306-0002"][0] == "youtube"


def test_vk_ads_spend(agency: Workspace) -> None:
    assert [i.name for _p, i in detect(ADS / "vk_ads_march.csv")] == ["vk_ads"]
    platform_import(agency, ADS / "vk_ads_march.csv", client_id="coffeelab")
    assert spend(agency) == {
        (date(2025, 3, 1), "vk_ads", "Весенний раф"): Decimal("1200.50"),
        (date(2025, 3, 1), "vk_ads", "Подписка на зерно"): Decimal("480.00"),
        (date(2025, 3, 2), "vk_ads", "Весенний раф"): Decimal("1150.00"),
        (date(2025, 3, 2), "vk_ads", "Подписка на зерно"): Decimal("0"),
    }  # the Итого row is left out
    (march,) = compute(agency, Period.month("2025-03"), ["coffeelab"])
    assert march.kpis["ad_spend"].value == Decimal("2830.50")


def test_yandex_direct_reports(agency: Workspace) -> None:
    outcome = platform_import(agency, ADS / "direct_api_report.tsv", client_id="coffeelab")
    assert outcome.record.format == "yandex_direct"
    assert spend(agency) == {
        (date(2025, 3, 1), "yandex_direct", "Кофе поиск"): Decimal("1520"),  # micros
        (date(2025, 3, 1), "yandex_direct", "Кофе РСЯ"): Decimal("830.5"),
        (date(2025, 3, 2), "yandex_direct", "Кофе поиск"): Decimal("1410"),
    }
    assert any("taken as RUB" in w for w in outcome.record.warnings)
    platform_import(agency, ADS / "direct_wizard.csv", client_id="coffeelab")
    # the wizard's two ad groups of one campaign and day are added up; it replaces the days
    assert spend(agency)[(date(2025, 3, 1), "yandex_direct", "Кофе поиск")] == Decimal("1520.00")


def test_meta_ads_manager(agency: Workspace) -> None:
    platform_import(agency, ADS / "meta_ads_daily.csv", client_id="pacific")
    assert spend(agency) == {
        (date(2025, 3, 1), "meta_ads", "Spring menu"): Decimal("60.20"),
        (date(2025, 3, 2), "meta_ads", "Spring menu"): Decimal("39.90"),
        (date(2025, 3, 1), "meta_ads", "Brand, awareness"): Decimal("25.00"),
    }


def test_spend_must_be_daily_and_in_the_clients_currency(agency: Workspace) -> None:
    with pytest.raises(UserError, match="By time → Day"):
        platform_import(agency, ADS / "meta_ads_monthly.csv", client_id="pacific")
    with pytest.raises(UserError, match=r"is in USD, but the client keeps money in RUB"):
        platform_import(agency, ADS / "meta_ads_daily.csv", client_id="coffeelab")
    assert spend(agency) == {}
