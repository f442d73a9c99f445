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
from itertools import pairwise
from typing import Any

from smmkpi.i18n import _
from smmkpi.metrics.model import Direction, Kpi, Unit
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
        "within_tolerance": _("achieved within tolerance"),
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
    """How much a day's value varies, relative to the typical day, over the
    ``PACE_HISTORY_DAYS`` before ``until``: the larger of the days' robust coefficient of
    variation and that implied by the 7-day sums (σ_week / √7). Days are not independent — a
    slow week, a giveaway lasting days — and weekly sums see it where single days do not.
    None without 14 days."""
    first = until - timedelta(days=PACE_HISTORY_DAYS)
    days = sorted((d, v) for d, v in daily.items() if first <= d < until)
    if len(days) < 14:
        return None
    values = [v for _d, v in days]
    centre = statistics.median(values)
    if not centre:
        return None
    return day_sigma(values) / abs(centre)


def day_sigma(values: list[float]) -> float:
    """A day's standard deviation from consecutive daily values: the larger of the days' robust
    spread (1.4826 × MAD) and that implied by their 7-day sums (σ_week / √7, with 4+ weeks)."""
    sigma = stats.MAD_SCALE * (stats.mad(values) or 0.0)
    weeks = [sum(values[i : i + 7]) for i in range(len(values) % 7, len(values), 7)]
    if len(weeks) >= 4:
        sigma = max(sigma, stats.MAD_SCALE * (stats.mad(weeks) or 0.0) / math.sqrt(7))
    return sigma


DEFAULT_TOLERANCE = 5.0
"""Percent of the target within which a finished KPI is "achieved within tolerance" and a
running one at least "on track" (setting ``planning.tolerance``)."""
ACCUMULATING = frozenset({"follower_growth_rate", "churn_rate", "audience_renewal_rate"})
"""Rates whose numerator builds up over the month while the denominator is a level fixed at
the month's start (the followers then)."""
NEGATIVE_ALLOWED = {"net_follower_growth", "follower_growth_rate"}
NO_HISTORY_CV = 0.2  # a ratio's month-to-month spread assumed when its history has none


@dataclass(frozen=True)
class Projection:
    """A month-end forecast and its standard deviation; ``share``: how much of the month's
    total the days so far should have brought (totals and accumulating rates)."""

    forecast: float
    sigma: float
    share: float | None = None


def kind_of(kpi: Kpi) -> str:
    """How a KPI builds up over a month: ``level``, ``total``, ``accumulating`` or ``ratio``."""
    if kpi.id in STOCKS:
        return "level"
    if is_total(kpi):
        return "total"
    return "accumulating" if kpi.id in ACCUMULATING else "ratio"


