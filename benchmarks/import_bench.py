"""Importing a million-row canonical file: time and peak memory, against DuckDB's own reader.

    .venv/bin/python benchmarks/import_bench.py            # 1,022,000 daily rows
    .venv/bin/python benchmarks/import_bench.py --accounts 100

Writes ``account_daily.csv`` (1,400 accounts × 730 days, 36 MB) with its clients and accounts,
then, each in its own process so that the peak memory is its own:

(a) ``smmkpi import`` through the product's path: every cell checked, staged, merged, logged;
(b) the same import again: nothing changes;
(c) a baseline: DuckDB's ``read_csv`` loading the same file into a table, with no checks.

The budget (DESIGN.md): streaming, peak memory under 1 GB.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def write_files(folder: Path, accounts: int, days: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "clients.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["client_id", "name"], ["c", "Client"]])
    with (folder / "accounts.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["account_id", "client_id", "platform"])
        writer.writerows([f"a{a}", "c", "vk"] for a in range(accounts))
    first = date(2024, 1, 1)
    with (folder / "account_daily.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "account_id",
                "date",
                "followers",
                "followers_gained",
                "followers_lost",
                "reach",
                "impressions",
            ]
        )
        for a in range(accounts):
            for d in range(days):
                day = (first + timedelta(days=d)).isoformat()
                writer.writerow([f"a{a}", day, 1000 + d, d % 7, d % 3, 500 + d, 800 + d])
    return accounts * days


def _child(kind: str, folder: str, workspace: str, queue: Any) -> None:
    start = time.perf_counter()
    if kind == "baseline":
        import duckdb

        con = duckdb.connect(str(Path(workspace) / "baseline.duckdb"))
        con.execute(
            "CREATE TABLE account_daily AS SELECT * FROM read_csv(?, header = true)",
            [str(Path(folder) / "account_daily.csv")],
        )
        rows = con.execute("SELECT count(*) FROM account_daily").fetchone()[0]
        changed = True
    else:
        from smmkpi.ingest.canonical import CanonicalSource
        from smmkpi.ingest.pipeline import run_import
        from smmkpi.workspace import Workspace

        ws, _ = Workspace.init(Path(workspace))
        with ws.open_store() as store:
            outcome = run_import(store, CanonicalSource(Path(folder)))
        rows = outcome.tables["account_daily"].total
        changed = outcome.changed
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put({"seconds": elapsed, "peak_mb": peak, "rows": rows, "changed": changed})


def measure(kind: str, folder: Path, workspace: Path) -> dict[str, Any]:
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(kind, str(folder), str(workspace), queue))
    process.start()
    result: dict[str, Any] = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=1400)
    parser.add_argument("--days", type=int, default=730)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "files"
        rows = write_files(folder, args.accounts, args.days)
        size = (folder / "account_daily.csv").stat().st_size / 2**20
        print(f"account_daily.csv: {rows:,} rows, {size:.0f} MB\n")
        first = measure("import", folder, Path(tmp) / "ws")
        again = measure("import", folder, Path(tmp) / "ws")
        baseline = measure("baseline", folder, Path(tmp))
    for name, result in (
        ("(a) smmkpi import", first),
        ("(b) the same import again", again),
        ("(c) DuckDB read_csv, no checks", baseline),
    ):
        print(
            f"{name:32} {result['seconds']:7.2f} s   peak RSS {result['peak_mb']:6.0f} MB"
            f"   {result['rows']:,} rows{'' if result['changed'] else ', nothing changed'}"
        )
    print(
        f"\n(a) / (c) = {first['seconds'] / baseline['seconds']:.1f}   "
        f"rows per second: {rows / first['seconds']:,.0f}"
    )
    print(f"peak memory of (a) = {first['peak_mb']:.0f} MB   (budget < 1024)")


if __name__ == "__main__":
    main()
