"""Robust statistics for short, messy monthly and daily series: medians rather than means, a
median of pairwise slopes rather than least squares, median absolute deviations rather than
standard deviations — a giveaway month or a bot wave must not move the baseline.

Every function takes values where ``None`` is unknown (never 0) and leaves them out.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

MAD_SCALE = 1.4826  # makes the MAD estimate the standard deviation of normal data
ANOMALY_Z = 3.5  # Iglewicz and Hoaglin's threshold for the modified z-score


def known(values: Sequence[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None and not math.isnan(float(v))]


def median(values: Sequence[float | None]) -> float | None:
    found = known(values)
    return statistics.median(found) if found else None


def baseline(values: Sequence[float | None], months: int) -> float | None:
    """The median of the last ``months`` known values."""
    found = known(values)
    return statistics.median(found[-months:]) if found else None


def mad(values: Sequence[float | None]) -> float | None:
    """The median absolute deviation from the median."""
    found = known(values)
    if not found:
        return None
    centre = statistics.median(found)
    return statistics.median(abs(v - centre) for v in found)


def theil_sen(values: Sequence[float | None]) -> float | None:
    """The median of the slopes between every two known points (x = position in the series):
    a trend per step that a single outlier cannot tilt. None with fewer than two points."""
    points = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    slopes = [
        (y2 - y1) / (x2 - x1) for a, (x1, y1) in enumerate(points) for x2, y2 in points[a + 1 :]
    ]
    return statistics.median(slopes) if slopes else None


def robust_cv(values: Sequence[float | None]) -> float | None:
    """Volatility: the robust standard deviation (1.4826 × MAD) as a percent of the median."""
    centre, spread = median(values), mad(values)
    if centre is None or spread is None or centre == 0:
        return None
    return MAD_SCALE * spread / abs(centre) * 100


def quantile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0–1) with linear interpolation between order statistics."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Anomaly:
    """A day whose value is far from its neighbours'."""

    day: date
    value: float
    expected: float  # the median of the surrounding days
    z: float  # the modified z-score: > 0 a spike, < 0 a drop


def anomalies(
    series: dict[date, float],
    window: int = 14,
    threshold: float = ANOMALY_Z,
    passes: int = 2,
) -> list[Anomaly]:
    """Days whose modified z-score against the ``window`` days on each side (the day itself
    left out) is beyond ``threshold``. A neighbourhood with no spread (all equal) is judged by
    its mean absolute deviation; one with none at all flags nothing. A second pass judges
    each day against neighbours without the days the first found anomalous: a giveaway's
    three days no longer raise each other's baseline."""
    found = _anomalies(series, window, threshold, set())
    for _ in range(passes - 1):
        found = _anomalies(series, window, threshold, {a.day for a in found})
    return found


def _anomalies(
    series: dict[date, float], window: int, threshold: float, left_out: set[date]
) -> list[Anomaly]:
    days = sorted(series)
    found = []
    for index, day in enumerate(days):
        around = [
            series[d]
            for d in days[max(0, index - window) : index + window + 1]
            if d != day and d not in left_out
        ]
        if len(around) < 7:
            continue
        centre = statistics.median(around)
        spread = MAD_SCALE * statistics.median(abs(v - centre) for v in around)
        if spread == 0:
            spread = 1.2533 * statistics.fmean(abs(v - centre) for v in around)
        if spread == 0:
            continue
        z = (series[day] - centre) / spread
        if abs(z) >= threshold:
            found.append(Anomaly(day, series[day], centre, z))
    return found


def normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


Z80 = 1.2816  # the 90th percentile of the standard normal: an 80 % interval is ± Z80 σ
