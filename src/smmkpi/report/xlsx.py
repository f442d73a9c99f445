"""The report as an Excel workbook (XlsxWriter): a scorecard sheet, a sheet per goal with its
data and native Excel charts, a data-quality sheet and a methodology sheet.

Numbers are stored as numbers with number formats; percent KPIs as Excel percentages (3.2 %
is stored as 0.032 with a ``0.00%`` format). Every text is written as a text cell — never a
formula, a number or a link by guesswork — and text that Excel would read as a formula if
someone edited the cell (``=``, ``+``, ``-``, ``@``, tab, carriage return) carries Excel's
quote prefix. Texts longer than a cell holds are cut with a visible marker.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from babel.numbers import get_currency_symbol
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from smmkpi.formatting import format_day
from smmkpi.i18n import _, use_language
from smmkpi.planning.status import status_text
from smmkpi.report.html import PLATFORMS, quality_kind
from smmkpi.report.model import Chart, GoalSection, Post, Report, ScoreRow
from smmkpi.report.wording import period_name, period_words

MAX_CELL = 32_767
TRUNCATED = "…[truncated]"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "{")
MAX_URL = 2_079
EXCERPT_LINE = 42  # characters of a post's excerpt on one line of the first column
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def cell_text(value: str) -> str:
    """``value`` as a cell holds it: cut at 32,767 characters with a visible marker."""
    if len(value) <= MAX_CELL:
        return value
    return value[: MAX_CELL - len(TRUNCATED)] + TRUNCATED


def sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique worksheet name (31 characters, none of ``[]:*?/\\``)."""
    base = _SHEET_BAD.sub(" ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


class Styles:
    """The workbook's cell formats, made once."""

    def __init__(self, book: Workbook, report: Report) -> None:
        self.words = period_words(report.period)  # the period's words, for every sheet
        primary = report.branding.primary
        symbol = get_currency_symbol(report.currency, locale=report.language)
        money = f'#,##0.00\\ "{symbol}"' if report.language == "ru" else f'"{symbol}"#,##0.00'
        self.title = book.add_format({"bold": True, "font_size": 16, "font_color": primary})
        self.subtitle = book.add_format({"font_size": 11, "font_color": "#5f6b7a"})
        self.heading = book.add_format(
            {
                "bold": True,
                "font_size": 12,
                "font_color": primary,
                "bottom": 2,
                "bottom_color": primary,
            }
        )
        self.header = book.add_format(
            {"bold": True, "bg_color": "#eef1f5", "bottom": 1, "text_wrap": True, "valign": "top"}
        )
        self.text = book.add_format({"text_wrap": True, "valign": "top"})
        self.quoted = book.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})
        self.bold = book.add_format({"bold": True, "valign": "top", "text_wrap": True})
        # a line of prose runs on across the empty cells to its right instead of wrapping
        self.prose = book.add_format({"valign": "top"})
        self.prose_quoted = book.add_format({"valign": "top", "quote_prefix": True})
        self.prose_bold = book.add_format({"bold": True, "valign": "top"})
        self.units = {
            "count": book.add_format({"num_format": "#,##0", "valign": "top"}),
            "number": book.add_format({"num_format": "#,##0.0", "valign": "top"}),
            "percent": book.add_format({"num_format": "0.00%", "valign": "top"}),
            "money": book.add_format({"num_format": money, "valign": "top"}),
        }
        self.share = book.add_format({"num_format": "0.0%", "valign": "top"})
        self.change = book.add_format({"num_format": "+0.0%;-0.0%;0.0%", "valign": "top"})
        day = "dd.mm.yyyy" if report.language == "ru" else "d mmm yyyy"
        self.day = book.add_format({"num_format": day, "valign": "top"})
        colours = {
            "achieved": "#2e7d4f",
            "within_tolerance": "#2e7d4f",
            "on_track": "#2e7d4f",
            "at_risk": "#b7791f",
        }
        colours |= {"off_track": "#c0392b", "no_data": "#9aa5b1", "no_target": "#9aa5b1"}
        self.status = {
            key: book.add_format({"font_color": "#ffffff", "bg_color": colour, "align": "center"})
            for key, colour in colours.items()
        }


