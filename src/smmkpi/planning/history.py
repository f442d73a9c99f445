"""History analysis: what an account's past says before anyone sets a target.

For each KPI of the plan, over the last N full months:

- the **monthly series** (the KPI engine's values, the same as in reports); the months before
  the first with a value other than 0 are before the data and left out;
- **baselines**: the median of the last 3 and of the last 6 months;
- the **trend**: the Theil–Sen slope (median of pairwise slopes) per month, and as a percent of
  the 6-month baseline;
- **seasonality** with 13+ months: each calendar month's value in the last 12 months over the
  trend line, relative to their median ("December is usually 15 % lower");
- **volatility**: the robust coefficient of variation (1.4826 × MAD / median);
- **anomalies** on the daily series behind the KPI (modified z-score against the 14 days on each
  side, |z| ≥ 3.5): a spike of new followers with a spike of interactions is a *giveaway*,
  without one a *bot wave*; unfollows within a month after a giveaway are its *aftermath*; a low
  day is a *drop*;
- **coverage and gaps**: the share of days with daily statistics, and the runs of missing days;
- a **summary** in Russian or English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from smmkpi.formatting import format_day, format_month, format_number
from smmkpi.i18n import Language, _, current_language
from smmkpi.metrics.catalogue import KPIS_BY_ID
from smmkpi.metrics.model import Kpi
from smmkpi.metrics.periods import Period
from smmkpi.planning import stats
from smmkpi.planning.series import DAILY_OF_KPI, DailyData

SEASONAL_MONTHS = 13  # the same month a year earlier exists
SUMMED_SERIES = frozenset({("link_clicks", "link_clicks"), ("site_sessions", "site_sessions")})
"""(daily series, KPI) pairs besides same-named ones where the KPI is the series' monthly sum."""
GIVEAWAY_DAYS = 3  # followers keep coming for a few days after a giveaway's post
STRONG_Z = 6.0  # a spike this strong is named in the summary; a weaker one only listed
NOTABLE_TREND = 1.0  # percent a month below which a trend is called flat
STOCKS = frozenset({"followers", "followers_start", "followers_avg"})
"""Levels at a moment rather than flows over a month: no seasonality."""
NOTABLE_SEASON = 0.08  # a calendar month this far from the year's median is worth saying


@dataclass(frozen=True)
class DayAnomaly:
    """An anomalous day of the daily series behind a KPI, with what it probably was."""

    day: date
    series: str
    value: float
    expected: float
    z: float
    kind: str  # giveaway, bot_wave, giveaway_aftermath, spike, drop


@dataclass
class KpiHistory:
    """The analysis of one KPI's history."""

    kpi: Kpi
    months: list[Period]
    values: list[Any]
    baseline_3: float | None = None
    baseline_6: float | None = None
    trend: float | None = None  # KPI units per month
    trend_percent: float | None = None  # percent of the 6-month baseline per month
    seasonality: dict[int, float] = field(default_factory=dict)  # calendar month → ratio
    volatility: float | None = None  # percent
    anomalies: list[DayAnomaly] = field(default_factory=list)
    coverage: float | None = None  # share of days with daily statistics, 0–1
    gaps: list[tuple[str, date, date]] = field(default_factory=list)
    summary: str = ""

    @property
    def known_months(self) -> int:
        return len(stats.known(self.values))


def analyse(
    kpi_ids: list[str],
    months: list[Period],
    monthly: dict[str, list[Any]],
    daily: DailyData,
    accounts: list[str],
) -> list[KpiHistory]:
    """The history of each KPI in ``kpi_ids`` from its monthly values and the daily data."""
    classified = [
        a for a in classify(daily.series) if not (a.kind == "drop" and partial(daily, a.day))
    ]
    coverage, gaps = coverage_and_gaps(daily.account_days, accounts, months)
    found = []
    for kpi_id in kpi_ids:
        kpi = KPIS_BY_ID[kpi_id]
        values = before_data_unknown(
            [_number(v) for v in monthly.get(kpi_id, [None] * len(months))]
        )
        history = KpiHistory(kpi, months, values)
        history.baseline_3 = stats.baseline(values, 3)
        history.baseline_6 = stats.baseline(values, 6)
        history.trend = stats.theil_sen(values)
        if history.trend is not None and history.baseline_6:
            history.trend_percent = history.trend / abs(history.baseline_6) * 100
        name = DAILY_OF_KPI.get(kpi_id)
        history.anomalies = [a for a in classified if a.series == name]
        if kpi_id not in STOCKS:
            seasonal = values
            if name == kpi_id or (name, kpi_id) in SUMMED_SERIES:  # the KPI is the series' sum
                seasonal = without_anomalies(months, values, history.anomalies)
            history.seasonality = seasonality(months, seasonal)
        history.volatility = stats.robust_cv(values)
        if kpi.level.value == "account" and name not in ("interactions", "post_reach", "posts"):
            history.coverage, history.gaps = coverage, gaps
        history.summary = summary(history)
        found.append(history)
    return found


