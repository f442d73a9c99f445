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
        (("2025-03", "2025-03-01", None), "not several"),
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


@pytest.mark.parametrize(
    ("text", "start", "end", "kind", "previous", "year_earlier"),
    [
        ("2026-03", "2026-03-01", "2026-03-31", "month", "2026-02", "2025-03"),
        ("2026-Q1", "2026-01-01", "2026-03-31", "quarter", "2025-Q4", "2025-Q1"),
        ("2026-q3", "2026-07-01", "2026-09-30", "quarter", "2026-Q2", "2025-Q3"),
        ("2026-H1", "2026-01-01", "2026-06-30", "half", "2025-H2", "2025-H1"),
        ("2026-H2", "2026-07-01", "2026-12-31", "half", "2026-H1", "2025-H2"),
        ("2026", "2026-01-01", "2026-12-31", "year", "2025", "2025"),
        ("2024-Q1", "2024-01-01", "2024-03-31", "quarter", "2023-Q4", "2023-Q1"),
    ],
)
def test_quarters_half_years_and_years(
    text: str, start: str, end: str, kind: str, previous: str, year_earlier: str
) -> None:
    period = Period.parse(text)
    assert (period.start.isoformat(), period.end.isoformat(), period.kind) == (start, end, kind)
    assert period.label() == text.upper() if "q" in text else period.label() == text
    assert period.previous().label() == previous
    assert period.year_earlier().label() == year_earlier
    assert Period.from_options(None, None, None, text) == period
    assert Period.between(start, end).kind == kind  # the kind follows from the days


def test_a_range_of_days_compares_with_as_many_days_before_and_the_same_days_a_year_earlier() -> (
    None
):
    period = Period.between("2024-02-20", "2024-03-05")  # 15 days across a leap February
    assert (period.kind, period.days) == ("range", 15)
    assert period.previous() == Period.between("2024-02-05", "2024-02-19")
    assert period.year_earlier() == Period.between("2023-02-20", "2023-03-05")
    assert [m.label() for m in period.months()] == [
        "2024-02-20 … 2024-02-29",
        "2024-03-01 … 2024-03-05",
    ]
    assert period.key() == "2024-02-20_2024-03-05"
    assert Period.between("2024-02-29", "2024-02-29").year_earlier().start == date(2023, 2, 28)
    assert Period.between("2026-02-01", "2026-04-30").kind == "range"  # three months, no quarter
    assert Period.parse("2026-Q2").months()[1] == Period.month("2026-05")


@pytest.mark.parametrize("text", ["2026-Q0", "2026-Q5", "2026-H3", "26", "2026-13", "Q3 2026"])
def test_a_period_that_is_none_says_how_to_write_one(text: str) -> None:
    with pytest.raises(InvalidArgumentError, match="2026-Q3"):
        Period.parse(text)
    with pytest.raises(InvalidArgumentError, match="not several"):
        Period.from_options("2026-03", None, None, "2026-Q1")
