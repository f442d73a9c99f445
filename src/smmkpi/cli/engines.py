"""Where a command computes: the workspace's own database, or Spark over a Parquet lake
(``--engine spark --lake LAKE``) — the options ``kpi`` and ``content`` share."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from smmkpi.cli.state import console
from smmkpi.errors import InvalidArgumentError, UnknownChoiceError
from smmkpi.i18n import _
from smmkpi.metrics.spark import DEFAULT_MASTER, lake_backend, spark_session

ENGINES = ("workspace", "spark")

EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="Where to compute: the workspace's own database, or spark over a Parquet lake "
        "(with --lake).",
    ),
]
LakeOption = Annotated[
    Path | None,
    typer.Option("--lake", help="The Parquet lake `smmkpi export LAKE --format parquet` wrote."),
]
MasterOption = Annotated[
    str,
    typer.Option("--master", help="Spark's master URL: local[*], spark://HOST:7077, yarn …"),
]
__all__ = ["DEFAULT_MASTER", "ENGINES", "EngineOption", "LakeOption", "MasterOption"]


def check_engine(engine: str, lake: Path | None) -> None:
    """Refuse an unknown engine, and Spark without a lake or a lake without Spark."""
    if engine not in ENGINES:
        raise UnknownChoiceError(_("engine"), engine, ENGINES)
    if (engine == "spark") != (lake is not None):
        raise InvalidArgumentError(_("--engine spark and --lake LAKE go together."))


def spark_backend(lake: Path, master: str) -> Any:
    """A Spark session over ``lake``, started with a word to the user (it takes seconds)."""
    with console.status(_("Starting Spark…")):
        return lake_backend(spark_session(master), lake)
