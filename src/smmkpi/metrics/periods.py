"""Periods: ranges of local calendar days in the client's time zone.

A period is a calendar month (``--month 2025-03``), a quarter, half-year or year
(``--period 2025-Q3``, ``2025-H2``, ``2025``) or any inclusive range of days
(``--from 2025-03-01 --to 2025-03-15``). Its kind follows from its days, so a range that
happens to be a whole quarter is that quarter. Daily rows belong to it by their ``date``; events
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
_PART = re.compile(r"(\d{4})-([QqHh])(\d)")
_YEAR = re.compile(r"\d{4}")
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
    def parse(cls, text: str) -> Period:
        """A month ``2026-03``, quarter ``2026-Q3``, half-year ``2026-H2`` or year ``2026``.

        >>> Period.parse("2026-Q3")
        Period(start=datetime.date(2026, 7, 1), end=datetime.date(2026, 9, 30))
        """
        clean = text.strip()
        if _YEAR.fullmatch(clean):
            year = int(clean)
            return cls(date(year, 1, 1), date(year, 12, 31))
        part = _PART.fullmatch(clean)
        if part:
            year, letter, number = int(part.group(1)), part.group(2).upper(), int(part.group(3))
            size = 3 if letter == "Q" else 6
            if 1 <= number <= 12 // size:
                first = (number - 1) * size + 1
                last = first + size - 1
                return cls(date(year, first, 1), date(year, last, _month_days(year, last)))
        month = _MONTH.fullmatch(clean)
        if month and 1 <= int(month.group(2)) <= 12:
            return cls.month(clean)
        raise InvalidArgumentError(
            _(
                "'{text}' is not a period; write a month 2026-03, a quarter 2026-Q3, a half-year "
                "2026-H2 or a year 2026 (or give --from and --to)."
            ).format(text=text)
        )

    @classmethod
    def from_key(cls, text: str) -> Period:
        """The period a :meth:`key` names: ``2026-03``, ``2026-Q3``, ``2026-H2``, ``2026`` or
        ``2026-03-10_2026-03-20`` (in addresses and forms)."""
        first, underscore, last = text.partition("_")
        if underscore:
            return cls.between(first, last)
        return cls.parse(text)

    @classmethod
    def of_month(cls, day: date) -> Period:
        """The calendar month that holds ``day``."""
        return cls.month(f"{day.year:04d}-{day.month:02d}")

    @classmethod
    def between(cls, first: str, last: str) -> Period:
        """The days from ``first`` to ``last`` inclusive (``YYYY-MM-DD``)."""
        return cls(parse_day(first, "--from"), parse_day(last, "--to"))

    @classmethod
    def from_options(
        cls,
        month: str | None,
        first: str | None,
        last: str | None,
        period: str | None = None,
    ) -> Period:
        """The period named by ``--month``, ``--period`` or ``--from`` and ``--to``."""
        given = [o for o, v in (("--month", month), ("--period", period)) if v]
        if first or last:
            given.append("--from/--to")
        if len(given) > 1:
            raise InvalidArgumentError(
                _("Give one of {options}, not several.").format(options=", ".join(given))
            )
        if month:
            return cls.month(month)
        if period:
            return cls.parse(period)
        if first and last:
            return cls.between(first, last)
        if first or last:
            raise InvalidArgumentError(_("--from and --to go together: give both."))
        raise InvalidArgumentError(
            _(
                "Say which period: --month YYYY-MM, --period 2026-Q3 (a quarter, half-year "
                "2026-H2 or year 2026), or --from YYYY-MM-DD --to YYYY-MM-DD."
            )
        )

    @property
    def days(self) -> int:
        """How many calendar days the period has."""
        return (self.end - self.start).days + 1

    @property
    def is_month(self) -> bool:
        return self.start.day == 1 and self == Period.of_month(self.start)

    @property
    def kind(self) -> str:
        """``month``, ``quarter``, ``half``, ``year`` or ``range``."""
        first, last = self.start, self.end
        if first.day != 1 or last.day != _month_days(last.year, last.month):
            return "range"
        if first.year != last.year:
            return "range"
        size = last.month - first.month + 1
        for kind, months in (("month", 1), ("quarter", 3), ("half", 6), ("year", 12)):
            if size == months and (first.month - 1) % months == 0:
                return kind
        return "range"

    def months(self) -> list[Period]:
        """The calendar months the period touches, oldest first, each cut to the period's
        days (a range from 10 March to 20 April: 10–31 March, 1–20 April)."""
        found = []
        current = Period.of_month(self.start)
        while current.start <= self.end:
            found.append(Period(max(current.start, self.start), min(current.end, self.end)))
            current = current.next_month()
        return found

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

    def previous(self) -> Period:
        """The period of the same kind just before: the month, quarter, half-year or year
        before, or as many days right before a range."""
        kind = self.kind
        if kind == "range":
            return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))
        end = self.start - timedelta(days=1)
        size = {"month": 1, "quarter": 3, "half": 6, "year": 12}[kind]
        first_month = (end.month - 1) // size * size + 1
        return Period(date(end.year, first_month, 1), end)

    def year_earlier(self) -> Period:
        """The same days a year earlier (29 February becomes the 28th): the same month,
        quarter, half-year or year of the year before."""
        start = _year_before(self.start)
        if self.kind == "range":
            return Period(start, _year_before(self.end))
        last = self.end.replace(year=self.end.year - 1, day=1)
        return Period(start, last.replace(day=_month_days(last.year, last.month)))

    def label(self) -> str:
        """``2026-03``, ``2026-Q3``, ``2026-H2``, ``2026`` or ``2026-03-10 … 2026-03-20``."""
        kind = self.kind
        if kind == "month":
            return f"{self.start:%Y-%m}"
        if kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if kind == "half":
            return f"{self.start.year}-H{(self.start.month - 1) // 6 + 1}"
        if kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()} … {self.end.isoformat()}"

    def key(self) -> str:
        """The label as a file name's part: a range is ``2026-03-10_2026-03-20``."""
        if self.kind == "range":
            return f"{self.start.isoformat()}_{self.end.isoformat()}"
        return self.label()


def _month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _year_before(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


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
