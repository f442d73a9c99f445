"""The words a report uses for its period: "this month" in a monthly report, "this period" in a
quarter's, a year's or any range's — one place for the HTML, PDF and XLSX alike."""

from __future__ import annotations

from dataclasses import dataclass

from babel.dates import format_date

from smmkpi.formatting import format_period
from smmkpi.i18n import Language, _
from smmkpi.metrics.periods import Period

DAILY_CHART_MAX_DAYS = 62
"""Longer periods show months, not days: 365 bars say nothing."""


def period_name(period: Period, language: Language) -> str:
    """``март 2026``, ``3-й квартал 2026``, ``10—20 мар. 2026 г.`` …"""
    return format_period(period.start, period.end, period.kind, language)


def short_label(period: Period, language: Language) -> str:
    """A column heading or chart axis label: ``мар. 2026`` / ``Mar 2026`` for a month, else the
    period's name."""
    if period.kind == "month":
        return str(format_date(period.start, "LLL y", locale=language))
    return period_name(period, language)


@dataclass(frozen=True)
class PeriodWords:
    """Headings and sentences that name the report's period (in the current language)."""

    title: str
    summary: str
    this_period: str
    vs_previous: str
    previous: str
    changes_note: str
    no_notes: str
    rows_of: str
    nothing_imported: str
    not_over: str  # with {first} and {last}


def period_words(period: Period) -> PeriodWords:
    if period.is_month:
        return PeriodWords(
            title=_("Monthly SMM report"),
            summary=_("Summary"),
            this_period=_("this month"),
            vs_previous=_("vs previous month"),
            previous=_("previous month"),
            changes_note=_(
                "★ main KPI of the goal. Attainment is fact ÷ target (target ÷ fact where lower "
                "is better). Changes are against the previous month and the same month a year "
                "earlier; green is better, red is worse."
            ),
            no_notes=_("No gaps, unusual days or missing KPIs this month."),
            rows_of=_("rows of the month"),
            nothing_imported=_("No data of this month has been imported."),
            not_over=_(
                "The month is not over: the facts are for {first} to {last}; totals are compared "
                "with whole months."
            ),
        )
    return PeriodWords(
        title=_("SMM report"),
        summary=_("Summary of the period"),
        this_period=_("this period"),
        vs_previous=_("vs previous period"),
        previous=_("previous period"),
        changes_note=_(
            "★ main KPI of the goal. Attainment is fact ÷ target (target ÷ fact where lower is "
            "better); a target over several months adds the months' targets for totals and "
            "averages them, weighted by days, for rates. Changes are against the previous "
            "period of the same length and the same days a year earlier; green is better, red "
            "is worse."
        ),
        no_notes=_("No gaps, unusual days or missing KPIs in this period."),
        rows_of=_("rows of the period"),
        nothing_imported=_("No data of this period has been imported."),
        not_over=_(
            "The period is not over: the facts are for {first} to {last}; totals are compared "
            "with whole periods."
        ),
    )