def partial(daily: DailyData, day: date) -> bool:
    """Whether an account that has daily statistics around ``day`` has none on it: the
    client's sum is low because a file is missing, not because the audience left."""
    for days in daily.account_days.values():
        if day not in days and any(abs((day - d).days) <= 7 for d in days):
            return True
    return False


def before_data_unknown(values: list[float | None]) -> list[float | None]:
    """The months before the first with a value other than 0 are before the account's data
    (a count of posts is 0 there, not unknown): they are left out, not taken as zeros."""
    first = next((i for i, v in enumerate(values) if v not in (None, 0)), len(values))
    return [None] * first + values[first:]


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def seasonality(months: list[Period], values: list[float | None]) -> dict[int, float]:
    """Each calendar month's value over the trend line (Theil–Sen slope, median intercept),
    relative to the median of the months' ratios — so growth is not mistaken for a season.
    A month seen in n years is the mean of its n ratios, shrunk toward no season by
    n / (n + 1): one year says half of what it seems to (one December may have been a
    one-off), two years two thirds. Empty with fewer than 13 months of values."""
    if len(stats.known(values)) < SEASONAL_MONTHS:
        return {}
    slope = stats.theil_sen(values) or 0.0
    intercept = stats.median([v - slope * i for i, v in enumerate(values) if v is not None]) or 0.0
    seen: dict[int, list[float]] = {}
    for index, value in enumerate(values):
        expected = intercept + slope * index
        if value is not None and expected > 0:
            seen.setdefault(months[index].start.month, []).append(value / expected)
    ratios = {month: sum(found) / len(found) for month, found in seen.items()}
    centre = stats.median(list(ratios.values()))
    if not centre:
        return {}
    return {
        month: 1 + len(seen[month]) / (len(seen[month]) + 1) * (ratio / centre - 1)
        for month, ratio in ratios.items()
    }


def without_anomalies(
    months: list[Period], values: list[float | None], anomalies: list[DayAnomaly]
) -> list[float | None]:
    """Monthly totals with each anomalous day counted at what its neighbours expected
    (giveaways, bot waves, spikes and drops alike): what a season is made of. For KPIs whose
    monthly value is the sum of the daily series the anomalies were found in."""
    cleaned = list(values)
    for index, month in enumerate(months):
        if cleaned[index] is None:
            continue
        excess = sum(a.value - a.expected for a in anomalies if month.start <= a.day <= month.end)
        cleaned[index] = max(0.0, float(cleaned[index] or 0.0) - excess)
    return cleaned


NOT_A_STORY = frozenset({"posts_maturity"})
"""Daily series kept for the forecasts, not quantities whose unusual days mean anything to a
client (how far the posts' lifetime counters have ripened)."""


def classify(series: dict[str, dict[date, float]]) -> list[DayAnomaly]:
    """The anomalous days of every daily series, each with what it probably was."""
    found: list[DayAnomaly] = []
    raw = {
        name: stats.anomalies(values) for name, values in series.items() if name not in NOT_A_STORY
    }
    engagement_days = {a.day for a in raw.get("interactions", []) if a.z > 0}
    giveaways: list[date] = []
    for anomaly in raw.get("followers_gained", []):  # in date order
        if anomaly.z < 0:
            kind = "drop"
        elif any(abs((anomaly.day - d).days) <= 1 for d in engagement_days) or any(
            0 < (anomaly.day - g).days <= GIVEAWAY_DAYS for g in giveaways
        ):
            kind = "giveaway"  # the giveaway's post, or the days its followers keep coming
            giveaways.append(anomaly.day)
        elif anomaly.z >= STRONG_Z:
            kind = "bot_wave"
        else:
            kind = "spike"
        found.append(_day(anomaly, "followers_gained", kind))
    for name, anomalies in raw.items():
        if name == "followers_gained":
            continue
        for anomaly in anomalies:
            if anomaly.z < 0:
                kind = "drop"
            elif name == "followers_lost" and any(
                0 < (anomaly.day - g).days <= 31 for g in giveaways
            ):
                kind = "giveaway_aftermath"
            elif name == "interactions" and any(
                abs((anomaly.day - g).days) <= 1 for g in giveaways
            ):
                kind = "giveaway"
            else:
                kind = "spike"
            found.append(_day(anomaly, name, kind))
    return sorted(found, key=lambda a: (a.day, a.series))


