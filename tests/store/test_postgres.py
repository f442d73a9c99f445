"""Moving a workspace into a real PostgreSQL server (started by the tests on a loopback port):
the copy, its verification, and the KPI catalogue computed there through Ibis — checked against
the hand-computed values of the agency fixture (tests/metrics/test_agency_golden.py)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import ibis
import psycopg
import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.metrics import compare
from smmkpi.metrics.compute import compute_kpis
from smmkpi.metrics.periods import Period
from smmkpi.store import postgres
from smmkpi.store.database import IMPORT_LOCK
from smmkpi.store.tables import TABLES
from smmkpi.workspace import Workspace
from tests.conftest import CANONICAL, import_path
from tests.metrics.test_agency_golden import LA, LA_IG, M_TG, M_VK, MOSCOW, assert_values
from tests.support.postgres import free_port


@pytest.fixture
def agency(duckdb_workspace: Workspace) -> Workspace:
    """The agency of the golden test in a DuckDB workspace: what is moved."""
    import_path(duckdb_workspace, CANONICAL / "agency")
    import_path(duckdb_workspace, CANONICAL / "restated")
    return duckdb_workspace


def migrate(workspace: Workspace, url: str, *more: str) -> Any:
    return CliRunner().invoke(
        app, ["-w", str(workspace.path), "migrate", "--to", url, "--as-of", "2025-04-15", *more]
    )


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as con:
        return {t: postgres.count_postgres(con, t) for t in ("posts", "account_daily", "clients")}


KPI_INDEXES = {  # migration 7: each table's owner, then time
    "accounts_by_client": "(client_id)",
    "account_daily_by_account": "(account_id, date)",
    "posts_by_account": "(account_id, published_at)",
    "mentions_by_client": "(client_id, published_at)",
    "web_sessions_by_client": "(client_id, date)",
    "leads_by_client": "(client_id, created_at)",
    "sales_by_client": "(client_id, closed_at)",
    "ad_spend_by_client": "(client_id, date)",
}


def kpi_indexes(url: str) -> dict[str, str]:
    """The database's indexes that back no constraint, with their columns."""
    with psycopg.connect(url) as con:
        return {
            name: definition[definition.rindex("(") :]
            for name, definition in postgres.secondary_indexes(con, [t.name for t in TABLES])
        }


def test_a_workspace_moves_into_postgresql_and_computes_the_same_kpis(
    agency: Workspace, postgres_url: str
) -> None:
    result = migrate(agency, postgres_url, "--months", "3")
    assert result.exit_code == 0, result.output
    assert "Verified: every table has the same number of rows" in result.output
    # the months that hold data up to March (the last full month of 2025-04-15): January has none
    assert "KPI values of the 2 months that hold data (2025-02 … 2025-03)" in result.output
    assert "The workspace now keeps its data in PostgreSQL" in result.output
    moved = Workspace.open(agency.path)
    assert moved.settings.store.url == postgres_url
    with moved.open_store() as store:
        assert store.engine == "postgresql" and store.count_rows("posts") == 15
    # the agency's files: 15 posts, 14 daily rows (one restated, not added), 3 clients
    assert counts(postgres_url) == {"posts": 15, "account_daily": 14, "clients": 3}
    assert kpi_indexes(postgres_url) == KPI_INDEXES  # dropped for the copy, built again after
    with psycopg.connect(postgres_url, autocommit=True) as con:
        # the next import continues after the two copied ones
        assert con.execute("SELECT nextval('import_id_seq')").fetchone() == (3,)
        backend = ibis.postgres.from_connection(con)
        clients, accounts = compute_kpis(backend, Period.month("2025-03")).values()
    # the hand-computed values of March 2025, now computed by PostgreSQL
    assert_values(clients["moscow"], MOSCOW, "moscow")
    assert_values(accounts["moscow"]["m-vk"], M_VK, "m-vk")
    assert_values(accounts["moscow"]["m-tg"], M_TG, "m-tg")
    assert_values(clients["la"], LA, "la")
    assert_values(accounts["la"]["la-ig"], LA_IG, "la-ig")


def test_the_kpi_indexes_are_made_on_postgresql_only(
    postgres_url: str, duckdb_workspace: Workspace, tmp_path: Path
) -> None:
    team, _created = Workspace.init(tmp_path / "team", "Team", postgres_url)
    with team.open_store() as store:
        assert store.schema_version() == 15
    assert kpi_indexes(postgres_url) == KPI_INDEXES
    with duckdb_workspace.open_store() as store:
        assert store.schema_version() == 15  # 7 recorded with nothing to do, then 8 to 15
        assert store.con.execute("SELECT count(*) FROM duckdb_indexes()").fetchone() == (0,)


