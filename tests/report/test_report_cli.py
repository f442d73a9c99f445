"""`smmkpi report`: one client, the month end (--all) with a client that fails, the commentary."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.metrics.periods import Period
from tests.conftest import copy_workspace, write_table


def run(folder: Path, *args: object, lang: str = "en") -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["-w", str(folder), "--lang", lang, *(str(a) for a in args)])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def shop(bakery: Path, tmp_path: Path) -> Path:
    """A copy of the bakery's workspace, free to change."""
    return copy_workspace(bakery, tmp_path / "ws")


def test_one_client_in_the_chosen_formats(shop: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run(
        shop,
        "report",
        "bakery",
        "--month",
        "2026-03",
        "--as-of",
        "2026-04-10",
        "--format",
        "html,xlsx",
        "--out",
        out,
    )
    assert code == 0, stderr
    assert "The report for March 2026 is ready" in stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "bakery-2026-03-en.html",
        "bakery-2026-03-en.xlsx",
    ]
    assert str(out / "bakery-2026-03-en.html") in stdout


def test_the_default_folder_is_the_months_reports_folder(shop: Path) -> None:
    code, _out, stderr = run(
        shop, "report", "bakery", "--month", "2026-03", "--format", "html", "--lang", "ru,en"
    )
    assert code == 0, stderr
    folder = shop / "reports" / "2026-03"
    assert sorted(p.name for p in folder.iterdir()) == [
        "bakery-2026-03-en.html",
        "bakery-2026-03-ru.html",
    ]


def test_the_month_end_renders_every_client_and_says_why_one_failed(
    shop: Path, tmp_path: Path
) -> None:
    data = tmp_path / "more"
    write_table(data, "clients", [{"client_id": "nogoal", "name": "No goal yet"}])
    assert run(shop, "import", data)[0] == 0
    code, stdout, _err = run(
        shop, "report", "--all", "--month", "2026-03", "--format", "xlsx", "--jobs", "2"
    )
    assert code == 1
    assert "Rendered: 1 of 2 clients; failed: 1." in stdout
    flat = " ".join(stdout.split())
    assert "failed: nogoal has no goal yet" in flat
    files = sorted(p.name for p in (shop / "reports" / "2026-03").iterdir())
    assert files == ["bakery-2026-03-en.xlsx"]  # nothing half-written for the failed client


def test_bad_options_are_named(shop: Path) -> None:
    code, _out, err = run(shop, "report", "bakery", "--format", "docx")
    assert (
        code == 1 and "--format: 'docx' is not a report format; choose from pdf, xlsx, html" in err
    )
    code, _out, err = run(shop, "report", "bakery", "--lang", "de")
    assert code == 1 and "language must be one of ru, en, not 'de'" in err
    code, _out, err = run(shop, "report", "--month", "2026-03")
    assert code == 1 and "Name one client" in err
    code, _out, err = run(shop, "report", "bakery", "--all")
    assert code == 1 and "Name one client" in err


def test_the_commentary_is_kept_with_revisions_and_shown_in_the_report(
    shop: Path, tmp_path: Path
) -> None:
    code, stdout, stderr = run(
        shop,
        "report",
        "comment",
        "bakery",
        "--month",
        "2026-03",
        "--conclusions",
        "ER вырос после <b>розыгрыша</b>",
        "--next",
        "Две рубрики в неделю",
    )
    assert code == 0, stderr
    assert "(revision 1)" in stdout
    code, stdout, _ = run(
        shop, "report", "comment", "bakery", "--month", "2026-03", "--next", "Две рубрики в неделю"
    )
    assert "Nothing changed." in stdout
    edited = tmp_path / "comment.md"
    edited.write_text(
        "## Выводы\nER вырос; #колос в трендах\n\n## План на следующий месяц\nТри рубрики\n",
        encoding="utf-8",
    )
    code, stdout, _ = run(
        shop, "report", "comment", "bakery", "--month", "2026-03", "--file", edited
    )
    assert code == 0 and "(revision 2)" in stdout
    code, stdout, _ = run(shop, "report", "comment", "bakery", "--month", "2026-03", "--show")
    assert stdout == "## Conclusions\nER вырос; #колос в трендах\n\n## Next month\nТри рубрики\n\n"
    out = tmp_path / "out"
    run(shop, "report", "bakery", "--month", "2026-03", "--format", "html", "--out", out)
    html = (out / "bakery-2026-03-en.html").read_text(encoding="utf-8")
    assert "ER вырос; #колос в трендах" in html and "Три рубрики" in html


