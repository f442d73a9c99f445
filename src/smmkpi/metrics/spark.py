"""The KPI catalogue on Apache Spark over a Parquet lake (``smmkpi export LAKE --format
parquet``): a Spark session and the lake's tables as its views, on which the KPI queries run —
the same compiled definitions as on DuckDB and PostgreSQL.

Locally Spark runs in the process's JVM (``local[*]``, Java 17+); on a cluster pass its master
URL (``--master spark://…``, ``yarn``, ``k8s://…``) and a lake path every executor can read (a
shared file system or object storage).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import warnings
from pathlib import Path
from typing import Any

import pyarrow as pa

from smmkpi.caches import cache_root
from smmkpi.errors import UserError
from smmkpi.extras import missing
from smmkpi.i18n import _
from smmkpi.store.connection import Backend
from smmkpi.store.tables import TABLES

DEFAULT_MASTER = "local[*]"
SPARK = "pyspark"  # the dialect's name as Ibis names it
LOCAL_JVM_OPTIONS = (
    "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable -Xlog:all=warning,cds*=off:stderr"
)
"""The JVM of a local session starts and compiles Spark's generated code sooner with the quick
compiler only, and one collector thread suits a command's short life; its own warnings go to
standard error, never into a command's output (docs/benchmarks.md)."""
ARCHIVE_SETTLED = 60
"""Seconds a class archive's file must be left alone before it is taken as written whole."""
ARCHIVE_MINIMUM = 1 << 20
"""Bytes below which a class archive was never written (its command did not end normally)."""


def spark_session(master: str = DEFAULT_MASTER) -> Any:
    """A Spark session for the KPI queries: UTC (moments are compared as UTC instants, as
    on the other engines), partition values read as text (client ids stay strings), no web UI."""
    # PySpark asks for pandas < 3 on import; smmkpi hands Spark Arrow tables, not pandas
    warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise missing("spark") from None
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
        builder = builder.config("spark.sql.shuffle.partitions", "8").config(
            "spark.driver.extraJavaOptions", f"{LOCAL_JVM_OPTIONS} {class_archive_option()}"
        )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def class_archive_option() -> str:
    """The JVM option that starts a local session from an archive of Spark's classes.

    Java loads and checks some 15,000 classes to start Spark; a class-data-sharing archive of
    them (``-XX:SharedArchiveFile``, in the user's cache folder, about 180 MB) maps them in
    instead: a command's start is 6 s shorter. The first command writes it as its JVM exits
    (``-XX:ArchiveClassesAtExit``, under its process id, so that two commands never write one
    file); a later one takes it once it has stopped changing. The archive's name holds what it
    depends on — the Java binary and Spark's jars — so an upgrade starts a new one, and Java
    ignores an archive that does not fit (it starts as it would without)."""
    folder = cache_root() / "spark"
    stem = f"classes-{_archive_key()}"
    archive = folder / f"{stem}.jsa"
    written = list(folder.glob(f"{stem}.*.jsa"))
    settled = [w for w in written if _left_alone(w)]
    for done in settled:
        try:
            if archive.is_file() or done.stat().st_size < ARCHIVE_MINIMUM:  # or never written
                done.unlink(missing_ok=True)
            else:
                done.replace(archive)
        except FileNotFoundError:  # another command took it first
            continue
    if archive.is_file():
        return f"-XX:SharedArchiveFile={archive}"
    if len(written) > len(settled):
        return ""  # another command is writing it
    folder.mkdir(parents=True, exist_ok=True)
    mine = folder / f"{stem}.{os.getpid()}.jsa"
    mine.touch()  # says to the commands starting meanwhile that it is being written
    return f"-XX:ArchiveClassesAtExit={mine}"


def _left_alone(path: Path) -> bool:
    """Whether ``path`` has not changed for ``ARCHIVE_SETTLED`` seconds (a file another command
    took away meanwhile has not)."""
    try:
        return time.time() - path.stat().st_mtime > ARCHIVE_SETTLED
    except FileNotFoundError:
        return False


def _archive_key() -> str:
    import pyspark

    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home, "bin", "java") if java_home else Path(shutil.which("java") or "java")
    jars = Path(pyspark.__file__).parent / "jars"
    parts = [LOCAL_JVM_OPTIONS, pyspark.__version__]
    for path in (java.resolve(), jars):
        parts += [str(path), str(path.stat().st_mtime_ns) if path.exists() else ""]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def lake_backend(session: Any, lake: Path) -> Backend:
    """``session`` as the engine the KPI queries run on, the lake's canonical tables its views
    (the queries' SQL comes compiled from the plan cache: Ibis is loaded only to compile it)."""
    from smmkpi.store.lake import MARKER, lake_schema  # pyarrow.dataset: only when Spark is used

    if not (lake / MARKER).is_file():
        raise UserError(
            _(
                "{lake} is not an smmkpi lake: write one with `smmkpi export {lake} --format "
                "parquet`."
            ).format(lake=lake)
        )
    for table in TABLES:
        # the schema given, not inferred: Spark would read every file's footer to find it
        session.read.schema(spark_ddl(lake_schema(table))).option(
            "basePath", str(lake / table.name)
        ).parquet(str(lake / table.name)).createOrReplaceTempView(table.name)
    return Backend(SPARK, session)


SPARK_TYPES = {"string": "STRING", "int64": "BIGINT", "date32[day]": "DATE"}


def spark_ddl(schema: pa.Schema) -> str:
    """The columns of an Arrow schema as Spark's DDL: ``a`` STRING, ``b`` DECIMAL(18,4)."""
    columns = []
    for field in schema:
        kind = field.type
        if pa.types.is_decimal(kind):
            spark = f"DECIMAL({kind.precision},{kind.scale})"
        elif pa.types.is_timestamp(kind):
            spark = "TIMESTAMP"
        else:
            spark = SPARK_TYPES[str(kind)]
        columns.append(f"`{field.name}` {spark}")
    return ", ".join(columns)
