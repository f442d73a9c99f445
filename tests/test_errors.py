"""Errors come in kinds a caller can catch: each is a UserError (the CLI shows its message), and
the kind says what went wrong — not there, not ready, unreadable, out of reach, not installed."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pytest

from smmkpi.errors import (
    InvalidArgumentError,
    MissingExtraError,
    NoPlanError,
    NotFoundError,
    NotReadyError,
    UnavailableError,
    UnknownChoiceError,
    UnreadableFileError,
    UserError,
)
from smmkpi.ingest.encodings import detect
from smmkpi.ingest.sheets import sheets
from smmkpi.metrics.periods import Period
from smmkpi.metrics.scope import ClientInfo
from smmkpi.planning import service
from smmkpi.store.database import Store
from smmkpi.workspace import Workspace
from tests.conftest import CANONICAL, import_path


def test_a_missing_plan_and_an_unknown_client_are_not_found(duckdb_workspace: Workspace) -> None:
    import_path(duckdb_workspace, CANONICAL / "agency")
    with duckdb_workspace.open_store() as store:
        with pytest.raises(NoPlanError, match="moscow has no plan for 2025-03") as missing:
            service.plan_for(store, "moscow", Period.month("2025-03"))
        with pytest.raises(UnknownChoiceError, match="Unknown client 'nobody'") as unknown:
            service.client_info(store, "nobody")
    assert isinstance(missing.value, NotFoundError) and isinstance(missing.value, UserError)
    assert isinstance(unknown.value, NotFoundError)


def test_a_client_without_a_goal_is_not_ready(duckdb_workspace: Workspace) -> None:
    with (
        duckdb_workspace.open_store() as store,
        pytest.raises(NotReadyError, match="solo has no goal yet"),
    ):
        service.goals_of(store, ClientInfo("solo", "Solo"))


def test_a_file_that_cannot_be_read_is_unreadable(tmp_path: Path) -> None:
    damaged = tmp_path / "report.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(UnreadableFileError, match=r"report\.xlsx is damaged: it starts as a work"):
        sheets(damaged)
    latin = tmp_path / "export.csv"
    latin.write_bytes(b"name\n" + bytes(range(0x80, 0x100)) * 4)
    with pytest.raises(UnreadableFileError, match="cannot tell its text encoding"):
        detect(latin)
    # a wrong option is the user's argument, not the file's fault
    with pytest.raises(InvalidArgumentError, match="'klingon' is not an encoding"):
        detect(latin, "klingon")


def test_a_postgresql_server_out_of_reach_is_unavailable() -> None:
    from tests.support.postgres import free_port

    url = f"postgresql://smmkpi@127.0.0.1:{free_port()}/smmkpi"  # nothing listens there
    with pytest.raises(UnavailableError, match="Cannot connect to the PostgreSQL database"):
        Store.open_url(url)


def test_spark_not_installed_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from smmkpi.metrics.spark import spark_session

    real = builtins.__import__

    def without_pyspark(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("pyspark"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_pyspark)
    with pytest.raises(MissingExtraError, match=r"pip install 'smmkpi\[spark\]'"):
        spark_session()
