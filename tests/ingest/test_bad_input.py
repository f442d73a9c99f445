"""Bad input never crashes or misreads in silence: mixed or ambiguous decimal separators, a
full disk and a bug in one file are located errors, and the other files of the command are
still imported (each file all or nothing)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.ingest import ads
from smmkpi.workspace import Workspace
from tests.conftest import table_rows
from tests.ingest.conftest import DATA

VK_ADS = "Дата;Кампания;ID кампании;Показы;Клики;Потрачено, руб.\n"
GOOD = DATA / "metrica" / "utm_by_day.csv"


def smmkpi(workspace: Workspace, *args: object) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["-w", str(workspace.path), "--lang", "en", *(str(a) for a in args)]
    )
    return result.exit_code, result.output


def spend(workspace: Workspace) -> dict[str, Decimal]:
    return {str(r[1]): r[4] for r in table_rows(workspace, "ad_spend")}


def test_a_column_mixing_decimal_commas_and_points_is_a_located_error(
    agency: Workspace, tmp_path: Path
) -> None:
    mixed = tmp_path / "vk_ads.csv"
    mixed.write_text(
        VK_ADS + "01.03.2025;Весна;101;12 000;240;1 200,50\n"
        "02.03.2025;Весна;101;11 400;221;1150.25\n",
        encoding="utf-8",
    )
    code, output = smmkpi(agency, "import", mixed, GOOD, "--client", "coffeelab")
    assert code == 1
    text = " ".join(output.split())
    assert (
        "vk_ads.csv, column 'Потрачено, руб.': row 2 writes '1 200,50' with a decimal comma and "
        "row 3 writes '1150.25' with a decimal point, so neither can be read safely." in text
    )
    assert "Internal error" not in text
    assert "(metrica): web_sessions: 6 new" in text  # the other file of the command went in
    assert spend(agency) == {}


def test_a_point_group_among_decimal_commas_is_refused_unless_the_user_says(
    agency: Workspace, tmp_path: Path
) -> None:
    ambiguous = tmp_path / "vk_ads.csv"
    ambiguous.write_text(
        VK_ADS + "01.03.2025;Весна;101;12 000;240;1 200,50\n"
        "02.03.2025;Весна;101;11 400;221;1.234\n",
        encoding="utf-8",
    )
    code, output = smmkpi(agency, "import", ambiguous, "--client", "coffeelab")
    assert code == 1
    text = " ".join(output.split())
    assert (
        "row 3, column 'Потрачено, руб.', value '1.234': could be 1234 or 1,234: a point "
        "between digits in a column of decimal commas." in text
    )
    assert spend(agency) == {}
    code, output = smmkpi(agency, "import", ambiguous, "--client", "coffeelab", "--decimal", ",")
    assert code == 0, output
    assert spend(agency) == {"2025-03-01": Decimal("1200.50"), "2025-03-02": Decimal("1234")}
    code, output = smmkpi(agency, "import", ambiguous, "--decimal", ";")
    assert code == 1 and "--decimal is '.' or ','." in output


def test_a_full_disk_is_said_plainly_and_the_import_writes_nothing(
    agency: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_args: object, **_kwargs: object) -> None:
        raise duckdb.IOException(
            'IO Error: Could not write file "/ws/smmkpi.duckdb.wal": No space left on device'
        )

    monkeypatch.setattr("smmkpi.ingest.pipeline.merge", full)
    code, output = smmkpi(agency, "import", GOOD, "--client", "coffeelab")
    assert code == 1
    text = " ".join(output.split())
    assert (
        'The disk is full (IO Error: Could not write file "/ws/smmkpi.duckdb.wal": No space '
        f"left on device): nothing of {GOOD} was imported. Free some space and import it again."
        in text
    )
    assert "Traceback" not in output
    assert table_rows(agency, "web_sessions") == []


def test_a_bug_in_one_file_does_not_stop_the_others(
    agency: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise KeyError("amount")

    monkeypatch.setattr(ads.AdSpendSource, "_stage", broken)
    code, output = smmkpi(
        agency, "import", DATA / "ads" / "vk_ads_march.csv", GOOD, "--client", "coffeelab"
    )
    assert code == 1
    text = " ".join(output.split())
    assert "Internal error (KeyError: 'amount') while importing" in text
    assert "nothing of it was written. This is a bug in smmkpi: please report it." in text
    assert "(metrica): web_sessions: 6 new" in text
    (log,) = (agency.path / "logs").glob("crash-*.log")
    assert "KeyError: 'amount'" in log.read_text(encoding="utf-8")


def test_a_header_only_export_is_an_error_unless_allowed(agency: Workspace, tmp_path: Path) -> None:
    empty = tmp_path / "utm.csv"  # a Metrica report of a period without visits
    empty.write_text(GOOD.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    code, output = smmkpi(agency, "import", empty, "--client", "coffeelab")
    assert code == 1
    assert f"{empty} holds no rows of data (a header only" in " ".join(output.split())
    code, output = smmkpi(agency, "import", empty, "--client", "coffeelab", "--allow-empty")
    assert code == 0, output
    assert "no changes" in output


def test_an_export_keeps_formulas_inert_and_imports_back_unchanged(
    workspace: Workspace, tmp_path: Path
) -> None:
    from tests.conftest import import_path, snapshot, write_table

    data = tmp_path / "data"
    write_table(data, "clients", [{"client_id": "c1", "name": '=HYPERLINK("http://x")'}])
    write_table(data, "accounts", [{"account_id": "c1-vk", "client_id": "c1", "platform": "vk"}])
    write_table(
        data,
        "posts",
        [
            {"account_id": "c1-vk", "post_id": str(n), "published_at": "2025-03-01T10:00:00Z",
             "text": text, "captured_at": "2025-03-02T00:00:00Z"}
            for n, text in enumerate(["-5 % на всё", "@coffeelab", "+1", "\tTab", "обычный"])
        ],
    )  # fmt: skip
    import_path(workspace, data)
    before = snapshot(workspace)
    code, output = smmkpi(workspace, "export", tmp_path / "out")
    assert code == 0, output
    posts = (tmp_path / "out" / "posts.csv").read_text(encoding="utf-8")
    for escaped in ("'-5 % на всё", "'@coffeelab", "'+1", "'\tTab", ",обычный,"):
        assert escaped in posts
    clients = (tmp_path / "out" / "clients.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in clients
    code, output = smmkpi(workspace, "export", tmp_path / "raw", "--raw")
    assert code == 0, output
    assert '"=HYPERLINK(""http://x"")"' in (tmp_path / "raw" / "clients.csv").read_text("utf-8")
    assert "'@coffeelab" not in (tmp_path / "raw" / "posts.csv").read_text("utf-8")
    # the export (empty tables too: mentions, leads, …) imports back and changes nothing
    code, output = smmkpi(workspace, "import", tmp_path / "out")
    assert code == 0, output
    assert "no changes" in output
    assert "mentions.csv: a header without rows, nothing to import." in output
    assert snapshot(workspace) == before


def workbook(path: Path, rows: int) -> Path:
    """A VK Ads statistics workbook of ``rows`` days (each cell a number or a short text)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Статистика")
    sheet.write_row(0, 0, ["Дата", "Кампания", "ID кампании", "Показы", "Клики", "Потрачено, руб."])
    for row in range(1, rows + 1):
        sheet.write_row(row, 0, ["01.03.2025", "Весна", 101, 12000, 240, 1200.5])
    book.close()
    return path


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_read(
    agency: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = workbook(tmp_path / "big.xlsx", 20_000)  # ~0.3 MB on disk, 4 MB unpacked
    monkeypatch.setenv("SMMKPI__IMPORT__MAX_UNPACKED_MB", "1")
    code, output = smmkpi(agency, "import", big, "--format", "vk_ads", "--client", "coffeelab")
    assert code == 1
    text = " ".join(output.split())
    assert (
        "big.xlsx unpacks to 4 MB, more than the 1 MB a workbook may (import.max_unpacked_mb)"
        in (text)
    )
    monkeypatch.setenv("SMMKPI__IMPORT__MAX_UNPACKED_MB", "256")
    monkeypatch.setenv("SMMKPI__IMPORT__MAX_CELLS", "100000")
    code, output = smmkpi(agency, "import", big, "--format", "vk_ads", "--client", "coffeelab")
    assert code == 1
    assert (
        "big.xlsx: a sheet declares 120006 cells, more than the 100000 a workbook may have "
        "(import.max_cells)" in " ".join(output.split())
    )
    assert spend(agency) == {}


def test_the_web_upload_refuses_a_workbook_over_the_limit(
    agency: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re
    from datetime import date

    from fastapi.testclient import TestClient

    from smmkpi.web.app import create_app

    big = workbook(tmp_path / "big.xlsx", 20_000)
    monkeypatch.setenv("SMMKPI__IMPORT__MAX_UNPACKED_MB", "1")
    CliRunner().invoke(
        app,
        ["-w", str(agency.path), "user", "add", "boss", "--role", "admin", "--password-stdin"],
        input="correct horse battery\n",
    )
    server = create_app(Workspace.open(agency.path), today=lambda: date(2026, 4, 10))
    with TestClient(server) as browser:
        csrf = re.search(r'name="csrf" value="([^"]+)"', browser.get("/signin").text)
        assert csrf is not None
        browser.post(
            "/signin",
            data={"username": "boss", "password": "correct horse battery", "csrf": csrf.group(1)},
        )
        page = browser.get("/clients/coffeelab").text
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token is not None
        response = browser.post(
            "/clients/coffeelab/imports",
            data={"csrf": token.group(1), "format": "vk_ads"},
            files=[("files", ("big.xlsx", big.read_bytes(), "application/octet-stream"))],
        )
    assert response.status_code == 422
    assert "big.xlsx unpacks to 4 MB, more than the 1 MB a workbook may" in response.text


def test_every_ragged_row_a_mixed_encoding_line_and_a_wrong_totals_row_are_named(
    agency: Workspace, tmp_path: Path
) -> None:
    rows = GOOD.read_text(encoding="utf-8").splitlines()
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(
        "\n".join([*rows[:3], rows[3] + ',"x"', rows[4], rows[5] + ',"y","z"', *rows[6:]]) + "\n",
        encoding="utf-8",
    )
    code, output = smmkpi(agency, "import", ragged, "--client", "coffeelab")
    assert code == 1
    assert (
        "ragged.csv: 2 rows have more cells than the header's 13; the extra values are: row 4: "
        "'x'; row 6: 'y', 'z'." in " ".join(output.split())
    )
    lines = "\n".join(rows).encode("utf-8").split(b"\n")
    lines[5] = lines[5].decode("utf-8").replace("vk", "вк").encode("cp1251")
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(b"\n".join(lines) + b"\n")
    code, output = smmkpi(agency, "import", mixed, "--client", "coffeelab")
    assert code == 1
    assert (
        "mixed.csv is UTF-8 text up to line 6, where byte 0xE2 is not UTF-8: that line was "
        "pasted from text in another encoding (Windows-1251, most likely)."
        in " ".join(output.split())
    )
    wrong = tmp_path / "wrong_totals.csv"
    wrong.write_text(
        "\n".join([rows[0], rows[1].replace('"1 019"', '"2 000"'), *rows[2:]]) + "\n",
        encoding="utf-8",
    )
    code, output = smmkpi(agency, "import", wrong, "--client", "coffeelab")
    assert code == 0, output
    assert (
        "wrong_totals.csv: the totals row says 2000 in 'Визиты', but the rows add up to 1019"
        in " ".join(output.split())
    )
    assert len(table_rows(agency, "web_sessions")) == 6  # imported as they are


def test_a_problem_on_many_rows_is_said_once_with_its_count(
    agency: Workspace, tmp_path: Path
) -> None:
    rows = "\n".join(f"day {n};Весна;101;100;2;10,00" for n in range(1, 30))
    bad = tmp_path / "vk_ads.csv"
    bad.write_text(VK_ADS + rows + "\n", encoding="utf-8")
    code, output = smmkpi(agency, "import", bad, "--client", "coffeelab")
    assert code == 1
    text = " ".join(output.split())
    assert (
        "vk_ads.csv, column 'Дата': 29 rows (2, 3, 4, 5, 6, …): has an unknown month name 'day'. "
        "Values: 'day 1', 'day 2', 'day 3', 'day 4', 'day 5'." in text
    )
    assert text.count("unknown month name") == 1  # said once, not 29 (or 20) times
    from smmkpi.ingest import lenient
    from smmkpi.ingest.values import CellError

    with pytest.raises(CellError) as unknown:  # no value told the column's format: no "(?)"
        lenient.parse_date_time("31/12/2025 x", None)
    assert unknown.value.problem == "is not a date smmkpi can read."
