"""Reading a canonical file's rows in blocks (``ingest/canonical_rows.py``): row and line numbers
as a person counts them, and Python's ``csv`` wherever Arrow would read a file differently."""

from __future__ import annotations

from pathlib import Path

import pytest

from smmkpi.errors import ImportRejectedError
from smmkpi.ingest import canonical_rows
from smmkpi.workspace import Workspace
from tests.conftest import import_path, table_rows, write_table

HEADER = "account_id,post_id,published_at,text,likes,captured_at"


@pytest.fixture
def folder(tmp_path: Path, duckdb_workspace: Workspace) -> Path:
    base = tmp_path / "base"
    write_table(base, "clients", [{"client_id": "c1", "name": "Кофейня"}])
    write_table(base, "accounts", [{"account_id": "a1", "client_id": "c1", "platform": "vk"}])
    import_path(duckdb_workspace, base)
    return tmp_path / "files"


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 256 bytes: a few rows each, so that batches meet every case below."""
    monkeypatch.setattr(canonical_rows, "BLOCK_BYTES", 256)


def post(n: int, text: str = "", likes: str = "1", published: str = "2025-03-01T10:00:00Z") -> str:
    return f"a1,{n},{published},{text},{likes},2025-03-05T00:00:00Z"


def write(folder: Path, lines: list[str], newline: str = "\n") -> None:
    folder.mkdir(exist_ok=True)
    (folder / "posts.csv").write_bytes(newline.join([HEADER, *lines, ""]).encode())


def problems(workspace: Workspace, folder: Path) -> list[tuple[int | None, int | None, str]]:
    with pytest.raises(ImportRejectedError) as error:
        import_path(workspace, folder)
    return [(p.row, p.line, p.problem) for p in error.value.problems]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_rows_and_lines_count_blank_lines_and_breaks_inside_cells(
    newline: str, duckdb_workspace: Workspace, folder: Path
) -> None:
    text = f'"Первая строка{newline}вторая, с запятой{newline}третья"'
    lines = [post(n) for n in range(1, 20)]
    lines[4] = post(5, text=text)  # row 6, lines 6–8
    lines[6] = ""  # row 8 (line 10): a blank line is a row, skipped
    lines[9] = post(10, likes="1 000")  # row 11, line 13
    lines[15] = post(16, published="2025-02-30T10:00:00Z")  # row 17, line 19
    write(folder, lines, newline)
    assert problems(duckdb_workspace, folder) == [
        (11, 13, "has a thousands separator."),
        (17, 19, "is not an ISO 8601 time."),
    ]


def test_a_multiline_cell_is_stored_as_written(duckdb_workspace: Workspace, folder: Path) -> None:
    write(folder, [post(1, text='"Строка 1\r\nСтрока 2, ""в кавычках"""'), post(2)] + [""] * 3)
    outcome = import_path(duckdb_workspace, folder)
    assert outcome.tables["posts"].inserted == 2
    texts = {row[1]: row[4] for row in table_rows(duckdb_workspace, "posts")}
    assert texts == {"1": 'Строка 1\r\nСтрока 2, "в кавычках"', "2": None}


def test_a_ragged_row_after_many_read_hands_the_rest_to_csv(
    duckdb_workspace: Workspace, folder: Path
) -> None:
    lines = [post(n) for n in range(1, 60)]
    lines[39] = post(40) + ",extra"  # row 41: Arrow stops here
    lines[44] = post(45, likes="-3")  # row 46, read by csv
    lines[49] = post(50) + ","  # an empty cell beyond the header is no problem
    write(folder, lines)
    assert problems(duckdb_workspace, folder) == [
        (41, 41, "has 7 cells, but the header has 6."),
        (46, 46, "is negative; counts are never below 0."),
    ]
    lines[39] = post(40)
    lines[44] = post(45)
    write(folder, lines)
    assert import_path(duckdb_workspace, folder).tables["posts"].inserted == 59


def test_an_open_quote_is_found_by_csv(duckdb_workspace: Workspace, folder: Path) -> None:
    lines = [post(n) for n in range(1, 30)]
    lines[24] = post(25, text='"never closed')
    write(folder, lines)
    assert problems(duckdb_workspace, folder) == [
        (26, 26, "is not valid CSV: unexpected end of data."),
    ]


def test_a_quote_inside_an_unquoted_cell_is_text(duckdb_workspace: Workspace, folder: Path) -> None:
    write(folder, [post(1, text='Экран 5" и чехол'), post(2)])
    import_path(duckdb_workspace, folder)
    texts = {row[1]: row[4] for row in table_rows(duckdb_workspace, "posts")}
    assert texts["1"] == 'Экран 5" и чехол'


def test_bytes_that_are_not_utf8_late_in_a_file_are_located(
    duckdb_workspace: Workspace, folder: Path
) -> None:
    lines = [post(n) for n in range(1, 40)]
    write(folder, lines)
    path = folder / "posts.csv"
    path.write_bytes(path.read_bytes().replace(b"a1,33,", b"a1,\xd133,", 1))  # 'С' in cp1251
    with pytest.raises(ImportRejectedError) as error:
        import_path(duckdb_workspace, folder)
    assert "byte 0xD1 at line 34" in error.value.problems[0].problem


def test_text_after_a_closing_quote_is_kept_as_spreadsheets_do(
    duckdb_workspace: Workspace, folder: Path
) -> None:
    write(folder, [post(1, text='"Новинка" сезона'), post(2)])
    import_path(duckdb_workspace, folder)
    texts = {row[1]: row[4] for row in table_rows(duckdb_workspace, "posts")}
    assert texts["1"] == "Новинка сезона"
