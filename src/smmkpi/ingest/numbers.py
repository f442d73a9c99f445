"""How a number is written in a cell: one grammar for the canonical reader and the exports'.

Both readers recognise the same shapes — plain digits, a decimal point or comma, thousands
grouped by spaces (also no-break and thin), apostrophes, points or commas, a minus sign (``-``
or ``−``), scientific notation, a percentage, an accountant's negative in parentheses — and
refuse the same ones with the same words. They differ only in what they accept: the canonical
files hold plain digits with a point (``values.py`` says how to rewrite anything else), the
platforms' exports are read as people and spreadsheets write them (``lenient.py``).
"""

from __future__ import annotations

import re
from functools import cache

from smmkpi.i18n import _
from smmkpi.ingest.cell_errors import CellError

GROUP_MARKS = " \u00a0\u202f\u2009'’"
"""Characters that group thousands in any file: spaces of every width and apostrophes."""

WHOLE = re.compile(r"\d+")
PLAIN = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+")
SPACE_GROUPED = re.compile(rf"[+-]?\d{{1,3}}(?:[{GROUP_MARKS}]\d{{3}})+(?:[.,]\d+)?")
DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


def cleaned(value: object) -> str:
    """The cell's text without surrounding spaces, with the typographic minus as ``-``."""
    return str(value).strip().replace("\u2212", "-")


@cache
def mark_grouped(mark: str, decimal: str) -> re.Pattern[str]:
    """Thousands grouped by ``mark`` (a point or a comma) in threes, ``decimal`` after them."""
    return re.compile(rf"[+-]?\d{{1,3}}(?:{re.escape(mark)}\d{{3}})+(?:{re.escape(decimal)}\d+)?")


def grouped(text: str) -> bool:
    """Whether ``text`` groups its thousands (``1 234``, ``1'234``, ``1,234``, ``1,234.5``)."""
    return bool(SPACE_GROUPED.fullmatch(text) or mark_grouped(",", ".").fullmatch(text))


def ungrouped(text: str) -> str:
    """``text`` without its group marks (spaces and apostrophes)."""
    return re.sub(f"[{GROUP_MARKS}]", "", text)


def refuse_unreadable(text: str) -> None:
    """Raise the error every reader gives for a number written in a way none of them reads:
    scientific notation (digits are lost), a percentage where a number is expected, an
    accountant's negative in parentheses."""
    if SCIENTIFIC.fullmatch(text):
        raise CellError(
            _("is in scientific notation, which loses digits."),
            _(
                "Write the whole number; format the column as a number in the spreadsheet "
                "before saving."
            ),
        )
    if text.endswith("%"):
        raise CellError(_("is a percentage, where a number is expected."))
    if text.startswith("(") and text.endswith(")"):
        raise CellError(
            _("is an accounting negative (in parentheses)."),
            _("Write negative numbers with a minus sign, or check the source."),
        )
