"""The demo agency: deterministic, imported through the canonical path, realistic traits."""

from __future__ import annotations

import hashlib
import re
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.cli.kpi import social_rules
from smmkpi.demo.build import DemoBuild, build_demo
from smmkpi.demo.generate import generate
from smmkpi.errors import UserError
from smmkpi.metrics.compute import ClientKpis, compute_kpis
from smmkpi.metrics.content import stored_rubrics
from smmkpi.metrics.periods import Period
from smmkpi.store.tables import TABLES_BY_NAME
from tests.conftest import table_rows

AS_OF = date(2026, 11, 26)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    return build_demo(tmp_path_factory.mktemp("demo") / "agency", AS_OF, seed=42)


@pytest.fixture(scope="module")
def october(demo: DemoBuild) -> dict[str, ClientKpis]:
    with demo.workspace.open_store(read_only=True) as store:
        results = compute_kpis(
            store.backend, Period.month("2026-10"), None, social_rules(demo.workspace.settings)
        )
    return {r.client.client_id: r for r in results}


def digest(folder: Path) -> dict[str, str]:
    """Every file the generator wrote (canonical and exports), by its path in ``folder``."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_history_covers_15_months_and_the_current_month(demo: DemoBuild) -> None:
    data = demo.data
    assert (data.history_start, data.history_end) == (date(2025, 8, 1), date(2026, 11, 25))
    assert data.last_full_month == Period.month("2026-10")
    assert data.giveaway_day == date(2026, 7, 10)
    assert data.gap == (date(2026, 10, 12), date(2026, 10, 17))
    assert set(data.rows) == set(TABLES_BY_NAME)
    assert data.rows["clients"] == 4
    assert data.rows["accounts"] == 11


def test_the_same_seed_gives_the_same_files(demo: DemoBuild, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", AS_OF, seed=42)
    assert digest(again.folder) == digest(demo.data.folder)
    other = generate(tmp_path / "other", AS_OF, seed=7)
    assert digest(other.folder) != digest(demo.data.folder)


def test_building_again_imports_nothing_new(demo: DemoBuild) -> None:
    assert demo.changed
    rebuilt = build_demo(demo.workspace.path, AS_OF, seed=42)
    assert not rebuilt.changed


def test_a_folder_that_is_not_a_workspace_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UserError, match="not an smmkpi workspace"):
        build_demo(tmp_path, AS_OF)


def test_one_client_per_goal_on_vk_telegram_instagram(
    demo: DemoBuild, october: dict[str, ClientKpis]
) -> None:
    goals = {c.client.client_id: c.client.goal for c in october.values()}
    assert goals == {
        "coffeelab": "awareness",
        "fitnest": "community",
        "homedecor": "sales",
        "pacificbrew": "community",
    }
    platforms = {a.platform for c in october.values() for a in c.client.accounts}
    assert {"vk", "telegram", "instagram"} <= platforms


def test_the_data_gap_and_the_unknown_follower_count(october: dict[str, ClientKpis]) -> None:
    fitnest = october["fitnest"]
    assert fitnest.notes["daily_rows"]["fitnest-vk"] == 31 - 6  # 12–17 October are missing
    tg = fitnest.accounts["fitnest-tg"]
    assert tg["followers"].value is None
    assert tg["net_follower_growth"].value is not None  # gained − lost, without a follower count
    assert tg["er"].value is None  # no follower base for ER


def test_the_giveaway_spike(demo: DemoBuild) -> None:
    with demo.workspace.open_store(read_only=True) as store:
        june, july = (
            compute_kpis(store.backend, Period.month(m), ["coffeelab"])[0].accounts["coffeelab-ig"]
            for m in ("2026-06", "2026-07")
        )
    assert july["followers_gained"].value > 2 * june["followers_gained"].value
    assert july["interactions"].value > 1.5 * june["interactions"].value


def test_sources_a_client_has_and_has_not(october: dict[str, ClientKpis]) -> None:
    home, coffee = october["homedecor"].kpis, october["coffeelab"].kpis
    for kpi_id in ("site_sessions", "leads", "sales", "revenue", "cpl", "romi"):
        assert home[kpi_id].value is not None, kpi_id
    for kpi_id in ("site_sessions", "leads", "sales", "cpl"):
        assert coffee[kpi_id].value is None, kpi_id  # never imported: no data, not 0
    assert coffee["ad_spend"].value is not None
    assert 0 < coffee["branded_hashtag_posts"].value < coffee["mentions"].value
    assert october["homedecor"].notes["sales_inheriting_lead_utm"] > 0
    assert october["pacificbrew"].client.currency == "USD"


def test_a_community_report_says_what_stands_out_in_the_content(demo: DemoBuild) -> None:
    """FitNest's rubrics are the demo's, and its reels engage more than its other posts (the
    generator makes them so): its October report says so, with the chart of ER by kind."""
    with demo.workspace.open_store(read_only=True) as store:
        rubrics = {r.name for r in stored_rubrics(store.con, "fitnest")}
    assert rubrics == {"Тренировки", "Челленджи", "Истории клиентов", "Вовлекающие"}
    result = CliRunner().invoke(
        app,
        ["-w", str(demo.workspace.path), "report", "fitnest", "--month", "2026-10", "--lang",
         "ru", "--format", "html"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    html = (demo.workspace.path / "reports" / "2026-10" / "fitnest-2026-10-ru.html").read_text()
    assert "Что выделяется в контенте" in html
    assert "<li>Рилсы: ER " in html and "в 2,2 раза выше, чем у всех публикаций" in html
    assert 'id="chart-er_by_kind"' in html


def test_the_demo_follows_competitors_with_weekly_snapshots(demo: DemoBuild) -> None:
    """Two rivals each for Кофелаб and FitNest, snapshotted every week since the history's
    start: October's comparison has their growth and ER beside the client's accounts."""
    from smmkpi.metrics.competitors import comparison
    from smmkpi.planning import service

    with demo.workspace.open_store(read_only=True) as store:
        fitnest = service.client_info(store, "fitnest")
        rows = comparison(store.con, fitnest, Period.month("2026-10"))
    rivals = [r for r in rows if not r.is_client]
    assert [(r.name, r.platform) for r in rivals] == [
        ("EKB Yoga Club", "instagram"), ("Stretch Studio", "vk"),
    ]  # fmt: skip
    for rival in rivals:
        assert rival.followers_growth is not None and rival.followers_growth > 0
        assert rival.posts > 0 and rival.er_by_followers is not None
        assert rival.since is not None and rival.since.date() == date(2025, 8, 1)


def test_the_settings_teach_a_channel_name(demo: DemoBuild, october: dict[str, ClientKpis]) -> None:
    with demo.workspace.open_store(read_only=True) as store:
        (plain,) = compute_kpis(store.backend, Period.month("2026-10"), ["homedecor"])
    assert october["homedecor"].kpis["leads"].value > plain.kpis["leads"].value


def test_the_demo_command_prints_every_client(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["demo", str(tmp_path / "d"), "--as-of", "2026-11-26", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    for title in (
        "Кофелаб (coffeelab) — October 2026",
        "FitNest (fitnest) — October 2026",
        "Дом и Декор (homedecor) — October 2026",
        "Pacific Brew Roasters (pacificbrew) — October 2026",
    ):
        assert title in result.stdout
    assert "Main KPIs of the goal" in result.stdout
    assert "KPIs for October 2026, the last full month" in result.stdout
    assert "Plan against fact this month" in result.stdout
    assert "homedecor-2026-10" in result.stdout  # the plan runs from the last full month
    # and the last full month's reports, every client in both languages and three formats
    assert "Rendered: 4 of 4 clients; failed: 0." in result.stdout
    reports = tmp_path / "d" / "reports" / "2026-10"
    names = sorted(p.name for p in reports.iterdir())
    assert len(names) == 24
    assert names[:6] == [
        f"coffeelab-2026-10-{lang}.{kind}"
        for lang in ("en", "ru")
        for kind in ("html", "pdf", "xlsx")
    ]
    # then what is due on 26 November 23:00 UTC — October's reports, due on the 3rd — goes
    # into a local mail sink; Fitnest's waits for the specialist's approval
    out = " ".join(result.stdout.split())
    assert "Sent 3, failed 0, held 1;" in out
    assert (
        "fitnest-monthly 2026-10 → email:owner@fitnest.example: held — waiting for approval" in out
    )
    assert (
        "→ marketing@coffeelab.example: «Кофелаб: отчёт за октябрь 2026» — "
        "coffeelab-2026-10-ru.pdf (" in out
    )
    assert (
        "→ hello@pacificbrew.example: «Pacific Brew Roasters: the report for October 2026»" in out
    )


def test_the_platform_exports_import_into_exactly_the_generated_data(demo: DemoBuild) -> None:
    """The demo's VK, Telegram, Meta, Metrica, amoCRM and VK Ads files, read by their importers,
    give back every generated value: an end-to-end check of those importers."""
    names = [name for name, _outcome in demo.outcomes]
    for importer in ("vk", "telegram", "meta", "metrica", "amocrm", "vk_ads"):
        assert importer in names
    workspace = demo.workspace
    for table, rows in demo.data.tables.items():
        columns = TABLES_BY_NAME[table].stored_columns
        generated = sorted(
            (tuple(row.get(c.name) for c in columns) for row in rows if table != "mentions"),
            key=repr,
        )
        if table == "mentions":  # tags are derived on import; compare the rest
            continue
        assert table_rows(workspace, table) == generated, table
    with workspace.open_store(read_only=True) as store:
        mentions = store.con.execute("SELECT count(*) FROM mentions").fetchone()
    assert mentions == (len(demo.data.tables["mentions"]),)


def test_the_demo_agency_delivers_on_schedule(demo: DemoBuild) -> None:
    from smmkpi.store import alerts, deliveries

    with demo.workspace.open_store(read_only=True) as store:
        schedules = {s.client_id: s for s in deliveries.listed(store.con)}
        rules = alerts.listed(store.con)
    assert set(schedules) == {"coffeelab", "fitnest", "homedecor", "pacificbrew"}
    assert (schedules["fitnest"].review, schedules["pacificbrew"].language) == (True, "en")
    assert [(r.name, r.client_id, r.kinds) for r in rules] == [
        ("team-alerts", None, ["off_track", "sync_failed"])
    ]


def test_every_client_has_a_brief_a_plan_and_its_status(demo: DemoBuild) -> None:
    from smmkpi.store import revisions

    assert set(demo.plans) == {"coffeelab", "fitnest", "homedecor", "pacificbrew"}
    with demo.workspace.open_store(read_only=True) as store:
        for client in demo.plans:
            assert revisions.latest_brief(store.con, client) is not None
    homedecor = demo.plans["homedecor"]
    assert homedecor.plan_id == "homedecor-2026-10"
    assert [p.label() for p in homedecor.periods()] == ["2026-10", "2026-11", "2026-12"]
    leads = homedecor.item("leads")
    assert leads is not None and leads.role == "main"
    october = leads.targets["2026-10"]
    assert october.conservative is not None and october.stretch is not None
    assert october.conservative <= october.target <= october.stretch
    statuses = {s.kpi.id: s for s in demo.statuses["homedecor"]}
    assert statuses["leads"].elapsed_days == 25  # the data runs to the day before 26 November
    assert statuses["leads"].status in ("achieved", "on_track", "at_risk", "off_track")
    # a second build keeps the plans it made
    rebuilt = build_demo(demo.workspace.path, AS_OF, seed=42)
    assert rebuilt.plans["homedecor"] == homedecor


def test_every_demo_report_shows_the_kpi_engines_values(
    demo: DemoBuild, october: dict[str, ClientKpis]
) -> None:
    """The numbers of the rendered report are the engine's numbers, for every client."""
    from smmkpi.report.build import branding, build_report

    settings = demo.workspace.settings
    brand = branding(settings.report, settings.workspace.name, demo.workspace.path)
    with demo.workspace.open_store(read_only=True) as store:
        for client_id, expected in october.items():
            report = build_report(
                store,
                client_id,
                Period.month("2026-10"),
                "en",
                brand,
                settings.report,
                AS_OF,
                demo.workspace.social_rules(),
            )
            assert report.plan_id == f"{client_id}-2026-10"
            rows = [r for s in report.sections for r in s.rows] + report.scorecard
            assert len(rows) > 10
            for row in rows:
                value = expected.kpis[row.kpi.id].value
                # float sums may differ in the last bit between two runs of a parallel query
                assert row.fact == (
                    value if value is None else pytest.approx(float(value), rel=1e-12)
                ), (client_id, row.kpi.id)
                if row.target is None:
                    assert row.status == "no_data", (client_id, row.kpi.id)


