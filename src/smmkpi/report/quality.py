"""The report's data-quality page: what the reader should know before trusting a number.

- **gaps**: days of the month an account has no daily statistics for;
- **anomalies**: unusual days of the daily series (history analysis), named when they look like
  a giveaway or a bot wave;
- **missing**: KPIs of the report without a value, and why — the data was never imported (and
  what to import), or it stopped this month after earlier months had it (an export not
  imported yet, or a metric the platform stopped providing);
- **restated**: imports that replaced earlier figures of the month's days;
- **fresh**: the last two days of a month closed less than three days ago may still change;
- **renamed**: Instagram's impressions are views from 21 April 2025.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from smmkpi.formatting import format_count, format_day, format_days, sentence
from smmkpi.i18n import Language, _
from smmkpi.metrics.inputs import INPUTS_BY_ID
from smmkpi.metrics.periods import Period
from smmkpi.metrics.scope import ClientInfo
from smmkpi.planning.history import DayAnomaly, coverage_and_gaps, events, kind_text
from smmkpi.planning.kpisets import IMPORT_HINTS
from smmkpi.report.model import QualityNote, ScoreRow
from smmkpi.report.wording import period_name
from smmkpi.store.import_log import ImportBehind

FRESH_DAYS = 3  # platforms restate the last 48 hours
INSTAGRAM_VIEWS_FROM = date(2025, 4, 21)


def series_name(series: str) -> str:
    names = {
        "followers_gained": _("new followers"),
        "followers_lost": _("unfollows"),
        "followers_change": _("follower count change"),
        "reach": _("reach"),
        "impressions": _("impressions"),
        "post_reach": _("post reach"),
        "posts": _("posts"),
        "interactions": _("interactions"),
        "mentions": _("mentions"),
        "leads": _("leads"),
        "site_sessions": _("site sessions"),
        "link_clicks": _("link clicks"),
        "profile_visits": _("profile visits"),
        "contact_clicks": _("contact clicks"),
        "location_clicks": _("location clicks"),
    }
    return names.get(series, series)


def gap_notes(
    client: ClientInfo, account_days: dict[str, set[date]], period: Period, language: Language
) -> list[QualityNote]:
    notes = []
    names = {a.account_id: a.name or a.account_id for a in client.accounts}
    _coverage, gaps = coverage_and_gaps(account_days, list(names), [period])
    for account, first, last in gaps:
        notes.append(
            QualityNote(
                "gap",
                _(
                    "{account}: no daily statistics for {days} — the days are left out, not "
                    "counted as zero."
                ).format(account=names[account], days=format_days(first, last, language)),
            )
        )
    for account, name in names.items():
        days = {d for d in account_days.get(account, set()) if period.start <= d <= period.end}
        if not days:
            text = (
                _(
                    "{account}: no daily statistics this month (import them to count its "
                    "followers, reach and clicks)."
                )
                if period.is_month
                else _(
                    "{account}: no daily statistics in this period (import them to count its "
                    "followers, reach and clicks)."
                )
            )
            notes.append(QualityNote("gap", text.format(account=name)))
            continue
        first, last = min(days), max(days)
        if first > period.start:
            notes.append(
                QualityNote(
                    "gap",
                    sentence(
                        _("{account}: daily statistics start on {day}").format(
                            account=name, day=format_day(first, language)
                        )
                    ),
                )
            )
        if last < period.end:
            notes.append(
                QualityNote(
                    "gap",
                    sentence(
                        _("{account}: daily statistics end on {day}").format(
                            account=name, day=format_day(last, language)
                        )
                    ),
                )
            )
    return notes


def anomaly_notes(
    anomalies: Sequence[DayAnomaly], period: Period, language: Language
) -> list[QualityNote]:
    inside = [a for a in anomalies if period.start <= a.day <= period.end]
    notes = []
    for first, last, kind in events(inside):
        series = sorted({a.series for a in inside if first <= a.day <= last and a.kind == kind})
        notes.append(
            QualityNote(
                "anomaly",
                _("{days}: {what} ({series}).").format(
                    days=format_days(first, last, language),
                    what=kind_text(kind),
                    series=", ".join(series_name(s) for s in series),
                ),
            )
        )
    return notes


def missing_notes(
    rows: Sequence[ScoreRow],
    history: dict[str, list[object]],
    months: Sequence[Period],
    tables: set[str],
    language: Language,
    for_client: bool = False,
    monthly: bool = True,
) -> list[QualityNote]:
    """Why a KPI of the report has no value: the month's imports hold its tables but not its
    figures (the platform or the export does not give them); it stopped (earlier months had
    one); or its source was never imported (and what to import — for a client, only that the
    source is not connected). ``tables``: the tables with rows of the client in the month;
    ``monthly``: whether the report is a month's (else its period is a quarter, a range …)."""
    notes = []
    for row in rows:
        if row.fact is not None:
            continue
        needed = dict.fromkeys(INPUTS_BY_ID[i].table for i in row.kpi.inputs)
        if all(table in tables for table in needed):
            text = (
                _("{kpi}: no data — the platform does not provide it for this account.")
                if for_client
                else _(
                    "{kpi}: no data — the month's imported statistics do not include it (the "
                    "platform does not provide it, or the export left it out)."
                )
            )
            notes.append(QualityNote("missing", text.format(kpi=row.kpi.label())))
            continue
        values = history.get(row.kpi.id, [])
        known = [m for m, v in zip(months, values, strict=False) if v is not None]
        if known:
            if not monthly:
                text = _("{kpi}: no data in this period, though {last} had it.")
            elif for_client:
                text = _("{kpi}: no data this month, though {last} had it.")
            else:
                text = _(
                    "{kpi}: no data this month, though {last} had it — the month's export is "
                    "not imported yet, or the platform stopped providing the metric."
                )
            last = period_name(known[-1], language)
            notes.append(QualityNote("stopped", text.format(kpi=row.kpi.label(), last=last)))
            continue
        hints = "; ".join(
            IMPORT_HINTS[t]() for t in needed if t in IMPORT_HINTS and t not in tables
        )
        text = (
            _("{kpi}: no data — its source is not connected yet.").format(kpi=row.kpi.label())
            if for_client
            else _("{kpi}: no data — the source was never imported. Import {what}.").format(
                kpi=row.kpi.label(), what=hints
            )
        )
        notes.append(
            QualityNote(
                "missing",
                text,
            )
        )
    return notes


