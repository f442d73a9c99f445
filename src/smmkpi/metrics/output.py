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
import json
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from smmkpi.metrics.catalogue import ACCOUNT_KPIS, KPIS
from smmkpi.metrics.compute import ClientKpis
from smmkpi.metrics.inputs import Number


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


def client_object(result: ClientKpis) -> dict[str, Any]:
    """One client's KPIs as the spec's JSON object."""
    return {
        "client_id": result.client.client_id,
        "period": {
            "start": result.period.start.isoformat(),
            "end": result.period.end.isoformat(),
            "timezone": result.client.timezone,
        },
        "kpis": {k.id: json_number(result.kpis[k.id].value) for k in KPIS},
        "accounts": {
            account_id: {k.id: json_number(values[k.id].value) for k in ACCOUNT_KPIS}
            for account_id, values in result.accounts.items()
        },
    }


def to_json(results: Sequence[ClientKpis], *, single: bool) -> str:
    """The JSON text: one object when ``single`` (``--client`` given), else an array."""
    objects = [client_object(r) for r in results]
    payload: Any = objects[0] if single else objects
    return json.dumps(payload, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


CSV_HEADER = ("client_id", "account_id", "kpi", "value", "unit", "period_start", "period_end")


def to_csv(results: Sequence[ClientKpis]) -> str:
    """Long-format CSV: a row per client KPI, then per account KPI; empty value = no data."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for result in results:
        start, end = result.period.start.isoformat(), result.period.end.isoformat()
        client_id = result.client.client_id
        for kpi in KPIS:
            writer.writerow(
                [
                    client_id,
                    "",
                    kpi.id,
                    _csv_number(result.kpis[kpi.id].value),
                    kpi.unit,
                    start,
                    end,
                ]
            )
        for account_id, values in result.accounts.items():
            for kpi in ACCOUNT_KPIS:
                writer.writerow(
                    [
                        client_id,
                        account_id,
                        kpi.id,
                        _csv_number(values[kpi.id].value),
                        kpi.unit,
                        start,
                        end,
                    ]
                )
    return buffer.getvalue()


def _csv_number(value: Number | None) -> str:
    number = json_number(value)
    return "" if number is None else repr(number)
