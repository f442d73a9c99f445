"""KPI results: Arrow tables from the engine, with per-client views built when read.

``KpiResults.accounts_table`` and ``clients_table`` are the engine's output as Arrow (one row per
account / client, a ``kpi__<id>`` column per KPI), ready for pandas or polars. Iterating gives a
:class:`ClientKpis` per client, in the order asked for, whose values are Python numbers: ints for
counts, floats for averages and ratios, Decimals for money.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple, overload

import pyarrow as pa

from smmkpi.metrics.catalogue import ACCOUNT_KPIS, KPIS
from smmkpi.metrics.formulas import detail_name, value_name
from smmkpi.metrics.inputs import ACCOUNT_INPUTS, Measure, rows_column, value_column
from smmkpi.metrics.model import Kpi, Level, Ratio, Total
from smmkpi.metrics.periods import Period
from smmkpi.metrics.scope import ClientInfo


class KpiValue(NamedTuple):
    """A KPI's value for one account or client, with what it was computed from when known.

    For a client value of an account-level KPI, ``accounts`` lists the accounts it rests on.
    ``numerator`` and ``denominator`` are filled for account values always, and for client
    values when the computation asked for details (``--explain``).
    """

    value: Any
    numerator: Measure | None = None
    denominator: Measure | None = None
    accounts: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return self.value is not None


@dataclass
class ClientKpis:
    """Every KPI of one client for one period."""

    client: ClientInfo
    period: Period
    kpis: dict[str, KpiValue]
    accounts: dict[str, dict[str, KpiValue]]
    account_inputs: dict[str, dict[str, Measure]] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)


def _inputs_of(kpi: Kpi) -> tuple[str, str | None]:
    formula = kpi.formula
    if isinstance(formula, Total):
        return formula.input, None
    assert isinstance(formula, Ratio)
    return formula.numerator, formula.denominator


def _account_value(kpi: Kpi, row: dict[str, Any]) -> KpiValue:
    numerator, denominator = _inputs_of(kpi)
    return KpiValue(
        row[value_name(kpi.id)],
        Measure(row[value_column(numerator)], row[rows_column(numerator)]),
        Measure(row[value_column(denominator)], row[rows_column(denominator)])
        if denominator
        else None,
    )


def _client_value(kpi: Kpi, row: dict[str, Any], details: bool) -> KpiValue:
    value = row[value_name(kpi.id)]
    if not details:
        return KpiValue(value)
    numerator = Measure(
        row.get(detail_name("num", kpi.id)), row.get(detail_name("rows_num", kpi.id)) or 0
    )
    denominator = None
    if isinstance(kpi.formula, Ratio):
        denominator = Measure(
            row.get(detail_name("den", kpi.id)), row.get(detail_name("rows_den", kpi.id)) or 0
        )
    used = row.get(detail_name("used", kpi.id)) if kpi.level is Level.ACCOUNT else None
    return KpiValue(value, numerator, denominator, tuple(sorted(used or ())))


class KpiResults(Sequence[ClientKpis]):
    """The KPIs of several clients for one period."""

    def __init__(
        self,
        period: Period,
        clients: Sequence[ClientInfo],
        accounts_table: pa.Table,
        clients_table: pa.Table,
        details: bool,
    ) -> None:
        self.period = period
        self.clients = list(clients)
        self.accounts_table = accounts_table
        self.clients_table = clients_table
        self.details = details
        self._views: dict[int, ClientKpis] = {}

    @cached_property
    def _client_rows(self) -> dict[str, dict[str, Any]]:
        return {row["client_id"]: row for row in self.clients_table.to_pylist()}

    @cached_property
    def _account_rows(self) -> dict[str, list[dict[str, Any]]]:
        rows: dict[str, list[dict[str, Any]]] = {}
        for row in self.accounts_table.to_pylist():
            rows.setdefault(row["client_id"], []).append(row)
        return rows

    def client_values(self) -> dict[str, dict[str, Any]]:
        """Each client's ``{kpi_id: value}``, straight from Arrow (no per-account views), in the
        order the clients were asked for."""
        columns = ["client_id", *(value_name(k.id) for k in KPIS)]
        rows = {row["client_id"]: row for row in self.clients_table.select(columns).to_pylist()}
        return {  # in the order the clients were asked for, whatever the engine's order
            c.client_id: {k.id: rows[c.client_id][value_name(k.id)] for k in KPIS}
            for c in self.clients
            if c.client_id in rows
        }

    def values(self) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, dict[str, Any]]]]:
        """Only the KPI values, straight from Arrow: per client ``{kpi_id: value}``, and per
        client and account ``{kpi_id: value}`` — what JSON and CSV output need, without the
        inputs and details that views carry."""
        account_columns = ["client_id", "account_id", *(value_name(k.id) for k in ACCOUNT_KPIS)]
        clients = self.client_values()
        accounts: dict[str, dict[str, dict[str, Any]]] = {c.client_id: {} for c in self.clients}
        rows = {
            row["account_id"]: row
            for row in self.accounts_table.select(account_columns).to_pylist()
        }
        for client in self.clients:
            for account in client.accounts:
                row = rows.get(account.account_id)
                if row is not None:
                    accounts[client.client_id][account.account_id] = {
                        k.id: row[value_name(k.id)] for k in ACCOUNT_KPIS
                    }
        return clients, accounts

    def __len__(self) -> int:
        return len(self.clients)

    @overload
    def __getitem__(self, index: int) -> ClientKpis: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[ClientKpis]: ...

    def __getitem__(self, index: int | slice) -> ClientKpis | Sequence[ClientKpis]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if index not in self._views:
            self._views[index] = self._view(self.clients[index])
        return self._views[index]

    def __iter__(self) -> Iterator[ClientKpis]:
        return (self[i] for i in range(len(self)))

    def _view(self, client: ClientInfo) -> ClientKpis:
        row = self._client_rows[client.client_id]
        account_rows = {r["account_id"]: r for r in self._account_rows.get(client.client_id, [])}
        ordered = [a.account_id for a in client.accounts if a.account_id in account_rows]
        return ClientKpis(
            client=client,
            period=self.period,
            kpis={k.id: _client_value(k, row, self.details) for k in KPIS},
            accounts={
                a: {k.id: _account_value(k, account_rows[a]) for k in ACCOUNT_KPIS} for a in ordered
            },
            account_inputs={
                a: {
                    i.definition.id: Measure(
                        account_rows[a][value_column(i.definition.id)],
                        account_rows[a][rows_column(i.definition.id)],
                    )
                    for i in ACCOUNT_INPUTS
                }
                for a in ordered
            },
            notes={
                "sales_inheriting_lead_utm": row["sales_inheriting_lead_utm"],
                "daily_rows": {a: account_rows[a]["daily_rows"] for a in ordered},
            },
        )
