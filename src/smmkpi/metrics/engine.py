"""Evaluating the catalogue's formulas over inputs: pure functions, no database.

Account values come straight from the account's inputs. Client values of account-level KPIs are
built from the accounts: a total is the sum of the account values that are known; a ratio is
Σ numerator / Σ denominator over the accounts where both are known (a ratio of sums). Client-level
KPIs are evaluated on the client's own inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from smmkpi.metrics.inputs import Measure, Number
from smmkpi.metrics.model import Kpi, Level, Ratio, Total


@dataclass(frozen=True)
class KpiValue:
    """A KPI's value for one account or client, with what it was computed from.

    For a ratio, ``numerator`` and ``denominator`` are the summed inputs; ``accounts`` lists the
    accounts a client value rests on (empty for account values and client-level KPIs).
    """

    value: Number | None
    numerator: Measure | None = None
    denominator: Measure | None = None
    accounts: tuple[str, ...] = field(default_factory=tuple)

    @property
    def known(self) -> bool:
        return self.value is not None


def divide(numerator: Number | None, denominator: Number | None, scale: int = 1) -> Number | None:
    """``numerator / denominator × scale``; None when either is unknown or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    if isinstance(numerator, Decimal) or isinstance(denominator, Decimal):
        return Decimal(numerator) / Decimal(denominator) * scale
    return numerator / denominator * scale


def evaluate(kpi: Kpi, inputs: Mapping[str, Measure]) -> KpiValue:
    """The value of ``kpi`` for one entity (an account, or a client for client-level KPIs)."""
    formula = kpi.formula
    if isinstance(formula, Total):
        measure = inputs[formula.input]
        return KpiValue(measure.value, numerator=measure)
    assert isinstance(formula, Ratio)
    numerator = inputs[formula.numerator]
    denominator = inputs[formula.denominator]
    return KpiValue(
        divide(numerator.value, denominator.value, formula.scale), numerator, denominator
    )


def evaluate_over_accounts(kpi: Kpi, accounts: Mapping[str, Mapping[str, Measure]]) -> KpiValue:
    """The client value of an account-level ``kpi`` from its accounts' inputs."""
    assert kpi.level is Level.ACCOUNT
    formula = kpi.formula
    used: list[str] = []
    if isinstance(formula, Total):
        total: Number | None = None
        rows = 0
        for account_id in sorted(accounts):
            measure = accounts[account_id][formula.input]
            if measure.value is None:
                continue
            total = measure.value if total is None else total + measure.value  # type: ignore[operator]
            rows += measure.rows
            used.append(account_id)
        return KpiValue(total, numerator=Measure(total, rows), accounts=tuple(used))
    assert isinstance(formula, Ratio)
    num_total: Number = 0
    den_total: Number = 0
    num_rows = den_rows = 0
    for account_id in sorted(accounts):
        numerator = accounts[account_id][formula.numerator]
        denominator = accounts[account_id][formula.denominator]
        if numerator.value is None or denominator.value is None:
            continue
        num_total += numerator.value  # type: ignore[operator]
        den_total += denominator.value  # type: ignore[operator]
        num_rows += numerator.rows
        den_rows += denominator.rows
        used.append(account_id)
    if not used:
        return KpiValue(None, UNKNOWN_MEASURE, UNKNOWN_MEASURE)
    return KpiValue(
        divide(num_total, den_total, formula.scale),
        Measure(num_total, num_rows),
        Measure(den_total, den_rows),
        tuple(used),
    )


UNKNOWN_MEASURE = Measure(None, 0)
