"""The KPI catalogue on Apache Spark over a Parquet lake (``smmkpi export LAKE --format
parquet``): a Spark session, the lake's tables as its views, and an Ibis backend on it — the
same compiled definitions as on DuckDB and PostgreSQL.

Locally Spark runs in the process's JVM (``local[*]``, Java 17+); on a cluster pass its master
URL (``--master spark://…``, ``yarn``, ``k8s://…``) and a lake path every executor can read (a
shared file system or object storage).
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

from smmkpi.errors import MissingExtraError, UserError
from smmkpi.i18n import _
from smmkpi.store.tables import TABLES

DEFAULT_MASTER = "local[*]"


def spark_session(master: str = DEFAULT_MASTER) -> Any:
    """A Spark session for the KPI queries: UTC (moments are compared as UTC instants, as
    on the other engines), partition values read as text (client ids stay strings), no web UI."""
    # PySpark asks for pandas < 3 on import; smmkpi hands Spark Arrow tables, not pandas
    warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise MissingExtraError(
            _("Spark is not installed: pip install 'smmkpi[spark]' (and Java 17 or newer).")
        ) from None
    builder = (
        SparkSession.builder.master(master)
        .appName("smmkpi")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.ansi.enabled", "false")
    )
    if master.startswith("local"):
        # one machine: the driver listens on loopback only (and Spark does not warn that the
        # host name resolves to it), and a month's shuffles are small
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = builder.config("spark.sql.shuffle.partitions", "8")
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def lake_backend(session: Any, lake: Path) -> Any:
    """An Ibis backend on ``session`` whose canonical tables are the lake's."""
    import ibis

    from smmkpi.store.lake import MARKER  # pyarrow.dataset, pandas: only when Spark is used

    if not (lake / MARKER).is_file():
        raise UserError(
            _(
                "{lake} is not an smmkpi lake: write one with `smmkpi export {lake} --format "
                "parquet`."
            ).format(lake=lake)
        )
    for table in TABLES:
        session.read.option("basePath", str(lake / table.name)).parquet(
            str(lake / table.name)
        ).createOrReplaceTempView(table.name)
    return ibis.pyspark.connect(session)
