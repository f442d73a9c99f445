"""The platform importers' rows checked column-wise (ingest/row_batches.py) and their cells read
once per distinct text (ingest/remembered.py): the same rows stored, the same problems told in
the order of the rows, as when each row was checked cell by cell."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from smmkpi.errors import ImportRejectedError
from smmkpi.i18n import use_language
from smmkpi.ingest import lenient, row_batches
from smmkpi.ingest.cell_errors import CellError, NoDataMarker
from smmkpi.ingest.remembered import remembered
from smmkpi.ingest.rows import RowSink
from smmkpi.workspace import Workspace
from tests.conftest import snapshot
from tests.ingest.conftest import DATA, platform_import

MSK = timedelta(hours=3)
EXPORTS: list[tuple[str, dict[str, Any]]] = [
    ("metrica/utm_by_day.csv", {"client_id": "coffeelab"}),
    ("metrica/api_utm.json", {"client_id": "coffeelab"}),
    ("ga4/traffic_acquisition.csv", {"client_id": "pacific"}),
    ("mentions/youscan.csv", {"client_id": "coffeelab"}),
    ("mentions/brand_analytics.xlsx", {"client_id": "coffeelab"}),
    ("vk/coffeelab", {"as_of": datetime(2025, 3, 5, 9, tzinfo=UTC)}),
    ("telegram/coffeelab", {"as_of": datetime(2025, 3, 5, 9, tzinfo=UTC)}),
    ("meta/ig_posts_mar-2025.csv", {"as_of": datetime(2025, 4, 5, 9, tzinfo=UTC)}),
    ("youtube/Table data.csv", {"account_id": "pacific-yt"}),
    ("tiktok/export", {"as_of": datetime(2026, 1, 3, 18, tzinfo=UTC), "client_id": "pacific"}),
    ("ads/direct_wizard.csv", {"client_id": "coffeelab"}),
    ("amocrm/deals_export.csv", {"client_id": "homedecor"}),
    ("bitrix24/deals_export.xls", {"client_id": "coffeelab"}),
]


def cell_by_cell(
    self: RowSink, table: Any, cells: Any, *, file: str, row: int, line: int | None = None
) -> None:
    """How rows were checked before: each on its own, when read."""
    self.add(table, cells, file=file, row=row, line=line)


@pytest.mark.parametrize(("export", "options"), EXPORTS, ids=[e for e, _o in EXPORTS])
def test_each_export_stores_the_same_rows_either_way(
    agency: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, export: str, options: Any
) -> None:
    """Batches of two rows (so that every export spans several) against rows checked one by
    one in a copy of the same workspace: the same tables, value for value."""
    from tests.conftest import copy_workspace

    other = Workspace.open(copy_workspace(agency.path, tmp_path / "cell_by_cell"))
    monkeypatch.setattr(row_batches, "BATCH", 2)
    platform_import(agency, DATA / export, **options)
    with monkeypatch.context() as patched:
        patched.setattr(RowSink, "add_later", cell_by_cell)
        platform_import(other, DATA / export, **options)
    batched, reference = snapshot(agency), snapshot(other)
    assert batched == reference
    assert sum(len(rows) for rows in batched.values()) > 2 * 5  # clients, accounts and more


METRICA_HEADER = '"Дата визита","UTM Source","UTM Medium","Визиты","Посетители"\n'


def test_problems_are_told_in_the_order_of_their_rows(
    agency: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row 3's count is read (a number) but refused by the canonical check, which runs when the
    batch is checked; row 4's is refused as it is read. Row 3 is still told first."""
    monkeypatch.setattr(row_batches, "BATCH", 3)
    export = tmp_path / "utm.csv"
    export.write_text(
        METRICA_HEADER
        + '"2025-03-01","vk","social","120","101"\n'
        + '"2025-03-02","vk","social","9 223 372 036 854 775 808","90"\n'
        + '"2025-03-03","vk","social","много","90"\n'
        + '"2025-03-04","vk","social","7","5"\n',
        encoding="utf-8",
    )
    before = snapshot(agency)
    with pytest.raises(ImportRejectedError) as rejected:
        platform_import(agency, export, client_id="coffeelab")
    assert [(p.row, p.value, p.problem) for p in rejected.value.problems] == [
        (3, "9223372036854775808", "is too large to be a count."),
        (4, "много", "is not a number."),
    ]
    assert snapshot(agency) == before  # nothing half-written


