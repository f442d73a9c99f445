"""The canonical import: validation with located errors, atomicity, idempotency, merge rules."""

from __future__ import annotations

import codecs
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smmkpi.errors import ImportRejectedError, UserError
from smmkpi.ingest.pipeline import EmptyImportError
from smmkpi.workspace import Workspace
from tests.conftest import import_path, snapshot, table_rows, write_table

CLIENT = {"client_id": "c1", "name": "Client One", "timezone": "Europe/Moscow"}
ACCOUNT = {"account_id": "a1", "client_id": "c1", "platform": "vk"}


def base(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "base"
    write_table(folder, "clients", [CLIENT])
    write_table(folder, "accounts", [ACCOUNT])
    import_path(workspace, folder)


def log_rows(workspace: Workspace) -> list[dict[str, Any]]:
    with workspace.open_store(read_only=True) as store:
        cursor = store.con.execute("SELECT * FROM import_log ORDER BY import_id")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def rejected(workspace: Workspace, path: Path, **options: Any) -> ImportRejectedError:
    with pytest.raises(ImportRejectedError) as error:
        import_path(workspace, path, **options)
    return error.value


def test_bad_rows_are_all_listed_with_location_value_and_fix(
    workspace: Workspace, tmp_path: Path
) -> None:
    base(workspace, tmp_path)
    before = snapshot(workspace)
    folder = tmp_path / "bad"
    write_table(
        folder,
        "account_daily",
        [
            {"account_id": "a1", "date": "2025-03-01", "followers": "100", "reach": "50"},
            {"account_id": "a1", "date": "01.03.2025", "followers": "-3", "reach": "1 234"},
            {"account_id": "a1", "date": "2025-03-03", "followers": "12.5"},
        ],
    )
    error = rejected(workspace, folder)
    messages = [str(p) for p in error.problems]
    assert messages[0] == (
        "account_daily.csv, row 3, column 'date', value '01.03.2025': is not a YYYY-MM-DD date. "
        "Write days as YYYY-MM-DD; if this is day.month.year, that is 2025-03-01."
    )
    assert messages[1] == (
        "account_daily.csv, row 3, column 'followers', value '-3': is negative; counts are never "
        "below 0. Check the source export for this row."
    )
    assert messages[2] == (
        "account_daily.csv, row 3, column 'reach', value '1 234': has a thousands separator. "
        "Write the number without separators: 1234."
    )
    assert messages[3].startswith("account_daily.csv, row 4, column 'followers', value '12.5'")
    assert error.total == 4
    assert "nothing was written" in str(error)
    # Nothing was written, and the failure is logged with the file's hash.
    assert snapshot(workspace) == before
    log = log_rows(workspace)[-1]
    assert log["status"] == "failed"
    assert log["rows_rejected"] == 2
    assert log["rows_inserted"] == 0
    expected_hash = hashlib.sha256((folder / "account_daily.csv").read_bytes()).hexdigest()
    assert log["sha256"] == expected_hash
    assert "row 3" in log["error"]


def test_the_number_of_listed_problems_is_limited(workspace: Workspace, tmp_path: Path) -> None:
    base(workspace, tmp_path)
    rows = [{"account_id": "a1", "date": f"2025-03-{d:02d}", "reach": "x"} for d in range(1, 31)]
    write_table(tmp_path / "many", "account_daily", rows)
    error = rejected(workspace, tmp_path / "many", max_errors=5)
    assert len(error.problems) == 5
    assert error.total == 30
    # one problem on 30 rows is said once, with its count, its first rows and their values
    assert "account_daily.csv, column 'reach': 30 rows (2, 3, 4, 5, 6, …):" in str(error)
    assert "Values: 'x'." in str(error) and "more problems" not in str(error)
    assert str(error).count("reach") == 1


def test_a_bad_last_row_rolls_back_the_whole_import(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "big"
    write_table(folder, "clients", [CLIENT])
    write_table(folder, "accounts", [ACCOUNT])
    rows = [
        {"account_id": "a1", "date": f"2024-{m:02d}-{d:02d}", "reach": str(d)}
        for m in range(1, 13)
        for d in range(1, 29)
    ]
    rows[-1]["reach"] = "oops"
    write_table(folder, "account_daily", rows)
    error = rejected(workspace, folder)
    assert error.problems[0].row == len(rows) + 1
    assert all(not rows_ for rows_ in snapshot(workspace).values())


def test_references_must_exist_in_the_import_or_the_workspace(
    workspace: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "refs"
    write_table(folder, "accounts", [{"account_id": "a9", "client_id": "nobody", "platform": "vk"}])
    write_table(
        folder,
        "posts",
        [
            {
                "account_id": "ghost",
                "post_id": "1",
                "published_at": "2025-03-01T10:00:00Z",
                "captured_at": "2025-03-02T00:00:00Z",
            }
        ],
    )
    error = rejected(workspace, folder)
    messages = [str(p) for p in error.problems]
    assert (
        "accounts.csv, row 2, column 'client_id', value 'nobody': no such client in this import "
        "or in the workspace. Add it to clients.csv (or import that first), or correct the id."
    ) in messages
    assert any(
        m.startswith("posts.csv, row 2, column 'account_id', value 'ghost': no such account")
        for m in messages
    )
    # The same rows import once their client and account exist in the workspace.
    base(workspace, tmp_path)
    write_table(folder, "accounts", [{"account_id": "a9", "client_id": "c1", "platform": "vk"}])
    write_table(
        folder,
        "posts",
        [
            {
                "account_id": "a9",
                "post_id": "1",
                "published_at": "2025-03-01T10:00:00Z",
                "captured_at": "2025-03-02T00:00:00Z",
            }
        ],
    )
    outcome = import_path(workspace, folder)
    assert outcome.tables["posts"].inserted == 1


def test_an_account_cannot_move_to_another_client(workspace: Workspace, tmp_path: Path) -> None:
    base(workspace, tmp_path)
    folder = tmp_path / "move"
    write_table(folder, "clients", [{"client_id": "c2", "name": "Two"}])
    write_table(folder, "accounts", [{"account_id": "a1", "client_id": "c2", "platform": "vk"}])
    error = rejected(workspace, folder)
    assert str(error.problems[0]) == (
        "accounts.csv, row 2, column 'client_id', value 'c2': account 'a1' belongs to client 'c1' "
        "in the workspace, and an account belongs to one client. Give this account another "
        "account_id, or correct the client_id."
    )


def test_repeated_rows_in_one_file(workspace: Workspace, tmp_path: Path) -> None:
    base(workspace, tmp_path)
    row = {"account_id": "a1", "date": "2025-03-01", "reach": "10"}
    write_table(tmp_path / "dup", "account_daily", [row, row, {**row, "date": "2025-03-02"}])
    outcome = import_path(workspace, tmp_path / "dup")
    assert outcome.tables["account_daily"].inserted == 2
    assert outcome.record.warnings == [
        "account_daily: 1 row repeated the key of another row with the same values and was "
        "combined with it."
    ]

    write_table(tmp_path / "conflict", "account_daily", [row, {**row, "reach": "11"}])
    error = rejected(workspace, tmp_path / "conflict")
    assert str(error.problems[0]) == (
        "account_daily.csv, row 2: rows 2, 3 have the same key (account_id=a1, date=2025-03-01) "
        "but different values. Keep one row per key."
    )


def test_snapshots_of_one_post_in_one_file_keep_the_latest(
    workspace: Workspace, tmp_path: Path
) -> None:
    base(workspace, tmp_path)
    post = {"account_id": "a1", "post_id": "p1", "published_at": "2025-03-01T10:00:00Z"}
    write_table(
        tmp_path / "snap",
        "posts",
        [
            {**post, "likes": "5", "captured_at": "2025-03-02T00:00:00Z"},
            {**post, "likes": "9", "captured_at": "2025-03-05T00:00:00Z"},
            {**post, "likes": "7", "captured_at": "2025-03-03T00:00:00Z"},
        ],
    )
    outcome = import_path(workspace, tmp_path / "snap")
    assert (outcome.tables["posts"].inserted, outcome.tables["posts"].ignored) == (1, 2)
    (stored,) = table_rows(workspace, "posts")
    assert stored[6] == 9  # likes of the 5 March snapshot


def test_restated_days_replace_and_identical_rows_stay(
    workspace: Workspace, tmp_path: Path
) -> None:
    base(workspace, tmp_path)
    first = [
        {"account_id": "a1", "date": f"2025-01-{d:02d}", "reach": str(d)} for d in range(1, 32)
    ]
    write_table(tmp_path / "jan", "account_daily", first)
    import_path(workspace, tmp_path / "jan")
    overlap = [
        {"account_id": "a1", "date": f"2025-01-{d:02d}", "reach": str(d + (100 if d >= 25 else 0))}
        for d in range(15, 32)
    ]
    overlap += [
        {"account_id": "a1", "date": f"2025-02-{d:02d}", "reach": str(d)} for d in range(1, 16)
    ]
    write_table(tmp_path / "overlap", "account_daily", overlap)
    outcome = import_path(workspace, tmp_path / "overlap")
    counts = outcome.tables["account_daily"]
    assert (counts.inserted, counts.replaced, counts.unchanged) == (15, 7, 10)
    rows = table_rows(workspace, "account_daily")
    assert len(rows) == 31 + 15  # distinct days, never appended twice
    assert sum(r[5] for r in rows if r[1].month == 1) == sum(range(1, 32)) + 7 * 100


def test_utf8_bom_is_accepted_and_other_encodings_are_explained(
    workspace: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "enc"
    folder.mkdir()
    text = "client_id,name\nc1,Кофейня\n"
    (folder / "clients.csv").write_bytes(codecs.BOM_UTF8 + text.encode())
    import_path(workspace, folder)
    assert table_rows(workspace, "clients")[0][:2] == ("c1", "Кофейня")

    # "client_id,name\n" is 15 bytes and "c2," 3 more: the first Cyrillic byte is at offset 18.
    (folder / "clients.csv").write_bytes("client_id,name\nc2,Кофейня\nc3,Чайная\n".encode("cp1251"))
    error = rejected(workspace, folder)
    assert str(error.problems[0]) == (
        "clients.csv: is not UTF-8: byte 0xCA at line 2 (offset 18) is not valid there. "
        "Spreadsheets in Russian often save Windows-1251. Save it as 'CSV UTF-8 (comma "
        "delimited)' and import it again."
    )
    (folder / "clients.csv").write_bytes(text.encode("utf-16"))
    assert "UTF-16" in str(rejected(workspace, folder).problems[0])
    (folder / "clients.csv").write_bytes(b"PK\x03\x04rest-of-a-zip")
    assert "is a ZIP/XLSX file, not a CSV text file" in str(rejected(workspace, folder).problems[0])
    (folder / "clients.csv").write_text("client_id;name\nc1;X\n", encoding="utf-8")
    assert "separates columns with ';'" in str(rejected(workspace, folder).problems[0])


def test_header_problems(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "header"
    folder.mkdir()
    (folder / "clients.csv").write_text("Client_ID,nmae,name,name\nc1,x,y,z\n", encoding="utf-8")
    messages = [str(p) for p in rejected(workspace, folder).problems]
    assert messages == [
        "clients.csv, row 1, column 'name': appears twice in the header. Keep one of them."
    ]
    # an unknown column is set aside with a warning; the rest of the file is imported
    (folder / "clients.csv").write_text("Client_ID,nmae,name,comment\nc1,x,Y,z\n", "utf-8")
    outcome = import_path(workspace, folder)
    assert outcome.tables["clients"].inserted == 1
    assert outcome.record.warnings == [
        "clients.csv: the column 'nmae' is not a column of clients and was set aside (not "
        "imported). Did you mean 'name'?",
        "clients.csv: the column 'comment' is not a column of clients and was set aside (not "
        "imported). Columns of clients: client_id, name, timezone, currency, goal, "
        "brand_hashtags.",
    ]
    assert table_rows(workspace, "clients")[0][:2] == ("c1", "Y")
    (folder / "clients.csv").write_text("name\nX\n", encoding="utf-8")
    assert str(rejected(workspace, folder).problems[0]) == (
        "clients.csv, row 1, column 'client_id': is missing from the header; clients needs it. "
        "Add the column client_id."
    )


def test_ragged_rows_empty_files_and_blank_lines(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "ragged"
    folder.mkdir()
    (folder / "clients.csv").write_text(
        "client_id,name\nc1,A,extra\nc2\n\nc3,C,\n", encoding="utf-8"
    )
    problems = rejected(workspace, folder).problems
    assert [(p.row, p.problem) for p in problems] == [
        (2, "has 3 cells, but the header has 2."),
        (3, "has 1 cells, but the header has 2."),
    ]
    (folder / "clients.csv").write_text("client_id,name\n", encoding="utf-8")
    with pytest.raises(EmptyImportError, match=r"holds no rows of data"):
        import_path(workspace, folder)
    # beside a table with rows (an export of a workspace without mentions, say) it is a note
    write_table(folder, "accounts", [])
    (folder / "clients.csv").write_text("client_id,name\nc9,Nine\n", encoding="utf-8")
    outcome = import_path(workspace, folder)
    assert outcome.tables["clients"].inserted == 1
    assert outcome.record.warnings == ["accounts.csv: a header without rows, nothing to import."]
    (folder / "clients.csv").write_text("", encoding="utf-8")
    assert "clients.csv: is empty." in str(rejected(workspace, folder).problems[0])
    (folder / "clients.csv").write_text("client_id,name\n\nc1,A\n,\n", encoding="utf-8")
    assert import_path(workspace, folder).tables["clients"].inserted == 1


def test_multiline_text_round_trips_and_rows_are_counted_as_in_a_spreadsheet(
    workspace: Workspace, tmp_path: Path
) -> None:
    base(workspace, tmp_path)
    text = 'Строка 1\nСтрока 2, с запятой; и "кавычками" 🎉\n=HYPERLINK("x")'
    write_table(
        tmp_path / "ml",
        "posts",
        [
            {
                "account_id": "a1",
                "post_id": "1",
                "published_at": "2025-03-01T10:00:00Z",
                "text": text,
                "captured_at": "2025-03-02T00:00:00Z",
            },
            {
                "account_id": "a1",
                "post_id": "2",
                "published_at": "bad",
                "captured_at": "2025-03-02T00:00:00Z",
            },
        ],
    )
    problem = rejected(workspace, tmp_path / "ml").problems[0]
    assert (problem.row, problem.line) == (3, 5)
    assert str(problem).startswith("posts.csv, row 3 (line 5), column 'published_at'")
    write_table(
        tmp_path / "ml",
        "posts",
        [
            {
                "account_id": "a1",
                "post_id": "1",
                "published_at": "2025-03-01T10:00:00Z",
                "text": text,
                "captured_at": "2025-03-02T00:00:00Z",
            }
        ],
    )
    import_path(workspace, tmp_path / "ml")
    assert table_rows(workspace, "posts")[0][4] == text


def test_naive_times_need_a_zone_and_use_it(workspace: Workspace, tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    base(workspace, tmp_path)
    write_table(
        tmp_path / "naive",
        "posts",
        [
            {
                "account_id": "a1",
                "post_id": "1",
                "published_at": "2025-03-01 00:30:00",
                "captured_at": "2025-03-02T00:00:00Z",
            }
        ],
    )
    assert "--timezone" in str(rejected(workspace, tmp_path / "naive"))
    import_path(workspace, tmp_path / "naive", source_zone=ZoneInfo("Europe/Moscow"))
    stored = table_rows(workspace, "posts")[0][2]
    assert stored.isoformat() == "2025-02-28T21:30:00+00:00"


def test_no_data_markers_are_unknown_and_logged(workspace: Workspace, tmp_path: Path) -> None:
    base(workspace, tmp_path)
    write_table(
        tmp_path / "ph",
        "account_daily",
        [
            {"account_id": "a1", "date": "2025-03-01", "reach": "н/д"},
            {"account_id": "a1", "date": "2025-03-02", "reach": "—"},
            {"account_id": "a1", "date": "2025-03-03", "reach": "н/д"},
        ],
    )
    outcome = import_path(workspace, tmp_path / "ph")
    assert [r[5] for r in table_rows(workspace, "account_daily")] == [None, None, None]
    assert outcome.record.warnings == [
        "account_daily.csv, column 'reach': 2 cells held 'н/д' and were read as unknown "
        "(no data), not as zero.",
        "account_daily.csv, column 'reach': 1 cell held '—' and was read as unknown "
        "(no data), not as zero.",
    ]
    assert json.loads(log_rows(workspace)[-1]["warnings"]) == outcome.record.warnings


def test_ids_are_normalised_to_one_entity(workspace: Workspace, tmp_path: Path) -> None:
    write_table(
        tmp_path / "ids", "clients", [{"client_id": "и\u0306гра ", "name": "NFD with a space"}]
    )
    import_path(workspace, tmp_path / "ids")
    write_table(
        tmp_path / "ids", "clients", [{"client_id": "\u0439гра", "name": "NFD with a space"}]
    )
    assert not import_path(workspace, tmp_path / "ids").changed
    assert [r[0] for r in table_rows(workspace, "clients")] == ["\u0439гра"]


def test_folder_and_file_names(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "names"
    write_table(folder, "clients", [CLIENT])
    (folder / "README.txt").write_text("ignored: not a CSV file", encoding="utf-8")
    (folder / "acounts.csv").write_text("account_id\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"acounts.csv \(did you mean accounts.csv\?\)"):
        import_path(workspace, folder)
    (folder / "acounts.csv").unlink()
    assert import_path(workspace, folder / "clients.csv").tables["clients"].inserted == 1
    with pytest.raises(UserError, match="named after its table"):
        import_path(workspace, folder / "README.txt")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="holds no canonical files"):
        import_path(workspace, tmp_path / "empty")


def test_successful_import_is_logged(workspace: Workspace, tmp_path: Path) -> None:
    base(workspace, tmp_path)
    log = log_rows(workspace)[-1]
    assert log["status"] == "ok"
    assert log["format"] == "canonical"
    assert (log["rows_inserted"], log["rows_replaced"], log["rows_unchanged"]) == (2, 0, 0)
    assert log["finished_at"] >= log["started_at"]
    with workspace.open_store(read_only=True) as store:
        files = store.con.execute(
            "SELECT file_name, table_name, rows_read, rows_inserted FROM import_files "
            "ORDER BY file_name"
        ).fetchall()
        import_ids = {
            r[0] for r in store.con.execute("SELECT DISTINCT import_id FROM clients").fetchall()
        }
    assert files == [("accounts.csv", "accounts", 1, 1), ("clients.csv", "clients", 1, 1)]
    assert import_ids == {log["import_id"]}


daily_rows = st.lists(
    st.fixed_dictionaries(
        {
            "day": st.integers(min_value=1, max_value=28),
            "followers": st.none() | st.integers(min_value=0, max_value=10**9),
            "reach": st.none() | st.integers(min_value=0, max_value=10**9),
        }
    ),
    min_size=1,
    max_size=20,
    unique_by=lambda r: r["day"],
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=daily_rows)
def test_reimporting_any_valid_file_changes_nothing(
    tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, Any]]
) -> None:
    root = tmp_path_factory.mktemp("prop")
    workspace, _ = Workspace.init(root / "ws")
    base(workspace, root)
    write_table(
        root / "d",
        "account_daily",
        [
            {
                "account_id": "a1",
                "date": f"2025-02-{r['day']:02d}",
                "followers": r["followers"],
                "reach": r["reach"],
            }
            for r in rows
        ],
    )
    import_path(workspace, root / "d")
    before = snapshot(workspace)
    again = import_path(workspace, root / "d")
    assert not again.changed
    assert again.totals.unchanged == len(rows)
    assert snapshot(workspace) == before


def test_a_killed_import_leaves_all_or_nothing(workspace: Workspace, tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    base(workspace, tmp_path)
    accounts = [{"account_id": f"k{i}", "client_id": "c1", "platform": "vk"} for i in range(12)]
    write_table(tmp_path / "big", "accounts", accounts)
    rows = [
        {"account_id": a["account_id"], "date": f"{2000 + y}-{m:02d}-{d:02d}", "reach": str(d)}
        for a in accounts
        for y in range(40)
        for m in range(1, 13)
        for d in range(1, 29)
    ]  # 161,280 rows: about a second to import
    write_table(tmp_path / "big", "account_daily", rows)
    script = (
        "import sys; from pathlib import Path; from smmkpi.workspace import Workspace; "
        "from smmkpi.ingest.canonical import CanonicalSource; "
        "from smmkpi.ingest.pipeline import EmptyImportError, run_import; "
        f"ws = Workspace.open(Path({str(workspace.path)!r})); store = ws.open_store(); "
        "print('started', flush=True); "
        f"run_import(store, CanonicalSource(Path({str(tmp_path / 'big')!r}))); "
        "print('done', flush=True)"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "started"
    time.sleep(0.3)
    os.kill(child.pid, signal.SIGKILL)
    remaining, _ = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert "done" not in remaining  # killed in the middle of the import
    # Nothing of it is in the database: no daily rows, no new accounts, no log entry.
    assert table_rows(workspace, "account_daily") == []
    assert [r[0] for r in table_rows(workspace, "accounts")] == ["a1"]
    assert [r["status"] for r in log_rows(workspace)] == ["ok"]
    # The workspace is usable: the same import now completes.
    assert import_path(workspace, tmp_path / "big").tables["account_daily"].total == len(rows)


def test_columns_a_file_leaves_out_keep_their_stored_values(
    workspace: Workspace, tmp_path: Path
) -> None:
    base(workspace, tmp_path)
    write_table(
        tmp_path / "followers",
        "account_daily",
        [{"account_id": "a1", "date": "2025-03-01", "followers": "100", "reach": "7"}],
        columns=["account_id", "date", "followers", "reach"],
    )
    import_path(workspace, tmp_path / "followers")
    write_table(
        tmp_path / "views",
        "account_daily",
        [
            {"account_id": "a1", "date": "2025-03-01", "impressions": "50", "reach": ""},
            {"account_id": "a1", "date": "2025-03-02", "impressions": "60", "reach": "9"},
        ],
        columns=["account_id", "date", "impressions", "reach"],
    )
    outcome = import_path(workspace, tmp_path / "views")
    counts = outcome.tables["account_daily"]
    assert (counts.inserted, counts.replaced) == (1, 1)
    rows = {r[1].isoformat(): r for r in table_rows(workspace, "account_daily")}
    # followers (column 2) kept, reach (5) replaced by the provided empty cell, impressions (6) set
    assert (rows["2025-03-01"][2], rows["2025-03-01"][5], rows["2025-03-01"][6]) == (100, None, 50)
    assert (rows["2025-03-02"][2], rows["2025-03-02"][5], rows["2025-03-02"][6]) == (None, 9, 60)
    assert not import_path(workspace, tmp_path / "views").changed
