"""Values as platforms and spreadsheets write them, read without guessing.

The canonical format is strict (``values.py``); exports are not: ``1 234,5``, ``12,5 %``,
``01.02.2025``, ``1 февраля 2025 г.``, ``December 30``, Excel serial days, ``н/д``. These
functions turn such cells into Python values. Rules (reliability M4–M9):

- a marker of "no data" (``—``, ``н/д``, ``n/a``, ``undefined``, ``#DIV/0!``…) is unknown, never 0;
- thousands may be grouped by spaces, no-break spaces or apostrophes; a comma or a point is a
  thousands separator only where the column's convention says so (``decimal=","`` makes the
  comma decimal) — ``1.234`` is never silently read either way;
- a date column has one format, found from its values, applied to every row (never a per-row
  day/month flip);
- anything else is an error saying what the cell holds and how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from smmkpi.i18n import _
from smmkpi.ingest import numbers
from smmkpi.ingest.remembered import remembered
from smmkpi.ingest.values import NO_DATA_MARKERS, CellError, NoDataMarker

EXCEL_EPOCH = date(1899, 12, 30)


def no_data(text: str) -> bool:
    return text.strip().casefold() in NO_DATA_MARKERS


@remembered
def number(value: object, decimal: str = ".", explicit: bool = False) -> Decimal | None:
    """A number written with grouped thousands and ``decimal`` as decimal separator (the
    grammar of ``numbers.py``).

    ``decimal`` is ``"."`` or ``","``: the other one is accepted as a thousands separator only in
    groups of three (``1,234,567`` with ``decimal="."``). In a column of decimal commas a lone
    point group (``1.234``) is refused unless the user said the separator (``explicit``,
    ``--decimal``): Russian exports group thousands with spaces, so it is as likely a decimal
    point from another source as a thousands mark.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(_("is not a number."))
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = numbers.cleaned(value)
    if not text:
        return None
    if no_data(text):
        raise NoDataMarker(text)
    numbers.refuse_unreadable(text)
    other = "," if decimal == "." else "."
    if decimal == "," and not explicit and re.fullmatch(r"[+-]?\d{1,3}\.\d{3}", text):
        whole = text.replace(".", "")
        raise CellError(
            _(
                "could be {whole} or {fraction}: a point between digits in a column of decimal "
                "commas."
            ).format(whole=whole, fraction=text.replace(".", ",")),
            _(
                "Write it as {whole} or {fraction}, or pass --decimal , if points group thousands "
                "in this file."
            ).format(whole=whole, fraction=text.replace(".", ",")),
        )
    if numbers.mark_grouped(other, decimal).fullmatch(text):
        text = text.replace(other, "")
    elif numbers.SPACE_GROUPED.fullmatch(text):
        text = numbers.ungrouped(text)
    if not numbers.PLAIN.fullmatch(text):
        raise CellError(_("is not a number."))
    if other in text:
        raise CellError(
            _("uses '{found}' as the decimal separator, but this file uses '{expected}'.").format(
                found=other, expected=decimal
            ),
            _("Use one decimal separator for the whole column."),
        )
    return Decimal(text.replace(",", "."))


def decimal_evidence(value: object) -> str | None:
    """The decimal separator a written amount can only be read with: ``,`` for ``1 500,50``,
    ``.`` for ``1500.5``; None when it tells nothing (``1500``, ``1,500``)."""
    if not isinstance(value, str):
        return None
    text = numbers.cleaned(value)
    if re.search(r"\d,\d{1,2}$|\d,\d{4,}$|\d[ \u00a0\u202f']\d{3},\d", text):
        return ","
    if re.search(r"\d\.\d{1,2}$|\d\.\d{4,}$|\d[ \u00a0\u202f']\d{3}\.\d", text):
        return "."
    return None


def decimal_mark(samples: Iterable[object], default: str = ".") -> str:
    """The decimal separator of a column of amounts, from its values: ``,`` when some value
    can only be read with a decimal comma (``1 500,50``), ``.`` when some value can only be
    read with a point (``1500.5``); ``default`` (the file's convention) when none tells."""
    found = {mark for mark in map(decimal_evidence, samples) if mark is not None}
    if len(found) > 1:
        raise CellError(
            _("mixes decimal commas and decimal points."),
            _("Write the amounts of the column with one decimal separator."),
        )
    return found.pop() if found else default


