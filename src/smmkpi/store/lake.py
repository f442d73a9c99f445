"""The canonical tables as a Parquet lake: one folder per table, partitioned by client and
month the way Spark, DuckDB, Trino and pandas read partitioned data
(``LAKE/posts/client=moscow/month=2025-03/part-0.parquet``).

Every stored column is written with its type (money as decimal(18, 4), moments as UTC
timestamps), plus ``import_id`` — the KPI queries read the same columns as from the database —
and the two partition columns ``client`` and ``month`` (the month of the row's date, or of its
moment in UTC; clients and accounts are partitioned by client only). Rows stream from the store
in Arrow batches. The lake is written next to its place and swapped in when complete, so a
reader never sees half of it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.store.arrow import arrow_field
from smmkpi.store.database import Store
from smmkpi.store.tables import TABLES, Table

BATCH_ROWS = 100_000
PARTITIONS = ("client", "month")
MONTH_OF = {  # the column a row's month is taken from
    "account_daily": "date",
    "posts": "published_at",
    "mentions": "published_at",
    "web_sessions": "date",
    "leads": "created_at",
    "sales": "closed_at",
    "ad_spend": "date",
}
MARKER = "_smmkpi_lake"  # a file that says the folder is a complete lake


@dataclass(frozen=True)
class LakeTable:
    table: str
    path: Path
    rows: int


def lake_schema(table: Table) -> pa.Schema:
    """A table's columns in the lake: the stored ones, ``import_id``, the partitions."""
    return pa.schema(
        [arrow_field(c) for c in table.stored_columns]
        + [pa.field("import_id", pa.int64())]
        + [pa.field(name, pa.string()) for name in PARTITIONS]
    )


def export_lake(
    store: Store, folder: Path, on_table: Callable[[str], None] | None = None
) -> list[LakeTable]:
    """Write every canonical table into the lake ``folder`` (replaced when it is a lake
    already; any other folder with files in it is refused)."""
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).exists():
        raise UserError(
            _(
                "{folder} holds files that are not an smmkpi lake; choose an empty or new folder."
            ).format(folder=folder)
        )
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    owners = dict(store.con.execute("SELECT account_id, client_id FROM accounts").fetchall())
    written = []
    for table in TABLES:
        if on_table:
            on_table(table.name)
        rows = _write_table(store, table, partial / table.name, owners)
        written.append(LakeTable(table.name, folder / table.name, rows))
    (partial / MARKER).write_text("smmkpi lake: canonical tables by client and month\n")
    if folder.exists():
        shutil.rmtree(folder)
    partial.rename(folder)
    return written


def _write_table(store: Store, table: Table, path: Path, owners: dict[str, str]) -> int:
    schema = lake_schema(table)
    counted = [0]

    def batches() -> Iterator[pa.RecordBatch]:
        for batch in _stored_batches(store, table):
            counted[0] += batch.num_rows
            yield _with_partitions(table, batch, owners, schema)

    ds.write_dataset(
        batches(),
        path,
        schema=schema,
        format="parquet",
        partitioning=ds.partitioning(
            pa.schema([schema.field(name) for name in PARTITIONS]), flavor="hive"
        ),
        existing_data_behavior="overwrite_or_ignore",
        max_partitions=1_000_000,  # clients × months of a large agency network
        max_rows_per_group=BATCH_ROWS,
    )
    return counted[0]


def _stored_batches(store: Store, table: Table) -> Iterator[pa.RecordBatch]:
    """The table's rows in partition order (client, then time), so that each partition is
    written at once, into one file."""
    names = [c.name for c in table.stored_columns] + ["import_id"]
    columns = ", ".join(f't."{c}"' for c in names)
    month = MONTH_OF.get(table.name)
    when = f', t."{month}"' if month else ""
    if any(c.name == "client_id" for c in table.stored_columns):
        query = f"SELECT {columns} FROM {table.name} t ORDER BY t.client_id{when}"
    else:
        query = (
            f"SELECT {columns} FROM {table.name} t JOIN accounts a ON a.account_id = "
            f"t.account_id ORDER BY a.client_id{when}"
        )
    yield from store.con.sql(query).to_arrow_reader(BATCH_ROWS)


def _with_partitions(
    table: Table, batch: pa.RecordBatch, owners: dict[str, str], schema: pa.Schema
) -> pa.RecordBatch:
    columns = batch.schema.names
    if "client_id" in columns:
        client = batch.column(columns.index("client_id"))
    else:
        accounts = batch.column(columns.index("account_id")).to_pylist()
        client = pa.array([owners.get(a) for a in accounts], pa.string())
    month_column = MONTH_OF.get(table.name)
    if month_column is None:
        month = pa.nulls(batch.num_rows, pa.string())
    else:
        moments = batch.column(columns.index(month_column))
        if pa.types.is_timestamp(moments.type):
            moments = pc.cast(moments, pa.timestamp("us", tz="UTC"))
        else:  # a date
            moments = pc.cast(moments, pa.timestamp("s"))
        month = pc.strftime(moments, format="%Y-%m")
    arrays = [batch.column(i).cast(schema.field(i).type) for i in range(batch.num_columns)] + [
        pc.cast(client, pa.string()),
        month,
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)