def test_a_value_without_a_plain_form_is_checked_cell_by_cell(
    agency: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A UTM tag written after an apostrophe is no plain text for the column-wise check: its
    row is checked on its own, in the middle of a batch, and stored as the others are."""
    monkeypatch.setattr(row_batches, "BATCH", 10)
    export = tmp_path / "utm.csv"
    export.write_text(
        METRICA_HEADER
        + '"2025-03-01","vk","social","120","101"\n'
        + '"2025-03-01","\'tg","social","1 055","50"\n'
        + '"2025-03-02","vk","social","98","90"\n',
        encoding="utf-8",
    )
    platform_import(agency, export, client_id="coffeelab")
    stored = {(r[1], r[2]): r[7:9] for r in snapshot(agency)["web_sessions"] if r[0] == "coffeelab"}
    assert stored == {
        (date(2025, 3, 1), "vk"): (120, 101),
        (date(2025, 3, 1), "'tg"): (1055, 50),
        (date(2025, 3, 2), "vk"): (98, 90),
    }


def test_plain_texts_are_what_the_canonical_files_write() -> None:
    moscow = datetime(2025, 3, 1, 10, 0, tzinfo=UTC).astimezone().replace(tzinfo=None)
    aware = datetime(2025, 3, 1, 10, 30, 5, 120, tzinfo=UTC) + MSK
    values = ["vk", None, 1234, date(2025, 3, 1), Decimal("1500.50"), True, 1.5, moscow]
    assert row_batches.plain_texts(values) == [
        "vk", "", "1234", "2025-03-01", "1500.50", None, None, moscow.isoformat()
    ]  # fmt: skip
    assert row_batches.plain_texts([aware, None]) == ["2025-03-01T13:30:05.000120+00:00", ""]
    assert row_batches.plain_texts([1, None, 20]) == ["1", "", "20"]


def test_a_reader_reads_each_distinct_text_once() -> None:
    calls: list[str] = []

    @remembered
    def doubled(text: Any, factor: int = 2) -> int:
        calls.append(text)
        if text == "x":
            raise CellError("is not a number.", "Write digits.")
        if text == "-":
            raise NoDataMarker(text)
        return int(text) * factor

    assert [doubled("3"), doubled("3"), doubled("3", 3), doubled(4), doubled(4)] == [6, 6, 9, 8, 8]
    assert calls == ["3", "3", 4, 4]  # ("3", 3) is another call; a number is not remembered
    raised = []
    for _ in range(3):
        with pytest.raises(CellError) as error:
            doubled("x")
        raised.append(error.value)
    assert calls.count("x") == 1
    assert len({id(e) for e in raised}) == 3  # a problem of its own for every row
    assert {(e.problem, e.fix) for e in raised} == {("is not a number.", "Write digits.")}
    with pytest.raises(NoDataMarker):
        doubled("-")
    with pytest.raises(NoDataMarker):
        doubled("-")
    assert calls.count("-") == 1


def test_a_remembered_problem_is_told_in_the_language_asked() -> None:
    with use_language("en"), pytest.raises(CellError) as english:
        lenient.count("двенадцать")
    with use_language("ru"), pytest.raises(CellError) as russian:
        lenient.count("двенадцать")
    assert english.value.problem == "is not a number."
    assert russian.value.problem != english.value.problem
    with use_language("ru"), pytest.raises(CellError) as again:
        lenient.count("двенадцать")
    assert again.value.problem == russian.value.problem