@remembered
def count(value: object, decimal: str = ".") -> int | None:
    """A whole count (``1 234``, ``1234.0`` from a spreadsheet); see :func:`number`."""
    amount = number(value, decimal)
    if amount is None:
        return None
    if amount != amount.to_integral_value():
        raise CellError(_("must be a whole number."), _("Counts have no fractional part."))
    if amount < 0:
        raise CellError(_("is negative; counts are never below 0."))
    return int(amount)


def percent(value: object, decimal: str = ".") -> Decimal | None:
    """A share as a fraction: ``12,5 %`` and ``12.5%`` are 0.125; ``0,125`` stays 0.125."""
    if value is None:
        return None
    text = numbers.cleaned(value)
    if text.endswith("%%"):
        raise CellError(_("has a doubled percent sign."))
    if text.endswith("%"):
        amount = number(text[:-1].strip(), decimal)
        return None if amount is None else amount / 100
    return number(value, decimal)


# -- dates ------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("январь", "января", "янв", "january", "jan", "janeiro", "jan"),
        ("февраль", "февраля", "фев", "february", "feb", "fevereiro", "fev"),
        ("март", "марта", "мар", "march", "mar", "março", "marco"),
        ("апрель", "апреля", "апр", "april", "apr", "abril", "abr"),
        ("май", "мая", "may", "maio", "mai"),
        ("июнь", "июня", "июн", "june", "jun", "junho"),
        ("июль", "июля", "июл", "july", "jul", "julho"),
        ("август", "августа", "авг", "august", "aug", "agosto", "ago"),
        ("сентябрь", "сентября", "сен", "сент", "september", "sep", "sept", "setembro", "set"),
        ("октябрь", "октября", "окт", "october", "oct", "outubro", "out"),
        ("ноябрь", "ноября", "ноя", "нояб", "november", "nov", "novembro"),
        ("декабрь", "декабря", "дек", "december", "dec", "dezembro", "dez"),
    ),
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number

_WORD_DATE = re.compile(
    r"(?:(?P<day>\d{1,2})(?:\s+de)?\s+(?P<month1>[^\W\d_]+)\.?(?:\s+de)?(?:,?\s+(?P<year1>\d{4}))?"
    r"|(?P<month2>[^\W\d_]+)\.?\s+(?P<day2>\d{1,2})(?:,?\s+(?P<year2>\d{4}))?"
    r"|(?P<month3>[^\W\d_]+)\.?\s+(?P<year3>\d{4}))"
    r"(?:\s*г\.?|\s*года)?"
)


