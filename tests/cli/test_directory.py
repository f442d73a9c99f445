"""`smmkpi client` and `smmkpi account`: added and updated through the import path."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.workspace import Workspace
from tests.conftest import DATA, table_rows


def run(runner: CliRunner, folder: Path, *args: object) -> tuple[int, str, str]:
    result = runner.invoke(app, ["-w", str(folder), "--lang", "en", *(str(a) for a in args)])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path: Path, runner: CliRunner, store_option: list[str]) -> Path:
    """An empty workspace on each engine."""
    assert run(runner, tmp_path / "ws", "init", *store_option)[0] == 0
    return tmp_path / "ws"


def test_clients_are_added_and_updated(folder: Path, runner: CliRunner) -> None:
    code, out, _ = run(
        runner,
        folder,
        "client",
        "add",
        "coffeelab",
        "--name",
        "Кофелаб",
        "--goal",
        "awareness",
        "--brand-hashtags",
        "#coffeelab #КофеЛаб",
    )
    assert code == 0
    assert "Client coffeelab: added." in out
    assert "No --timezone: its days and months are UTC days" in out
    code, out, _ = run(runner, folder, "client", "add", "coffeelab", "--timezone", "Europe/Moscow")
    assert "Client coffeelab: updated." in out
    workspace = Workspace.open(folder)
    # the name, goal and hashtags stay
    assert table_rows(workspace, "clients") == [
        ("coffeelab", "Кофелаб", "Europe/Moscow", "RUB", "awareness", "#coffeelab #КофеЛаб")
    ]
    code, out, _ = run(runner, folder, "client", "add", "coffeelab", "--timezone", "Europe/Moscow")
    assert "Client coffeelab: unchanged." in out
    with workspace.open_store(read_only=True) as store:
        formats = store.con.execute("SELECT DISTINCT format FROM import_log").fetchall()
    assert formats == [("cli",)]


def test_bad_values_are_refused_with_the_reason(folder: Path, runner: CliRunner) -> None:
    code, _out, err = run(runner, folder, "client", "add", "x", "--name", "X", "--goal", "fame")
    assert code == 1
    assert "column 'goal', value 'fame'" in err
    code, _out, err = run(
        runner, folder, "client", "add", "x", "--name", "X", "--timezone", "Moscow"
    )
    assert "column 'timezone', value 'Moscow'" in err
    code, _out, err = run(runner, folder, "client", "add", "x")
    assert "A new client needs --name." in err
    assert table_rows(Workspace.open(folder), "clients") == []


def test_accounts_belong_to_known_clients(folder: Path, runner: CliRunner) -> None:
    run(runner, folder, "client", "add", "coffeelab", "--name", "Кофелаб")
    code, _out, err = run(
        runner, folder, "account", "add", "c-vk", "--client", "nope", "--platform", "vk"
    )
    assert code == 1
    assert "Unknown client 'nope'. Known: coffeelab." in err
    code, _out, err = run(runner, folder, "account", "add", "c-vk", "--client", "coffeelab")
    assert "A new account needs --client and --platform." in err
    code, out, _ = run(
        runner,
        folder,
        "account",
        "add",
        "c-vk",
        "--client",
        "coffeelab",
        "--platform",
        "ВКонтакте",
        "--handle",
        "club21890451",
    )
    assert code == 0 and "Account c-vk: added." in out
    code, out, _ = run(runner, folder, "account", "add", "c-vk", "--name", "Кофелаб ВК")
    assert "Account c-vk: updated." in out
    assert table_rows(Workspace.open(folder), "accounts") == [
        ("c-vk", "coffeelab", "vk", "club21890451", "Кофелаб ВК")
    ]
    # the handle is what VK exports are matched by
    code, out, err = run(
        runner, folder, "import", DATA / "vk" / "coffeelab", "--as-of", "2025-04-01"
    )
    assert code == 0, err
    code, out, _ = run(runner, folder, "account", "show", "c-vk")
    assert "Daily statistics: 4 days (2025-03-01 – 2025-04-01); posts: 3." in out
    code, out, _ = run(runner, folder, "client", "show", "coffeelab")
    assert "account_daily │ 4    │ 2025-03-01 │ 2025-04-01" in out
    code, out, _ = run(runner, folder, "account", "list")
    assert "c-vk" in out and "club21890451" in out
