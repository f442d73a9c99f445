"""Values as exports write them: Russian numbers, percents, dates, markers of no data."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmkpi.ingest import lenient, values
from smmkpi.ingest.values import CellError, NoDataMarker


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("12,5", ",", Decimal("12.5")),
        ("1 234 567", ",", Decimal("1234567")),
        ("1\u00a0234\u00a0567", ",", Decimal("1234567")),
        ("1\u202f234,5", ",", Decimal("1234.5")),
        ("1'234'567", ".", Decimal("1234567")),
        ("1,234,567.25", ".", Decimal("1234567.25")),
        ("1.234.567,25", ",", Decimal("1234567.25")),
        ("\u2212123", ".", Decimal("-123")),
        ("", ".", None),
    ],
)
def test_numbers(text: str, decimal: str, expected: Decimal | None) -> None:
    assert lenient.number(text, decimal) == expected


@pytest.mark.parametrize(
    ("text", "decimal", "problem"),
    [
        ("12 34", ",", "not a number"),  # a group of two digits
        ("1.5", ",", "decimal separator"),  # a point in a decimal-comma column
        ("1a.2,3", ".", "not a number"),
        ("(123)", ".", "accounting negative"),
        ("1,23E+18", ",", "scientific notation"),
        ("12,5%", ",", "percentage"),
    ],
)
def test_numbers_refused(text: str, decimal: str, problem: str) -> None:
    with pytest.raises(CellError, match=problem):
        lenient.number(text, decimal)


@pytest.mark.parametrize("text", ["—", "н/д", "n/a", "undefined", "#DIV/0!", "(not set)"])
def test_no_data(text: str) -> None:
    with pytest.raises(NoDataMarker):
        lenient.count(text)


def test_percents() -> None:
    assert lenient.percent("12,5%", ",") == Decimal("0.125")
    assert lenient.percent("12.5 %") == Decimal("0.125")
    assert lenient.percent("0,125", ",") == Decimal("0.125")
    with pytest.raises(CellError, match="doubled"):
        lenient.percent("12,5%%", ",")


def test_counts_and_ids() -> None:
    assert lenient.count("1 234") == 1234
    assert lenient.count(1234.0) == 1234
    with pytest.raises(CellError, match="whole number"):
        lenient.count("12,5", ",")
    assert values.parse_id(1234567.0) == "1234567"
    assert values.parse_id(" 1234567890123456789 ") == "1234567890123456789"
    with pytest.raises(CellError, match="too few digits"):
        values.parse_id(1.2345678901234567e18)
    with pytest.raises(CellError, match="scientific notation"):
        values.parse_id("1,23E+18")


@given(st.integers(min_value=0, max_value=10**12))
def test_russian_grouping_round_trips(value: int) -> None:
    text = f"{value:,}".replace(",", "\u00a0")
    assert lenient.count(text, ",") == value


def test_a_date_column_has_one_format() -> None:
    column = ["12.01.2025", "15.04.2025", "01.02.2025"]
    fmt = lenient.date_format(column)
    assert fmt is lenient.DAY_FIRST
    assert [lenient.parse_date_time(v, fmt) for v in column] == [
        date(2025, 1, 12),
        date(2025, 4, 15),
        date(2025, 2, 1),
    ]  # never a per-row flip
    us = ["02/01/2025", "02/15/2025"]
    assert lenient.date_format(us) is lenient.MONTH_FIRST
    with pytest.raises(CellError, match="mixes"):
        lenient.date_format(["13/01/2025", "01/13/2025"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 февраля 2025", date(2025, 2, 1)),
        ("1 февраля 2025 г.", date(2025, 2, 1)),
        ("февраль 2025", date(2025, 2, 1)),
        ("фев. 2025 г.", date(2025, 2, 1)),
        ("01 янв 2025", date(2025, 1, 1)),
        ("August 1, 2025", date(2025, 8, 1)),
        ("31 de julho de 2025", date(2025, 7, 31)),
    ],
)
def test_dates_in_words(text: str, expected: date) -> None:
    assert lenient.parse_date_time(text, lenient.WORDS) == expected


def test_dates_without_a_year_take_the_latest_before_the_export() -> None:
    exported = date(2026, 1, 3)
    assert lenient.parse_date_time("December 30", lenient.WORDS, exported) == date(2025, 12, 30)
    assert lenient.parse_date_time("January 1", lenient.WORDS, exported) == date(2026, 1, 1)
    with pytest.raises(CellError, match="no year"):
        lenient.parse_date_time("December 30", lenient.WORDS)
    with pytest.raises(CellError, match="not a date"):
        lenient.parse_date_time("31 февраля 2025", lenient.WORDS)


def test_serial_compact_and_iso_dates() -> None:
    assert lenient.parse_date_time(45689, lenient.SERIAL) == date(2025, 2, 1)
    assert lenient.parse_date_time("45689.5", lenient.SERIAL) == datetime(2025, 2, 1, 12)
    assert lenient.parse_date_time("20250201", lenient.COMPACT) == date(2025, 2, 1)
    assert lenient.parse_date_time(
        "2025-02-01T10:00:00+0300", lenient.ISO
    ) == datetime.fromisoformat("2025-02-01T10:00:00+03:00")
    assert lenient.parse_date_time("01.02.2025 10:30", lenient.DAY_FIRST) == datetime(
        2025, 2, 1, 10, 30
    )


def _refusal(parse: object, text: str) -> tuple[str, str] | str:
    try:
        parse(text)  # type: ignore[operator]
    except CellError as error:
        return (error.problem, error.fix)
    except NoDataMarker:
        return "no data"
    return "read"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1.2E+07", "is in scientific notation, which loses digits."),
        ("12,5 %", "is a percentage, where a number is expected."),
        ("(1 234)", "is an accounting negative (in parentheses)."),
        ("#Н/Д", "no data"),
    ],
)
def test_one_number_grammar_refuses_alike_in_canonical_files_and_exports(
    text: str, problem: str
) -> None:
    """The canonical reader and the exports' refuse the same shapes with the same words."""
    said = {
        _refusal(parse, text)
        for parse in (values.parse_count, values.parse_money, lenient.number, lenient.count)
    }
    assert len(said) == 1
    found = said.pop()
    assert (found if isinstance(found, str) else found[0]) == problem


@pytest.mark.parametrize("text", ["1 234", "1\u00a0234", "1\u2009234", "1'234", "1’234", "1,234"])
def test_grouped_thousands_read_in_exports_are_named_in_canonical_files(text: str) -> None:
    assert lenient.count(text) == 1234
    with pytest.raises(CellError) as error:
        values.parse_count(text)
    assert (error.value.problem, error.value.fix) == (
        "has a thousands separator.",
        "Write the number without separators: 1234.",
    )


def test_a_typographic_minus_is_a_minus_everywhere() -> None:
    assert lenient.number("\u22121 500,5", ",") == Decimal("-1500.5")
    for parse in (values.parse_count, values.parse_money):
        with pytest.raises(CellError, match="is negative"):
            parse("\u22125")
