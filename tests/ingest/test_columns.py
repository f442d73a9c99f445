"""Whole columns converted at once (``ingest/columns.py``) store what the per-cell parsers store.

The fast path may only take a cell when it reads it exactly as ``values.py`` does; every other
cell must be left to the per-cell path (marked slow), where its error is told with its row.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkpi.errors import ImportRejectedError
from smmkpi.ingest import values
from smmkpi.ingest.columns import converter_for
from smmkpi.ingest.rows import RowSink, parser_for
from smmkpi.store.tables import TABLES_BY_NAME, Column
from smmkpi.workspace import Workspace
from tests.conftest import import_path, snapshot, write_table

POSTS = TABLES_BY_NAME["posts"]
COUNT = POSTS.column("likes")
ID = POSTS.column("post_id")
TEXT = POSTS.column("text")
KIND = POSTS.column("kind")
PUBLISHED = POSTS.column("published_at")
DAY = TABLES_BY_NAME["account_daily"].column("date")
AMOUNT = TABLES_BY_NAME["sales"].column("amount")


def fast(column: Column, cells: list[str]) -> list[Any]:
    """Each cell's value from the column-wise path, or ``"slow"`` where it defers."""
    converted = converter_for(column)(pa.array(cells, pa.string()))
    slow = [False] * len(cells) if converted.slow is None else converted.slow.to_pylist()
    return [
        "slow" if deferred else value
        for value, deferred in zip(converted.values.to_pylist(), slow, strict=True)
    ]


def per_cell(column: Column, cell: str) -> Any:
    """What the per-cell parser makes of ``cell``: its value, or ``"error"``."""
    try:
        return None if cell == "" else parser_for(column, None)(cell)
    except (values.CellError, values.NoDataMarker):
        return "error"


def test_plain_cells_are_read_at_once_and_the_rest_left_to_the_parsers() -> None:
    assert fast(COUNT, ["0", "007", "123456789012345678", "", "+5", "1 234", "-1", "1e3"]) == [
        0,
        7,
        123456789012345678,
        None,
        "slow",
        "slow",
        "slow",
        "slow",
    ]
    assert fast(AMOUNT, ["1500.50", "0.0001", "99999999999999", "1,5", "1.12345", ".5"]) == [
        Decimal("1500.5"),
        Decimal("0.0001"),
        Decimal("99999999999999"),
        "slow",
        "slow",
        "slow",
    ]
    assert fast(DAY, ["2024-02-29", "2025-02-29", "2025-02-30", "1989-12-31", "01.03.2025"]) == [
        date(2024, 2, 29),
        "slow",  # not a real day: the parser says so on its row
        "slow",
        "slow",  # before 1990
        "slow",
    ]
    moscow = timezone(timedelta(hours=3))
    assert fast(
        PUBLISHED,
        [
            "2025-03-01T10:00:00+03:00",
            "2025-03-01 07:00:00Z",
            "2025-03-01T10:00:00.5-05:30",
            "2025-03-01T10:00:00",  # no offset: an error, or --timezone
            "2025-03-01T24:00:00Z",
        ],
    ) == [
        datetime(2025, 3, 1, 10, tzinfo=moscow),
        datetime(2025, 3, 1, 7, tzinfo=UTC),
        datetime(2025, 3, 1, 15, 30, 0, 500000, tzinfo=UTC),
        "slow",
        "slow",
    ]
    assert fast(ID, ["4567", "кофе_лаб", " 12", "1.23457E+18", "e\u0301"]) == [
        "4567",
        "кофе_лаб",
        "slow",
        "slow",
        "\u00e9",  # one entity whichever way it was typed (NFC)
    ]
    assert fast(TEXT, ["  as typed ", "   ", "Пост\n#кофе", "e\u0301"]) == [
        "  as typed ",
        "slow",
        "Пост\n#кофе",
        "\u00e9",
    ]
    assert fast(KIND, ["reel", "Reel", "pots", ""]) == ["reel", "slow", "slow", None]


def test_a_day_that_does_not_exist_leaves_the_whole_column_to_the_parser() -> None:
    assert fast(PUBLISHED, ["2025-03-01T10:00:00Z", "2025-02-30T10:00:00Z"]) == ["slow", "slow"]


def test_a_time_without_its_offset_goes_through_the_parser() -> None:
    """The zone an import names (--timezone) is for times without an offset, which the parser
    reads; a time with its offset is the same instant whatever the zone."""
    moscow = ZoneInfo("Europe/Moscow")
    cells = ["2025-03-01T10:00:00Z", "2025-03-01T10:00:00", "2025-03-01T13:00:00+03:00"]
    assert fast(PUBLISHED, cells) == [
        datetime(2025, 3, 1, 10, tzinfo=UTC),
        "slow",
        datetime(2025, 3, 1, 10, tzinfo=UTC),
    ]
    read = values.parse_timestamp
    assert read(cells[0], moscow) == read(cells[2], moscow) == datetime(2025, 3, 1, 10, tzinfo=UTC)


def _cells(*plain: str) -> st.SearchStrategy[str]:
    """Cells near the plain forms: digits, signs, separators, spaces, letters, odd Unicode."""
    pieces = st.sampled_from([*"0123456789 .,:-+TZeE/'\u00a0\u2028é٣Кz", "e\u0301"])
    near = st.lists(pieces, max_size=30).map("".join)
    edited = st.tuples(st.sampled_from(plain), pieces, st.integers(0, 30)).map(
        lambda t: t[0][: t[2]] + t[1] + t[0][t[2] :]
    )
    return st.one_of(st.sampled_from(plain), near, edited)