def assess(
    kpi: Kpi,
    month: Period,
    as_of: date,
    target: float | None,
    fact: float | None,
    daily: dict[str, dict[date, float]],
    monthly_history: list[float | None],
    facts: dict[str, Any] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> KpiStatus:
    """The status of ``kpi`` in ``month`` as of ``as_of``: ``fact`` is its value over the days
    elapsed, ``facts`` every KPI's value over those days (a rate's numerator and denominator),
    ``daily`` the client's daily series, ``monthly_history`` its values in the months before;
    ``tolerance``: the percent of the target that still counts (see the module docstring)."""
    fact = None if fact is None else float(fact)
    days = elapsed(month, as_of)
    result = KpiStatus(kpi, month, as_of, target, fact, days)
    result.attainment = attainment(fact, target, kpi.direction)
    if fact is None or days == 0:
        return result
    if result.complete:
        result.forecast = result.low = result.high = fact
        if target is not None:
            reached = _reached(fact, target, kpi.direction)
            result.probability = 1.0 if reached else 0.0
            if reached:
                result.status = "achieved"
            elif _within(fact, target, tolerance, kpi.direction):
                result.status = "within_tolerance"
            else:
                result.status = "off_track"
        return result
    kind = kind_of(kpi)
    projection: Projection | None
    if kind == "level":
        known = stats.known(monthly_history)
        drifts = [(b - a) / 30.4 for a, b in pairwise(known)]
        projection = _level(fact, month, as_of, days, daily, drifts)
    elif kind == "total":
        projection = _total(kpi, fact, month, days, daily, monthly_history)
    elif kind == "accumulating":
        projection = _accumulating(
            kpi, fact, month, as_of, days, daily, monthly_history, facts or {}
        )
    else:
        projection = _ratio(fact, month, days, monthly_history)
    if projection is None:
        return result
    result.forecast = projection.forecast
    if target is not None and projection.share is not None:
        result.expected_linear = target * days / month.days
        result.expected_weighted = target * projection.share
        if result.expected_weighted:
            result.pace = fact / result.expected_weighted * 100
        if kpi.direction is Direction.LOWER:
            result.attainment = None  # target ÷ a part of the month means nothing: see pace
    result.low, result.high = _interval(kpi, kind, fact, projection)
    if target is None:
        return result
    result.probability = _probability(projection.forecast, projection.sigma, target, kpi.direction)
    if kind == "total" and kpi.direction is Direction.HIGHER and fact >= target:
        result.status = "achieved"
    elif result.probability >= ON_TRACK or _within(
        projection.forecast, target, tolerance, kpi.direction
    ):
        result.status = "on_track"
    elif result.probability >= AT_RISK:
        result.status = "at_risk"
    else:
        result.status = "off_track"
    return result


def _weighted_share(
    proxy: dict[date, float],
    month: Period,
    days: int,
    ripeness: dict[date, float] | None = None,
) -> float:
    """The share of the month's total the first ``days`` days should bring, each weekday
    weighted by its mean over the 90 days before the month; with ``ripeness`` (the share of
    their lifetime metrics the posts of each day had gathered when read), each day counts only
    as far as its posts have: a post of yesterday has not had its clicks yet."""
    weights = weekday_weights(proxy, month.start)
    month_days = [month.start + timedelta(days=i) for i in range(month.days)]
    total_weight = sum(weights[d.weekday()] for d in month_days)
    ripe = ripeness or {}
    return sum(weights[d.weekday()] * ripe.get(d, 1.0) for d in month_days[:days]) / total_weight


POST_BASED = frozenset(
    {
        "interactions",
        "post_reach",
        "post_reach_organic",
        "post_reach_viral",
        "post_reach_paid",
        "post_link_clicks",
    }
)
"""Totals of what posts gather after they are published: paced by the posts' age."""


def ripeness(daily: dict[str, dict[date, float]]) -> dict[date, float]:
    """Each publication day's mean share of lifetime metrics its posts had gathered when read
    (``posts_maturity`` over ``posts``; see ``series.maturity``)."""
    posts, ripe = daily.get("posts", {}), daily.get("posts_maturity", {})
    return {d: ripe[d] / n for d, n in posts.items() if n and d in ripe}


def _flow_sigma(
    per_day: float,
    cv: float | None,
    monthly_history: list[float | None],
    days: int,
    left: int,
    count: bool = False,
) -> float:
    """The standard deviation of the rest of a month's total: the days left vary around the
    daily mean (σ each), and the mean itself is known from ``days`` days only — so
    ``σ · √(left + left² / days)``; σ from the daily and weekly spread of the last 90 days
    (``cv``), else from the month-to-month spread of the history; for a count at least
    √(daily mean), as for events that come one by one (posts, leads)."""
    if cv is None:
        monthly_cv = stats.robust_cv(monthly_history)
        cv = (monthly_cv if monthly_cv is not None else 20.0) / 100 * math.sqrt(days + left)
    sigma = abs(per_day) * cv
    if count:
        sigma = max(sigma, math.sqrt(abs(per_day)))
    return sigma * math.sqrt(left + left * left / days)


def _total(
    kpi: Kpi,
    fact: float,
    month: Period,
    days: int,
    daily: dict[str, dict[date, float]],
    monthly_history: list[float | None],
) -> Projection | None:
    """A total (or a rate over a fixed denominator, which grows like one): the fact over the
    weekday-weighted share of the month gone, σ by :func:`_flow_sigma` on the KPI's daily
    series."""
    proxy = daily.get(DAILY_OF_KPI.get(kpi.id, ""), {})
    by_age = ripeness(daily) if kpi.id in POST_BASED else None
    share = _weighted_share(proxy, month, days, by_age)
    if not share:
        return None
    forecast = fact / share
    cv = daily_spread(proxy, month.start)
    count = kpi.unit is Unit.COUNT
    sigma = _flow_sigma(forecast / month.days, cv, monthly_history, days, month.days - days, count)
    return Projection(forecast, sigma, share)


def _accumulating(
    kpi: Kpi,
    fact: float,
    month: Period,
    as_of: date,
    days: int,
    daily: dict[str, dict[date, float]],
    monthly_history: list[float | None],
    facts: dict[str, Any],
) -> Projection | None:
    """A rate whose numerator builds up over the month over a denominator fixed at the month's
    start (the followers then): the numerator is forecast and divided by that denominator.
    Churn and renewal count people leaving or coming, a flow: the rate so far grows like a
    total (the weekday-weighted share of the month). Follower growth counts what the level
    moved: the level's forecast, less the start, over the start."""
    base = facts.get("followers_start")
    if kpi.id == "follower_growth_rate" and base:
        # each past month's growth rate, as the followers it added per day
        drifts = [r / 100 * float(base) / 30.4 for r in stats.known(monthly_history)]
        level = _level(0.0, month, as_of, days, daily, drifts)
        scale = 100 / float(base)
        return Projection(fact + level.forecast * scale, level.sigma * scale)
    return _total(kpi, fact, month, days, daily, monthly_history)


def _level(
    fact: float,
    month: Period,
    as_of: date,
    days: int,
    daily: dict[str, dict[date, float]],
    drifts: list[float],
) -> Projection:
    """A level (followers) moves by its daily change for the days left — the change of the
    followers reported day by day, else gained − lost. Its uncertainty:
    the days' own spread (σ_d), the median daily change known from n days only, and how much
    the daily drift differs from month to month in the history (τ, from ``drifts``: the
    followers added per day in each past month; half the drift without three of them):
    ``√(left·σ_d² + left²·(σ_d²/n + τ²))``."""
    window = month.start - timedelta(days=30)
    changes = daily.get("followers_change", {})
    recent = [v for d, v in sorted(changes.items()) if window <= d < as_of]
    if len(recent) < 14:  # no daily levels: what the platform says came and went
        recent = [v for d, v in sorted(_net_changes(daily).items()) if window <= d < as_of]
    per_day = statistics.median(recent) if recent else 0.0
    left = month.days - days
    daily_sigma = day_sigma(recent)  # days are not independent: weekly sums see it
    drift_spread = stats.mad(drifts) if len(drifts) >= 3 else None
    tau = stats.MAD_SCALE * drift_spread if drift_spread is not None else abs(per_day) * 0.5
    n = max(len(recent), 1)
    variance = left * daily_sigma**2 + left * left * (daily_sigma**2 / n + tau**2)
    return Projection(fact + per_day * left, math.sqrt(variance))


def _ratio(
    fact: float, month: Period, days: int, monthly_history: list[float | None]
) -> Projection:
    """A ratio of two flows (ER, CPL, conversion): the value so far is the forecast. The days
    left move it by a part ``left/N`` of the month, and the value so far is itself a sample
    of ``days`` days: with σ_m the month-to-month spread of the history,
    ``σ = σ_m · √(left/N · (1 + left/days))`` — wide on day 3, narrowing to 0 at the end."""
    spread = stats.mad(monthly_history)
    sigma_month = stats.MAD_SCALE * spread if spread else NO_HISTORY_CV * abs(fact)
    left = month.days - days
    sigma = sigma_month * math.sqrt(left / month.days * (1 + left / days))
    return Projection(fact, sigma)


def _interval(kpi: Kpi, kind: str, fact: float, projection: Projection) -> tuple[float, float]:
    """The 80 % interval, kept inside what the KPI can be: no negative counts, money or rates
    (net growth excepted; ROMI not below −100 %), and a total or a building-up rate with
    non-negative days not below what the days so far already brought."""
    low = projection.forecast - stats.Z80 * projection.sigma
    high = projection.forecast + stats.Z80 * projection.sigma
    floor: float | None = None
    if kpi.id == "romi":
        floor = -100.0
    elif kpi.id not in NEGATIVE_ALLOWED:
        floor = 0.0
    if kind in ("total", "accumulating") and kpi.id not in NEGATIVE_ALLOWED:
        floor = max(floor or 0.0, fact)
    if floor is not None:
        low, high = max(low, floor), max(high, floor)
    return low, high


def _within(value: float, target: float, tolerance: float, direction: Direction) -> bool:
    """Whether ``value`` misses ``target`` by no more than ``tolerance`` percent of it."""
    slack = abs(target) * tolerance / 100
    if direction is Direction.LOWER:
        return value <= target + slack
    return value >= target - slack


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


def met(item: KpiStatus) -> bool:
    """Achieved, achieved within tolerance, or on track: what a summary counts as met."""
    return item.status in ("achieved", "within_tolerance", "on_track")


def summary_counts(statuses: list[KpiStatus]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in statuses:
        counts[item.status] = counts.get(item.status, 0) + 1
    return counts


def status_json(
    client_id: str, plan_id: str, period: Period, found: list[KpiStatus]
) -> dict[str, Any]:
    """The JSON of ``smmkpi status`` (and of the web API's status)."""
    return {
        "client_id": client_id,
        "plan_id": plan_id,
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label": period.label(),
        },
        "kpis": [as_json(s) for s in found],
    }


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
