"""Every KPI of every client and account computed on two engines and compared value by value:
the check behind moving a workspace to PostgreSQL and behind running the catalogue on Spark.

Values agree when both are unknown, or both are numbers equal to 1e-9 relative (engines sum
floating-point numbers in different orders, so the last bits may differ); money and counts are
exact decimals and integers on both sides, which the same test holds to the same tolerance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.compute import compute_periods
from smmkpi.metrics.periods import Period

RELATIVE = 1e-9


@dataclass(frozen=True)
class Mismatch:
    """A KPI whose value differs between the two engines."""

    period: str
    client_id: str
    account_id: str | None  # None: the client's KPI
    kpi: str
    left: Any
    right: Any


@dataclass
class Comparison:
    compared: int = 0  # values compared
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not self.mismatches


def same_value(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, Decimal) and isinstance(right, Decimal):
        return left == right
    return math.isclose(float(left), float(right), rel_tol=RELATIVE, abs_tol=RELATIVE)


def compare_kpis(
    left: Any,
    right: Any,
    periods: Sequence[Period],
    rules: SocialRules | None = None,
    progress: Callable[[Period], None] | None = None,
) -> Comparison:
    """Compute the catalogue for ``periods`` on the backends ``left`` and ``right`` — all the
    periods in one call on each (one Spark job, not one a period) — and compare every value of
    every client and account."""
    found = Comparison()
    lefts = compute_periods(left, periods, None, rules)
    rights = compute_periods(right, periods, None, rules)
    for period, left_results, right_results in zip(periods, lefts, rights, strict=True):
        one = left_results.values()
        other = right_results.values()
        pairs: list[tuple[str, str | None, dict[str, Any], dict[str, Any]]] = []
        for client_id, values in one[0].items():
            pairs.append((client_id, None, values, other[0].get(client_id, {})))
            theirs = other[1].get(client_id, {})
            for account_id, account_values in one[1].get(client_id, {}).items():
                pairs.append((client_id, account_id, account_values, theirs.get(account_id, {})))
        missing = set(other[0]) - set(one[0])
        for extra in sorted(missing):
            pairs.append((extra, None, {}, other[0][extra]))
        for owner, account, mine, yours in pairs:
            for kpi in sorted(set(mine) | set(yours)):
                found.compared += 1
                a, b = mine.get(kpi), yours.get(kpi)
                if not same_value(a, b):
                    found.mismatches.append(Mismatch(period.label(), owner, account, kpi, a, b))
        if progress is not None:
            progress(period)
    return found
