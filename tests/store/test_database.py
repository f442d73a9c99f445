"""The workspace database: migrations, schema, locking, lock-down, export."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from smmkpi.errors import SchemaTooNewError, WorkspaceBusyError
from smmkpi.store.database import Store
from smmkpi.store.export import export_tables
from smmkpi.store.lake import export_lake
from smmkpi.store.migrations import MIGRATIONS, Migration
from smmkpi.store.tables import TABLES
from smmkpi.workspace import Workspace
from tests.conftest import CANONICAL, import_path, snapshot

# how each engine names a declared type back in information_schema.columns
SPELLED = {
    "duckdb": {"TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE"},
    "postgresql": {
        "VARCHAR": "character varying",
        "TEXT": "text",
        "BIGINT": "bigint",
        "INTEGER": "integer",
        "BOOLEAN": "boolean",
        "DATE": "date",
        "TIMESTAMPTZ": "timestamp with time zone",
        "TIMESTAMP": "timestamp without time zone",
        "DECIMAL(18,4)": "numeric",
    },
}


ADDED_LATER = {"posts": ["attributes"]}
"""Columns a later migration added: after ``import_id`` in every database, old or new."""


def test_migrated_schema_matches_the_table_declarations(workspace: Workspace) -> None:
    with workspace.open_store(read_only=True) as store:
        spelled = SPELLED[store.engine]
        for table in TABLES:
            described = store.con.execute(
                "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE "
                "table_name = $1 ORDER BY ordinal_position",
                [table.name],
            ).fetchall()
            stored = [(row[0], row[1]) for row in described]
            later = ADDED_LATER.get(table.name, [])
            declared = [(c.name, spelled.get(c.sql_type, c.sql_type)) for c in table.stored_columns]
            expected = [c for c in declared if c[0] not in later]
            expected.append(("import_id", spelled.get("BIGINT", "BIGINT")))
            expected += [c for c in declared if c[0] in later]  # ALTER TABLE … ADD COLUMN
            assert stored == expected, table.name
            key_not_null = {row[0] for row in described if row[2] == "NO"}
            assert (
                set(table.key) - {c.name for c in table.columns if not c.required} <= key_not_null
            )


def test_an_older_workspace_upgrades_itself_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    Store.open(path).close()  # a workspace as the current version makes it
    later = (
        *MIGRATIONS,
        Migration(
            len(MIGRATIONS) + 1,
            "a note per client",
            ("ALTER TABLE clients ADD COLUMN note VARCHAR",),
        ),
    )
    with Store.open(path, read_only=True, migrations=later) as store:
        assert store.schema_version() == len(MIGRATIONS) + 1
        columns = [row[0] for row in store.con.execute("DESCRIBE clients").fetchall()]
        assert columns[-1] == "note"
        versions = store.con.execute(
            "SELECT version, description FROM smmkpi_schema ORDER BY version"
        ).fetchall()
    assert versions[-1] == (len(MIGRATIONS) + 1, "a note per client")
    # A database newer than the code refuses to open instead of guessing.
    with pytest.raises(SchemaTooNewError, match="Upgrade smmkpi"):
        Store.open(path)


def test_a_second_writer_gets_a_clear_busy_error(duckdb_workspace: Workspace) -> None:
    workspace = duckdb_workspace
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import duckdb, sys, time
                con = duckdb.connect({str(workspace.database_path)!r})
                print("ready", flush=True)
                sys.stdin.readline()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(WorkspaceBusyError) as error:
            workspace.open_store()
        assert f"PID {holder.pid}" in str(error.value)
        assert "run the command again" in str(error.value)
    finally:
        holder.communicate("done\n", timeout=30)


def test_the_database_cannot_reach_files_or_urls(duckdb_workspace: Workspace) -> None:
    workspace = duckdb_workspace
    with workspace.open_store() as store:
        for query in (
            "SELECT * FROM read_csv_auto('/etc/passwd')",
            "SELECT * FROM read_text('/etc/hostname')",
            "COPY clients TO '/tmp/leak.csv'",
        ):
            with pytest.raises(duckdb.Error, match=r"disabled by configuration|Permission"):
                store.con.execute(query)


def test_export_canonical_reimports_to_identical_tables(
    workspace: Workspace, tmp_path: Path
) -> None:
    import_path(workspace, CANONICAL / "agency")
    import_path(workspace, CANONICAL / "restated")
    with workspace.open_store(read_only=True) as store:
        written = export_tables(store, tmp_path / "out")
    assert {w.table: w.rows for w in written}["posts"] == 15
    copy, _ = Workspace.init(tmp_path / "copy")
    outcome = import_path(copy, tmp_path / "out")
    assert outcome.totals.inserted == sum(w.rows for w in written)
    assert snapshot(copy) == snapshot(workspace)
    # The exported posts keep the 19-digit id and the two-line text exactly.
    text = (tmp_path / "out" / "posts.csv").read_text(encoding="utf-8")
    assert "1234567890123456789" in text
    assert '"Видео\nв две строки #coffeelab"' in text
    assert "2025-02-28T21:00:00Z" in text
    assert not list((tmp_path / "out").glob("*.partial"))


def test_the_parquet_lake_keeps_types_and_splits_months_sorted_by_client(
    workspace: Workspace, tmp_path: Path
) -> None:
    import_path(workspace, CANONICAL / "agency")
    lake = tmp_path / "lake"
    with workspace.open_store(read_only=True) as store:
        written = {t.table: t.rows for t in export_lake(store, lake)}
    assert written["posts"] == 15 and written["clients"] == 3
    files = sorted(str(p.relative_to(lake)) for p in lake.rglob("*.parquet"))
    # by the data's dates and UTC moments: spend on 28 February, 1 and 15 March, 1 April; all
    # leads in March (L6 at 07:59:59Z on 1 March); mention m6 at 20:59:59Z on 28 February;
    # sale S8 at 07:00Z on 1 April; a web session on 28 February
    assert [f for f in files if not f.startswith(("posts/", "account_daily/"))] == [
        "accounts/part-0.parquet",
        "ad_spend/month=2025-02/part-0.parquet",
        "ad_spend/month=2025-03/part-0.parquet",
        "ad_spend/month=2025-04/part-0.parquet",
        "clients/part-0.parquet",
        "leads/month=2025-03/part-0.parquet",
        "mentions/month=2025-02/part-0.parquet",
        "mentions/month=2025-03/part-0.parquet",
        "sales/month=2025-03/part-0.parquet",
        "sales/month=2025-04/part-0.parquet",
        "web_sessions/month=2025-02/part-0.parquet",
        "web_sessions/month=2025-03/part-0.parquet",
    ]
    # months of the moment in UTC: la's 5001-5003 in March, 5004-5005 in April (1 April 06:59Z
    # and 07:00Z); moscow's 1001 and 1002 on 28 February 20:59:59Z and 21:00Z (1002 is already
    # 1 March in Moscow: the KPIs go by each client's day, the partitions by UTC), 8001 April
    posts = {
        month: pq.read_table(lake / "posts" / f"month={month}" / "part-0.parquet")
        for month in ("2025-02", "2025-03", "2025-04")
    }
    assert [f for f in files if f.startswith("posts/")] == [
        f"posts/month={month}/part-0.parquet" for month in posts
    ]
    assert posts["2025-02"].column("post_id").to_pylist() == ["1001", "1002"]
    # within a month, client by client, each in time order (moscow's 20 March 12:00+03:00 is
    # 09:00Z, between 16 and 25 March)
    march = posts["2025-03"]
    assert march.column("client").to_pylist() == ["la"] * 3 + ["moscow"] * 7
    assert march.column("post_id").to_pylist() == [
        "5001", "5002", "5003",
        "9001", "1003", "7001", "1234567890123456789", "7002", "1004", "1005",
    ]  # fmt: skip
    assert posts["2025-04"].column("client").to_pylist() == ["la", "la", "moscow"]
    assert posts["2025-04"].column("post_id").to_pylist() == ["5004", "5005", "8001"]
    sales = pq.read_table(lake / "sales")
    assert str(sales.schema.field("amount").type) == "decimal128(18, 4)"
    assert str(sales.schema.field("closed_at").type) == "timestamp[us, tz=UTC]"
    amounts = dict(
        zip(sales.column("sale_id").to_pylist(), sales.column("amount").to_pylist(), strict=True)
    )
    assert str(amounts["S1"]) == "1000.5000"
    assert amounts["S9"] is None