class Sheet:
    """A worksheet written top to bottom, every cell through a typed write."""

    def __init__(self, book: Workbook, name: str, styles: Styles) -> None:
        self.ws: Worksheet = book.add_worksheet(name)
        self.ws.set_paper(9)  # A4, landscape, as wide as one page when printed
        self.ws.set_landscape()
        self.ws.fit_to_pages(1, 0)
        self.name = name
        self.styles = styles
        self.row = 0

    def text(self, row: int, col: int, value: str | None, style: Format | None = None) -> None:
        if value is None or value == "":
            self.ws.write_blank(row, col, None, style or self.styles.text)
            return
        value = cell_text(value)
        if value.startswith(FORMULA_START):
            if style in (None, self.styles.text):
                style = self.styles.quoted
            elif style is self.styles.prose:
                style = self.styles.prose_quoted
        self.ws.write_string(row, col, value, style or self.styles.text)

    def number(self, row: int, col: int, value: Any, style: Format) -> None:
        if value is None:
            self.ws.write_blank(row, col, None, style)
        else:
            self.ws.write_number(row, col, float(value), style)

    def link(self, row: int, col: int, url: str | None) -> None:
        """An http(s) link (already checked by ``posts.safe_link``) as a hyperlink; anything
        too long for one as text."""
        if url and len(url) <= MAX_URL:
            self.ws.write_url(row, col, url, string=url)
        else:
            self.text(row, col, url)

    def table_columns(self) -> None:
        """Widths for the KPI tables: label, id, role, then numbers."""
        self.ws.set_column(0, 0, 36)
        self.ws.set_column(1, 1, 22)
        self.ws.set_column(2, 2, 16)
        self.ws.set_column(3, 12, 15)

    def headers(self, names: Sequence[str]) -> None:
        """A row of column headings, tall enough for two lines."""
        for col, name in enumerate(names):
            self.text(self.row, col, name, self.styles.header)
        self.ws.set_row(self.row, 30)
        self.row += 1

    def line(self, value: str, style: Format | None = None) -> None:
        """A line of prose in the first column (a paragraph: one line per paragraph)."""
        for paragraph in value.split("\n") or [""]:
            self.text(self.row, 0, paragraph, style or self.styles.prose)
            self.row += 1

    def skip(self, rows: int = 1) -> None:
        self.row += rows


def kpi_value(row: ScoreRow, value: Any) -> float | None:
    """A KPI value as the workbook stores it: percent KPIs as fractions."""
    if value is None:
        return None
    return float(value) / 100 if row.kpi.unit.value == "percent" else float(value)


def fraction(value: float | None) -> float | None:
    return None if value is None else value / 100


def write_scorecard(sheet: Sheet, rows: Sequence[ScoreRow], with_status: bool = True) -> None:
    styles = sheet.styles
    headers = [_("KPI"), "id", _("role"), _("target"), _("fact")]
    if with_status:
        headers += [_("attainment"), _("status")]
    headers += [
        styles.words.previous,
        styles.words.vs_previous,
        _("a year earlier"),
        _("vs a year earlier"),
    ]
    sheet.headers(headers)
    roles = {"main": _("main"), "secondary": _("secondary"), "added": _("added")}
    for item in rows:
        unit = styles.units[item.kpi.unit.value]
        r = sheet.row
        sheet.text(r, 0, item.kpi.label(), styles.bold if item.role == "main" else styles.text)
        sheet.text(r, 1, item.kpi.id)
        sheet.text(r, 2, roles.get(item.role, ""))
        sheet.number(r, 3, kpi_value(item, item.target), unit)
        sheet.number(r, 4, kpi_value(item, item.fact), unit)
        col = 5
        if with_status:
            sheet.number(r, 5, fraction(item.attainment), styles.share)
            shown = item.shown_status
            sheet.text(r, 6, status_text(shown), styles.status[shown])
            col = 7
        sheet.number(r, col, kpi_value(item, item.previous), unit)
        sheet.number(r, col + 1, fraction(item.change_previous), styles.change)
        sheet.number(r, col + 2, kpi_value(item, item.year_ago), unit)
        sheet.number(r, col + 3, fraction(item.change_year), styles.change)
        sheet.row += 1