def test_a_database_holding_data_is_refused(agency: Workspace, postgres_url: str) -> None:
    assert migrate(agency, postgres_url, "--months", "1", "--copy-only").exit_code == 0
    assert Workspace.open(agency.path).settings.store.url == ""  # still on its DuckDB file
    again = migrate(agency, postgres_url, "--months", "1")
    assert again.exit_code == 1
    assert "already holds smmkpi data (tables accounts, account_daily" in again.output
    assert counts(postgres_url) == {"posts": 15, "account_daily": 14, "clients": 3}  # not twice


def test_a_copy_that_fails_its_check_leaves_nothing(
    agency: Workspace, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = compare.same_value
    numbers: list[Any] = []

    def first_differs(left: Any, right: Any) -> bool:  # as if PostgreSQL computed one otherwise
        if left is not None:
            numbers.append(left)
        return real(left, right) and len(numbers) != 1

    monkeypatch.setattr(compare, "same_value", first_differs)
    result = migrate(agency, postgres_url, "--months", "1")
    assert result.exit_code == 1
    # the first value compared: la's first KPI with a value (clients in order, KPIs in the
    # catalogue's order)
    assert "1 KPI values differ (2025-03 la ad_spend: 500.0000 ≠ 500.0000)" in result.output
    assert "nothing was kept" in result.output
    assert counts(postgres_url) == {"posts": 0, "account_daily": 0, "clients": 0}
    assert Workspace.open(agency.path).settings.store.url == ""  # not moved


def test_an_unreachable_server_and_a_wrong_url_are_explained(agency: Workspace) -> None:
    url = f"postgresql://smmkpi:secret@127.0.0.1:{free_port()}/nothing"
    result = migrate(agency, url)
    assert result.exit_code == 1
    assert "Cannot connect to the PostgreSQL database postgresql://smmkpi:***@127.0.0.1" in (
        result.output
    )
    assert "secret" not in result.output
    wrong = migrate(agency, "mysql://somewhere/db")
    assert wrong.exit_code == 1
    assert "--to takes a PostgreSQL URL" in wrong.output


def test_a_second_import_waits_for_the_first(postgres_url: str, tmp_path: Path) -> None:
    workspace, _created = Workspace.init(tmp_path / "ws", "Team", postgres_url)
    holder = psycopg.connect(postgres_url, autocommit=True)
    holder.execute("BEGIN")
    holder.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])  # an import under way
    outcome: list[Any] = []
    second = threading.Thread(
        target=lambda: outcome.append(import_path(workspace, CANONICAL / "agency"))
    )
    second.start()
    second.join(1.5)
    assert second.is_alive() and not outcome  # waiting, nothing written yet
    assert counts(postgres_url)["posts"] == 0
    holder.execute("COMMIT")  # the first import ends
    second.join(60)
    assert not second.is_alive() and outcome[0].totals.inserted == 74
    holder.close()
    both = [
        threading.Thread(target=lambda f=folder: outcome.append(import_path(workspace, f)))
        for folder in (CANONICAL / "agency", CANONICAL / "restated")
    ]
    for thread in both:
        thread.start()
    for thread in both:
        thread.join(60)
    assert len(outcome) == 3  # both succeeded, one after the other
    with workspace.open_store() as store:
        assert store.count_rows("import_log") == 3
        (last,) = store.con.execute(
            "SELECT source FROM import_log ORDER BY import_id DESC LIMIT 1"
        ).fetchone()
        restated = store.con.execute(
            "SELECT followers_lost FROM account_daily WHERE account_id = 'm-vk' AND date = DATE "
            "'2025-03-31'"
        ).fetchone()
    # 31 March is 5 in the agency's files and 7 in the restatement: the later import wins
    assert restated == ((7,) if last.endswith("restated") else (5,))


def test_migrate_compares_the_months_that_hold_data(
    agency: Workspace, postgres_url: str, duckdb_workspace: Workspace, tmp_path: Path
) -> None:
    # counted back from today (2026 or later): twelve months without data would compare
    # nothing but zeros and unknowns; the agency's data is in February–April 2025
    result = CliRunner().invoke(
        app, ["-w", str(agency.path), "--lang", "en", "migrate", "--to", postgres_url,
              "--copy-only"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "KPI values of the 3 months that hold data (2025-02 … 2025-04)" in result.output


def test_migrate_says_when_there_is_nothing_to_compare(postgres_url: str, tmp_path: Path) -> None:
    empty, _created = Workspace.init(tmp_path / "empty", "Empty")
    result = CliRunner().invoke(
        app, ["-w", str(empty.path), "--lang", "en", "migrate", "--to", postgres_url, "--copy-only"]
    )
    assert result.exit_code == 0, result.output
    assert (
        "Verified: every table has the same number of rows. No month holds statistics yet, so "
        "there were no KPI values to compare." in " ".join(result.output.split())
    )