def events(anomalies: list[DayAnomaly]) -> list[tuple[date, date, str]]:
    """Anomalous days of one kind that follow each other, as (first day, last day, kind)."""
    found: list[tuple[date, date, str]] = []
    for anomaly in sorted(anomalies, key=lambda a: a.day):
        if found and found[-1][2] == anomaly.kind and (anomaly.day - found[-1][1]).days <= 1:
            found[-1] = (found[-1][0], anomaly.day, anomaly.kind)
        else:
            found.append((anomaly.day, anomaly.day, anomaly.kind))
    return found


def _day(anomaly: stats.Anomaly, series: str, kind: str) -> DayAnomaly:
    return DayAnomaly(anomaly.day, series, anomaly.value, anomaly.expected, anomaly.z, kind)


def coverage_and_gaps(
    account_days: dict[str, set[date]], accounts: list[str], months: list[Period]
) -> tuple[float | None, list[tuple[str, date, date]]]:
    """The share of account-days with daily statistics over ``months``, and each account's runs
    of missing days between its first and last day with data."""
    if not months:
        return None, []
    first, last = months[0].start, months[-1].end
    total = with_data = 0
    gaps: list[tuple[str, date, date]] = []
    for account in accounts:
        days = {d for d in account_days.get(account, set()) if first <= d <= last}
        total += (last - first).days + 1
        with_data += len(days)
        if not days:
            continue
        day, end = min(days), max(days)
        run_start: date | None = None
        while day <= end:
            if day not in days and run_start is None:
                run_start = day
            if day in days and run_start is not None:
                gaps.append((account, run_start, day - timedelta(days=1)))
                run_start = None
            day += timedelta(days=1)
    return (with_data / total if total else None), gaps


KINDS = {
    "giveaway": ("похож на розыгрыш", "looks like a giveaway"),
    "bot_wave": (
        "похож на накрутку (много подписчиков без реакций)",
        "looks like a bot wave (many followers, no reactions)",
    ),
    "giveaway_aftermath": ("отписки после розыгрыша", "unfollows after the giveaway"),
    "spike": ("всплеск", "a spike"),
    "drop": ("провал", "a drop"),
}


def kind_text(kind: str) -> str:
    ru, en = KINDS[kind]
    return ru if current_language() == "ru" else en


def summary(history: KpiHistory) -> str:
    """A few sentences on the KPI's history, in the current language."""
    language = current_language()
    label = history.kpi.label()
    if not history.known_months:
        return _("{kpi}: no data in the analysed months.").format(kpi=label)
    parts = []
    if history.trend_percent is not None and history.known_months >= 3:
        if abs(history.trend_percent) < NOTABLE_TREND:
            parts.append(_("{kpi} held steady").format(kpi=label))
        elif history.trend_percent > 0:
            parts.append(
                _("{kpi} grew {percent} % a month on average").format(
                    kpi=label, percent=_percent(history.trend_percent, language)
                )
            )
        else:
            parts.append(
                _("{kpi} fell {percent} % a month on average").format(
                    kpi=label, percent=_percent(-history.trend_percent, language)
                )
            )
    else:
        parts.append(
            _("{kpi}: {n} months of data, too few for a trend").format(
                kpi=label, n=history.known_months
            )
        )
    if history.seasonality:
        month, ratio = max(history.seasonality.items(), key=lambda item: abs(item[1] - 1))
        if abs(ratio - 1) >= NOTABLE_SEASON:
            name = format_month(date(2000, month, 1), language).split()[0]
            parts.append(
                (
                    _("{month} is usually {percent} % lower")
                    if ratio < 1
                    else _("{month} is usually {percent} % higher")
                ).format(month=name, percent=_percent(abs(ratio - 1) * 100, language))
            )
    notable = [a for a in history.anomalies if abs(a.z) >= STRONG_Z or a.kind == "giveaway"]
    for first, last, kind in events(notable)[-3:]:
        when = format_day(first, language)
        if last != first:
            when = _("{first} to {last}").format(first=when, last=format_day(last, language))
        parts.append(_("{day}: {what}").format(day=when, what=kind_text(kind)))
    if history.coverage is not None and history.coverage < 0.97:
        parts.append(
            _("daily data cover {percent} % of days").format(
                percent=_percent(history.coverage * 100, language)
            )
        )
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _percent(value: float, language: Language) -> str:
    return format_number(value, 0, language)
