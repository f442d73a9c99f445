"""The KPI catalogue on Spark (local mode, in this process's JVM) over the Parquet lake of the
hand-computed agency: the same values as DuckDB, value by value, and as worked out by hand."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.metrics.compare import compare_kpis
from smmkpi.metrics.periods import Period
from smmkpi.metrics.spark import class_archive_option, lake_backend, spark_ddl, spark_session
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


def test_a_local_session_starts_from_an_archive_of_spark_classes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first command writes the archive as its JVM exits; commands starting meanwhile run
    without it; once written it is what every later command starts from."""
    monkeypatch.setenv("SMMKPI_CACHE_DIR", str(tmp_path))
    first = class_archive_option()
    assert first.startswith("-XX:ArchiveClassesAtExit=")
    being_written = Path(first.split("=", 1)[1])
    assert being_written.is_file() and being_written.parent == tmp_path / "spark"
    assert class_archive_option() == ""  # another command is writing it
    being_written.write_bytes(b"\0" * (2 << 20))  # what the JVM leaves at its exit
    settled = time.time() - 120
    os.utime(being_written, (settled, settled))
    archive = being_written.with_name(being_written.name.split(".")[0] + ".jsa")
    assert class_archive_option() == f"-XX:SharedArchiveFile={archive}"
    assert archive.is_file() and not being_written.exists()
    assert class_archive_option() == f"-XX:SharedArchiveFile={archive}"


def test_an_archive_never_written_is_forgotten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMMKPI_CACHE_DIR", str(tmp_path))
    abandoned = Path(class_archive_option().split("=", 1)[1])  # its command was killed
    settled = time.time() - 120
    os.utime(abandoned, (settled, settled))
    again = class_archive_option()  # removed, and written anew by this command
    assert again == f"-XX:ArchiveClassesAtExit={abandoned}"
    assert abandoned.stat().st_mtime > settled + 60
    assert list((tmp_path / "spark").iterdir()) == [abandoned]


def test_the_lake_schema_is_given_to_spark_as_ddl() -> None:
    from smmkpi.store.lake import lake_schema
    from smmkpi.store.tables import TABLES_BY_NAME

    ddl = spark_ddl(lake_schema(TABLES_BY_NAME["sales"]))
    assert ddl == (
        "`client_id` STRING, `sale_id` STRING, `lead_id` STRING, `closed_at` TIMESTAMP, "
        "`amount` DECIMAL(18,4), `utm_source` STRING, `utm_medium` STRING, `utm_campaign` "
        "STRING, `utm_content` STRING, `utm_term` STRING, `channel` STRING, `import_id` BIGINT, "
        "`client` STRING, `month` STRING"
    )


def test_content_on_spark_is_the_workspaces(spark: Any, lake: tuple[Workspace, Path]) -> None:
    """`smmkpi content` over the lake groups the same posts with the same figures as over the
    workspace's DuckDB, for every client and grouping (the JSON compared as text would be, but
    for the last bits of the ratios)."""
    workspace, folder = lake
    runner = CliRunner()
    compared = 0
    for client in ("moscow", "la", "quiet"):
        for by in ("kind", "weekday", "slot"):
            args = ["-w", str(workspace.path), "content", client, "--month", "2025-03",
                    "--by", by, "--format", "json"]  # fmt: skip
            here = runner.invoke(app, args)
            there = runner.invoke(app, [*args, "--engine", "spark", "--lake", str(folder)])
            assert here.exit_code == 0 and there.exit_code == 0, here.output + there.output
            ours, spark_found = json.loads(here.stdout), json.loads(there.stdout)
            assert [g["key"] for g in spark_found["groups"]] == [g["key"] for g in ours["groups"]]
            pairs = zip([ours["total"], *ours["groups"]],
                        [spark_found["total"], *spark_found["groups"]], strict=True)  # fmt: skip
            for mine, theirs in pairs:
                assert theirs == {k: pytest.approx(v) if isinstance(v, float) else v
                                  for k, v in mine.items()}  # fmt: skip
            compared += len(ours["groups"])
    assert compared > 10