def test_a_commentary_with_an_unknown_heading_is_refused(shop: Path, tmp_path: Path) -> None:
    edited = tmp_path / "comment.md"
    edited.write_text("## Итоги\nтекст\n", encoding="utf-8")
    code, _out, err = run(
        shop, "report", "comment", "bakery", "--month", "2026-03", "--file", edited
    )
    assert code == 1
    assert f"{edited}, line 1: unknown heading 'Итоги'" in " ".join(err.split())


def test_the_commentary_in_the_editor(
    shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\np = "
        "pathlib.Path(sys.argv[1])\np.write_text(p.read_text(encoding='utf-8').replace('## Next "
        "month\\n', '## Next month\\nOpen a second shop\\n'), encoding='utf-8')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    code, stdout, stderr = run(shop, "report", "comment", "bakery", "--month", "2026-03")
    assert code == 0, stderr
    code, stdout, _ = run(shop, "report", "comment", "bakery", "--month", "2026-03", "--show")
    assert "## Next month\nOpen a second shop" in stdout


def test_an_import_that_restates_the_month_is_named(shop: Path, tmp_path: Path) -> None:
    from datetime import date

    from smmkpi.metrics.periods import Period
    from smmkpi.report.build import branding, build_report
    from smmkpi.workspace import Workspace

    data = tmp_path / "restated"
    write_table(
        data,
        "account_daily",
        [{"account_id": "bakery-vk", "date": f"2026-03-0{d}", "reach": 90} for d in (1, 2)],
        ["account_id", "date", "reach"],
    )
    code, _out, err = run(shop, "import", data)
    assert code == 0, err
    workspace = Workspace.open(shop)
    settings = workspace.settings
    with workspace.open_store(read_only=True) as store:
        found = build_report(
            store,
            "bakery",
            Period.month("2026-03"),
            "en",
            branding(settings.report, "", shop),
            settings.report,
            date(2026, 4, 10),
        )
    restated = [n.text for n in found.quality if n.kind == "restated"]
    assert len(restated) == 1
    assert restated[0].startswith("account_daily.csv (imported ")
    assert "replaced 2 figures imported before" in restated[0]
    funnel = next(s.funnel for s in found.sections if s.goal == "sales")
    assert funnel[0].value == 2800 - 2 * 10  # reach: the two restated days have 90, not 100


def test_the_root_lang_option_chooses_the_reports_language(
    shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMMKPI__DISPLAY__LANG", "ru")  # the settings say Russian
    out = tmp_path / "out"
    code, _stdout, stderr = run(
        shop, "report", "bakery", "--month", "2026-03", "--format", "html", "--out", out
    )
    assert code == 0, stderr
    code, _stdout, stderr = run(
        shop,
        "report",
        "bakery",
        "--month",
        "2026-03",
        "--format",
        "html",
        "--out",
        out,
        lang="ru",
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "bakery-2026-03-en.html",  # smmkpi --lang en report …
        "bakery-2026-03-ru.html",
    ]


def test_report_all_takes_each_clients_previous_month_in_its_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from smmkpi.cli import report
    from smmkpi.metrics.periods import today_in
    from smmkpi.workspace import Workspace
    from tests.conftest import import_path, write_table

    workspace, _created = Workspace.init(tmp_path / "ws", "Agency")
    write_table(
        tmp_path / "data",
        "clients",
        [
            {"client_id": "msk", "name": "Msk", "timezone": "Europe/Moscow", "goal": "sales"},
            {"client_id": "la", "name": "LA", "timezone": "America/Los_Angeles", "goal": "sales"},
        ],
    )
    import_path(workspace, tmp_path / "data")
    moment = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)
    monkeypatch.setattr(report, "today_in", lambda zone: today_in(zone, moment))
    months = report._periods_of(workspace, None, None, None)
    assert {p.label(): c for p, c in months.items()} == {"2026-11": ["msk"], "2026-10": ["la"]}
    # --as-of names the day for every client; --month the month
    assert [p.label() for p in report._periods_of(workspace, None, None, "2026-12-01")] == [
        "2026-11"
    ]
    june = Period.month("2026-06")
    assert [p.label() for p in report._periods_of(workspace, "la", june, None)] == ["2026-06"]


def test_the_client_edition_by_default_and_the_internal_one_on_request(
    shop: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    common = ("report", "bakery", "--month", "2026-03", "--as-of", "2026-04-10", "--format",
              "html", "--out", out)  # fmt: skip
    assert run(shop, *common)[0] == 0
    assert run(shop, *common, "--edition", "internal")[0] == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "bakery-2026-03-en-internal.html",
        "bakery-2026-03-en.html",
    ]
    client = (out / "bakery-2026-03-en.html").read_text(encoding="utf-8")
    internal = (out / "bakery-2026-03-en-internal.html").read_text(encoding="utf-8")
    # what a client is sent: no import files, the specialist's name (settings) in the footer
    assert "Data sources" not in client and "Prepared with smmkpi" not in client
    assert "<dt>Prepared by</dt><dd>Ира</dd>" in client  # the cover says who, the end no more
    # the cover names the goals; the sentence is said once, on the summary ("Goal: The goal…")
    assert "<dt>Goal</dt><dd>Community, sales</dd>" in client
    assert client.count("The goal of the promotion: community; also sales.") == 1
    assert "Data sources" in internal and "Prepared with smmkpi" in internal
    assert "canonical" in internal  # the import behind the month
    # the methodology in the client's words; the specialist's keeps the inputs and symbols
    assert "How it is counted" in client or "how it is counted" in client
    assert "(likes + comments + shares + saves) / followers × 100% — per post on average" in client
    assert "Σ" not in client and "link_clicks" not in client
    assert "Σ" in internal and "link_clicks" in internal
    code, _stdout, stderr = run(shop, *common, "--edition", "both")
    assert code == 1 and "both" in stderr and "client" in stderr and "internal" in stderr


def test_the_settings_choose_each_editions_sections(
    shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zipfile

    monkeypatch.setenv("SMMKPI__REPORT__CLIENT_SECTIONS", '["summary", "goals"]')
    out = tmp_path / "out"
    common = ("report", "bakery", "--month", "2026-03", "--as-of", "2026-04-10", "--format",
              "html,xlsx", "--out", out)  # fmt: skip
    assert run(shop, *common)[0] == 0
    assert run(shop, *common, "--edition", "internal")[0] == 0
    client = (out / "bakery-2026-03-en.html").read_text(encoding="utf-8")
    internal = (out / "bakery-2026-03-en-internal.html").read_text(encoding="utf-8")
    for section in ('id="summary"', 'id="goal-community"', 'id="goal-sales"'):
        assert section in client and section in internal
    for section in ('id="quality"', 'id="methodology"'):
        assert section not in client and section in internal
    with zipfile.ZipFile(out / "bakery-2026-03-en.xlsx") as book:
        sheets = book.read("xl/workbook.xml").decode()
    assert "Methodology" not in sheets and "Data quality" not in sheets and "Summary" in sheets
