"""The catalogue's two formula shapes as Ibis expressions: per entity, and rolled up to clients.

- A **total** is its input. For a client, an account-level total is the sum of the account
  values that are known (NULL when none is).
- A **ratio** is ``numerator / denominator × scale``, NULL when either is unknown or the
  denominator is 0 — never ``inf`` or ``NaN``. For a client, an account-level ratio is a ratio of
  sums: numerator and denominator summed over the accounts where both are known.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smmkpi.metrics.inputs import rows_column, value_column
from smmkpi.metrics.model import Kpi, Ratio, Total


def value_name(kpi_id: str) -> str:
    return f"kpi__{kpi_id}"


DETAIL_PARTS = ("num", "den", "rows_num", "rows_den", "used")


def detail_name(part: str, kpi_id: str) -> str:
    return f"{part}__{kpi_id}"


def ratio(numerator: Any, denominator: Any, scale: int = 1) -> Any:
    """``numerator / denominator × scale`` in float64; NULL for an unknown part or a 0 base."""
    import ibis

    invalid = numerator.isnull() | denominator.isnull() | (denominator == 0)
    value = numerator.cast("float64") / denominator.cast("float64")
    if scale != 1:
        value = value * scale
    return ibis.ifelse(invalid, ibis.null("float64"), value)


def entity_value(kpi: Kpi, columns: Mapping[str, Any]) -> Any:
    """The KPI for one entity from the columns of its inputs (``in__<input>``)."""
    formula = kpi.formula
    if isinstance(formula, Total):
        return columns[value_column(formula.input)]
    assert isinstance(formula, Ratio)
    return ratio(
        columns[value_column(formula.numerator)],
        columns[value_column(formula.denominator)],
        formula.scale,
    )


def entity_details(kpi: Kpi, columns: Mapping[str, Any]) -> dict[str, Any]:
    """Numerator, denominator and their rows for one entity (client-level KPIs)."""
    formula = kpi.formula
    numerator = formula.input if isinstance(formula, Total) else formula.numerator
    details = {
        detail_name("num", kpi.id): columns[value_column(numerator)],
        detail_name("rows_num", kpi.id): columns[rows_column(numerator)],
    }
    if isinstance(formula, Ratio):
        details[detail_name("den", kpi.id)] = columns[value_column(formula.denominator)]
        details[detail_name("rows_den", kpi.id)] = columns[rows_column(formula.denominator)]
    return details


def rollup(kpi: Kpi, accounts: Any, details: bool) -> dict[str, Any]:
    """The client aggregates of an account-level KPI over ``accounts`` (a table of account
    inputs grouped by client)."""
    formula = kpi.formula
    out: dict[str, Any] = {}
    if isinstance(formula, Total):
        value = accounts[value_column(formula.input)]
        used = value.notnull()
        out[value_name(kpi.id)] = value.sum()
        if details:
            out[detail_name("num", kpi.id)] = value.sum()
            out[detail_name("rows_num", kpi.id)] = accounts[rows_column(formula.input)].sum(
                where=used
            )
            out[detail_name("used", kpi.id)] = accounts.account_id.collect(where=used)
        return out
    assert isinstance(formula, Ratio)
    numerator = accounts[value_column(formula.numerator)]
    denominator = accounts[value_column(formula.denominator)]
    used = numerator.notnull() & denominator.notnull()
    num_sum = numerator.sum(where=used)
    den_sum = denominator.sum(where=used)
    out[value_name(kpi.id)] = ratio(num_sum, den_sum, formula.scale)
    if details:
        out[detail_name("num", kpi.id)] = num_sum
        out[detail_name("den", kpi.id)] = den_sum
        out[detail_name("rows_num", kpi.id)] = accounts[rows_column(formula.numerator)].sum(
            where=used
        )
        out[detail_name("rows_den", kpi.id)] = accounts[rows_column(formula.denominator)].sum(
            where=used
        )
        out[detail_name("used", kpi.id)] = accounts.account_id.collect(where=used)
    return out
