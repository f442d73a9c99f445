"""When a schedule's report falls due, computed by hand in Moscow, Los Angeles and UTC, across a
short month and a DST change; and what a destination may be."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from smmkpi.delivery.destinations import Destination, parse_destination
from smmkpi.delivery.schedule import Schedule, due_moment, due_month, parse_formats
from smmkpi.errors import UserError
from smmkpi.metrics.periods import Period

MOSCOW, LA = ZoneInfo("Europe/Moscow"), ZoneInfo("America/Los_Angeles")


def schedule(day: int = 3, at: time = time(10, 0)) -> Schedule:
    return Schedule("s", "coffeelab", (Destination("email", "a@b.ru"),), day, at)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        (MOSCOW, utc(2026, 12, 3, 6, 59), utc(2026, 12, 3, 7, 0)),  # 10:00 MSK = 07:00 UTC
        (LA, utc(2026, 12, 3, 17, 59), utc(2026, 12, 3, 18, 0)),  # 10:00 PST = 18:00 UTC
        (ZoneInfo("UTC"), utc(2026, 12, 3, 9, 59), utc(2026, 12, 3, 10, 0)),
    ],
)
def test_novembers_report_falls_due_on_the_3rd_at_ten_local(
    zone: ZoneInfo, before: datetime, after: datetime
) -> None:
    assert due_month(schedule(), zone, before) == Period.month("2026-10")
    assert due_month(schedule(), zone, after) == Period.month("2026-11")
    # and stays due until December's falls due, on 3 January
    assert due_month(schedule(), zone, utc(2027, 1, 2, 12)) == Period.month("2026-11")


def test_a_day_past_the_months_end_is_its_last_day() -> None:
    # the 31st: October's report on 30 November (November has 30 days)
    assert due_moment(Period.month("2026-10"), 31, time(9, 0), MOSCOW) == datetime(
        2026, 11, 30, 9, 0, tzinfo=MOSCOW
    )
    assert due_month(schedule(31, time(9, 0)), MOSCOW, utc(2026, 11, 30, 6, 0)) == Period.month(
        "2026-10"
    )  # 09:00 MSK = 06:00 UTC
    assert due_month(schedule(31, time(9, 0)), MOSCOW, utc(2026, 11, 30, 5, 59)) == Period.month(
        "2026-09"
    )


def test_a_due_time_across_the_spring_dst_change_in_los_angeles() -> None:
    # 8 March 2026 02:30 does not exist in Los Angeles (clocks jump 02:00 → 03:00): it is read
    # with the offset before the change, PST (−8 h), so 10:30 UTC
    moment = due_moment(Period.month("2026-02"), 8, time(2, 30), LA)
    assert moment.astimezone(UTC) == utc(2026, 3, 8, 10, 30)
    assert due_month(schedule(8, time(2, 30)), LA, utc(2026, 3, 8, 10, 29)) == Period.month(
        "2026-01"
    )
    assert due_month(schedule(8, time(2, 30)), LA, utc(2026, 3, 8, 10, 30)) == Period.month(
        "2026-02"
    )


def test_destinations_and_formats() -> None:
    assert str(parse_destination("email:anna@coffeelab.ru")) == "email:anna@coffeelab.ru"
    assert parse_destination("telegram:-1001234567890").address == "-1001234567890"
    assert parse_destination("telegram:@coffeelab_reports").kind == "telegram"
    assert parse_destination("webhook:http://127.0.0.1:8080/hook").kind == "webhook"
    for wrong in ("email:nobody", "webhook:http://hooks.example.com/x", "fax:123", "telegram:x"):
        with pytest.raises(UserError, match=f"--to '{wrong}' is not a destination"):
            parse_destination(wrong)
    assert parse_formats("PDF, xlsx,pdf") == ("pdf", "xlsx")
    with pytest.raises(UserError, match="choose among pdf, xlsx, html"):
        parse_formats("docx")
