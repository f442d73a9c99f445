"""Numbers and dates for people, in the locale of the interface (Babel).

Values are rounded half up for display only (``2.345 %`` shows as ``2,35 %``); stored and JSON
values keep full precision. Unknown values show as a dash.

>>> format_value(1234.5, "number", "ru")
'1\\xa0234,5'
>>> format_value(3.2145, "percent", "en")
'3.21%'
>>> format_value(None, "count", "ru")
'—'
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from smmkpi.i18n import Language

NO_DATA = "—"

_PLACES = {"count": 0, "number": 1, "percent": 2, "money": 2}


def rounded(value: float | int | Decimal, places: int) -> Decimal:
    """``value`` rounded half up to ``places`` decimal places, exactly."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_value(
    value: float | int | Decimal | None,
    unit: str,
    language: Language,
    currency: str = "RUB",
) -> str:
    """A KPI value for display: ``1 234`` (count), ``12,5`` (number), ``3,21 %`` (percent),
    ``15 000,00 ₽`` (money)."""
    if value is None:
        return NO_DATA
    places = _PLACES[unit]
    number = rounded(value, places)
    if unit == "money":
        return str(format_currency(number, currency, locale=language))
    pattern = "#,##0" + ("." + "0" * places if places else "")
    text = str(format_decimal(number, format=pattern, locale=language))
    if unit == "percent":
        return text + ("\u00a0%" if language == "ru" else "%")
    return text


def format_number(value: float | int | Decimal, places: int, language: Language) -> str:
    """``value`` with ``places`` decimals and grouped thousands: ``1 234,5``."""
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return str(format_decimal(rounded(value, places), format=pattern, locale=language))


def format_count(value: int, language: Language) -> str:
    return str(format_decimal(value, format="#,##0", locale=language))


def format_month(day: date, language: Language) -> str:
    """``март 2025`` / ``March 2025``."""
    return str(format_date(day, "LLLL y", locale=language))


def format_month_after_from(day: date, language: Language) -> str:
    """The month after "from" — ``с марта 2025`` needs the genitive (``марта 2025``); English
    has one form: ``March 2025``."""
    return str(format_date(day, "MMMM y", locale=language))


def format_day(day: date, language: Language) -> str:
    """``31 марта 2025 г.`` / ``March 31, 2025``."""
    return str(format_date(day, "long", locale=language))


def format_days(first: date, last: date, language: Language) -> str:
    """A range of days in the report's one date style — the long one, the month in words,
    the shared parts said once: ``4–7 октября 2026 г.`` / ``October 4–7, 2026``,
    ``28 сентября – 3 октября 2026 г.`` / ``September 28 – October 3, 2026``; a single day as
    :func:`format_day`."""
    if first == last:
        return format_day(first, language)
    if first.year != last.year:
        return f"{format_day(first, language)} – {format_day(last, language)}"
    if language == "ru":
        if first.month == last.month:
            return f"{first.day}–{format_day(last, language)}"
        return f"{format_date(first, 'd MMMM', locale=language)} – {format_day(last, language)}"
    if first.month == last.month:
        return f"{format_date(first, 'MMMM d', locale=language)}–{last.day}, {last.year}"
    return (
        f"{format_date(first, 'MMMM d', locale=language)} – "
        f"{format_date(last, 'MMMM d', locale=language)}, {last.year}"
    )


def sentence(text: str) -> str:
    """``text`` with one full stop at its end — also when it ends with a date that has its own
    (``5 декабря 2026 г.``): never ``г..``."""
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def format_period(start: date, end: date, kind: str, language: Language) -> str:
    """A period for people: ``март 2026`` / ``March 2026``, ``3-й квартал 2026`` / ``Q3 2026``,
    ``2-е полугодие 2026`` / ``H2 2026``, ``2026 год`` / ``2026``, or a range of days
    ``10–20 марта 2026 г.`` / ``March 10–20, 2026`` (``kind`` as :attr:`Period.kind` says)."""
    if kind == "month":
        return format_month(start, language)
    if kind == "quarter":
        number = (start.month - 1) // 3 + 1
        return f"{number}-й квартал {start.year}" if language == "ru" else f"Q{number} {start.year}"
    if kind == "half":
        number = (start.month - 1) // 6 + 1
        return (
            f"{number}-е полугодие {start.year}" if language == "ru" else f"H{number} {start.year}"
        )
    if kind == "year":
        return f"{start.year} год" if language == "ru" else str(start.year)
    return format_days(start, end, language)
