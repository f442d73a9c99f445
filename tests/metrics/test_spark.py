"""The KPI catalogue on Spark (local mode, in this process's JVM) over the Parquet lake of the
hand-computed agency: the same values as DuckDB, value by value, and as worked out by hand."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.metrics.compare import compare_kpis
from smmkpi.metrics.periods import Period
from smmkpi.metrics.spark import lake_backend, spark_session
from smmkpi.workspace import Workspace
from tests.conftest import CANONICAL, import_path
from tests.metrics.test_agency_golden import LA, LA_IG, M_TG, M_VK, MOSCOW, assert_values


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = spark_session("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Path]:
    """The golden agency in a DuckDB workspace and its lake, written by the CLI."""
    folder = tmp_path_factory.mktemp("spark")
    workspace, _created = Workspace.init(folder / "ws", "Agency")
    import_path(workspace, CANONICAL / "agency")
    import_path(workspace, CANONICAL / "restated")
    result = CliRunner().invoke(
        app, ["-w", str(workspace.path), "export", str(folder / "lake"), "--format", "parquet"]
    )
    assert result.exit_code == 0, result.output
    assert "lake/posts: 15" in result.output
    return workspace, folder / "lake"


def test_spark_computes_the_hand_computed_values(spark: Any, lake: tuple[Workspace, Path]) -> None:
    workspace, folder = lake
    spark_kpis = ["kpi", "--engine", "spark", "--lake", str(folder)]
    result = CliRunner().invoke(
        app, ["-w", str(workspace.path), *spark_kpis, "--month", "2025-03", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    by_client = {o["client_id"]: o for o in json.loads(result.stdout)}
    assert_values(by_client["moscow"]["kpis"], MOSCOW, "moscow")
    assert_values(by_client["moscow"]["accounts"]["m-vk"], M_VK, "m-vk")
    assert_values(by_client["moscow"]["accounts"]["m-tg"], M_TG, "m-tg")
    assert_values(by_client["la"]["kpis"], LA, "la")
    assert_values(by_client["la"]["accounts"]["la-ig"], LA_IG, "la-ig")


def test_spark_and_duckdb_agree_value_by_value(spark: Any, lake: tuple[Workspace, Path]) -> None:
    workspace, folder = lake
    periods = [Period.month("2025-02"), Period.month("2025-03"), Period.month("2025-04")]
    periods.append(Period.between("2025-03-09", "2025-03-09"))  # LA's 23-hour day
    with workspace.open_store(read_only=True) as store:
        found = compare_kpis(store.backend, lake_backend(spark, folder), periods)
    assert found.compared == 4 * (3 * 46 + 5 * 33)  # 3 clients × 46 KPIs, 5 accounts × 33
    assert found.mismatches == []


def test_a_folder_that_is_not_a_lake_is_refused(tmp_path: Path, workspace: Workspace) -> None:
    spark_kpis = ["kpi", "--engine", "spark", "--lake", str(tmp_path)]
    result = CliRunner().invoke(app, ["-w", str(workspace.path), *spark_kpis, "-m", "2025-03"])
    assert result.exit_code == 1
    assert "is not an smmkpi lake: write one with `smmkpi export" in result.output
    alone = CliRunner().invoke(app, ["-w", str(workspace.path), "kpi", "--engine", "spark"])
    assert alone.exit_code == 1 and "--engine spark and --lake LAKE go together" in alone.output
