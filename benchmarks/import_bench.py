"""Importing a canonical export of 2.4 million rows: time and peak memory, against DuckDB's own
reader.

    .venv/bin/python benchmarks/import_bench.py                 # 405,880 days + 2,001,600 posts
    .venv/bin/python benchmarks/import_bench.py --accounts 100  # a quick look

Writes ``account_daily.csv`` (1,112 accounts × 365 days) and ``posts.csv`` (1,800 posts an
account: Russian captions, one in twenty over several lines, quoted with commas) with their
clients and accounts — 250 MB — then, each in its own process so that the peak memory is its
own:

(a) ``smmkpi import`` through the product's path: every cell checked, staged, merged, logged;
(b) the same import again: nothing changes;
(c) a baseline: DuckDB's ``read_csv`` loading the same two files into tables, with no checks.

Issue 17's goal: (a) within 5 × (c), peak memory under 0.5 GB.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def write_files(folder: Path, accounts: int, days: int, posts: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "clients.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["client_id", "name"])
        writer.writerows([f"c{c}", f"Клиент {c}"] for c in range((accounts + 4) // 5))
    with (folder / "accounts.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["account_id", "client_id", "platform"])
        writer.writerows([f"a{a}", f"c{a // 5}", "vk"] for a in range(accounts))
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
    start = datetime(2024, 1, 1, 9)
    with (folder / "posts.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "account_id",
                "post_id",
                "published_at",
                "kind",
                "text",
                "url",
                "likes",
                "comments",
                "shares",
                "views",
                "reach",
                "captured_at",
            ]
        )
        for a in range(accounts):
            for p in range(posts):
                moment = (start + timedelta(hours=5 * p)).strftime("%Y-%m-%dT%H:%M:%S+03:00")
                text = f"Пост {p}: новый вкус #кофе"
                if p % 20 == 0:
                    text += ",\nприходите в субботу"
                writer.writerow(
                    [
                        f"a{a}",
                        100000 + p,
                        moment,
                        "post",
                        text,
                        f"https://vk.com/wall-{a}_{p}",
                        p % 50,
                        p % 7,
                        p % 3,
                        1000 + p,
                        800 + p,
                        "2025-01-01T00:00:00Z",
                    ]
                )
    return accounts * days + accounts * posts


def _child(kind: str, folder: str, workspace: str, queue: Any) -> None:
    start = time.perf_counter()
    if kind == "baseline":
        import duckdb

        con = duckdb.connect(str(Path(workspace) / "baseline.duckdb"))
        rows = 0
        for table in ("account_daily", "posts"):
            con.execute(
                f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, header = true)",
                [str(Path(folder) / f"{table}.csv")],
            )
            rows += con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        changed = True
    else:
        from smmkpi.ingest.canonical import CanonicalSource
        from smmkpi.ingest.pipeline import run_import
        from smmkpi.workspace import Workspace

        ws, _ = Workspace.init(Path(workspace))
        with ws.open_store() as store:
            outcome = run_import(store, CanonicalSource(Path(folder)))
        rows = outcome.tables["account_daily"].total + outcome.tables["posts"].total
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
    parser.add_argument("--accounts", type=int, default=1112)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--posts", type=int, default=1800, help="posts an account")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "files"
        rows = write_files(folder, args.accounts, args.days, args.posts)
        size = sum(f.stat().st_size for f in folder.iterdir()) / 2**20
        print(f"account_daily.csv and posts.csv: {rows:,} rows, {size:.0f} MB\n")
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
    print(f"peak memory of (a) = {first['peak_mb']:.0f} MB   (goal < 512)")


if __name__ == "__main__":
    main()
