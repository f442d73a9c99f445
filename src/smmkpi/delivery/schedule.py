"""When a schedule's report falls due (``shared/spec/sync-and-delivery.md`` §3): the last full
month's report on day ``day`` of the next month at ``time`` in the client's time zone. A month's
report stays due from that moment until it is sent or the next month's report falls due; a
schedule applies at any moment, whenever it was added, and never sends earlier months of its
own accord."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from smmkpi.delivery.destinations import Destination
from smmkpi.errors import InvalidArgumentError
from smmkpi.i18n import Language, _
from smmkpi.metrics.periods import Period

FORMATS = ("pdf", "xlsx", "html")


@dataclass(frozen=True)
class Schedule:
    name: str
    client_id: str
    destinations: tuple[Destination, ...]
    day: int = 3
    at: time = time(10, 0)
    language: Language = "ru"
    formats: tuple[str, ...] = FORMATS
    review: bool = False
    secrets: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    """Each webhook destination's signing secret."""


def due_moment(month: Period, day: int, at: time, zone: ZoneInfo) -> datetime:
    """When ``month``'s report falls due: day ``day`` (the month's last when shorter) of the
    next month at ``at``, in ``zone``."""
    start = month.end.replace(day=1)
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    last = calendar.monthrange(following.year, following.month)[1]
    return datetime.combine(following.replace(day=min(day, last)), at, zone)


def due_month(schedule: Schedule, zone: ZoneInfo, now: datetime) -> Period:
    """The month whose report is due at ``now``: the last one whose due moment has come."""
    local = now.astimezone(zone).date()
    month = Period.of_month(local.replace(day=1)).previous_month()
    if due_moment(month, schedule.day, schedule.at, zone) > now:
        month = month.previous_month()
    return month


def parse_time(text: str) -> time:
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise InvalidArgumentError(
            _("--time '{value}' is not a time of day; write it as HH:MM.").format(value=text)
        ) from None


def parse_formats(text: str) -> tuple[str, ...]:
    found = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    wrong = [f for f in found if f not in FORMATS]
    if wrong or not found:
        raise InvalidArgumentError(
            _("--format '{value}': choose among pdf, xlsx, html (comma-separated).").format(
                value=text
            )
        )
    return found
