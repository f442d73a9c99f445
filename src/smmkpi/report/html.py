"""The report as one self-contained HTML file: Jinja2 with autoescaping on (every text from a
platform or a person is escaped), the stylesheet inline, charts as inline SVG, the logo as a
``data:`` URI, and a Content-Security-Policy that lets the page load nothing and run nothing.
The PDF is rendered from the same HTML."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from babel.dates import format_date
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from smmkpi import __version__
from smmkpi.formatting import format_day, format_days, format_value
from smmkpi.i18n import _, use_language
from smmkpi.planning.status import status_text
from smmkpi.report import charts
from smmkpi.report.model import FunnelStep, Report
from smmkpi.report.narrative import percent
from smmkpi.report.wording import period_name, period_words, short_label

PLATFORMS = {
    "vk": ("ВКонтакте", "VK"),
    "telegram": ("Telegram", "Telegram"),
    "instagram": ("Instagram", "Instagram"),
    "facebook": ("Facebook", "Facebook"),
    "youtube": ("YouTube", "YouTube"),
    "tiktok": ("TikTok", "TikTok"),
    "ok": ("Одноклассники", "OK"),
    "dzen": ("Дзен", "Dzen"),
    "x": ("X", "X"),
    "other": ("другое", "other"),
}


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("smmkpi.report", "templates"),
        autoescape=True,  # never off: post texts are hostile
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )


@cache
def stylesheet() -> str:
    return resources.files("smmkpi.report").joinpath("assets", "report.css").read_text("utf-8")


def draw_charts(report: Report) -> dict[str, str]:
    """Every chart of the report as SVG, drawn once for all the formats that show them."""
    drawn = {}
    for section in report.sections:
        for chart in section.charts:
            drawn[chart.chart_id] = charts.svg(chart, report.language)
    return drawn


def quality_kind(kind: str) -> str:
    return {
        "gap": _("gap"),
        "anomaly": _("unusual day"),
        "missing": _("no data"),
        "stopped": _("stopped"),
        "restated": _("restated"),
        "fresh": _("fresh data"),
        "renamed": _("renamed"),
    }[kind]


def render_html(report: Report, svgs: dict[str, str] | None = None) -> str:
    """The report's HTML document."""
    svgs = draw_charts(report) if svgs is None else svgs
    language = report.language
    pair = 0 if language == "ru" else 1

    def fmt(value: Any, unit: Any) -> str:
        return format_value(value, str(unit), language, report.currency)

    def funnel_width(value: Any, steps: Sequence[FunnelStep]) -> float:
        """The bar of a funnel step, on a logarithmic scale (sales next to reach would be
        invisible on a linear one): log(1 + value) / log(1 + the first step)."""
        top = max((float(s.value) for s in steps if s.value is not None), default=0.0)
        if value is None or top <= 0 or float(value) <= 0:
            return 0.0
        return round(max(math.log1p(float(value)) / math.log1p(top) * 100, 1.0), 1)

    with use_language(language):
        template = environment().get_template("report.html.j2")
        return template.render(
            r=report,
            version=__version__,
            css=Markup(stylesheet()),
            svgs={k: Markup(v) for k, v in svgs.items()},  # drawn by vl-convert, text escaped
            month_name=period_name(report.period, language),
            words=period_words(report.period),
            so_far_end=report.as_of - timedelta(days=1),
            month_short=short_label(report.period, language),
            previous_short=short_label(report.period.previous(), language),
            year_short=short_label(report.period.year_earlier(), language),
            _=_,
            fmt=fmt,
            pct=lambda v: "—" if v is None else percent(v, language),
            pct2=lambda v: "—" if v is None else format_value(v, "percent", language),
            signed=lambda v: percent(v, language, signed=True),
            status=status_text,
            day=lambda d: format_day(d, language),
            days=lambda first, last: format_days(first, last, language),
            badge=badge_text,
            tail_kept=tail_kept,
            short_day=lambda d: short_day(d, language),
            platform=lambda p: PLATFORMS.get(p, (p, p))[pair],
            quality_kind=quality_kind,
            funnel_width=funnel_width,
        )


KEPT_ROWS = 5


def tail_kept(rows: Sequence[Any]) -> list[Sequence[Any]]:
    """A long table's rows as two groups, the last ``KEPT_ROWS`` kept on one page: a table
    never ends with a row or two alone on the report's last page."""
    if len(rows) <= KEPT_ROWS:
        return [rows]
    return [rows[:-KEPT_ROWS], rows[-KEPT_ROWS:]]


def badge_text(status: str) -> str:
    """A status as a table's badge: short enough to keep the KPI's name on one line."""
    if status == "within_tolerance":
        return _("within tolerance")
    return status_text(status)


def short_day(day: date, language: str) -> str:
    return str(format_date(day, "d MMMM", locale=language))