def restated_notes(imports: Sequence[ImportBehind], language: Language) -> list[QualityNote]:
    """One note per import day: the files that replaced figures imported before them."""
    by_day: dict[date | None, dict[int, tuple[str, int]]] = {}
    for item in imports:  # an import shows once per table; its count is the import's
        if item.rows_replaced <= 0:
            continue
        day = item.finished_at.date() if item.finished_at else None
        files = by_day.setdefault(day, {})
        files[item.import_id] = (item.file_name or item.format, item.rows_replaced)
    notes = []
    for day, files in by_day.items():
        notes.append(
            QualityNote(
                "restated",
                _(
                    "{files} (imported {day}) replaced {rows} figures imported before: numbers of "
                    "the days they cover may differ from an earlier report."
                ).format(
                    files=", ".join(dict.fromkeys(name for name, _rows in files.values())),
                    day=format_day(day, language) if day else "?",
                    rows=format_count(sum(rows for _name, rows in files.values()), language),
                ),
            )
        )
    return notes


def fresh_notes(period: Period, as_of: date, language: Language) -> list[QualityNote]:
    if as_of - period.end > timedelta(days=FRESH_DAYS):
        return []
    text = (
        _(
            "The month closed on {day}: platforms restate the last two days for up to 48 "
            "hours, so their figures may still change slightly."
        )
        if period.is_month
        else _(
            "The period closed on {day}: platforms restate the last two days for up to 48 "
            "hours, so their figures may still change slightly."
        )
    )
    return [QualityNote("fresh", text.format(day=format_day(period.end, language)))]


def renamed_notes(
    client: ClientInfo, period: Period, kpi_ids: set[str], language: Language
) -> list[QualityNote]:
    instagram = any(a.platform == "instagram" for a in client.accounts)
    if not instagram or period.end < INSTAGRAM_VIEWS_FROM or "impressions" not in kpi_ids:
        return []
    return [
        QualityNote(
            "renamed",
            _(
                "Instagram replaced impressions with views on {day}: from then on, Instagram's "
                "impressions are its views."
            ).format(day=format_day(INSTAGRAM_VIEWS_FROM, language)),
        )
    ]