def page_depths(pdf: Path) -> list[float]:
    """How far down each page of ``pdf`` its content reaches, as a share of the page's body
    (between the top margin and the footer): rendered in grey at 20 dpi by pdftoppm."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", "20", "-gray", str(pdf), f"{folder}/p"], check=True)
        pages = sorted(Path(folder).glob("p-*.pgm"), key=lambda p: int(p.stem.split("-")[1]))
        depths = []
        for page in pages:
            with Image.open(page) as image:
                width, height = image.size
                pixels = image.load()
                top, bottom = int(height * 0.05), int(height * 0.92)
                inked = [
                    y for y in range(top, bottom) if any(pixels[x, y] < 200 for x in range(width))
                ]
                depths.append((max(inked, default=top) - top) / (bottom - top))
        return depths


def test_every_page_of_every_demo_report_carries_content(demo: DemoBuild, tmp_path: Path) -> None:
    """Each demo client's October report, in both languages and both editions: no page before
    the last is less than half full (a section that left a near-empty page behind), and the
    last one holds more than a line or two."""
    from smmkpi.report.render import render_client

    checked = 0
    for client_id in ("coffeelab", "fitnest", "homedecor", "pacificbrew"):
        for edition in ("client", "internal"):
            done = render_client(
                demo.workspace, client_id, Period.month("2026-10"), ("ru", "en"), ("pdf",),
                tmp_path / edition, AS_OF, edition,
            )  # fmt: skip
            for rendered in done:
                (pdf,) = rendered.files
                depths = page_depths(pdf)
                assert len(depths) >= 4, pdf.name
                assert all(d >= 0.5 for d in depths[:-1]), (pdf.name, depths)
                assert depths[-1] >= 0.1, (pdf.name, depths)
                checked += 1
    assert checked == 16


def test_the_demo_moves_into_postgresql_with_12_months_of_equal_kpis(
    demo: DemoBuild, postgres_url: str
) -> None:
    folder = str(demo.workspace.path)
    # --copy-only: the other tests go on reading the DuckDB file
    command = ["-w", folder, "migrate", "--to", postgres_url, "--copy-only", "--as-of", str(AS_OF)]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "the 12 months that hold data (2025-11 … 2026-10) are the same on both engines" in text
    with demo.workspace.open_store(read_only=True) as store:
        posts = store.count_rows("posts")
        users = store.count_rows("users")
    assert posts > 1000 and users == 3  # the data and the web app's users moved
    assert re.search(rf"│ posts\s+│\s+{posts:,} │", result.output)  # the table of copied rows


def test_the_demo_says_how_to_run_smmkpi_off_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from smmkpi.cli.demo import _how_to_run

    bin_folder = tmp_path / ".venv" / "bin"
    bin_folder.mkdir(parents=True)
    (bin_folder / "smmkpi").write_text("#!/bin/sh\n")
    (bin_folder / "activate").write_text("")
    monkeypatch.setattr("sys.argv", [str(bin_folder / "smmkpi"), "demo"])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    _how_to_run()
    said = " ".join(capsys.readouterr().out.split())
    assert said == (
        f"smmkpi is not on this shell's PATH: run {bin_folder / 'smmkpi'} …, or first "
        f"`source {bin_folder / 'activate'}` and then just smmkpi …"
    )
    monkeypatch.setenv("PATH", f"{bin_folder}:/usr/bin")  # activated: nothing to say
    (bin_folder / "smmkpi").chmod(0o755)
    _how_to_run()
    assert capsys.readouterr().out == ""
