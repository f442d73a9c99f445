"""The compiled KPI SQL, kept as files: a change to a declaration, a query or a library version
that changes the SQL shows up as a diff to review, not only as different numbers.

When the change is meant, accept it with::

    SMMKPI_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/metrics/test_sql_snapshots.py

and commit the files under tests/metrics/sql/ with the change that made them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.plan import compile_plan

FOLDER = Path(__file__).parent / "sql"
UPDATE = os.environ.get("SMMKPI_UPDATE_SNAPSHOTS") == "1"


@pytest.mark.parametrize("dialect", ["duckdb", "postgres"])
def test_the_compiled_kpi_sql_is_the_reviewed_one(dialect: str) -> None:
    plan = compile_plan(dialect, SocialRules(), False)
    for name, sql in (("accounts", plan.accounts_sql), ("clients", plan.clients_sql)):
        path = FOLDER / f"{name}-{dialect}.sql"
        text = sql.rstrip() + "\n"
        if UPDATE:  # bytes: string literals in the SQL hold \r, which text mode would change
            path.write_bytes(text.encode())
            continue
        assert path.exists(), f"{path.name} is missing: run with SMMKPI_UPDATE_SNAPSHOTS=1"
        assert text == path.read_bytes().decode(), (
            f"the compiled {name} SQL for {dialect} changed: review `git diff` after running "
            "with SMMKPI_UPDATE_SNAPSHOTS=1, and commit the new file if the change is meant"
        )
