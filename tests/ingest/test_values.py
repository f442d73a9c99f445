"""Parsing canonical cell values: what is accepted, what is refused and how it is explained."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmkpi.ingest import values
from smmkpi.ingest.values import CellError, NoDataMarker


@pytest.mark.parametrize(
    ("raw", "expected"), [("0", 0), ("1234", 1234), (" 42 ", 42), ("+7", 7), ("", None)]
)
def test_count_accepts_whole_numbers(raw: str, expected: int | None) -> None:
    assert values.parse_count(raw) == expected


@pytest.mark.parametrize(
    ("raw", "problem", "fix"),
    [
        ("-5", "negative", "Check the source"),
        ("12.5", "whole number", "fractional"),
        ("12,5", "whole number", "fractional"),
        ("1 234", "thousands separator", "1234"),
        ("1\u00a0234\u00a0567", "thousands separator", "1234567"),
        ("1,234", "thousands separator", "1234"),
        ("abc", "not a number", "digits"),
        ("1.2E+5", "scientific notation", "whole number"),
    ],
)
def test_count_refuses_with_a_reason_and_a_fix(raw: str, problem: str, fix: str) -> None:
    with pytest.raises(CellError) as error:
        values.parse_count(raw)
    assert problem in error.value.problem
    assert fix in error.value.fix


@pytest.mark.parametrize(
    "raw", ["—", "-", "н/д", "N/A", "нет данных", "#N/A", "#Н/Д", "#DIV/0!", "NaN", "undefined"]
)
def test_no_data_markers_mean_unknown_not_zero(raw: str) -> None:
    """The canonical reader and the platforms' importers share one vocabulary of "no data"."""
    from smmkpi.ingest.lenient import no_data

    with pytest.raises(NoDataMarker):
        values.parse_count(raw)
    assert no_data(raw)


@given(st.integers(min_value=0, max_value=2**63 - 1))
def test_count_round_trips(number: int) -> None:
    assert values.parse_count(str(number)) == number


def test_money() -> None:
    assert values.parse_money("1500.5") == Decimal("1500.5")
    assert values.parse_money("0.0001") == Decimal("0.0001")
    with pytest.raises(CellError, match="decimal comma") as comma:
        values.parse_money("1500,50")
    assert "1500.50" in comma.value.fix
    with pytest.raises(CellError, match="more than 4 decimal places"):
        values.parse_money("1.00001")
    with pytest.raises(CellError, match="negative"):
        values.parse_money("-10")


@given(st.decimals(min_value=0, max_value=10**12, places=4, allow_nan=False, allow_infinity=False))
def test_money_round_trips(amount: Decimal) -> None:
    assert values.parse_money(format(amount, "f")) == amount


def test_date_is_strictly_iso_and_suggests_the_fix_for_day_first() -> None:
    assert values.parse_date("2025-03-01") == date(2025, 3, 1)
    with pytest.raises(CellError) as error:
        values.parse_date("12.01.2025")
    assert "2025-01-12" in error.value.fix  # day first, never a per-row guess
    with pytest.raises(CellError, match="real calendar day"):
        values.parse_date("2025-02-31")
    with pytest.raises(CellError, match="outside"):
        values.parse_date("0025-03-01")


def test_timestamps_are_stored_in_utc() -> None:
    assert values.parse_timestamp("2025-03-31T20:59:59Z") == datetime(
        2025, 3, 31, 20, 59, 59, tzinfo=UTC
    )
    assert values.parse_timestamp("2025-04-01T00:00:00+03:00") == datetime(
        2025, 3, 31, 21, tzinfo=UTC
    )
    assert values.parse_timestamp("2025-04-01 00:00:00+0300") == datetime(
        2025, 3, 31, 21, tzinfo=UTC
    )


def test_a_time_without_offset_needs_the_source_zone() -> None:
    with pytest.raises(CellError) as error:
        values.parse_timestamp("2025-03-01T10:00:00")
    assert "--timezone" in error.value.fix
    moscow = ZoneInfo("Europe/Moscow")
    assert values.parse_timestamp("2025-03-01T10:00:00", moscow) == datetime(
        2025, 3, 1, 7, tzinfo=UTC
    )
    # Historical offsets come from tzdata: Moscow was UTC+4 in 2012.
    assert values.parse_timestamp("2012-06-01T10:00:00", moscow) == datetime(
        2012, 6, 1, 6, tzinfo=UTC
    )
    with pytest.raises(CellError, match="day without a time"):
        values.parse_timestamp("2025-03-01")


def test_ids_are_exact_strings_and_excel_damage_is_caught() -> None:
    assert values.parse_id(" 1234567890123456789 ") == "1234567890123456789"
    assert values.parse_id("007") == "007"
    assert values.parse_id("й") == "\u0439"  # NFC: й composed, whatever the input form
    assert values.parse_id("и\u0306") == "\u0439"
    with pytest.raises(CellError, match="scientific notation"):
        values.parse_id("1,23E+18")


def test_choices_timezones_currencies_hashtags() -> None:
    assert values.parse_choice(" VK ", ("vk", "telegram")) == "vk"
    with pytest.raises(CellError) as error:
        values.parse_choice("telegramm", ("vk", "telegram"))
    assert "telegram" in error.value.fix
    assert values.parse_timezone("europe/moscow") == "Europe/Moscow"
    with pytest.raises(CellError, match="IANA"):
        values.parse_timezone("MSK")
    assert values.parse_currency("rub") == "RUB"
    with pytest.raises(CellError, match="ISO 4217"):
        values.parse_currency("RUBLES")
    with pytest.raises(CellError, match="before 1998") as old:
        values.parse_currency("RUR")
    assert "RUB" in old.value.fix
    assert values.parse_hashtags("#coffeelab кофелаб") == "#coffeelab кофелаб"
    with pytest.raises(CellError, match="#coffee-lab"):
        values.parse_hashtags("#coffeelab #coffee-lab")


@pytest.mark.parametrize(
    ("raw", "platform"),
    [("ВКонтакте", "vk"), ("vkontakte", "vk"), ("TG", "telegram"), ("Одноклассники", "ok")],
)
def test_platforms_are_known_by_their_other_names(raw: str, platform: str) -> None:
    from smmkpi.store.tables import PLATFORM_ALIASES, PLATFORMS

    assert values.parse_choice(raw, PLATFORMS, PLATFORM_ALIASES) == platform
