"""Why a KPI has the value it has: formula, numerator, denominator, and the rows behind them.

``smmkpi kpi --client C --month M --explain er`` renders this; reports reuse it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from smmkpi.i18n import _
from smmkpi.metrics.catalogue import kpi as kpi_named
from smmkpi.metrics.inputs import INPUTS_BY_ID, Measure, Number
from smmkpi.metrics.model import Kpi, Level, Ratio, Total
from smmkpi.metrics.output import json_number
from smmkpi.metrics.results import ClientKpis, KpiValue


@dataclass(frozen=True)
class Term:
    """The numerator or denominator of a KPI: which input, its value, how many rows."""

    input: str
    description: str
    table: str
    value: Number | None
    rows: int
    rows_label: str


@dataclass(frozen=True)
class AccountLine:
    account_id: str
    value: Number | None
    numerator: Number | None
    denominator: Number | None
    used: bool


@dataclass
class Explanation:
    kpi: Kpi
    client_id: str
    period_label: str
    timezone: str
    value: Number | None
    numerator: Term
    denominator: Term | None
    accounts: list[AccountLine] = field(default_factory=list)
    why_unknown: str | None = None

    def to_dict(self) -> dict[str, Any]:
        def term(t: Term | None) -> dict[str, Any] | None:
            if t is None:
                return None
            return {
                "input": t.input,
                "description": t.description,
                "table": t.table,
                "value": json_number(t.value),
                "rows": t.rows,
                "rows_are": t.rows_label,
            }

        return {
            "kpi": self.kpi.id,
            "client_id": self.client_id,
            "period": self.period_label,
            "timezone": self.timezone,
            "formula": self.kpi.formula_text(),
            "value": json_number(self.value),
            "numerator": term(self.numerator),
            "denominator": term(self.denominator),
            "accounts": [
                {
                    "account_id": a.account_id,
                    "value": json_number(a.value),
                    "numerator": json_number(a.numerator),
                    "denominator": json_number(a.denominator),
                    "used_in_client_value": a.used,
                }
                for a in self.accounts
            ],
            "why_unknown": self.why_unknown,
        }


def _term(input_id: str, measure: Measure | None) -> Term:
    definition = INPUTS_BY_ID[input_id]
    measure = measure or Measure(None, 0)
    return Term(
        input_id,
        definition.description(),
        definition.table,
        measure.value,
        measure.rows,
        definition.rows(),
    )


def explain(result: ClientKpis, kpi_id: str) -> Explanation:
    """Explain the client value of ``kpi_id`` in ``result``."""
    kpi = kpi_named(kpi_id)
    value: KpiValue = result.kpis[kpi.id]
    if value.numerator is None:
        raise ValueError("explain() needs results computed with details=True")
    formula = kpi.formula
    if isinstance(formula, Total):
        numerator = _term(formula.input, value.numerator)
        denominator = None
    else:
        assert isinstance(formula, Ratio)
        numerator = _term(formula.numerator, value.numerator)
        denominator = _term(formula.denominator, value.denominator)
    explanation = Explanation(
        kpi,
        result.client.client_id,
        result.period.label(),
        result.client.timezone,
        value.value,
        numerator,
        denominator,
    )
    if kpi.level is Level.ACCOUNT:
        for account_id, values in result.accounts.items():
            account_value = values[kpi.id]
            explanation.accounts.append(
                AccountLine(
                    account_id,
                    account_value.value,
                    account_value.numerator.value if account_value.numerator else None,
                    account_value.denominator.value if account_value.denominator else None,
                    account_id in value.accounts,
                )
            )
    if value.value is None:
        explanation.why_unknown = _why_unknown(kpi, numerator, denominator)
    return explanation


def _why_unknown(kpi: Kpi, numerator: Term, denominator: Term | None) -> str:
    if numerator.value is None:
        return _(
            "The numerator is unknown: {table} holds no data for it in this period (or was "
            "never imported for this client). Unknown is not zero."
        ).format(table=numerator.table)
    if denominator is not None and denominator.value is None:
        return _(
            "The denominator is unknown: {table} holds no data for it in this period (or was "
            "never imported for this client)."
        ).format(table=denominator.table)
    if denominator is not None and denominator.value == 0:
        return _("The denominator is 0, so the ratio has no value.")
    return _("No data.")
