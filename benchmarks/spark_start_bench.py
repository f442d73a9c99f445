"""What a Spark command costs before its data matters: fresh processes over a tiny lake.

    .venv/bin/python benchmarks/spark_start_bench.py             # 3 paired rounds
    .venv/bin/python benchmarks/spark_start_bench.py --rounds 5

Writes the hand-computed agency of the tests (a few dozen rows) into a workspace and exports its
lake, then runs in turn, each as a fresh process:

- the floor: ``python -c`` starting a local Spark session with Spark's defaults and counting
  one row — the JVM and Spark, which any Spark command needs;
- ``smmkpi kpi --engine spark --lake LAKE --month 2025-03 --format json``: every KPI of every
  client and account, over data small enough that what is measured is the fixed part (issue 17:
  ≤ 10 s).

The cache folder is the run's own: the first command writes the archive of Spark's classes,
which the rounds then use (the first, unpaired run is reported apart).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMMKPI = str(Path(sys.executable).parent / "smmkpi")
AGENCY = ROOT / "tests" / "data" / "canonical" / "agency"
FLOOR = (
    "from pyspark.sql import SparkSession;"
    "s = SparkSession.builder.master('local[*]').getOrCreate();"
    "s.sparkContext.setLogLevel('ERROR');"
    "assert s.range(1).count() == 1"
)
BUDGET = 10.0


def wall(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="paired rounds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "SMMKPI_CACHE_DIR": str(folder / "cache"),
            "SPARK_LOCAL_IP": "127.0.0.1",
        }
        workspace = ["-w", str(folder / "ws")]
        for step in (
            ["init", "--name", "Agency"],
            ["import", str(AGENCY)],
            ["export", str(folder / "lake"), "--format", "parquet"],
        ):
            subprocess.run([SMMKPI, *workspace, *step], check=True, capture_output=True, env=env)
        kpi = [SMMKPI, *workspace, "kpi", "--engine", "spark", "--lake", str(folder / "lake")]
        kpi += ["--month", "2025-03", "--format", "json"]
        commands = {
            "floor: a local Spark session, one row": [sys.executable, "-c", FLOOR],
            "smmkpi kpi --engine spark (tiny lake)": kpi,
        }
        first = wall(kpi, env)  # writes the class archive as its JVM exits
        time.sleep(65)  # the archive is taken once it has been left alone for a minute
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _round in range(args.rounds):
            for name, command in commands.items():
                times[name].append(wall(command, env))
    floor = statistics.median(times[next(iter(commands))])
    print(f"first smmkpi command (writes the class archive): {first:.1f} s\n")
    print(f"{'command':<40} {'median s':>9} {'× floor':>8}")
    for name, found in times.items():
        median = statistics.median(found)
        print(f"{name:<40} {median:>9.2f} {median / floor:>8.2f}")
    fixed = statistics.median(times["smmkpi kpi --engine spark (tiny lake)"])
    verdict = "within" if fixed <= BUDGET else "over"
    print(f"\nfixed part {fixed:.1f} s: {verdict} the {BUDGET:.0f} s goal")


if __name__ == "__main__":
    main()
