"""Cell values of the canonical tables: parsing and checking, one function per column type.

Each function takes what a reader found in a cell (the text of a CSV cell, or a value a platform
reader already typed) and returns the stored value, ``None`` for unknown, or raises
:class:`CellError` saying what is wrong and how to fix it. Nothing is guessed: a value is either
unambiguous or refused. The only repair is a marker of "no data" (``—``, ``н/д``,
``n/a``), read as unknown and counted as a warning.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import zoneinfo
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from functools import cache

from babel.core import get_global
from babel.numbers import get_territory_currencies

from smmkpi.hashtags import brand_tag, split_brand_hashtags
from smmkpi.i18n import _
from smmkpi.ingest import numbers
from smmkpi.ingest.cell_errors import CellError as CellError  # re-exported: what parsers raise
from smmkpi.ingest.cell_errors import NoDataMarker as NoDataMarker

CellInput = str | int | Decimal | date | datetime | None

NO_DATA_MARKERS = frozenset(
    {
        "—",
        "–",
        "-",
        "н/д",
        "нет данных",
        "n/a",
        "na",
        "null",
        "none",
        "undefined",
        "nan",
        "#div/0!",
        "#н/д",
        "#n/a",
        "не определено",
        "(not set)",
    }
)
"""Cell texts that mean "no data" (compared case-folded), read as unknown, never as zero
(reliability M7) — one vocabulary for the canonical reader and the platforms' importers alike:
a spreadsheet's ``#N/A`` or ``#DIV/0!`` is an unknown value in either."""

MAX_COUNT = 2**63 - 1
MONEY_PLACES = 4
MONEY_MAX = Decimal("99999999999999")  # DECIMAL(18,4)
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100

