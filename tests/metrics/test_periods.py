"""Periods in the client's time zone, and their UTC bounds across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from smmkpi.errors import InvalidArgumentError
from smmkpi.metrics.periods import Period, last_full_month


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_month_bounds_in_moscow() -> None:
    assert Period.month("2025-03").utc_bounds("Europe/Moscow") == (
        utc("2025-02-28T21:00:00"),
        utc("2025-03-31T21:00:00"),
    )


def test_month_bounds_in_los_angeles_across_dst() -> None:
    # March 2025 starts in PST (UTC−8) and ends in PDT (UTC−7).
    assert Period.month("2025-03").utc_bounds("America/Los_Angeles") == (
        utc("2025-03-01T08:00:00"),
        utc("2025-04-01T07:00:00"),
    )
    # November 2025 starts in PDT and ends in PST.
    assert Period.month("2025-11").utc_bounds("America/Los_Angeles") == (
        utc("2025-11-01T07:00:00"),
        utc("2025-12-01T08:00:00"),
    )


def test_days_of_a_dst_change_are_23_and_25_hours_long() -> None:
    start, end = Period.between("2025-03-09", "2025-03-09").utc_bounds("America/Los_Angeles")
    assert (end - start).total_seconds() == 23 * 3600
    start, end = Period.between("2025-11-02", "2025-11-02").utc_bounds("America/Los_Angeles")
    assert (end - start).total_seconds() == 25 * 3600


def test_period_options() -> None:
    assert Period.from_options("2024-02", None, None) == Period(date(2024, 2, 1), date(2024, 2, 29))
    assert Period.from_options(None, "2025-03-01", "2025-03-15").days == 15
    assert Period.month("2025-03").is_month
    assert not Period.between("2025-03-01", "2025-03-15").is_month
    assert Period.month("2025-03").lookback_start == date(2025, 1, 29)
    for args, message in (
        (("2025-3", None, None), "YYYY-MM"),
        (("2025-13", None, None), "YYYY-MM"),
        (("2025-03", "2025-03-01", None), "not both"),
        ((None, "2025-03-01", None), "go together"),
        ((None, None, None), "Say which period"),
        ((None, "2025-03-10", "2025-03-01"), "before it starts"),
        ((None, "10.03.2025", "2025-03-11"), "--from '10.03.2025'"),
    ):
        with pytest.raises(InvalidArgumentError, match=message):
            Period.from_options(*args)


def test_last_full_month() -> None:
    assert last_full_month(date(2026, 11, 26)) == Period.month("2026-10")
    assert last_full_month(date(2026, 1, 1)) == Period.month("2025-12")


def test_the_previous_month_is_each_clients_own() -> None:
    from datetime import UTC, datetime

    from smmkpi.metrics.periods import last_full_month, today_in

    moment = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)  # 01:30 on 1 December in Moscow
    assert today_in("Europe/Moscow", moment) == date(2026, 12, 1)
    assert today_in("America/Los_Angeles", moment) == date(2026, 11, 30)
    assert last_full_month(today_in("Europe/Moscow", moment)).label() == "2026-11"
    assert last_full_month(today_in("America/Los_Angeles", moment)).label() == "2026-10"
    assert last_full_month(today_in("UTC", moment)).label() == "2026-10"  # the server's view
