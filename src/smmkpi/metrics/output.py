"""Machine-readable KPI output, exactly as spec/metrics.md specifies it.

.. code-block:: json

    {"client_id": "coffeelab",
     "period": {"start": "2025-03-01", "end": "2025-03-31", "timezone": "Europe/Moscow"},
     "kpis": {"followers": 15230, "er": 3.2145, "cpl": null},
     "accounts": {"coffeelab-vk": {"followers": 12000, "er": 2.9}}}

Values are full-precision numbers (percent KPIs in percent units) or ``null``; never ``NaN`` or
``Infinity``. Keys follow the catalogue's order, so identical inputs give byte-identical output.
"""

from __future__ import annotations

import csv
import io
import math
from decimal import Decimal
from typing import Any

import orjson

from smmkpi.metrics.catalogue import KPIS
from smmkpi.metrics.inputs import Number
from smmkpi.metrics.results import KpiResults


def json_number(value: Number | None) -> int | float | None:
    """A KPI value as a JSON number: ints stay ints, money becomes a float, no NaN."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a KPI value is never a boolean")
    if isinstance(value, int):
        return value
    number = float(value) if isinstance(value, Decimal) else value
    if not math.isfinite(number):
        raise ValueError(f"a KPI value must be finite, not {number!r}")
    return number


def client_objects(results: KpiResults) -> list[dict[str, Any]]:
    """Each client's KPIs as the spec's JSON object, in the order the clients were asked for."""
    clients, accounts = results.values()
    period = results.period
    objects = []
    for client in results.clients:
        objects.append(
            {
                "client_id": client.client_id,
                "period": {
                    "start": period.start.isoformat(),
                    "end": period.end.isoformat(),
                    "timezone": client.timezone,
                },
                "kpis": {k: json_number(v) for k, v in clients[client.client_id].items()},
                "accounts": {
                    account_id: {k: json_number(v) for k, v in values.items()}
                    for account_id, values in accounts[client.client_id].items()
                },
            }
        )
    return objects


def to_json(results: KpiResults, *, single: bool) -> str:
    """The JSON text: one object when ``single`` (``--client`` given), else an array."""
    objects = client_objects(results)
    payload: Any = objects[0] if single and objects else objects
    # orjson: the JSON of json.dumps(indent=2) — values are finite (json_number) — in a
    # thirtieth of the time (0.07 s → 0.002 s for 250 clients)
    return orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode() + "\n"


CSV_HEADER = ("client_id", "account_id", "kpi", "value", "unit", "period_start", "period_end")


def to_csv(results: KpiResults) -> str:
    """Long-format CSV: a row per client KPI, then per account KPI; empty value = no data."""
    clients, accounts = results.values()
    units = {k.id: k.unit for k in KPIS}
    start, end = results.period.start.isoformat(), results.period.end.isoformat()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for client in results.clients:
        client_id = client.client_id
        for kpi_id, value in clients[client_id].items():
            writer.writerow([client_id, "", kpi_id, _csv_number(value), units[kpi_id], start, end])
        for account_id, values in accounts[client_id].items():
            for kpi_id, value in values.items():
                writer.writerow(
                    [client_id, account_id, kpi_id, _csv_number(value), units[kpi_id], start, end]
                )
    return buffer.getvalue()


def _csv_number(value: Number | None) -> str:
    number = json_number(value)
    return "" if number is None else repr(number)
