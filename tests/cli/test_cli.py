"""The command line through its runner: workspace handling, import, kpi and its formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.metrics.catalogue import KPIS
from tests.conftest import CANONICAL, write_table


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def agency(tmp_path: Path, runner: CliRunner, store_option: list[str]) -> Path:
    """The golden agency and its restated day, imported by the CLI — on each engine."""
    folder = tmp_path / "ws"
    assert run(runner, "-w", folder, "init", "--name", "Agency", *store_option)[0] == 0
    code, _out, err = run(
        runner, "-w", folder, "import", CANONICAL / "agency", "--format", "canonical"
    )
    assert code == 0, err
    run(runner, "-w", folder, "import", CANONICAL / "restated")
    return folder


def test_commands_need_a_workspace(tmp_path: Path, runner: CliRunner) -> None:
    code, _out, err = run(runner, "-w", tmp_path, "kpi", "--month", "2025-03")
    assert code == 1
    assert "is not an smmkpi workspace (it has no smmkpi.toml). Run `smmkpi init` there" in err


def test_init_creates_settings_and_database_and_is_idempotent(
    tmp_path: Path, runner: CliRunner
) -> None:
    folder = tmp_path / "new"
    code, out, _ = run(runner, "-w", folder, "init", "--name", "Смысл и цифры")
    assert code == 0
    assert "Created a workspace" in out
    settings = (folder / "smmkpi.toml").read_text(encoding="utf-8")
    assert 'name = "Смысл и цифры"' in settings
    assert '# lang = "ru"' in settings  # every other setting listed with its default
    assert (folder / "smmkpi.duckdb").is_file()
    code, out, _ = run(runner, "-w", folder, "init")
    assert code == 0
    assert "already a workspace" in out


def test_init_suggests_next_steps_that_run_as_printed(tmp_path: Path, runner: CliRunner) -> None:
    import shlex

    folder = tmp_path / "new"
    code, out, _ = run(runner, "-w", folder, "init", "--lang", "en")
    assert code == 0
    steps = [line.strip() for line in out.splitlines() if line.startswith("  smmkpi ")]
    assert [shlex.split(s)[1:3] for s in steps] == [
        ["client", "add"], ["account", "add"], ["import", "~/Downloads/vk-stats.xlsx"],
        ["connect", "vk"],
    ]  # fmt: skip
    for step in steps[:2]:  # the client and its account are added exactly as printed
        code, out, err = run(runner, "-w", folder, *shlex.split(step)[1:])
        assert code == 0, err
    code, out, _ = run(runner, "-w", folder, "account", "show", "coffeelab-vk")
    assert "coffeelab" in out and "club123" in out


def test_import_reports_counts_and_then_no_changes(tmp_path: Path, runner: CliRunner) -> None:
    folder = tmp_path / "ws"
    run(runner, "-w", folder, "init")
    code, out, _ = run(runner, "-w", folder, "import", CANONICAL / "agency")
    assert code == 0
    assert f"✓ {CANONICAL / 'agency'} (canonical): clients: 3 new; accounts: 5 new;" in out
    assert "posts: 15 new" in out
    code, out, _ = run(runner, "-w", folder, "import", CANONICAL / "agency")
    assert code == 0
    assert "(canonical): no changes (74 rows already in the workspace)" in out


def test_a_failed_file_among_several_fails_the_command(
    agency: Path, tmp_path: Path, runner: CliRunner
) -> None:
    bad = tmp_path / "bad"
    write_table(bad, "clients", [{"client_id": "x", "name": "X", "timezone": "MSK"}])
    good = tmp_path / "good"
    write_table(good, "clients", [{"client_id": "y", "name": "Y"}])
    code, out, err = run(runner, "-w", agency, "import", bad, good)
    assert code == 1
    assert f"✗ {bad} (canonical): Import of" in err
    assert "clients.csv, row 2, column 'timezone', value 'MSK': is not an IANA time zone." in err
    assert f"✓ {good} (canonical): clients: 1 new" in out


def test_kpi_json_for_one_client(agency: Path, runner: CliRunner) -> None:
    code, out, _ = run(
        runner,
        "-w",
        agency,
        "kpi",
        "--client",
        "la",
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-31",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["period"] == {
        "start": "2025-03-01",
        "end": "2025-03-31",
        "timezone": "America/Los_Angeles",
    }
    assert data["kpis"]["sales"] == 6
    assert data["kpis"]["cpl"] == pytest.approx(500 / 3)


def test_kpi_table_reads_like_a_report(agency: Path, runner: CliRunner) -> None:
    code, out, _ = run(runner, "-w", agency, "kpi", "-c", "moscow", "-m", "2025-03", "--lang", "ru")
    assert code == 0
    assert "Кофейня в Москве (moscow) — март 2025" in out
    assert "Подписчики" in out
    assert "1\u00a0658" in out  # followers, with the Russian group separator
    assert "2,40\u00a0%" in out  # m-vk churn: 24 / 1000 × 100
    assert "Охват (сумма дневных): Это сумма дневного уникального охвата" in out
    assert "—" in out  # no data is a dash, never 0
    code, out, _ = run(
        runner, "-w", agency, "kpi", "-c", "la", "-m", "2025-03", "--lang", "en", "--kpis", "goal"
    )
    assert "Main KPIs of the goal" in out
    assert "$166.67" in out  # CPL 500 / 3 in USD
    assert "Reach (sum of daily)" not in out  # not a KPI of the sales goal


def test_kpi_csv(agency: Path, runner: CliRunner) -> None:
    code, out, _ = run(runner, "-w", agency, "kpi", "-c", "la", "-m", "2025-03", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "client_id,account_id,kpi,value,unit,period_start,period_end"
    assert "la,,revenue,2100.75,money,2025-03-01,2025-03-31" in lines
    assert "la,,mentions,,count,2025-03-01,2025-03-31" in lines
    assert "la,la-ig,posts,3,count,2025-03-01,2025-03-31" in lines
    assert len(lines) == 1 + len(KPIS) + 33


def test_explain_shows_numerator_denominator_and_rows(agency: Path, runner: CliRunner) -> None:
    code, out, _ = run(
        runner,
        "-w",
        agency,
        "kpi",
        "-c",
        "moscow",
        "-m",
        "2025-03",
        "--explain",
        "er",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["value"] == pytest.approx(630 / 12560.5 * 100)
    assert data["numerator"]["value"] == 210  # 164 + 46 + 0
    assert data["numerator"]["rows"] == 5  # posts with known interactions: 3 + 2 + 0
    assert data["denominator"]["value"] == pytest.approx(12560.5 / 3)
    used = {a["account_id"]: a["used_in_client_value"] for a in data["accounts"]}
    assert used == {"m-ig": False, "m-tg": True, "m-vk": True, "m-zero": True}
    code, out, _ = run(
        runner,
        "-w",
        agency,
        "kpi",
        "-c",
        "moscow",
        "-m",
        "2025-03",
        "--explain",
        "cpl",
        "--lang",
        "en",
    )
    assert "Why no value: The numerator is unknown: ad_spend holds no data" in out
    code, out, _ = run(
        runner,
        "-w",
        agency,
        "kpi",
        "-c",
        "moscow",
        "-m",
        "2025-03",
        "--explain",
        "reach",
        "--lang",
        "ru",
    )
    assert "2\u00a0350" in out
    assert (
        "(дней с известным значением: 7 [account_daily])" in out
    )  # days: m-vk 4, m-ig 2, m-zero 1


def test_list_and_show(runner: CliRunner) -> None:
    code, out, _ = run(runner, "kpi", "list", "--lang", "en")
    assert code == 0
    for kpi in KPIS:
        assert kpi.id in out
    code, out, _ = run(runner, "kpi", "show", "churn_rate", "--lang", "en")
    assert "followers_lost / followers_start × 100" in out
    assert "lower is better" in out
    code, _out, err = run(runner, "kpi", "show", "eer")
    assert code == 1
    assert "Unknown KPI 'eer'. Known: ad_spend, amplification_rate" in err


def test_unknown_client_and_bad_period(agency: Path, runner: CliRunner) -> None:
    code, _out, err = run(runner, "-w", agency, "kpi", "-c", "nobody", "-m", "2025-03")
    assert code == 1
    assert "Unknown client 'nobody'. Known: la, moscow, quiet." in err
    code, _out, err = run(runner, "-w", agency, "kpi", "-m", "03.2025")
    assert "is not a month; write it as YYYY-MM" in err
    code, _out, err = run(runner, "-w", agency, "kpi", "-m", "2025-03", "--explain", "nope")
    assert "Unknown KPI 'nope'" in err


def test_export_command(agency: Path, tmp_path: Path, runner: CliRunner) -> None:
    code, _out, _ = run(runner, "-w", agency, "export", tmp_path / "out", "--format", "parquet")
    assert code == 0
    assert (tmp_path / "out" / "posts" / "month=2025-03" / "part-0.parquet").is_file()
    code, _out, err = run(runner, "-w", agency, "export", tmp_path / "out", "--format", "parquet")
    assert code == 0  # a lake is written anew
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    code, _out, err = run(runner, "-w", agency, "export", tmp_path / "other", "--format", "parquet")
    assert code == 1 and "holds files that are not an smmkpi lake" in err
    assert (tmp_path / "other" / "notes.txt").read_text() == "mine"  # untouched
    code, _out, err = run(runner, "-w", agency, "export", tmp_path / "out", "--format", "xml")
    assert "Unknown export format 'xml'. Known: canonical, parquet." in err


def test_messages_follow_the_language(tmp_path: Path, runner: CliRunner) -> None:
    code, _out, err = run(runner, "--lang", "ru", "-w", tmp_path, "kpi", "-m", "2025-03")
    assert code == 1
    assert "не рабочая папка smmkpi" in err


def test_a_workspace_without_clients(tmp_path: Path, runner: CliRunner) -> None:
    folder = tmp_path / "empty"
    run(runner, "-w", folder, "init")
    code, out, _ = run(runner, "-w", folder, "kpi", "-m", "2025-03", "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = run(runner, "-w", folder, "kpi", "-m", "2025-03")
    assert code == 1
    assert "no clients yet" in out
