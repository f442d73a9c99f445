"""Shared fixtures: a fresh workspace, canonical CSV helpers, the CLI runner."""

from __future__ import annotations

import csv
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import psycopg
import pytest

# Rich decides the console width when the CLI module is imported: wide enough that messages in
# the CLI tests are not wrapped in the middle of a phrase.
os.environ["COLUMNS"] = "200"

from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.i18n import set_language
from smmkpi.ingest.canonical import CanonicalSource
from smmkpi.ingest.pipeline import ImportOutcome, run_import
from smmkpi.ingest.sheets import set_workbook_limits
from smmkpi.metrics.compute import KpiResults, compute_kpis
from smmkpi.metrics.periods import Period
from smmkpi.store.tables import TABLES_BY_NAME
from smmkpi.workspace import Workspace
from tests.support.postgres import PostgresServer
from tests.support.postgres import start as start_postgres

DATA = Path(__file__).parent / "data"
CANONICAL = DATA / "canonical"


@pytest.fixture(autouse=True, scope="session")
def plan_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Compiled KPI queries go to a folder of the test session, not the user's cache."""
    previous = os.environ.get("SMMKPI_CACHE_DIR")
    os.environ["SMMKPI_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("SMMKPI_CACHE_DIR", None)
    else:
        os.environ["SMMKPI_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server on a loopback port for this test process (started when a test
    first asks for it, stopped at the end)."""
    server = start_postgres()
    yield server
    server.stop()


def copy_workspace(source: Path, destination: Path) -> Path:
    """A copy of the workspace folder ``source``, free to change; on PostgreSQL with a copy of
    its database (``CREATE DATABASE … TEMPLATE``), which the copy's settings then name."""
    folder = Path(shutil.copytree(source, destination))
    url = Workspace.open(folder).settings.store.url
    if url:
        base, _slash, name = url.rpartition("/")
        copy = f"t{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"'.encode())
        settings = folder / "smmkpi.toml"
        text = settings.read_text(encoding="utf-8")
        settings.write_text(text.replace(f'"{url}"', f'"{base}/{copy}"'), encoding="utf-8")
    return folder


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database on the test server."""
    return postgres_server.new_database(f"t{uuid.uuid4().hex[:12]}")


@pytest.fixture(autouse=True)
def default_workbook_limits() -> Iterator[None]:
    """A test that opens the CLI or the web app with other workbook limits leaves the process's
    limits as they were."""
    yield
    set_workbook_limits(256, 20_000_000)


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests read messages in English unless they ask for Russian."""
    monkeypatch.setenv("SMMKPI__DISPLAY__LANG", "en")
    monkeypatch.delenv("SMMKPI_WORKSPACE", raising=False)
    set_language("en")
    yield
    set_language("en")


ENGINES = ("duckdb", "postgresql")


@pytest.fixture
def duckdb_workspace(tmp_path: Path) -> Workspace:
    """A fresh workspace on its DuckDB file (tests of what only DuckDB has)."""
    ws, _created = Workspace.init(tmp_path / "ws", "Test agency")
    return ws


@pytest.fixture(params=ENGINES)
def workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Workspace:
    """A fresh workspace on each engine: the DuckDB file, and a fresh database on the test
    PostgreSQL server (the tests that use it run on both)."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else ""
    ws, _created = Workspace.init(tmp_path / "ws", "Test agency", url)
    return ws


@pytest.fixture(params=ENGINES)
def store_option(request: pytest.FixtureRequest) -> list[str]:
    """``smmkpi init``'s arguments for each engine: none (the DuckDB file), or ``--store`` with a
    fresh database on the test PostgreSQL server (CLI tests that init their own workspace)."""
    if request.param == "postgresql":
        return ["--store", request.getfixturevalue("postgres_url")]
    return []


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_table(
    folder: Path,
    table: str,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str] | None = None,
) -> Path:
    """Write ``rows`` as the canonical CSV file of ``table`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    names = list(columns or TABLES_BY_NAME[table].column_names)
    path = folder / f"{table}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow(["" if row.get(n) is None else row[n] for n in names])
    return path


def import_path(workspace: Workspace, path: Path, **options: Any) -> ImportOutcome:
    with workspace.open_store() as store:
        return run_import(store, CanonicalSource(path), **options)


def compute(
    workspace: Workspace, period: Period, clients: Sequence[str] | None = None
) -> KpiResults:
    with workspace.open_store(read_only=True) as store:
        return compute_kpis(store.backend, period, clients)


def table_rows(workspace: Workspace, table: str) -> list[tuple[Any, ...]]:
    """Every stored row of ``table`` (without the import id), sorted: for before/after checks."""
    columns = ", ".join(f'"{c.name}"' for c in TABLES_BY_NAME[table].stored_columns)
    with workspace.open_store(read_only=True) as store:
        rows = store.con.execute(f"SELECT {columns} FROM {table}").fetchall()
    return sorted(rows, key=repr)


def snapshot(workspace: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    return {name: table_rows(workspace, name) for name in TABLES_BY_NAME}


def cli_json(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


USER_PASSWORD = "correct horse battery"


def add_user(folder: Path, username: str, role: str, *clients: str) -> None:
    """``smmkpi user add`` — a web user with :data:`USER_PASSWORD`, of ``clients``."""
    result = CliRunner().invoke(
        app,
        ["-w", str(folder), "user", "add", username, "--role", role,
         *(f"--client={c}" for c in clients), "--password-stdin"],
        input=USER_PASSWORD + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
