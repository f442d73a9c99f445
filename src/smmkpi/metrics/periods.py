"""Periods: ranges of local calendar days in the client's time zone.

A period is a calendar month (``--month 2025-03``) or any inclusive range of days
(``--from 2025-03-01 --to 2025-03-15``). Daily rows belong to it by their ``date``; events
(posts, mentions, leads, sales) by their UTC instant falling inside the period's local days,
which :meth:`Period.utc_bounds` turns into a half-open UTC interval — with daylight-saving
changes handled by the IANA rules.

>>> Period.month("2025-03").utc_bounds("Europe/Moscow")[0].isoformat()
'2025-02-28T21:00:00+00:00'
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from smmkpi.errors import InvalidArgumentError
from smmkpi.i18n import _

_MONTH = re.compile(r"(\d{4})-(\d{2})")
FOLLOWERS_LOOKBACK_DAYS = 31
"""How far before a period ``followers_start`` looks for a known follower count."""


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass(frozen=True, order=True)
class Period:
    """An inclusive range of local days."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidArgumentError(
                _("The period ends ({end}) before it starts ({start}).").format(
                    start=self.start, end=self.end
                )
            )

    @classmethod
    def month(cls, text: str) -> Period:
        """The calendar month ``YYYY-MM``."""
        match = _MONTH.fullmatch(text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise InvalidArgumentError(
                _("'{text}' is not a month; write it as YYYY-MM, such as 2025-03.").format(
                    text=text
                )
            )
        year, month = int(match.group(1)), int(match.group(2))
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def of_month(cls, day: date) -> Period:
        """The calendar month that holds ``day``."""
        return cls.month(f"{day.year:04d}-{day.month:02d}")

    @classmethod
    def between(cls, first: str, last: str) -> Period:
        """The days from ``first`` to ``last`` inclusive (``YYYY-MM-DD``)."""
        return cls(parse_day(first, "--from"), parse_day(last, "--to"))

    @classmethod
    def from_options(cls, month: str | None, first: str | None, last: str | None) -> Period:
        """The period named by ``--month`` or by ``--from`` and ``--to``."""
        if month and (first or last):
            raise InvalidArgumentError(_("Give either --month or --from/--to, not both."))
        if month:
            return cls.month(month)
        if first and last:
            return cls.between(first, last)
        if first or last:
            raise InvalidArgumentError(_("--from and --to go together: give both."))
        raise InvalidArgumentError(
            _("Say which period: --month YYYY-MM, or --from YYYY-MM-DD --to YYYY-MM-DD.")
        )

    @property
    def days(self) -> int:
        """How many calendar days the period has."""
        return (self.end - self.start).days + 1

    @property
    def is_month(self) -> bool:
        return self.start.day == 1 and self == Period.of_month(self.start)

    @property
    def lookback_start(self) -> date:
        """The first day ``followers_start`` may look back to."""
        return self.start - timedelta(days=FOLLOWERS_LOOKBACK_DAYS)

    def utc_bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """``[start, end)`` in UTC: local midnight of the first day to local midnight after the
        last day, in ``timezone``."""
        tz = zone(timezone)
        start = datetime.combine(self.start, time(), tzinfo=tz).astimezone(UTC)
        end = datetime.combine(self.end + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
        return start, end

    def previous_month(self) -> Period:
        return Period.of_month(self.start - timedelta(days=1))

    def next_month(self) -> Period:
        return Period.of_month(self.start.replace(day=28) + timedelta(days=4))

    def year_earlier(self) -> Period:
        """The same calendar month a year earlier (of the month that holds ``start``)."""
        return Period.month(f"{self.start.year - 1:04d}-{self.start.month:02d}")

    def label(self) -> str:
        if self.is_month:
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()} … {self.end.isoformat()}"


def last_full_month(today: date) -> Period:
    """The latest calendar month that ended before ``today``."""
    return Period.of_month(today.replace(day=1) - timedelta(days=1))


def today_in(zone: str, now: datetime | None = None) -> date:
    """The calendar day it is in ``zone`` (a client's months are its zone's): at 02:00 in
    Moscow on 1 December, UTC still says 30 November."""
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(zone)).date()


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidArgumentError(
            _("{option} '{text}' is not a day; write it as YYYY-MM-DD.").format(
                option=option, text=text
            )
        ) from None