def write_chart(book: Workbook, sheet: Sheet, chart: Chart, data_col: int) -> None:
    """The chart's data as a table from column ``data_col``, and a native Excel chart of it
    placed beside the KPI tables."""
    styles = sheet.styles
    top = sheet.row
    sheet.text(top, data_col, chart.title, styles.prose_bold)
    sheet.text(top + 1, data_col, "", styles.header)
    for i, series in enumerate(chart.series):
        sheet.text(top + 1, data_col + 1 + i, series.name, styles.header)
    percent = chart.unit == "percent"
    unit = styles.units[chart.unit]
    for j, category in enumerate(chart.categories):
        sheet.text(top + 2 + j, data_col, category)
        for i, series in enumerate(chart.series):
            value = series.values[j]
            if value is not None and percent:
                value = float(value) / 100
            if value is not None and chart.log_scale and float(value) <= 0:
                value = None
            sheet.number(top + 2 + j, data_col + 1 + i, value, unit)
    first, last = top + 2, top + 1 + len(chart.categories)
    kinds = {
        "line": {"type": "line"},
        "bar": {"type": "column"},
        "stacked": {"type": "column", "subtype": "stacked"},
        "hbar": {"type": "bar"},
    }
    excel = book.add_chart(kinds[chart.kind])
    assert excel is not None
    for i, series in enumerate(chart.series):
        col = data_col + 1 + i
        options: dict[str, Any] = {
            "name": [sheet.name, top + 1, col],
            "categories": [sheet.name, first, data_col, last, data_col],
            "values": [sheet.name, first, col, last, col],
            "fill": {"color": series.colour},
            "border": {"color": series.colour},
        }
        if chart.kind == "line":
            options = {
                **options,
                "line": {"color": series.colour, "width": 2.25},
                "marker": {"type": "circle", "size": 5, "fill": {"color": series.colour}},
            }
            options.pop("fill")
            options.pop("border")
        excel.add_series(options)
    excel.set_title({"name": chart.title, "name_font": {"size": 11, "bold": True}})
    excel.set_legend({"position": "bottom"} if len(chart.series) > 1 else {"none": True})
    y_axis: dict[str, Any] = {
        "num_format": {"count": "#,##0", "number": "#,##0.0", "percent": "0.0%"}.get(
            chart.unit, "#,##0"
        ),
        "major_gridlines": {"visible": True, "line": {"color": "#e6e8eb"}},
    }
    if chart.log_scale:
        y_axis["log_base"] = 10
    if chart.kind != "hbar":
        excel.set_y_axis(y_axis)
    if chart.kind == "hbar":  # Excel's bar chart: the category axis is the vertical one
        excel.set_x_axis(y_axis)
        excel.set_y_axis({"reverse": True, "num_font": {"size": 8}})
    else:
        excel.set_x_axis({"num_font": {"size": 8}})
    excel.set_size({"width": 640, "height": 300})
    excel.set_chartarea({"border": {"none": True}})
    sheet.ws.insert_chart(top, data_col + len(chart.series) + 2, excel)
    sheet.row = max(last + 2, top + 17)


def write_posts(sheet: Sheet, title: str, posts: Sequence[Post], language: str) -> None:
    styles = sheet.styles
    sheet.line(title, styles.prose_bold)
    headers = [_("post"), _("date"), _("platform"), _("account")]
    headers += [_("reach"), _("interactions"), "ERR", _("link")]
    sheet.headers(headers)
    pair = 0 if language == "ru" else 1
    for post in posts:
        r = sheet.row
        sheet.text(r, 0, post.excerpt)  # the wide first column, wrapped
        sheet.ws.set_row(r, 15 * max(1, math.ceil(len(post.excerpt) / EXCERPT_LINE)))
        sheet.ws.write_datetime(r, 1, _as_datetime(post.published), styles.day)
        sheet.text(r, 2, PLATFORMS.get(post.platform, (post.platform, post.platform))[pair])
        sheet.text(r, 3, post.account)
        sheet.number(r, 4, post.reach, styles.units["count"])
        sheet.number(r, 5, post.interactions, styles.units["count"])
        sheet.number(r, 6, post.err / 100, styles.units["percent"])
        sheet.link(r, 7, post.url)
        sheet.row += 1
    sheet.skip()