class DateFormat:
    """How one date column is written, found from its values (see :func:`date_format`)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"DateFormat({self.name!r})"


ISO = DateFormat("iso")  # 2025-02-01, 2025-02-01T10:00, 2025-02-01 10:00:00+03:00
DAY_FIRST = DateFormat("day-first")  # 01.02.2025, 01/02/2025 10:00
MONTH_FIRST = DateFormat("month-first")  # 02/01/2025 (US exports)
WORDS = DateFormat("words")  # 1 февраля 2025 г., December 30, фев. 2025 г.
COMPACT = DateFormat("compact")  # 20250201 (GA4)
SERIAL = DateFormat("excel-serial")  # 45689

_NUMERIC = re.compile(
    r"(?P<a>\d{1,2})[./-](?P<b>\d{1,2})[./-](?P<y>\d{4})"
    r"(?:[ T,]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?"
)


def date_format(samples: Iterable[object]) -> DateFormat | None:
    """The one format of a date column, from its non-empty values.

    Numeric day/month dates are day-first unless some value can only be month-first (a second
    number above 12) — and the other way round; a column where both happen is refused.
    """
    first_over_12 = second_over_12 = False
    kind: DateFormat | None = None
    for value in samples:
        if value is None or isinstance(value, datetime | date):
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            kind = kind or SERIAL
            continue
        text = numbers.cleaned(value)
        if not text or no_data(text):
            continue
        if re.match(r"\d{4}[-/]\d{2}[-/]\d{2}", text):
            kind = kind or ISO
        elif re.fullmatch(r"\d{8}", text):
            kind = kind or COMPACT
        elif re.fullmatch(r"\d{5}(?:[.,]\d+)?", text):
            kind = kind or SERIAL
        elif (match := _NUMERIC.match(text)) is not None:
            first_over_12 |= int(match.group("a")) > 12
            second_over_12 |= int(match.group("b")) > 12
            kind = kind if kind in (DAY_FIRST, MONTH_FIRST) else DAY_FIRST
        elif _WORD_DATE.fullmatch(text.lower()):
            kind = kind or WORDS
    if kind in (DAY_FIRST, MONTH_FIRST):
        if first_over_12 and second_over_12:
            raise CellError(
                _("mixes day-first and month-first dates."),
                _("Write the dates of the column in one format, such as 2025-02-01."),
            )
        return MONTH_FIRST if second_over_12 else DAY_FIRST
    return kind


def _month(name: str) -> int:
    month = _MONTHS.get(name.lower().rstrip("."))
    if month is None:
        raise CellError(_("has an unknown month name '{name}'.").format(name=name))
    return month


@remembered
def parse_date_time(
    value: object, fmt: DateFormat | None, year_for: date | None = None
) -> date | datetime | None:
    """A date (or a date with a time, naive) written in the column's format ``fmt``.

    ``year_for`` supplies the year of dates written without one (TikTok's ``December 30``):
    the latest such date on or before ``year_for``.
    """
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value))
    text = numbers.cleaned(value)
    if not text:
        return None
    if no_data(text):
        raise NoDataMarker(text)
    try:
        if fmt is ISO or (fmt is None and re.match(r"\d{4}-\d{2}-\d{2}", text)):
            if re.match(r"\d{4}/\d{2}/\d{2}", text):  # TikTok Studio writes 2025/10/31
                text = text[:10].replace("/", "-") + text[10:]
            cleaned = text.replace("Z", "+00:00").replace(" UTC", "+00:00")
            if re.fullmatch(r".*[+-]\d{4}", cleaned) and "T" in cleaned:
                cleaned = cleaned[:-2] + ":" + cleaned[-2:]
            moment = datetime.fromisoformat(cleaned)
            return moment.date() if len(text) <= 10 else moment
        if fmt is COMPACT:
            return datetime.strptime(text, "%Y%m%d").date()
        if fmt is SERIAL:
            return _serial(float(text.replace(",", ".")))
        if fmt in (DAY_FIRST, MONTH_FIRST):
            match = _NUMERIC.fullmatch(text)
            if match is None:
                raise ValueError(text)
            a, b, year = int(match.group("a")), int(match.group("b")), int(match.group("y"))
            day, month = (a, b) if fmt is DAY_FIRST else (b, a)
            if match.group("h") is None:
                return date(year, month, day)
            return datetime(
                year,
                month,
                day,
                int(match.group("h")),
                int(match.group("mi")),
                int(match.group("s") or 0),
            )
        match = _WORD_DATE.fullmatch(text.lower())
        if match is None:
            raise ValueError(text)
        groups = match.groupdict()
        if groups["month3"]:
            return date(int(groups["year3"]), _month(groups["month3"]), 1)
        day = int(groups["day"] or groups["day2"])
        month = _month(groups["month1"] or groups["month2"])
        year_text = groups["year1"] or groups["year2"]
        if year_text:
            return date(int(year_text), month, day)
        if year_for is None:
            raise CellError(
                _("has no year."), _("Pass --as-of with the day the file was exported.")
            )
        candidate = date(year_for.year, month, day)
        return candidate if candidate <= year_for else date(year_for.year - 1, month, day)
    except CellError:
        raise
    except ValueError as error:
        if fmt is None:  # no value of the column looked like a date smmkpi reads
            raise CellError(
                _("is not a date smmkpi can read."),
                _(
                    "Write dates as 2025-02-01, 2025/02/01, 01.02.2025, 1 February 2025 or "
                    "February 1."
                ),
            ) from error
        raise CellError(
            _("is not a date in the column's format ({format}).").format(format=fmt.name),
            _("Write every date of the column the same way, such as 2025-02-01."),
        ) from error


def _serial(number: float) -> date | datetime:
    if not 20_000 <= number <= 80_000:
        raise CellError(_("is a number where a date is expected."))
    days = int(number)
    fraction = number - days
    day = EXCEL_EPOCH + timedelta(days=days)
    if not fraction:
        return day
    return datetime.combine(day, time()) + timedelta(seconds=round(fraction * 86_400))


def in_zone(value: date | datetime | None, zone: tzinfo) -> datetime | None:
    """A time written without an offset, read in ``zone`` (a date alone is its midnight); a
    time with an offset stays the instant it is."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    return value if value.tzinfo else value.replace(tzinfo=zone)


def as_date(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value


def api_day(value: object) -> date:
    """A day as APIs write it: ``2025-03-01`` or ``20250301``."""
    text = numbers.cleaned(value)
    try:
        if re.fullmatch(r"\d{8}", text):
            return datetime.strptime(text, "%Y%m%d").date()
        return date.fromisoformat(text)
    except ValueError as error:
        raise CellError(_("is not a date (2025-03-01 or 20250301).")) from error
