"""The bakery's March 2026 report in every format: the values a person computed
(tests/report/conftest.py), where each format puts them, and the hostile post texts made inert."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from smmkpi.i18n import Language
from smmkpi.metrics.periods import Period
from smmkpi.report.build import branding, build_report
from smmkpi.report.model import Post, Report
from smmkpi.report.render import render_client
from smmkpi.workspace import Workspace
from tests.report.conftest import HOSTILE

MARCH = Period.month("2026-03")
TODAY = date(2026, 4, 10)


@pytest.fixture(scope="module")
def rendered(bakery: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The report in both languages and three formats: ``{"ru.pdf": path, …}``."""
    out = tmp_path_factory.mktemp("reports")
    workspace = Workspace.open(bakery)
    done = render_client(
        workspace, "bakery", MARCH, ("ru", "en"), ("pdf", "xlsx", "html"), out, TODAY
    )
    files = {f"{r.language}.{p.suffix[1:]}": p for r in done for p in r.files}
    assert len(files) == 6
    return files


def report(bakery: Path, language: Language = "en") -> Report:
    workspace = Workspace.open(bakery)
    settings = workspace.settings
    with workspace.open_store(read_only=True) as store:
        return build_report(
            store,
            "bakery",
            MARCH,
            language,
            branding(settings.report, settings.workspace.name, workspace.path),
            settings.report,
            TODAY,
        )


