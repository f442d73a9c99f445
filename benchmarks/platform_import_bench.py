"""Importing million-row platform exports: time and peak memory, against DuckDB's own reader.

    .venv/bin/python benchmarks/platform_import_bench.py            # 1,000,000 rows each
    .venv/bin/python benchmarks/platform_import_bench.py --rows 200000

Writes two exports shaped like the real ones, then imports each, in its own process so that
the peak memory is its own:

- **Yandex Metrica** "Метки UTM" by day, downloaded as CSV (every cell quoted, Russian headers,
  the ``Итого и средние`` row, ``Не определено``, goal reaches): 1,000,000 rows → web_sessions.
- **Mentions** from a listening tool (CSV, multi-line texts with emoji, no ids: each id is made
  from the mention): 1,000,000 rows → mentions.

For each: (a) ``smmkpi import`` (detected by content, every cell read leniently, checked,
staged, merged, logged), (b) the same import again (nothing changes), (c) a baseline: DuckDB's
``read_csv`` loading the same file into a table, with no checks.

The budget (issue 3, DESIGN.md): a 1M-row export imports with peak memory under 1 GB.
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

SOURCES = ("vk", "telegram", "instagram", "yandex", "google", "Не определено")
MEDIUMS = ("social", "cpc", "email", "Не определено")
WORDS = (
    "кофе",
    "раф",
    "латте",
    "зерно",
    "обжарка",
    "доставка",
    "вкусно",
    "дорого",
    "очередь",
    "бариста",
    "☕",
    "🔥",
)


def write_metrica(path: Path, rows: int) -> None:
    """Days × UTM combinations; campaigns and contents vary so the rows are distinct."""
    first = date(2023, 1, 1)
    per_day = max(1, rows // 730)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(
            [
                "Дата визита",
                "UTM Source",
                "UTM Medium",
                "UTM Campaign",
                "UTM Content",
                "UTM Term",
                "Визиты",
                "Посетители",
                "Отказы",
                "Достижения цели (Заявка)",
            ]
        )
        writer.writerow(["Итого и средние", "", "", "", "", "", "9 999 999", "8 888 888", "", "1"])
        for n in range(rows):
            day = (first + timedelta(days=n // per_day)).isoformat()
            writer.writerow(
                [
                    day,
                    SOURCES[n % len(SOURCES)],
                    MEDIUMS[n % len(MEDIUMS)],
                    f"campaign_{n % 97}",
                    f"post_{n % per_day}",
                    "Не определено",
                    f"{1000 + n % 9000:,}".replace(",", " "),
                    str(500 + n % 500),
                    "12,5 %",
                    str(n % 7),
                ]
            )


def write_mentions(path: Path, rows: int) -> None:
    first = date(2024, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Дата", "Автор", "Площадка", "Текст", "Ссылка", "Тональность"])
        for n in range(rows):
            day = first + timedelta(days=n % 700)
            text = " ".join(WORDS[(n + i) % len(WORDS)] for i in range(14))
            writer.writerow(
                [
                    f"{day:%d.%m.%Y} {n % 24:02d}:{n % 60:02d}",
                    f"author_{n % 50_000}",
                    ("ВКонтакте", "Telegram", "pikabu.ru", "Дзен")[n % 4],
                    f"Кофелаб #{n}\n{text}",
                    f"https://example.ru/post/{n}",
                    ("позитивная", "нейтральная", "негативная")[n % 3],
                ]
            )


def _child(kind: str, file: str, workspace: str, queue: Any) -> None:
    try:
        queue.put(_measured(kind, file, workspace))
    except Exception as error:  # the parent waits on the queue: it must hear of a failure
        queue.put({"error": f"{type(error).__name__}: {error}"})


def _measured(kind: str, file: str, workspace: str) -> dict[str, Any]:
    start = time.perf_counter()
    if kind == "baseline":
        import duckdb

        con = duckdb.connect(str(Path(workspace) / "baseline.duckdb"))
        con.execute("CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv(?, header = true)", [file])
        rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
        changed = True
    else:
        from smmkpi.ingest.context import ImportContext
        from smmkpi.ingest.service import import_paths
        from smmkpi.workspace import Workspace

        ws = Workspace.open(Path(workspace))
        with ws.open_store() as store:
            (report,) = list(import_paths(store, [Path(file)], ImportContext(client_id="c")))
        if report.error is not None:
            raise report.error
        assert report.outcome is not None
        rows = sum(c.total for c in report.outcome.tables.values())
        changed = report.outcome.changed
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": elapsed, "peak_mb": peak, "rows": rows, "changed": changed}


def measure(kind: str, file: Path, workspace: Path) -> dict[str, Any]:
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(kind, str(file), str(workspace), queue))
    process.start()
    result: dict[str, Any] = queue.get()
    process.join()
    if "error" in result:
        raise SystemExit(f"{kind} of {file} failed: {result['error']}")
    return result


def run(name: str, file: Path, tmp: Path) -> None:
    from smmkpi.ingest.pipeline import run_import
    from smmkpi.ingest.records import RecordsSource
    from smmkpi.workspace import Workspace

    workspace = tmp / f"ws-{name}"
    ws, _ = Workspace.init(workspace)
    with ws.open_store() as store:
        run_import(
            store,
            RecordsSource(
                "clients", [{"client_id": "c", "name": "C", "timezone": "Europe/Moscow"}], "c"
            ),
        )
    size = file.stat().st_size / 2**20
    print(f"{name}: {file.name}, {size:.0f} MB")
    first = measure("import", file, workspace)
    again = measure("import", file, workspace)
    baseline = measure("baseline", file, tmp)
    for label, result in (
        ("(a) smmkpi import", first),
        ("(b) the same import again", again),
        ("(c) DuckDB read_csv, no checks", baseline),
    ):
        print(
            f"  {label:32} {result['seconds']:7.2f} s   peak RSS {result['peak_mb']:6.0f} MB"
            f"   {result['rows']:,} rows{'' if result['changed'] else ', nothing changed'}"
        )
    print(
        f"  (a) / (c) = {first['seconds'] / baseline['seconds']:.1f}   "
        f"peak memory of (a) = {first['peak_mb']:.0f} MB (budget < 1024)\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--only", choices=("metrica", "mentions"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if args.only in (None, "metrica"):
            metrica = tmp / "utm_by_day.csv"
            write_metrica(metrica, args.rows)
            run("metrica", metrica, tmp)
        if args.only in (None, "mentions"):
            mentions = tmp / "mentions.csv"
            write_mentions(mentions, args.rows)
            run("mentions", mentions, tmp)


if __name__ == "__main__":
    main()
