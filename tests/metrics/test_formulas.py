"""The formula shapes compiled by Ibis: ratios never inf/NaN, client values as ratios of sums."""

from __future__ import annotations

from typing import Any

import ibis
import pytest

from smmkpi.metrics.catalogue import kpi
from smmkpi.metrics.formulas import ratio, rollup, value_name


@pytest.fixture(scope="module")
def backend() -> Any:
    return ibis.duckdb.connect()


def run(backend: Any, expr: Any) -> list[dict[str, Any]]:
    return backend.to_pyarrow(expr).to_pylist()


def test_ratio_is_null_for_an_unknown_part_or_a_zero_base(backend: Any) -> None:
    t = ibis.memtable({"n": [1, None, 5, 0, 1], "d": [0, 4, None, 4, 3]})
    rows = run(backend, t.select(r=ratio(t.n, t.d, 100)))
    assert [r["r"] for r in rows] == [None, None, None, 0.0, pytest.approx(100 / 3)]


def test_a_client_ratio_is_a_ratio_of_sums_over_accounts_with_both_parts(backend: Any) -> None:
    churn = kpi("churn_rate")  # followers_lost / followers_start × 100
    accounts = ibis.memtable(
        {
            "client_id": ["c", "c", "c", "c"],
            "account_id": ["a", "b", "x", "y"],
            "in__followers_lost": [10, 30, 7, None],
            "rows__followers_lost": [5, 5, 2, 0],
            "in__followers_start": [1000, 500, None, 100],
            "rows__followers_start": [1, 1, 0, 1],
        }
    )
    rolled = accounts.group_by("client_id").aggregate(**rollup(churn, accounts, details=True))
    (row,) = run(backend, rolled)
    assert row[value_name("churn_rate")] == pytest.approx(40 / 1500 * 100)  # not mean(1 %, 6 %)
    assert (row["num__churn_rate"], row["den__churn_rate"]) == (40, 1500)
    assert (row["rows_num__churn_rate"], row["rows_den__churn_rate"]) == (10, 2)
    assert sorted(row["used__churn_rate"]) == ["a", "b"]


def test_a_client_total_sums_the_known_accounts_and_is_null_when_none_is(backend: Any) -> None:
    reach = kpi("reach")
    accounts = ibis.memtable(
        {
            "client_id": ["c", "c", "d"],
            "account_id": ["a", "b", "e"],
            "in__reach": [5, None, None],
            "rows__reach": [1, 0, 0],
        },
        schema={
            "client_id": "string",
            "account_id": "string",
            "in__reach": "int64",
            "rows__reach": "int64",
        },
    )
    rolled = accounts.group_by("client_id").aggregate(**rollup(reach, accounts, details=False))
    values = {r["client_id"]: r[value_name("reach")] for r in run(backend, rolled)}
    assert values == {"c": 5, "d": None}