def pdf_text(path: Path) -> str:
    """The PDF's text with every run of white space (line breaks in table cells, no-break
    spaces of the Russian number format) as one space."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


# -- the model -------------------------------------------------------------------------------


def test_the_scorecard_holds_the_plan_and_the_hand_computed_facts(bakery: Path) -> None:
    found = {row.kpi.id: row for row in report(bakery).scorecard}
    assert list(found) == ["er", "err", "leads", "cpl", "contact_clicks"]
    er = found["er"]
    assert er.target == 3.0 and er.fact == pytest.approx(3.5)
    assert er.attainment == pytest.approx(116.6667, abs=1e-3) and er.status == "achieved"
    assert er.previous == pytest.approx(2.0) and er.change_previous == pytest.approx(75.0)
    assert er.year_ago is None and er.change_year is None  # no posts in March 2025
    err = found["err"]
    assert err.fact == pytest.approx(175 / 4900 * 100)
    assert err.attainment == pytest.approx(175 / 4900 * 100 / 4.0 * 100)
    assert err.status == "off_track"
    assert found["leads"].fact == 10 and found["leads"].attainment == pytest.approx(125.0)
    cpl = found["cpl"]
    assert float(cpl.fact) == 2000.0 and cpl.attainment == pytest.approx(125.0)  # lower is better
    assert found["contact_clicks"].fact is None and found["contact_clicks"].status == "no_data"


def test_changes_against_the_previous_month_and_a_year_earlier(bakery: Path) -> None:
    rows = {r.kpi.id: r for s in report(bakery).sections for r in s.rows}
    clicks = rows["link_clicks"]
    assert (clicks.fact, clicks.previous, clicks.year_ago) == (336, 280, 248)
    assert clicks.change_previous == pytest.approx((336 - 280) / 280 * 100)
    assert clicks.change_year == pytest.approx((336 - 248) / 248 * 100)


def test_the_funnel_and_its_conversions(bakery: Path) -> None:
    (sales,) = [s for s in report(bakery).sections if s.goal == "sales"]
    steps = {s.kpi_id: s for s in sales.funnel}
    assert [s.kpi_id for s in sales.funnel] == [
        "reach",
        "link_clicks",
        "site_sessions",
        "leads",
        "sales",
    ]
    assert steps["reach"].value == 2800 and steps["reach"].conversion is None
    assert steps["link_clicks"].conversion == pytest.approx(12.0)  # 336 of 2,800
    assert steps["site_sessions"].conversion == pytest.approx(620 / 2800 * 100)
    assert steps["leads"].conversion == pytest.approx(10 / 620 * 100)
    assert steps["sales"].conversion == pytest.approx(20.0)
    assert "Sales and revenue depend on the sales team as much as on SMM." in sales.notes


def test_best_and_worst_posts_by_err(bakery: Path) -> None:
    (community,) = [s for s in report(bakery).sections if s.goal == "community"]
    (vk,) = community.posts  # one platform: its own ranking
    assert vk.platform == "vk"
    assert [round(p.err, 2) for p in vk.best] == [7.0, 5.0]
    assert [round(p.err, 2) for p in vk.worst] == [1.5, 2.5]  # worst first
    worst = vk.worst[1]
    assert worst.excerpt == HOSTILE["P4"] and worst.url is None  # javascript: is no link


def test_the_narrative_names_the_best_and_the_worst_main_kpi(bakery: Path) -> None:
    assert report(bakery).narrative[:4] == [
        "KPIs of the plan that reached their target or came within the tolerance: 3 of 4.",
        "Best against the plan: ER (by followers), 117% of the target (3.50% against 3.00%).",
        "Furthest from the plan: ERR (by reach), 89% of the target (3.57% against 4.00%).",
        "ER (by followers) improved on February 2026: 2.00% → 3.50% (+75%).",
    ]
    assert report(bakery, "ru").narrative[1].replace("\u00a0", " ") == (
        "Лучше всего к плану: ER (по подписчикам) — 117 % цели (3,50 % при цели 3,00 %)."
    )


def test_data_quality_names_the_gap_and_the_kpi_without_data(bakery: Path) -> None:
    notes = [(n.kind, n.text) for n in report(bakery).quality]
    assert (
        "gap",
        "Колос: no daily statistics for March 10–12, 2026 — the days are left out, not "
        "counted as zero.",
    ) in notes
    assert (
        "missing",
        "Contact clicks: no data — the month's imported statistics do not include it (the platform "
        "does not provide it, or the export left it out).",
    ) in notes


def test_the_methodology_comes_from_the_catalogue(bakery: Path) -> None:
    from smmkpi.metrics.catalogue import KPIS_BY_ID

    found = report(bakery)
    items = {m.kpi.id: m for m in found.methodology}
    assert items["cpl"].formula == KPIS_BY_ID["cpl"].formula_text("en")
    assert [i.split(":")[0] for i in items["cpl"].inputs] == ["ad_spend", "leads"]
    assert {s.source for s in found.sources} == {"canonical"}
    assert sum(s.rows for s in found.sources) == 28 + 5 + 31 + 10 + 2 + 1


# -- PDF -------------------------------------------------------------------------------------


def test_the_pdf_holds_the_labels_and_formatted_values(rendered: dict[str, Path]) -> None:
    ru = pdf_text(rendered["ru.pdf"])
    for expected in (
        "Пекарня «Колос»",
        "Итоги месяца",
        "ER (по подписчикам) ★ 3,00 % 3,50 % 117 % выполнено +75 %",
        "CPL (стоимость лида) 2 500,00 ₽ 2 000,00 ₽ 125 %",
        "Клики по ссылке в профиле 336",
        "Методика",
        "Подготовил(а) Ира",
    ):
        assert expected in ru, expected
    en = pdf_text(rendered["en.pdf"])
    assert "ER (by followers) ★ 3.00% 3.50% 117% achieved +75%" in en
    assert "Profile link clicks 336" in en
    reader = PdfReader(rendered["en.pdf"])
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4
    assert f"2 / {len(reader.pages)}" in reader.pages[1].extract_text()  # page numbers


def test_the_pdf_charts_are_vector_graphics(rendered: dict[str, Path]) -> None:
    reader = PdfReader(rendered["en.pdf"])
    images = sum(len(page.images) for page in reader.pages)
    assert images == 0  # the charts are drawn as paths, not pasted as pictures
    content = reader.pages[2].get_contents()
    assert content is not None and b" re" in content.get_data()  # bars as rectangles


# -- XLSX ------------------------------------------------------------------------------------


def test_the_workbook_stores_numbers_with_formats(rendered: dict[str, Path]) -> None:
    book = load_workbook(rendered["en.xlsx"])
    assert book.sheetnames == ["Summary", "Community", "Sales", "Data quality", "Methodology"]
    sheet = book["Summary"]
    rows = {r[1].value: r for r in sheet.iter_rows() if r[1].value in {"er", "leads", "cpl"}}
    er = rows["er"]
    assert er[3].value == pytest.approx(0.03) and er[3].number_format == "0.00%"
    assert er[4].value == pytest.approx(0.035) and er[5].value == pytest.approx(1.166667)
    assert er[5].number_format == "0.0%"
    assert rows["leads"][4].value == 10 and rows["leads"][4].number_format == "#,##0"
    assert rows["cpl"][4].value == 2000 and "#,##0.00" in rows["cpl"][4].number_format
    assert er[8].value == pytest.approx(0.75) and er[8].number_format == "+0.0%;-0.0%;0.0%"


def test_the_workbook_has_native_charts(rendered: dict[str, Path]) -> None:
    with zipfile.ZipFile(rendered["en.xlsx"]) as archive:
        charts = sorted(
            n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)
        )
        kinds = [
            re.search(rb"<c:(lineChart|barChart)>", archive.read(n)).group(1)  # type: ignore[union-attr]
            for n in charts
        ]
    # community: rates against targets (bars), ER and ERR by month (line);
    # sales: traffic by month (columns), leads and sales (columns) — the funnel is a table
    assert kinds.count(b"lineChart") == 1 and len(charts) == 4


def test_post_texts_are_text_cells_never_formulas(rendered: dict[str, Path]) -> None:
    with zipfile.ZipFile(rendered["en.xlsx"]) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)
    book = load_workbook(rendered["en.xlsx"])
    texts = {c.value: c for row in book["Community"].iter_rows() for c in row if c.value}
    for post_id in ("P2", "P3"):
        cell = texts[HOSTILE[post_id]]
        assert cell.data_type == "s" and cell.quotePrefix  # text, kept text if edited
    reach = texts[HOSTILE["P2"]].offset(column=4)
    assert reach.value == 500 and reach.data_type == "n"  # the numbers beside stay numbers


# -- HTML ------------------------------------------------------------------------------------


class Elements(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_the_html_is_self_contained_and_holds_no_live_payload(rendered: dict[str, Path]) -> None:
    html = rendered["ru.html"].read_text(encoding="utf-8")
    parser = Elements()
    parser.feed(html)
    tags = {tag for tag, _attrs in parser.tags}
    assert "script" not in tags and "iframe" not in tags and "object" not in tags
    for tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith("javascript:"), (tag, attrs)
            if tag in {"img", "link", "image"}:
                assert not value or value.startswith("data:")  # nothing to fetch
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Весенний хлеб" in html
    assert "&lt;img src=x onerror=alert(1)&gt; @bakery" in html
    assert "Постоянные гости &lt;b&gt;и&lt;/b&gt; заказы тортов" in html
    assert "default-src 'none'" in html  # a Content-Security-Policy: nothing loads or runs
    assert html.count("<svg") == 4  # the charts, inline (the funnel is a table with bars)


# -- the whole report ------------------------------------------------------------------------


def test_the_same_data_render_the_same_html(bakery: Path, tmp_path: Path) -> None:
    from smmkpi.report.html import render_html

    first = render_html(report(bakery))
    assert render_html(report(bakery)) == first


def test_a_kpi_with_a_fact_but_no_target_shows_no_target() -> None:
    from smmkpi.metrics.catalogue import KPIS_BY_ID
    from smmkpi.report.model import ScoreRow

    leads = KPIS_BY_ID["leads"]
    assert ScoreRow(leads, "added", None, 12, None, "no_data", 10, None).shown_status == (
        "no_target"
    )
    assert ScoreRow(leads, "added", None, None, None, "no_data", 10, None).shown_status == "no_data"
    assert ScoreRow(leads, "main", 10, 12, 120.0, "achieved", 10, None).shown_status == "achieved"
    cpl = KPIS_BY_ID["cpl"]  # lower is better: a fall is an improvement
    row = ScoreRow(cpl, "main", 2500, 2000, 125.0, "achieved", 2500, None)
    assert row.change_previous == pytest.approx(-20.0) and row.improved(row.change_previous)


def test_a_report_within_the_month_says_the_facts_are_so_far(bakery: Path) -> None:
    from smmkpi.report.html import render_html

    workspace = Workspace.open(bakery)
    settings = workspace.settings
    with workspace.open_store(read_only=True) as store:
        found = build_report(
            store,
            "bakery",
            MARCH,
            "en",
            branding(settings.report, "", bakery),
            settings.report,
            date(2026, 3, 20),
        )
    assert not found.complete
    rows = {r.kpi.id: r for r in found.scorecard}
    assert rows["er"].fact == pytest.approx(125 / 3000 * 100)  # P1–P3, published by 19 March
    assert rows["er"].status == "on_track"
    assert found.narrative[0] == "The month is not over; KPIs of the plan on track: 3 of 4."
    html = render_html(found)
    assert (
        "The month is not over: the facts are for March 1, 2026 to March 19, 2026; totals are "
        "compared with whole months." in html
    )


def test_every_chart_draws_a_mark_for_each_known_value(bakery: Path) -> None:
    """A bar per known value (a line: a point per known value) — a chart with axes but no
    marks is a bug (a log scale that tried to stack once drew an empty funnel)."""
    from smmkpi.report.charts import svg

    drawn = 0
    for section in report(bakery).sections:
        for chart in section.charts:
            known = sum(
                1
                for series in chart.series
                for value in series.values
                if value is not None and not (chart.log_scale and value <= 0)
            )
            picture = svg(chart, "en")
            if chart.kind == "line":
                assert picture.count('aria-roledescription="point"') == known, chart.chart_id
            else:  # a bar of some width and height for every value other than 0
                sizes = re.findall(
                    r'aria-roledescription="bar"[^>]*?d="M[^"h]*h(-?[\d.]+)v(-?[\d.]+)', picture
                )
                nonzero = sum(1 for s in chart.series for v in s.values if v is not None and v > 0)
                drawn_bars = [(w, h) for w, h in sizes if float(w) != 0 and float(h) != 0]
                assert len(drawn_bars) == nonzero, chart.chart_id
            drawn += known
    assert drawn > 0


def test_posts_are_ranked_within_each_platform() -> None:
    """ERR of a Telegram post (views) and of a VK post (reach) are not comparable: each
    platform gets its own best and weakest, the platform with the most posts first."""
    from smmkpi.report.posts import by_platform

    def post(platform: str, err: float) -> Post:
        return Post("acc", platform, date(2026, 3, 1), f"{platform} {err}", None, 1, 100, err)

    ranked = [post("telegram", 30), post("telegram", 20), post("vk", 7), post("telegram", 10)]
    ranked += [post("vk", 5), post("vk", 3), post("vk", 1)]  # already in ERR order
    groups = by_platform(ranked, 1)
    assert [g.platform for g in groups] == ["vk", "telegram"]  # four VK posts, three Telegram
    assert [[p.err for p in g.best] for g in groups] == [[7], [30]]
    assert [[p.err for p in g.worst] for g in groups] == [[1], [10]]
