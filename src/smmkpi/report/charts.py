"""Charts: a report's :class:`~smmkpi.report.model.Chart` as a Vega-Altair specification, drawn
to SVG by vl-convert with the report's number locale. The SVG goes inline into the HTML and
the PDF; the XLSX draws the same chart natively (``xlsx.py``). Nothing is fetched: the data are
inline and vl-convert may load no URL."""

from __future__ import annotations

from typing import Any, Literal

import altair as alt
import vl_convert

from smmkpi.i18n import Language
from smmkpi.report.model import Chart

WIDTH, HEIGHT = 640, 220
FONT = "DejaVu Sans"
LOCALES: dict[Language, Literal["ru-RU", "en-US"]] = {"ru": "ru-RU", "en": "en-US"}
AXIS_FORMAT = {"count": ",.0f", "number": ",.1f", "percent": ",.1f", "money": ",.0f"}


def records(chart: Chart) -> list[dict[str, Any]]:
    """The chart's points, one per category and series; unknown values are left out (a gap in
    the line, no bar), never drawn as 0; on a logarithmic scale, neither is 0."""
    rows = []
    for order, series in enumerate(chart.series):
        for index, (category, value) in enumerate(
            zip(chart.categories, series.values, strict=True)
        ):
            if value is not None and not (chart.log_scale and value <= 0):
                rows.append(
                    {
                        "x": category,
                        "i": index,
                        "series": series.name,
                        "order": order,
                        "value": float(value),
                    }
                )
    return rows


def specification(chart: Chart) -> dict[str, Any]:
    """The Vega-Lite specification of ``chart``."""
    names = [s.name for s in chart.series]
    colour = alt.Color(
        "series:N",
        title=None,
        sort=names,
        scale=alt.Scale(domain=names, range=[s.colour for s in chart.series]),
        legend=alt.Legend(orient="bottom", labelLimit=300) if len(names) > 1 else None,
    )
    x = alt.X(
        "x:N",
        sort=chart.categories,
        title=None,
        axis=alt.Axis(labelAngle=0, labelOverlap="greedy", labelLimit=140),
    )
    y = alt.Y(
        "value:Q",
        title=chart.y_title or None,
        stack="zero" if chart.kind == "stacked" else None,
        # a line shows a level's movement (followers, rates): its axis fits the values; bars
        # start at zero, or their lengths would lie
        scale=alt.Scale(type="log")
        if chart.log_scale
        else alt.Scale(zero=False, nice=True)
        if chart.kind == "line"
        else alt.Undefined,
        axis=alt.Axis(format=AXIS_FORMAT[chart.unit], tickCount=5),
    )
    base = alt.Chart(alt.Data(values=records(chart)))  # type: ignore[no-untyped-call]
    height = HEIGHT
    if chart.kind == "hbar":  # categories with long names: one row each, read top to bottom
        category = alt.Y("x:N", sort=chart.categories, title=None, axis=alt.Axis(labelLimit=220))
        value = alt.X(
            "value:Q",
            title=chart.y_title or None,
            stack=None,  # side by side, never stacked (a log scale cannot stack at all)
            scale=alt.Scale(type="log") if chart.log_scale else alt.Undefined,
            axis=alt.Axis(format=AXIS_FORMAT[chart.unit], tickCount=5),
        )
        offset = {"yOffset": alt.YOffset("series:N", sort=names)} if len(names) > 1 else {}
        marks = base.mark_bar().encode(y=category, x=value, color=colour, **offset)
        height = max(60, 22 * len(chart.categories) * max(1, len(names)))
    elif chart.kind == "line":
        marks = base.mark_line(point=True, strokeWidth=2.5).encode(x=x, y=y, color=colour)
    else:
        marks = base.mark_bar().encode(
            x=x,
            y=y,
            color=colour,
            order=alt.Order("order:Q"),
            **({"xOffset": alt.XOffset("series:N", sort=names)} if chart.kind == "bar" else {}),
        )
    spec: dict[str, Any] = (
        marks.properties(width=WIDTH - 160 if chart.kind == "hbar" else WIDTH, height=height)
        .configure(font=FONT, background="white")
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=11, titleFontSize=11, gridColor="#e6e8eb")
        .configure_legend(labelFontSize=11, symbolType="square")
        .to_dict()
    )
    return spec


def svg(chart: Chart, language: Language) -> str:
    """``chart`` as an SVG document (numbers on the axes in ``language``'s format)."""
    drawn: str = vl_convert.vegalite_to_svg(
        specification(chart),
        format_locale=LOCALES[language],
        time_format_locale=LOCALES[language],
        allowed_base_urls=[],
    )
    return drawn
