"""Money in exports: the currency a column's title names, checked against the client's, and
amounts read with the file's decimal separator. smmkpi never converts currencies."""

from __future__ import annotations

import re
from typing import Any

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.ingest import lenient
from smmkpi.ingest.values import CellError

CURRENCY_SIGNS = (
    ("₽", "RUB"),
    ("руб", "RUB"),
    ("rub", "RUB"),
    ("$", "USD"),
    ("usd", "USD"),
    ("€", "EUR"),
    ("eur", "EUR"),
    ("₸", "KZT"),
    ("тенге", "KZT"),
    ("kzt", "KZT"),
    ("byn", "BYN"),
    ("₴", "UAH"),
    ("uah", "UAH"),
)


def currency_in(header: str) -> str | None:
    """The currency a column's title names (``Бюджет ₽``, ``Сумма, руб.``), if any."""
    text = header.casefold()
    for sign, code in CURRENCY_SIGNS:
        if sign in text if not sign.isalpha() else re.search(rf"\b{sign}", text):
            return code
    return None


def check_currency(file: str, where: str, found: str | None, expected: str) -> None:
    """Refuse money in another currency than the client's."""
    if found is not None and found.upper() != expected.upper():
        raise UserError(
            _(
                "{file}: {where} is in {found}, but the client keeps money in {expected}. Convert "
                "the amounts to {expected} first (smmkpi never converts currencies)."
            ).format(file=file, where=where, found=found.upper(), expected=expected.upper())
        )


def amount(decimal: str, explicit: bool = False) -> Any:
    """A converter of amounts written with ``decimal`` as the decimal separator (``explicit``:
    the user said so; see :func:`lenient.number`)."""

    def convert(value: Any) -> Any:
        amount = lenient.number(value, decimal, explicit)
        if amount is not None and amount < 0:
            raise CellError(_("is negative; amounts of money here are never below 0."))
        return amount

    return convert
