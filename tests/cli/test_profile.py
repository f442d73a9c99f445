"""Mapping profiles: created from a sample file (asked, or with the suggested answers), then
used to import files no importer knows."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.metrics.periods import Period
from smmkpi.workspace import Workspace
from tests.conftest import CANONICAL, DATA, compute, table_rows

TILDA = DATA / "mapped" / "tilda_leads.csv"


def run(runner: CliRunner, *args: object, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args], input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path: Path, runner: CliRunner) -> Path:
    ws = tmp_path / "ws"
    assert run(runner, "-w", ws, "init")[0] == 0
    assert run(runner, "-w", ws, "import", CANONICAL / "agency")[0] == 0
    return ws


def leads(folder: Path) -> dict[str, tuple]:
    workspace = Workspace.open(folder)
    return {r[1]: (r[0], *r[2:]) for r in table_rows(workspace, "leads")}


def test_a_profile_from_the_suggested_answers(folder: Path, runner: CliRunner) -> None:
    code, out, err = run(
        runner, "-w", folder, "--lang", "en", "profile", "create", TILDA, "--name", "tilda", "--yes"
    )
    assert code == 0, err
    # what was found: the encoding, the delimiter, the header under the title rows
    assert "encoding cp1251 · delimiter ';' · header in row 3" in out
    saved = tomllib.loads((folder / "profiles" / "tilda.toml").read_text(encoding="utf-8"))
    assert saved["table"] == "leads"
    assert saved["columns"] == {
        "lead_id": "Номер заявки",
        "created_at": "Дата",
        "utm_source": "utm_source",
        "utm_medium": "utm_medium",
        "utm_campaign": "utm_campaign",
        "utm_content": "utm_content",
        "utm_term": "utm_term",
        "status": "Статус",
    }
    # the statuses that are not canonical, with the meaning the CRM words suggest
    assert saved["values"] == {
        "status": {"В работе": "open", "Новая": "open", "Оплачена": "won", "Отказ": "lost"}
    }
    assert saved["date_format"] == "day-first"
    assert saved["header_row"] == 3

    code, out, err = run(
        runner, "-w", folder, "import", TILDA, "--profile", "tilda", "--client", "moscow"
    )
    assert code == 0, err
    assert "(mapped:tilda): leads: 4 new" in out
    found = leads(folder)
    assert found["T-1002"] == (
        "moscow",
        datetime(2025, 3, 2, 16, 40, tzinfo=UTC),  # 19:40 in Moscow, the client's zone
        "instagram",
        "social",
        "march_promo",
        "reels_1",
        None,
        None,
        "won",
    )
    assert found["T-1003"][2:] == (None,) * 6 + ("lost",)
    assert found["T-1004"][1] == datetime(2025, 3, 31, 20, 59, tzinfo=UTC)
    (march,) = compute(Workspace.open(folder), Period.month("2025-03"), ["moscow"])
    assert march.kpis["leads"].value == 3  # vk, instagram, telegram (23:59 on 31 March)
    code, out, _ = run(
        runner, "-w", folder, "import", TILDA, "--profile", "tilda", "--client", "moscow"
    )
    assert "no changes" in out


def test_a_profile_asked_column_by_column(folder: Path, runner: CliRunner) -> None:
    answers = [
        "3",  # header row
        "leads",  # table
        "-",  # client_id: from --client
        "1",  # lead_id: the first column
        "Дата",  # created_at
        "utm_source",
        "utm_medium",
        "",  # utm_campaign: the suggestion
        "-",  # utm_content: none
        "-",  # utm_term: none
        "-",  # channel: none
        "10",  # status
        "open",  # В работе
        "open",  # Новая
        "won",  # Оплачена
        "lost",  # Отказ
        "",  # date format: the suggestion
        "tilda-asked",  # name
    ]
    code, out, err = run(
        runner,
        "-w",
        folder,
        "--lang",
        "en",
        "profile",
        "create",
        TILDA,
        input="\n".join(answers) + "\n",
    )
    assert code == 0, err + out
    assert "lead_id — CRM id" in out  # each question says what the column is
    saved = tomllib.loads((folder / "profiles" / "tilda-asked.toml").read_text(encoding="utf-8"))
    assert "utm_content" not in saved["columns"]
    assert saved["columns"]["utm_campaign"] == "utm_campaign"
    code, out, _ = run(runner, "-w", folder, "profile", "list")
    assert "tilda-asked" in out and "leads" in out


def test_a_profile_that_leaves_a_required_column_out(folder: Path, runner: CliRunner) -> None:
    code, _out, err = run(
        runner,
        "-w",
        folder,
        "--lang",
        "en",
        "profile",
        "create",
        TILDA,
        "--table",
        "sales",
        "--yes",
    )
    assert code == 1
    assert "required columns without a source: sale_id" in err


def test_a_broken_profile_file_is_named(folder: Path, runner: CliRunner) -> None:
    (folder / "profiles").mkdir()
    (folder / "profiles" / "bad.toml").write_text(
        'name = "bad"\ntable = "leads"\n[columns]\nlead_number = "Номер"\n', encoding="utf-8"
    )
    code, _out, err = run(
        runner,
        "-w",
        folder,
        "--lang",
        "en",
        "import",
        TILDA,
        "--profile",
        "bad",
        "--client",
        "moscow",
    )
    assert code == 1
    assert "bad.toml is not a valid profile" in err
    assert "leads has no column 'lead_number'" in err
    code, _out, err = run(
        runner, "-w", folder, "--lang", "en", "import", TILDA, "--profile", "nope"
    )
    assert "Unknown profile 'nope'" in err