@pytest.mark.parametrize(
    ("column", "plain"),
    [
        (COUNT, ("0", "42", "123456789012345678")),
        (AMOUNT, ("0", "1500.5", "0.0001", "9999999999999.9999", "99999999999999")),
        (DAY, ("2025-03-01", "2100-12-31", "1990-01-01")),
        (
            PUBLISHED,
            ("2025-03-01T10:00:00+03:00", "2100-12-31T23:00:00-05:00", "1990-01-01 01:00:00+03:00"),
        ),
        (ID, ("123", "a1", "vk_club")),
        (TEXT, ("text", " spaced ", "Кофе")),
        (KIND, ("post", "video")),
    ],
    ids=lambda value: value.name if isinstance(value, Column) else "",
)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_fast_path_reads_every_cell_it_takes_as_the_parser_does(
    column: Column, plain: tuple[str, ...], data: st.DataObject
) -> None:
    cells = data.draw(st.lists(_cells(*plain), min_size=1, max_size=8))
    for cell, value in zip(cells, fast(column, cells), strict=True):
        if value != "slow":
            assert per_cell(column, cell) == value, cell
    for cell, value in zip(plain, fast(column, list(plain)), strict=True):
        assert value != "slow", cell


def _client_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, per_cell: bool) -> Path:
    """A folder with a client and its account; ``per_cell`` makes the sink hand every row back
    to the per-cell path."""

    def all_rows(self: RowSink, table: Any, cells: Any, **origin: Any) -> list[int]:
        return list(range(len(origin["rows"])))

    if per_cell:
        monkeypatch.setattr(RowSink, "add_columns", all_rows)
    folder = tmp_path / "files"
    write_table(folder, "clients", [{"client_id": "c1", "name": "Кофейня"}])
    write_table(folder, "accounts", [{"account_id": "a1", "client_id": "c1", "platform": "vk"}])
    return folder


POST_ROWS = [
    {
        "account_id": "a1",
        "post_id": "1",
        "published_at": "2025-03-01T10:00:00+03:00",
        "kind": "post",
        "text": "Новый вкус #кофе",
        "likes": "12",
        "views": "",
        "captured_at": "2025-03-05T00:00:00Z",
    },
    {
        "account_id": "a1",
        "post_id": "2",
        "published_at": "2025-03-02 09:30:00Z",
        "kind": "Reel",  # read by the parser
        "text": "'=not a formula",
        "likes": "+7",
        "views": "н/д",
        "captured_at": "2025-03-05T00:00:00Z",
    },
    {
        "account_id": "a1",
        "post_id": "2",  # an older snapshot of the same post, in the same file
        "published_at": "2025-03-02T09:30:00Z",
        "kind": "reel",
        "text": "",
        "likes": "3",
        "views": "100",
        "captured_at": "2025-03-04T00:00:00Z",
    },
]


@pytest.mark.parametrize("path", ["columns", "cells"])
def test_an_import_stores_the_same_rows_whichever_path_they_take(
    path: str, duckdb_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _client_files(tmp_path, monkeypatch, per_cell=path == "cells")
    write_table(folder, "posts", POST_ROWS)
    outcome = import_path(duckdb_workspace, folder)
    assert outcome.tables["posts"].inserted == 2
    stored = snapshot(duckdb_workspace)["posts"]
    by_post = {row[1]: row for row in stored}
    names = [c.name for c in POSTS.stored_columns]
    first = dict(zip(names, by_post["1"], strict=True))
    second = dict(zip(names, by_post["2"], strict=True))
    assert first["published_at"] == datetime(2025, 3, 1, 7, tzinfo=UTC)
    assert (first["kind"], first["text"], first["likes"], first["views"]) == (
        "post",
        "Новый вкус #кофе",
        12,
        None,
    )
    assert (second["kind"], second["text"], second["likes"], second["views"]) == (
        "reel",
        "=not a formula",
        7,
        None,
    )
    assert outcome.record.warnings == [
        "posts: 1 older snapshot of a post repeated in the import was ignored (the latest "
        "captured_at wins).",
        "posts.csv, column 'views': 1 cell held 'н/д' and was read as unknown (no data), not as "
        "zero.",
    ]


@pytest.mark.parametrize("path", ["columns", "cells"])
def test_problems_are_told_in_file_order_whichever_path_rows_take(
    path: str, duckdb_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _client_files(tmp_path, monkeypatch, per_cell=path == "cells")
    day = {"account_id": "a1", "followers": "100"}
    rows = [{**day, "date": f"2025-03-{d:02d}"} for d in range(1, 29)]
    rows[3]["followers"] = "1 200"
    rows[9]["date"] = "2025-02-30"
    rows[20]["account_id"] = ""
    write_table(folder, "account_daily", rows)
    with pytest.raises(ImportRejectedError) as error:
        import_path(duckdb_workspace, folder)
    told = [(p.row, p.column, p.value, p.problem) for p in error.value.problems]
    assert told == [
        (5, "followers", "1 200", "has a thousands separator."),
        (11, "date", "2025-02-30", "is not a real calendar day."),
        (22, "account_id", None, "is empty, but every row needs it."),
    ]


def test_the_spaces_trimmed_are_those_python_strips() -> None:
    """The column-wise checks trim what the parsers' ``str.strip`` takes off: every character
    ``str.isspace`` is true of, under this Python's Unicode."""
    import sys

    from smmkpi.ingest.columns import SPACES

    assert "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()) == SPACES
