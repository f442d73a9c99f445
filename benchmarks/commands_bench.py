"""Whole commands as people run them — fresh processes, paired rounds — against their floors
measured in the same run:

    .venv/bin/python benchmarks/commands_bench.py              # 7 rounds
    .venv/bin/python benchmarks/commands_bench.py --rounds 15

1. ``smmkpi kpi --month 2025-10 --format json`` for 250 clients / 1,000 accounts × 730 days /
   2M posts (the KPI benchmark's agency at half size, generated once into benchmarks/.data),
   against its floor: a fresh Python process that opens the same database with DuckDB, runs
   hand-written SQL of the core aggregates (kpi_bench.hand_sql: daily and post sums, followers,
   mentions, web sessions, leads, sales, ad spend) and fetches them as Arrow. Issue 17's goal:
   ≤ 1.5 × the floor.
2. ``smmkpi report homedecor --month 2026-10`` (PDF, XLSX and HTML, Russian) on the demo agency
   as of 26 November 2026, against the floor of a fresh process in which WeasyPrint alone turns
   that report's finished HTML into a PDF. Issue 17's goal: ≤ 2 s.

Each command is run once to warm the file cache and the plan cache (as any second command of a
user finds them), then the rounds alternate command and floor. Medians and ratios are printed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
SMMKPI = str(Path(sys.executable).parent / "smmkpi")
DATA = ROOT / "benchmarks" / ".data"

FLOOR_KPI = """
import sys
import duckdb
queries = [q for q in open(sys.argv[2], encoding="utf-8").read().split(";\\n") if q.strip()]
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("SET TimeZone = 'UTC'")
tables = [con.sql(q).to_arrow_table() for q in queries]
print(sum(t.num_rows for t in tables))
"""

FLOOR_PDF = """
import sys
from weasyprint import HTML
HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])
"""


def wall(command: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=cwd
    )
    return time.perf_counter() - started


def paired(pairs: dict[str, list[str]], rounds: int, cwd: Path) -> dict[str, float]:
    for command in pairs.values():
        wall(command, cwd)
    times: dict[str, list[float]] = {name: [] for name in pairs}
    for _round in range(rounds):
        for name, command in pairs.items():
            times[name].append(wall(command, cwd))
    return {name: statistics.median(found) for name, found in times.items()}


def kpi_workspace(folder: Path) -> tuple[Path, Path]:
    """The half-size agency as a workspace, and the hand-written SQL of its month."""
    import shutil

    import kpi_bench
    from smmkpi.workspace import Workspace

    data = DATA / "bench-1000-730-2000000.duckdb"
    if not data.exists():
        print(f"Generating {data.name} …", flush=True)
        DATA.mkdir(parents=True, exist_ok=True)
        kpi_bench.generate(data, 1000, 730, 2_000_000)
    workspace, _created = Workspace.init(folder, "Benchmark agency")
    workspace.database_path.unlink()
    shutil.copy(data, workspace.database_path)
    sql = folder / "hand.sql"
    sql.write_text(";\n".join(kpi_bench.hand_sql("2025-10-01", "2025-10-31").values()) + ";\n")
    return workspace.database_path, sql


def report_workspace(folder: Path) -> Path:
    """The demo agency, and homedecor's October report as finished HTML."""
    subprocess.run(
        [SMMKPI, "demo", str(folder), "--as-of", "2026-11-26"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    subprocess.run(
        [SMMKPI, "-w", str(folder), "report", "homedecor", "--month", "2026-10"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return folder / "reports" / "2026-10" / "homedecor-2026-10-ru.html"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="paired rounds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        database, sql = kpi_workspace(base / "agency")
        kpi = paired(
            {
                "floor: hand-written DuckDB SQL": [
                    sys.executable, "-c", FLOOR_KPI, str(database), str(sql),
                ],
                "smmkpi kpi --format json": [
                    SMMKPI, "-w", str(base / "agency"), "kpi", "--month", "2025-10",
                    "--format", "json",
                ],
            },
            args.rounds,
            base,
        )  # fmt: skip
        html = report_workspace(base / "demo")
        report = paired(
            {
                "floor: WeasyPrint alone, HTML → PDF": [
                    sys.executable, "-c", FLOOR_PDF, str(html), str(base / "floor.pdf"),
                ],
                "smmkpi report (PDF + XLSX + HTML)": [
                    SMMKPI, "-w", str(base / "demo"), "report", "homedecor", "--month",
                    "2026-10",
                ],
            },
            args.rounds,
            base,
        )  # fmt: skip
    print(f"{'command':<40} {'median s':>9} {'× floor':>8}")
    for found in (kpi, report):
        floor = next(iter(found.values()))
        for name, median in found.items():
            print(f"{name:<40} {median:>9.3f} {median / floor:>8.2f}")
    kpi_ratio = kpi["smmkpi kpi --format json"] / kpi["floor: hand-written DuckDB SQL"]
    print(f"kpi --format json: {kpi_ratio:.2f} × its floor (goal ≤ 1.5)")
    print(f"report: {report['smmkpi report (PDF + XLSX + HTML)']:.2f} s (goal ≤ 2 s)")


if __name__ == "__main__":
    main()
