"""The messy-input catalogue (reliability §5 and issue 3): one shop's three paid orders, saved
every way spreadsheets and exporters save them, read through a mapping profile into the same
sales — or refused with the file, row, column, value and the fix."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from smmkpi.errors import UserError
from smmkpi.ingest.profiles import Profile
from smmkpi.workspace import Workspace
from tests.conftest import table_rows
from tests.ingest.conftest import DATA, platform_import

MESSY = DATA / "messy"
HEADERS = {
    "sale_id": "Номер заказа",
    "closed_at": "Дата оплаты",
    "amount": "Сумма, ₽",
    "utm_source": "utm_source",
}
EXPECTED = {
    "7301234567890123456": (datetime(2025, 3, 5, 11, 22, tzinfo=UTC), Decimal("1500.50"), "vk"),
    "7301234567890123457": (datetime(2025, 3, 6, 6, 5, tzinfo=UTC), Decimal("12000"), "instagram"),
    "7301234567890123458": (datetime(2025, 3, 31, 20, 30, tzinfo=UTC), Decimal("990.00"), None),
}


def sales(workspace: Workspace) -> dict[str, tuple]:
    """sale_id → (closed_at, amount, utm_source), in Moscow's zone, the client's."""
    return {r[1]: (r[3], r[4], r[5]) for r in table_rows(workspace, "sales")}


def through_profile(
    workspace: Workspace, path: Path, allow_empty: bool = False, **changes: Any
) -> Any:
    columns = dict(HEADERS)
    columns.update(changes.pop("columns", {}))
    Profile(name="shop", table="sales", columns=columns, decimal=",", **changes).save(
        workspace.path / "profiles"
    )
    return platform_import(
        workspace,
        path,
        file_format="mapped",
        client_id="coffeelab",
        profile="shop",
        profiles_folder=workspace.path / "profiles",
        allow_empty=allow_empty,
    )


@pytest.mark.parametrize(
    ("name", "amount_header"),
    [
        ("sales_utf8_comma.csv", "Сумма, ₽"),  # UTF-8, ',' with quoted decimal commas
        ("sales_utf8_bom_semicolon.csv", "Сумма, ₽"),  # UTF-8 with BOM, ';'
        ("sales_cp1251_semicolon.csv", "Сумма, руб."),  # Windows-1251 from a Russian Excel
        ("sales_utf16_tab.tsv", "Сумма, ₽"),  # UTF-16 with BOM, tab
        ("sales_nbsp_apostrophe.csv", "Сумма, ₽"),  # thousands: no-break space, apostrophe
        ("sales_excel_serial.csv", "Сумма, ₽"),  # Excel serial date-times, decimal comma
        ("sales_preamble_totals.csv", "Сумма, ₽"),  # title rows above, "Итого" below
        ("sales_workbook.xlsx", "Сумма, ₽"),  # typed cells; notes sheet first; hidden sheet
        ("sales_saved_as.xls", "Сумма, руб."),  # an HTML table saved with an .xls name
    ],
)
def test_every_way_of_saving_reads_the_same_sales(
    agency: Workspace, name: str, amount_header: str
) -> None:
    outcome = through_profile(agency, MESSY / name, columns={"amount": amount_header})
    assert sales(agency) == EXPECTED
    assert outcome.tables["sales"].inserted == 3
    # the same file again changes nothing
    assert not through_profile(agency, MESSY / name, columns={"amount": amount_header}).changed


def test_placeholders_are_unknown_and_counted(agency: Workspace, tmp_path: Path) -> None:
    text = (MESSY / "sales_utf8_bom_semicolon.csv").read_text(encoding="utf-8-sig")
    text = text.replace("12 000", "н/д").replace("990,00", "—")
    path = tmp_path / "placeholders.csv"
    path.write_text(text, encoding="utf-8")
    outcome = through_profile(agency, path)
    found = sales(agency)
    assert found["7301234567890123457"][1] is None  # unknown, not 0
    assert found["7301234567890123458"][1] is None
    assert any("'н/д'" in w and "not as zero" in w for w in outcome.record.warnings)


def test_russian_month_names(agency: Workspace) -> None:
    through_profile(agency, MESSY / "sales_russian_months.csv")
    # a day without a time is its midnight in the client's zone
    assert sales(agency)["7301234567890123456"][0] == datetime(2025, 3, 4, 21, tzinfo=UTC)
    assert sales(agency)["7301234567890123458"][0] == datetime(2025, 3, 30, 21, tzinfo=UTC)


def test_two_header_rows_with_merged_cells(agency: Workspace) -> None:
    through_profile(
        agency,
        MESSY / "sales_two_row_header.xlsx",
        columns={
            "sale_id": "Заказ / Номер",
            "closed_at": "Заказ / Дата",
            "amount": "Оплата / Сумма, ₽",
            "utm_source": "Оплата / Источник",
        },
    )
    assert sales(agency) == EXPECTED


def test_bad_cells_are_all_named(agency: Workspace) -> None:
    with pytest.raises(UserError) as failure:
        through_profile(agency, MESSY / "sales_bad_cells.csv")
    message = str(failure.value)
    assert "nothing was written" in message
    assert (
        "sales_bad_cells.csv, row 2, column 'Номер заказа', value '7,30123E+18': looks like a long "
        "number that a spreadsheet turned into scientific notation; the real id is lost. Export "
        "the file again with this column formatted as text." in message
    )
    # row 3 of the sheet, line 4 of the file: the comment above spans two lines
    assert (
        "row 3 (line 4), column 'Сумма, ₽', value '12,5 %': is a percentage, where a number is "
        "expected." in message
    )
    assert "row 4 (line 5), column 'Дата оплаты', value '32.03.2025 23:30'" in message
    assert sales(agency) == {}


def test_ragged_rows(agency: Workspace) -> None:
    with pytest.raises(UserError) as failure:
        through_profile(agency, MESSY / "sales_ragged.csv")
    message = str(failure.value)
    assert (
        "sales_ragged.csv: 1 row has more cells than the header's 5; the extra values are: "
        "row 3 (line 4): 'лишнее', 'ещё'." in message
    )
    assert sales(agency) == {}


def test_a_short_row_has_its_missing_cells_empty(agency: Workspace, tmp_path: Path) -> None:
    text = (MESSY / "sales_utf8_bom_semicolon.csv").read_text(encoding="utf-8-sig")
    path = tmp_path / "short.csv"
    path.write_text(text.replace("990,00;;—", "990,00"), encoding="utf-8")
    through_profile(agency, path)
    assert sales(agency)["7301234567890123458"] == EXPECTED["7301234567890123458"]


def test_empty_and_header_only_files(agency: Workspace) -> None:
    with pytest.raises(UserError, match=r"sales_empty\.csv is empty"):
        through_profile(agency, MESSY / "sales_empty.csv")
    with pytest.raises(
        UserError,
        match=r"sales_header_only\.csv holds no rows of data \(a header only, or nothing this "
        r"importer reads\): nothing was imported\. Export the period again, or pass "
        r"--allow-empty if it is empty on purpose\.",
    ):
        through_profile(agency, MESSY / "sales_header_only.csv")
    outcome = through_profile(agency, MESSY / "sales_header_only.csv", allow_empty=True)
    assert not outcome.changed
    assert sales(agency) == {}


def test_a_newer_post_snapshot_replaces_and_an_older_is_ignored(
    agency: Workspace, tmp_path: Path
) -> None:
    wall = DATA / "vk" / "coffeelab" / "wall_get.json"
    first = platform_import(agency, wall, as_of=datetime(2025, 4, 5, tzinfo=UTC))
    assert first.tables["posts"].inserted == 3
    older = platform_import(agency, wall, as_of=datetime(2025, 4, 1, tzinfo=UTC))
    assert older.tables["posts"].unchanged == 3 and not older.changed  # the same values

    def likes() -> int:
        return {r[1]: r[6] for r in table_rows(agency, "posts")}["4812"]

    assert likes() == 54
    newer = tmp_path / "wall_get.json"
    newer.write_text(wall.read_text(encoding="utf-8").replace('"count": 54', '"count": 61'))
    later = platform_import(agency, newer, as_of=datetime(2025, 4, 9, tzinfo=UTC))
    # 4812's newer snapshot replaces it; the two others were read again with the same values
    assert (later.tables["posts"].replaced, later.tables["posts"].unchanged) == (1, 2)
    assert likes() == 61
    with agency.open_store(read_only=True) as store:
        read = store.con.execute("SELECT DISTINCT captured_at FROM posts").fetchall()
    assert read == [(datetime(2025, 4, 9, tzinfo=UTC),)]  # all three known as of 9 April
    stale = tmp_path / "old" / "wall_get.json"
    stale.parent.mkdir()
    stale.write_text(wall.read_text(encoding="utf-8").replace('"count": 54', '"count": 50'))
    ignored = platform_import(agency, stale, as_of=datetime(2025, 4, 2, tzinfo=UTC))
    assert (ignored.tables["posts"].ignored, ignored.tables["posts"].unchanged) == (1, 2)
    assert likes() == 61


def test_an_overlapping_export_replaces_the_days_it_covers(
    agency: Workspace, tmp_path: Path
) -> None:
    as_of = datetime(2026, 1, 3, 18, tzinfo=UTC)
    platform_import(
        agency, DATA / "tiktok" / "export" / "Overview.csv", as_of=as_of, client_id="pacific"
    )
    later = tmp_path / "Overview.csv"
    later.write_text(
        "Date,Video Views,Profile Views,Likes,Comments,Shares\n"
        "January 1,2500,140,400,23,31\n"  # restated
        "January 2,1975,101,301,18,14\n"  # as before
        "January 3,1700,90,250,10,9\n",  # new
        encoding="utf-8",
    )
    outcome = platform_import(
        agency, later, as_of=datetime(2026, 1, 4, 18, tzinfo=UTC), account_id="pacific-tt"
    )
    counts = outcome.tables["account_daily"]
    assert (counts.inserted, counts.replaced, counts.unchanged) == (1, 1, 1)
    views = {r[1].isoformat(): r[6] for r in table_rows(agency, "account_daily")}
    assert views == {
        "2025-12-29": 1520,  # days the new export does not cover stay
        "2025-12-30": 1804,
        "2025-12-31": None,
        "2026-01-01": 2500,
        "2026-01-02": 1975,
        "2026-01-03": 1700,
    }


def test_a_long_id_stored_as_a_number_by_a_spreadsheet_is_refused(
    agency: Workspace, tmp_path: Path
) -> None:
    import xlsxwriter

    path = tmp_path / "orders.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Заказы")
    sheet.write_row(0, 0, list(HEADERS.values()))
    sheet.write_number(1, 0, 7301234567890123456)  # Excel keeps 15 digits: 7301234567890120000
    sheet.write_row(1, 1, ["05.03.2025 14:22", "1 500,50", "vk"])
    workbook.close()
    with pytest.raises(UserError) as failure:
        through_profile(agency, path)
    assert (
        "row 2, column 'Номер заказа', value '7.301234567890124e+18': is a number a spreadsheet "
        "stored with too few digits; the real id is lost." in str(failure.value)
    )
