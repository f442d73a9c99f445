"""The summary's narrative: a few sentences generated from templates (the same data always
gives the same words, in Russian or English) on what went well and what did not."""

from __future__ import annotations

from collections.abc import Sequence

from smmkpi.formatting import format_number, format_value
from smmkpi.i18n import N_, Language, _
from smmkpi.metrics.periods import Period
from smmkpi.report.model import QualityNote, ScoreRow
from smmkpi.report.wording import period_name

NOTABLE_CHANGE = 10.0  # percent; smaller month-to-month moves are not worth a sentence


def percent(value: float, language: Language, signed: bool = False) -> str:
    """``12,5 %`` / ``12.5%``; with ``signed``, ``+12,5 %`` and ``−3 %``."""
    text = format_number(abs(value), 1 if abs(value) < 10 else 0, language)
    text += "\u00a0%" if language == "ru" else "%"
    if signed and value:
        text = ("+" if value > 0 else "−") + text
    return text


def _value(row: ScoreRow, value: object, language: Language, currency: str) -> str:
    return format_value(value, row.kpi.unit.value, language, currency)  # type: ignore[arg-type]


def narrative(
    rows: Sequence[ScoreRow],
    period: Period,
    complete: bool,
    has_plan: bool,
    quality: Sequence[QualityNote],
    language: Language,
    currency: str,
    for_client: bool = False,
) -> list[str]:
    """The sentences, in order: the plan overall, the best and the worst KPI against the plan,
    the biggest moves against the previous period and the year before, unusual days, and the
    KPIs without data."""
    sentences: list[str] = []
    monthly = period.is_month
    planned = [r for r in rows if r.target is not None and r.attainment is not None]
    if not has_plan:
        text = (
            _("No targets were set for {month}: the scorecard shows the facts.")
            if for_client
            else _(
                "No plan covers {month}: the scorecard shows the facts without targets. Create one "
                "with `smmkpi plan create`."
            )
        )
        sentences.append(text.format(month=period_name(period, language)))
    elif planned:
        achieved = sum(r.status in {"achieved", "within_tolerance", "on_track"} for r in rows)
        with_target = sum(r.target is not None for r in rows)
        template = (
            _(
                "KPIs of the plan that reached their target or came within the tolerance: "
                "{achieved} of {total}."
            )
            if complete
            else _("The month is not over; KPIs of the plan on track: {achieved} of {total}.")
            if monthly
            else _("The period is not over; KPIs of the plan on track: {achieved} of {total}.")
        )
        sentences.append(template.format(achieved=achieved, total=with_target))
        # the main KPIs speak for the goal: best and worst are chosen among them when they can
        ranked = [r for r in planned if r.role == "main"] or planned
        best = max(ranked, key=lambda r: r.attainment or 0.0)
        sentences.append(_against_plan(BEST, best, language, currency))
        worst = min(ranked, key=lambda r: r.attainment or 0.0)
        if worst is not best and (worst.attainment or 0.0) < 100:
            sentences.append(_against_plan(WORST, worst, language, currency))
    sentences += _moves(rows, period.previous(), language, currency)
    year_rows = [r for r in rows if r.role == "main" and r.change_year is not None]
    if year_rows:
        year_ago = period.year_earlier()
        parts = [
            _("{kpi} {change}").format(
                kpi=r.kpi.label(), change=percent(r.change_year or 0.0, language, signed=True)
            )
            for r in year_rows[:3]
        ]
        template = (
            _("Against {month}: {changes}.")
            if monthly
            else _("Against the same days a year earlier ({period}): {changes}.")
        )
        name = period_name(year_ago, language)
        sentences.append(template.format(month=name, period=name, changes="; ".join(parts)))
    unusual = [n.text.rstrip(".") for n in quality if n.kind == "anomaly"]
    if unusual:
        sentences.append(_("Unusual days: {days}.").format(days="; ".join(unusual[:3])))
    missing = [r.kpi.label() for r in rows if r.role == "main" and r.fact is None]
    if missing:
        sentences.append(
            _("No data for {kpis}: see the data quality page.").format(kpis=", ".join(missing))
        )
    return sentences


IMPROVED = N_("{kpi} improved on {month}: {before} → {after} ({change}).")
WORSENED = N_("{kpi} worsened on {month}: {before} → {after} ({change}).")
IMPROVED_ON_PERIOD = N_(
    "{kpi} improved on the previous period ({month}): {before} → {after} ({change})."
)
WORSENED_ON_PERIOD = N_(
    "{kpi} worsened on the previous period ({month}): {before} → {after} ({change})."
)
BEST = N_("Best against the plan: {kpi}, {attainment} of the target ({fact} against {target}).")
WORST = N_("Furthest from the plan: {kpi}, {attainment} of the target ({fact} against {target}).")


def _against_plan(template: str, row: ScoreRow, language: Language, currency: str) -> str:
    return _(template).format(
        kpi=row.kpi.label(),
        attainment=percent(row.attainment or 0.0, language),
        fact=_value(row, row.fact, language, currency),
        target=_value(row, row.target, language, currency),
    )


def _moves(
    rows: Sequence[ScoreRow], previous: Period, language: Language, currency: str
) -> list[str]:
    """The main KPIs that improved and worsened most against the previous period."""
    moved = [
        r
        for r in rows
        if r.role == "main"
        and r.change_previous is not None
        and abs(r.change_previous) >= NOTABLE_CHANGE
    ]
    better = [r for r in moved if r.improved(r.change_previous)]
    worse = [r for r in moved if r.improved(r.change_previous) is False]
    sentences = []
    name = period_name(previous, language)
    templates = (
        (IMPROVED, WORSENED) if previous.is_month else (IMPROVED_ON_PERIOD, WORSENED_ON_PERIOD)
    )
    for found, template in zip((better, worse), templates, strict=True):
        if found:
            row = max(found, key=lambda r: abs(r.change_previous or 0.0))
            sentences.append(
                _(template).format(
                    kpi=row.kpi.label(),
                    month=name,
                    before=_value(row, row.previous, language, currency),
                    after=_value(row, row.fact, language, currency),
                    change=percent(row.change_previous or 0.0, language, signed=True),
                )
            )
    return sentences
