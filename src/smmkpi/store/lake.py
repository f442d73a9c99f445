"""The canonical tables as a Parquet lake, laid out the way Spark, DuckDB, Trino and pandas read
partitioned data: one folder per table, a folder per month, and within a month the rows of
each client together (``LAKE/posts/month=2025-03/part-0.parquet``, sorted by client, then time).

Every stored column is written with its type (money as decimal(18, 4), moments as UTC
timestamps), plus ``import_id`` — the KPI queries read the same columns as from the database —
``client`` (the row's client, also for tables keyed by account) and the partition ``month`` (the
month of the row's date, or of its moment in UTC; clients and accounts are not split by month).

Why not a folder per client and month: at the benchmark's agency (500 clients, 4M posts) that
is 75,501 files of a few hundred rows, 1.2M files at 16×, and Spark opens every file it may
need (88 s for a month at 1×). Sorted by client, a month's file is cut into row groups of a
range of clients whose Parquet statistics let a reader skip the other clients' rows, and the
time columns' statistics let it skip the other months' files unread (docs/scale.md).

Rows stream from the store in Arrow batches. The lake is written next to its place and swapped
in when complete, so a reader never sees half of it.
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
MONTH = "month"  # the partition column
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
    """A table's columns in the lake: the stored ones, ``import_id``, ``client`` and, for the
    tables split by month, the partition ``month``."""
    months = [pa.field(MONTH, pa.string())] if table.name in MONTH_OF else []
    return pa.schema(
        [arrow_field(c) for c in table.stored_columns]
        + [pa.field("import_id", pa.int64()), pa.field("client", pa.string())]
        + months
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
    written = []
    for table in TABLES:
        if on_table:
            on_table(table.name)
        rows = _write_table(store, table, partial / table.name)
        written.append(LakeTable(table.name, folder / table.name, rows))
    (partial / MARKER).write_text("smmkpi lake: canonical tables by month, sorted by client\n")
    if folder.exists():
        shutil.rmtree(folder)
    partial.rename(folder)
    return written


def _write_table(store: Store, table: Table, path: Path) -> int:
    schema = lake_schema(table)
    counted = [0]

    def batches() -> Iterator[pa.RecordBatch]:
        for batch in _stored_batches(store, table):
            counted[0] += batch.num_rows
            yield _with_month(table, batch, schema)

    by_month = schema.get_field_index(MONTH) >= 0
    ds.write_dataset(
        batches(),
        path,
        schema=schema,
        format="parquet",
        partitioning=(
            ds.partitioning(pa.schema([schema.field(MONTH)]), flavor="hive") if by_month else None
        ),
        existing_data_behavior="overwrite_or_ignore",
        preserve_order=True,  # client by client, as the store hands them over
        min_rows_per_group=BATCH_ROWS,  # a batch spreads over months: gather full row groups
        max_rows_per_group=BATCH_ROWS,
    )
    return counted[0]


def _stored_batches(store: Store, table: Table) -> Iterator[pa.RecordBatch]:
    """The table's rows with their client, in the lake's order: client, then time."""
    names = [c.name for c in table.stored_columns] + ["import_id"]
    columns = ", ".join(f't."{c}"' for c in names)
    month = MONTH_OF.get(table.name)
    when = f', t."{month}"' if month else ""
    if any(c.name == "client_id" for c in table.stored_columns):
        source, client = f"{table.name} t", "t.client_id"
    else:
        source = f"{table.name} t JOIN accounts a ON a.account_id = t.account_id"
        client = "a.client_id"
    query = f"SELECT {columns}, {client} AS client FROM {source} ORDER BY {client}{when}"
    yield from store.con.sql(query).to_arrow_reader(BATCH_ROWS)


def _with_month(table: Table, batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """The batch in the lake's types, with the month it belongs to."""
    columns = batch.schema.names
    arrays = [batch.column(i).cast(schema.field(i).type) for i in range(batch.num_columns)]
    month_column = MONTH_OF.get(table.name)
    if month_column is not None:
        moments = batch.column(columns.index(month_column))
        if pa.types.is_timestamp(moments.type):
            moments = pc.cast(moments, pa.timestamp("us", tz="UTC"))
        else:  # a date
            moments = pc.cast(moments, pa.timestamp("s"))
        arrays.append(pc.strftime(moments, format="%Y-%m"))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)
