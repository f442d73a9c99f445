"""`smmkpi import` with platform files: what it detected, ambiguity, unknown files, --formats."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.ingest.registry import IMPORTERS
from tests.conftest import DATA


def run(runner: CliRunner, *args: object) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--lang", "en", *(str(a) for a in args)])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path: Path, runner: CliRunner, store_option: list[str]) -> Path:
    """A workspace with one client and its VK account, on each engine."""
    ws = tmp_path / "ws"
    run(runner, "-w", ws, "init", *store_option)
    run(runner, "-w", ws, "client", "add", "coffeelab", "--name", "Кофелаб", "--timezone",
        "Europe/Moscow")  # fmt: skip
    run(runner, "-w", ws, "account", "add", "coffeelab-vk", "--client", "coffeelab", "--platform",
        "vk", "--handle", "club21890451")  # fmt: skip
    return ws


def test_formats_lists_every_importer_with_what_it_fills(runner: CliRunner) -> None:
    code, out, _ = run(runner, "import", "--formats")
    assert code == 0
    for importer in IMPORTERS:
        assert importer.name in out
    assert "web_sessions" in out and "leads, sales" in out and "ad_spend" in out


def test_files_are_recognised_by_content_and_each_gets_a_line(
    folder: Path, runner: CliRunner, tmp_path: Path
) -> None:
    unknown = tmp_path / "notes.csv"
    unknown.write_text("Что,Когда\nсозвон,вторник\n", encoding="utf-8")
    code, out, err = run(
        runner,
        "-w",
        folder,
        "import",
        DATA / "vk" / "coffeelab",
        DATA / "metrica" / "utm_by_day.csv",
        unknown,
        "--as-of",
        "2025-04-05",
    )
    assert code == 1  # one of them failed
    assert f"✓ {DATA / 'vk' / 'coffeelab'} (vk): account_daily: 4 new; posts: 3 new" in out
    # the only client is the one the Metrica report is for
    assert f"✓ {DATA / 'metrica' / 'utm_by_day.csv'} (metrica): web_sessions: 6 new" in out
    assert f"✗ {unknown} (?): Cannot tell what {unknown} is. Pass --format with one of:" in err


def test_a_file_two_importers_claim_asks_for_format(
    folder: Path, runner: CliRunner, tmp_path: Path
) -> None:
    both = tmp_path / "spend.csv"
    both.write_text(
        "Дата;Кампания;Потрачено, ₽;Расход, ₽\n01.03.2025;Весна;100,00;100,00\n", encoding="utf-8"
    )
    code, _out, err = run(runner, "-w", folder, "import", both)
    assert code == 1
    assert "could be any of: vk_ads, yandex_direct. Pass --format to choose." in err
    code, out, _ = run(runner, "-w", folder, "import", both, "--format", "vk_ads")
    assert code == 0, out
    assert "(vk_ads): ad_spend: 1 new" in out


def test_a_hand_made_daily_table_is_not_taken_for_youtube(
    folder: Path, runner: CliRunner, tmp_path: Path
) -> None:
    hand_made = tmp_path / "vk.csv"
    hand_made.write_text("Дата;Охват;Подписчики\n01.03.2025;1200;14230\n", encoding="utf-8")
    code, out, err = run(runner, "-w", folder, "import", hand_made)
    assert code == 1, out
    assert f"Cannot tell what {hand_made} is." in err
    assert f"`smmkpi profile create {hand_made}` maps its columns once" in err
