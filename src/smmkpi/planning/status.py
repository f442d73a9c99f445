"""Plan against fact, and pacing within a month.

For each KPI of the plan in a month, as of a day (``--as-of`` replays any day):

- **fact**: the KPI over the month's days before the as-of day (the whole month once it is
  over); **attainment** as the spec says: ``fact / target × 100``, or ``target / fact × 100``
  for lower-is-better KPIs.
- **Totals** (counts, money): the fact so far against the target's share of the month already
  gone — linear by elapsed days, and weighted by weekday from the last 90 days (a Saturday may
  bring less than a Monday). The month-end forecast is the fact over that weighted share.
- **Levels** (followers): the last known value, moved by the recent daily net change.
- **Ratios**: the value so far is the forecast; its uncertainty is the month-to-month spread
  of the history, shrinking as the month goes by.
- An **80 % interval** (± 1.2816 σ, normal approximation; σ of the remaining days from the
  daily spread of the last 90 days) and the **probability** of reaching the target.
- **Status**: a finished month is *achieved* or *off track*; within a month, a total already
  past its target is *achieved*, else by the probability: *on track* ≥ 60 %, *at risk* ≥ 30 %,
  *off track* below; *no data* without a fact or a target.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from smmkpi.i18n import _
from smmkpi.metrics.model import Direction, Kpi
from smmkpi.metrics.periods import Period
from smmkpi.planning import stats
from smmkpi.planning.history import STOCKS
from smmkpi.planning.series import DAILY_OF_KPI
from smmkpi.planning.targets import is_total

ON_TRACK, AT_RISK = 0.6, 0.3
PACE_HISTORY_DAYS = 90


def status_text(status: str) -> str:
    """A status in the current language."""
    return {
        "achieved": _("achieved"),
        "on_track": _("on track"),
        "at_risk": _("at risk"),
        "off_track": _("off track"),
        "no_data": _("no data"),
        "no_target": _("no target"),
    }[status]


@dataclass
class KpiStatus:
    """One KPI of the plan in one month, as of a day."""

    kpi: Kpi
    month: Period
    as_of: date
    target: float | None
    fact: float | None
    elapsed_days: int
    attainment: float | None = None
    expected_linear: float | None = None
    expected_weighted: float | None = None
    pace: float | None = None  # fact so far as a percent of the weekday-weighted expectation
    forecast: float | None = None
    low: float | None = None
    high: float | None = None
    probability: float | None = None
    status: str = "no_data"

    @property
    def complete(self) -> bool:
        return self.elapsed_days >= self.month.days


def elapsed(month: Period, as_of: date) -> int:
    """Days of ``month`` before ``as_of`` (as of the 16th, 15 days are known)."""
    end = min(as_of, month.end + timedelta(days=1))
    return max(0, (end - month.start).days)


def attainment(fact: float | None, target: float | None, direction: Direction) -> float | None:
    """``fact / target × 100`` (``target / fact × 100`` when lower is better); None when either
    is unknown or the divisor is 0."""
    if fact is None or target is None:
        return None
    if direction is Direction.LOWER:
        return None if fact == 0 else target / fact * 100
    return None if target == 0 else fact / target * 100


def weekday_weights(daily: dict[date, float], until: date) -> list[float]:
    """Each weekday's mean over the ``PACE_HISTORY_DAYS`` before ``until``, relative to their
    average (1.0 each without history)."""
    first = until - timedelta(days=PACE_HISTORY_DAYS)
    by_day: dict[int, list[float]] = {d: [] for d in range(7)}
    for day, value in daily.items():
        if first <= day < until:
            by_day[day.weekday()].append(value)
    means = [statistics.fmean(v) if v else None for v in by_day.values()]
    known = [m for m in means if m is not None]
    average = statistics.fmean(known) if known else 0
    if not average or len(known) < 7:
        return [1.0] * 7
    return [m / average if m is not None else 1.0 for m in means]


def daily_spread(daily: dict[date, float], until: date) -> float | None:
    """The robust standard deviation of the last ``PACE_HISTORY_DAYS`` daily values relative to
    their median (a coefficient of variation), or None without enough days."""
    first = until - timedelta(days=PACE_HISTORY_DAYS)
    values = [v for d, v in daily.items() if first <= d < until]
    if len(values) < 14:
        return None
    centre = statistics.median(values)
    spread = stats.mad(values)
    if not centre or spread is None:
        return None
    return stats.MAD_SCALE * spread / abs(centre)


def assess(
    kpi: Kpi,
    month: Period,
    as_of: date,
    target: float | None,
    fact: float | None,
    daily: dict[str, dict[date, float]],
    monthly_history: list[float | None],
) -> KpiStatus:
    """The status of ``kpi`` in ``month`` as of ``as_of``: ``fact`` is its value over the days
    elapsed, ``daily`` the client's daily series, ``monthly_history`` its values in the months
    before."""
    fact = None if fact is None else float(fact)
    days = elapsed(month, as_of)
    result = KpiStatus(kpi, month, as_of, target, fact, days)
    result.attainment = attainment(fact, target, kpi.direction)
    if fact is None or days == 0:
        return result
    if result.complete:
        result.forecast = result.low = result.high = float(fact)
        if target is not None:
            reached = _reached(float(fact), target, kpi.direction)
            result.probability = 1.0 if reached else 0.0
            result.status = "achieved" if reached else "off_track"
        return result
    proxy = daily.get(DAILY_OF_KPI.get(kpi.id, ""), {})
    month_days = [month.start + timedelta(days=i) for i in range(month.days)]
    remaining = month.days - days
    if kpi.id in STOCKS:
        net = _net_changes(daily)
        recent = [v for d, v in net.items() if month.start - timedelta(days=30) <= d < as_of]
        per_day = statistics.median(recent) if recent else 0.0
        result.forecast = float(fact) + per_day * remaining
        spread = stats.mad(recent)
        sigma = stats.MAD_SCALE * (spread or 0.0) * math.sqrt(remaining)
    elif is_total(kpi):
        weights = weekday_weights(proxy, month.start)
        total_weight = sum(weights[d.weekday()] for d in month_days)
        share = sum(weights[d.weekday()] for d in month_days[:days]) / total_weight
        if target is not None:
            result.expected_linear = target * days / month.days
            result.expected_weighted = target * share
            if result.expected_weighted:
                result.pace = float(fact) / result.expected_weighted * 100
        result.forecast = float(fact) / share if share else None
        cv = daily_spread(proxy, month.start)
        if cv is None:
            cv = (stats.robust_cv(monthly_history) or 20.0) / 100 * math.sqrt(month.days)
        sigma = (result.forecast or 0.0) / month.days * cv * math.sqrt(remaining)
    else:
        result.forecast = float(fact)
        spread = stats.mad(monthly_history)
        sigma = stats.MAD_SCALE * (spread or 0.0) * math.sqrt(remaining / month.days)
    if result.forecast is None:
        return result
    result.low = result.forecast - stats.Z80 * sigma
    result.high = result.forecast + stats.Z80 * sigma
    if is_total(kpi) and kpi.id not in ("net_follower_growth",) and result.low < float(fact):
        result.low = float(fact)  # a total does not shrink: the days so far are counted
    if target is None:
        return result
    result.probability = _probability(result.forecast, sigma, target, kpi.direction)
    if (
        is_total(kpi)
        and kpi.direction is Direction.HIGHER
        and kpi.id not in STOCKS
        and float(fact) >= target
    ):
        result.status = "achieved"
    elif result.probability >= ON_TRACK:
        result.status = "on_track"
    elif result.probability >= AT_RISK:
        result.status = "at_risk"
    else:
        result.status = "off_track"
    return result


def _reached(value: float, target: float, direction: Direction) -> bool:
    return value <= target if direction is Direction.LOWER else value >= target


def _probability(forecast: float, sigma: float, target: float, direction: Direction) -> float:
    if sigma <= 0:
        return 1.0 if _reached(forecast, target, direction) else 0.0
    z = (forecast - target) / sigma
    return stats.normal_cdf(-z if direction is Direction.LOWER else z)


def _net_changes(daily: dict[str, dict[date, float]]) -> dict[date, float]:
    gained, lost = daily.get("followers_gained", {}), daily.get("followers_lost", {})
    return {d: v - lost.get(d, 0.0) for d, v in gained.items()}


def summary_counts(statuses: list[KpiStatus]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in statuses:
        counts[item.status] = counts.get(item.status, 0) + 1
    return counts


def as_json(item: KpiStatus) -> dict[str, Any]:
    return {
        "kpi": item.kpi.id,
        "month": item.month.label(),
        "as_of": item.as_of.isoformat(),
        "elapsed_days": item.elapsed_days,
        "target": item.target,
        "fact": _plain(item.fact),
        "attainment": item.attainment,
        "pace": item.pace,
        "expected_linear": item.expected_linear,
        "expected_weighted": item.expected_weighted,
        "forecast": item.forecast,
        "interval_80": [item.low, item.high],
        "probability": item.probability,
        "status": item.status,
    }


def _plain(value: Any) -> Any:
    return float(value) if value is not None and not isinstance(value, int) else value