def _as_datetime(day: date) -> Any:
    from datetime import datetime

    return datetime(day.year, day.month, day.day)


def write_section(book: Workbook, sheet: Sheet, section: GoalSection, language: str) -> None:
    styles = sheet.styles
    sheet.line(section.title, styles.heading)
    sheet.line(section.intro)
    sheet.skip()
    if section.rows:
        write_scorecard(sheet, section.rows, with_status=True)
        sheet.skip()
    if section.funnel:
        sheet.line(_("The funnel"), styles.prose_bold)
        sheet.headers([_("step"), sheet.styles.words.this_period, _("conversion"), _("of what")])
        for step in section.funnel:
            sheet.text(sheet.row, 0, step.label)
            sheet.number(sheet.row, 1, step.value, styles.units["count"])
            sheet.number(sheet.row, 2, fraction(step.conversion), styles.units["percent"])
            sheet.text(sheet.row, 3, step.base)
            sheet.row += 1
        sheet.skip()
    if section.findings:
        sheet.line(_("What stands out in the content"), styles.prose_bold)
        for finding in section.findings:
            sheet.line(finding)
        sheet.skip()
    pair = 0 if language == "ru" else 1
    for group in section.posts:
        name = PLATFORMS.get(group.platform, (group.platform, group.platform))[pair]
        for title, posts in (
            (_("{platform}: best posts by ERR"), group.best),
            (_("{platform}: weakest posts by ERR"), group.worst),
        ):
            if posts:
                write_posts(sheet, title.format(platform=name), posts, language)
    for note in section.notes:
        sheet.line(note)
    sheet.skip()
    for chart in section.charts:
        write_chart(book, sheet, chart, 0)


def render_xlsx(report: Report) -> bytes:
    """The report's workbook."""
    buffer = io.BytesIO()
    with use_language(report.language):
        book = Workbook(
            buffer,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "default_date_format": "yyyy-mm-dd",
            },
        )
        month = period_name(report.period, report.language)
        book.set_properties(
            {
                "title": f"{report.client.name} — {month}",
                "author": report.branding.specialist or report.branding.agency,
                "company": report.branding.agency,
                "created": _as_datetime(report.prepared),
            }
        )
        styles = Styles(book, report)
        used: set[str] = set()
        parts = report.parts
        if "summary" in parts or not any(p in parts for p in ("goals", "quality", "methodology")):
            # a workbook needs a sheet: the summary when nothing else is chosen
            summary = sheet_name(styles.words.summary, used)
            _write_summary(book, Sheet(book, summary, styles), report)
        for section in report.sections if "goals" in parts else []:
            sheet = Sheet(book, sheet_name(section.title, used), styles)
            sheet.table_columns()
            write_section(book, sheet, section, report.language)
        if "competitors" in parts and report.competitors:
            sheet = Sheet(book, sheet_name(_("Against the competitors"), used), styles)
            _write_competitors(sheet, report)
        if "quality" in parts:
            _write_quality(Sheet(book, sheet_name(_("Data quality"), used), styles), report)
        if "methodology" in parts:
            _write_methodology(Sheet(book, sheet_name(_("Methodology"), used), styles), report)
        book.close()
    return buffer.getvalue()


def _write_summary(book: Workbook, sheet: Sheet, report: Report) -> None:
    styles = sheet.styles
    language = report.language
    sheet.table_columns()
    sheet.line(report.client.name, styles.title)
    sheet.line(
        styles.words.title + " — " + period_name(report.period, language),
        styles.subtitle,
    )
    sheet.line(report.branding.agency, styles.subtitle)
    sheet.skip()
    sheet.line(report.goal_sentence, styles.prose_bold)
    if report.real_goal:
        sheet.line(report.real_goal)
    if report.plan_id:
        sheet.line(_("Plan: {plan}.").format(plan=report.plan_id))
    if not report.complete:
        sheet.line(
            styles.words.not_over.format(
                first=format_day(report.period.start, language),
                last=format_day(report.as_of - timedelta(days=1), language),
            ),
            styles.prose_bold,
        )
    sheet.skip()
    write_scorecard(sheet, report.scorecard)
    sheet.skip()
    sheet.line(_("What happened"), styles.heading)
    for sentence in report.narrative:
        sheet.line(sentence)
    if not report.commentary.empty:
        sheet.skip()
        if report.commentary.conclusions:
            sheet.line(_("Conclusions"), styles.heading)
            sheet.line(report.commentary.conclusions)
        if report.commentary.next_month:
            sheet.line(_("Next month"), styles.heading)
            sheet.line(report.commentary.next_month)
    sheet.skip()
    sheet.line(report.prepared_line, styles.subtitle)
    sheet.ws.freeze_panes(0, 1)