_MONEY = re.compile(r"\d+(\.\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DOTTED_DATE = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_HAS_TIME = re.compile(r"\d{4}-?\d{2}-?\d{2}[T ]\d")


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_no_data_marker(text: str) -> None:
    """Raise :class:`NoDataMarker` when ``text`` is a "no data" marker."""
    if text.strip().casefold() in NO_DATA_MARKERS:
        raise NoDataMarker(text)


def parse_id(value: object) -> str | None:
    """An id, kept exactly as a string (trimmed, NFC) — the one id parser of every reader, the
    canonical files' and the platforms'. A spreadsheet's number for an id is accepted when it
    is exact (1234567.0); scientific notation, or a float too long to be exact, is refused: the
    real id is lost."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("is not an id."))
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, float):
        if value != int(value) or abs(value) >= 2**53:
            raise CellError(
                _("is a number a spreadsheet stored with too few digits; the real id is lost."),
                _("Export the file again with this column formatted as text."),
            )
        return str(int(value))
    if not isinstance(value, str):
        raise CellError(_("is not an id."))
    text = unicodedata.normalize("NFC", value.strip())
    if numbers.SCIENTIFIC.fullmatch(text):
        raise CellError(
            _(
                "looks like a long number that a spreadsheet turned into scientific notation; "
                "the real id is lost."
            ),
            _("Export the file again with this column formatted as text."),
        )
    return text


def parse_text(value: CellInput) -> str | None:
    """Free text, stored as given after Unicode NFC."""
    if blank(value):
        return None
    if not isinstance(value, str):
        return str(value)
    return unicodedata.normalize("NFC", value)


def parse_count(value: CellInput) -> int | None:
    """A non-negative whole number, written as plain digits."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("is not a whole number."))
    if isinstance(value, int):
        number = value
    elif isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise CellError(_("must be a whole number."), _("Counts have no fractional part."))
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit():  # the common case, without the checks below
            number = int(text)
            if number > MAX_COUNT:
                raise CellError(_("is too large to be a count."))
            return number
        check_no_data_marker(text)
        text = numbers.cleaned(text)
        if text.startswith("-") and numbers.WHOLE.fullmatch(text[1:]):
            raise CellError(
                _("is negative; counts are never below 0."),
                _("Check the source export for this row."),
            )
        if text.startswith("+") and numbers.WHOLE.fullmatch(text[1:]):
            text = text[1:]
        if not numbers.WHOLE.fullmatch(text):
            numbers.refuse_unreadable(text)
            if numbers.grouped(text):
                raise CellError(
                    _("has a thousands separator."),
                    _("Write the number without separators: {plain}.").format(
                        plain=re.sub(r"\D", "", text)
                    ),
                )
            if numbers.PLAIN.fullmatch(text):
                raise CellError(_("must be a whole number."), _("Counts have no fractional part."))
            raise CellError(_("is not a number."), _("Write digits only, such as 1234."))
        number = int(text)
    else:
        raise CellError(_("is not a whole number."))
    if number < 0:
        raise CellError(_("is negative; counts are never below 0."))
    if number > MAX_COUNT:
        raise CellError(_("is too large to be a count."))
    return number


def parse_money(value: CellInput) -> Decimal | None:
    """A non-negative amount with at most four decimal places, a point as decimal separator."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("is not an amount."))
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        text = value.strip()
        check_no_data_marker(text)
        text = numbers.cleaned(text)
        if text.startswith("-"):
            raise CellError(
                _("is negative; amounts are never below 0."),
                _("Leave refunds and cancelled sales out of the file."),
            )
        if not _MONEY.fullmatch(text):
            numbers.refuse_unreadable(text)
            if numbers.DECIMAL_COMMA.fullmatch(text):
                raise CellError(
                    _("uses a decimal comma."),
                    _("Write it with a point: {fixed}.").format(fixed=text.replace(",", ".")),
                )
            raise CellError(
                _("is not an amount."), _("Write digits with a decimal point, such as 1500.50.")
            )
        amount = Decimal(text)
    else:
        raise CellError(_("is not an amount."))
    if amount < 0:
        raise CellError(_("is negative; amounts are never below 0."))
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MONEY_PLACES:
        raise CellError(
            _("has more than {places} decimal places.").format(places=MONEY_PLACES),
            _("Round it in the source (money is kept to 4 decimal places)."),
        )
    if amount > MONEY_MAX:
        raise CellError(_("is too large to be an amount."))
    return amount


def parse_date(value: CellInput) -> date | None:
    """A calendar day written ``YYYY-MM-DD``."""
    if blank(value):
        return None
    if isinstance(value, datetime):
        raise CellError(_("is a time, not a day."), _("Write the day as YYYY-MM-DD."))
    if isinstance(value, date):
        day = value
    elif isinstance(value, str):
        text = value.strip()
        check_no_data_marker(text)
        if not _ISO_DATE.fullmatch(text):
            dotted = _DOTTED_DATE.fullmatch(text)
            if dotted:
                d, m, y = dotted.groups()
                fix = _(
                    "Write days as YYYY-MM-DD; if this is day.month.year, that is {iso}."
                ).format(iso=f"{y}-{int(m):02d}-{int(d):02d}")
            else:
                fix = _("Write days as YYYY-MM-DD, such as 2025-03-01.")
            raise CellError(_("is not a YYYY-MM-DD date."), fix)
        try:
            day = date.fromisoformat(text)
        except ValueError as error:
            raise CellError(_("is not a real calendar day.")) from error
    else:
        raise CellError(_("is not a date."))
    _check_year(day.year)
    return day


def parse_timestamp(value: CellInput, source_zone: tzinfo | None = None) -> datetime | None:
    """An ISO 8601 instant with an offset or ``Z``, returned in UTC.

    A time without an offset is refused unless the import names the zone of the file
    (``source_zone``); then it is read as local time of that zone.
    """
    if blank(value):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        text = value.strip()
        check_no_data_marker(text)
        if not _HAS_TIME.match(text):
            if _ISO_DATE.fullmatch(text) or _DOTTED_DATE.fullmatch(text):
                raise CellError(
                    _("is a day without a time."),
                    _("Write a time with its offset, such as 2025-03-01T10:00:00+03:00."),
                )
            raise CellError(
                _("is not an ISO 8601 time."),
                _("Write it like 2025-03-01T10:00:00+03:00 or 2025-03-01T07:00:00Z."),
            )
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as error:
            raise CellError(
                _("is not an ISO 8601 time."),
                _("Write it like 2025-03-01T10:00:00+03:00 or 2025-03-01T07:00:00Z."),
            ) from error
    else:
        raise CellError(_("is not a time."))
    if moment.tzinfo is None or moment.utcoffset() is None:
        if source_zone is None:
            raise CellError(
                _("has no time-zone offset, so the moment it names is unknown."),
                _(
                    "Add the offset (2025-03-01T10:00:00+03:00, or Z for UTC), or pass "
                    "--timezone with the zone the file's times are in (--timezone Europe/Moscow)."
                ),
            )
        moment = moment.replace(tzinfo=source_zone)
    _check_year(moment.year)
    return moment.astimezone(UTC)


def parse_choice(
    value: CellInput, choices: Sequence[str], aliases: Mapping[str, str] | None = None
) -> str | None:
    """One of ``choices``, matched without regard to case and surrounding spaces; ``aliases``
    maps other names of a choice to it (``vkontakte`` → ``vk``)."""
    if blank(value):
        return None
    text = str(value).strip().lower()
    if text in choices:
        return text
    if aliases and text in aliases:
        return aliases[text]
    raise CellError(
        _("is not one of: {choices}.").format(choices=", ".join(choices)), _suggest(text, choices)
    )


@cache
def _zones() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def parse_timezone(value: CellInput) -> str | None:
    """An IANA time-zone name such as ``Europe/Moscow`` (any letter case)."""
    if blank(value):
        return None
    text = str(value).strip()
    zone = _zones().get(text.lower())
    if zone is None:
        raise CellError(
            _("is not an IANA time zone."),
            _(
                "Use a name such as Europe/Moscow, Asia/Yekaterinburg or America/Los_Angeles; "
                "offsets and abbreviations (MSK, +03:00) change with the rules, names do not."
            ),
        )
    return zone


@cache
def _currencies() -> frozenset[str]:
    """ISO 4217 codes in use today somewhere (not withdrawn ones such as RUR or BYR)."""
    today = date.today()
    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, today))
    return frozenset(codes)


def parse_currency(value: CellInput) -> str | None:
    """An ISO 4217 currency code (``RUB``, ``USD``, ``EUR``)."""
    if blank(value):
        return None
    text = str(value).strip().upper()
    if text == "RUR":
        raise CellError(_("is the code of the ruble before 1998."), _("Use RUB for today's ruble."))
    if text not in _currencies():
        raise CellError(
            _("is not an ISO 4217 currency code."),
            _("Use a three-letter code such as RUB, USD, EUR, KZT."),
        )
    return text


def parse_hashtags(value: CellInput) -> str | None:
    """Space-separated hashtags, each one whole tag; stored as written (NFC)."""
    if blank(value):
        return None
    text = unicodedata.normalize("NFC", str(value).strip())
    bad = [token for token in split_brand_hashtags(text) if brand_tag(token) is None]
    if bad:
        raise CellError(
            _("holds {bad}, which is not a single hashtag.").format(bad=", ".join(bad)),
            _("A hashtag is # followed by letters, digits and _ (no spaces, dashes or dots)."),
        )
    return text


def _check_year(year: int) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise CellError(
            _("has the year {year}, outside {first}–{last}.").format(
                year=year, first=EARLIEST_YEAR, last=LATEST_YEAR
            ),
            _("Check the date in the source."),
        )


def _suggest(text: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(text, choices, n=1)
    return _("Did you mean '{choice}'?").format(choice=close[0]) if close else ""