def _write_competitors(sheet: Sheet, report: Report) -> None:
    styles = sheet.styles
    sheet.ws.set_column(0, 0, 34)
    sheet.ws.set_column(1, 6, 16)
    sheet.line(_("Against the competitors"), styles.heading)
    sheet.headers([_("account"), _("platform"), _("followers"), _("growth"), _("posts a week"),
                   _("interactions a post"), _("ER by followers")])  # fmt: skip
    for row in report.competitors:
        sheet.text(sheet.row, 0, row.name, styles.bold if row.is_client else None)
        sheet.text(sheet.row, 1, row.platform)
        sheet.number(sheet.row, 2, row.followers_end, styles.units["count"])
        sheet.number(sheet.row, 3, row.followers_growth, styles.units["count"])
        sheet.number(sheet.row, 4, row.posts_per_week, styles.units["number"])
        sheet.number(sheet.row, 5, row.interactions_per_post, styles.units["number"])
        sheet.number(sheet.row, 6, fraction(row.er_by_followers), styles.units["percent"])
        sheet.row += 1


def _write_quality(sheet: Sheet, report: Report) -> None:
    styles = sheet.styles
    sheet.ws.set_column(0, 0, 16)
    sheet.ws.set_column(1, 1, 110)
    sheet.line(_("Data quality"), styles.heading)
    if not report.quality:
        sheet.line(styles.words.no_notes)
    for note in report.quality:
        sheet.text(sheet.row, 0, quality_kind(note.kind))
        sheet.text(sheet.row, 1, note.text)
        sheet.row += 1


def _write_methodology(sheet: Sheet, report: Report) -> None:
    styles = sheet.styles
    sheet.ws.set_column(0, 0, 30)
    sheet.ws.set_column(1, 1, 22)
    sheet.ws.set_column(2, 3, 60)
    sheet.ws.set_column(4, 4, 40)
    sheet.line(_("Methodology"), styles.heading)
    if report.edition == "client":  # what each KPI means and how it is counted, in plain words
        sheet.headers([_("KPI"), _("what it means"), _("how it is counted")])
        for item in report.methodology:
            sheet.text(sheet.row, 0, item.kpi.label(), styles.bold)
            sheet.text(sheet.row, 1, item.kpi.description())
            sheet.text(sheet.row, 2, item.formula)
            sheet.row += 1
        return  # the import files are the specialist's business
    sheet.headers([_("KPI"), "id", _("formula"), _("inputs"), _("caveat")])
    for item in report.methodology:
        sheet.text(sheet.row, 0, item.kpi.label(), styles.bold)
        sheet.text(sheet.row, 1, item.kpi.id)
        sheet.text(sheet.row, 2, item.formula)
        sheet.text(sheet.row, 3, "\n".join(item.inputs))
        sheet.text(sheet.row, 4, item.caveat)
        sheet.row += 1
    sheet.skip()
    sheet.line(_("Data sources"), styles.heading)
    sheet.headers([_("format"), _("file"), _("imported"), styles.words.rows_of])
    for source in report.sources:
        sheet.text(sheet.row, 0, source.source)
        sheet.text(sheet.row, 1, source.file_name)
        sheet.ws.write_datetime(
            sheet.row, 2, source.imported_at.replace(tzinfo=None, microsecond=0), styles.day
        )
        sheet.number(sheet.row, 3, source.rows, styles.units["count"])
        sheet.row += 1
