"""The same month on DuckDB, PostgreSQL and Spark (local mode) at 1×, 4× and 16× the KPI
benchmark's data: time and memory per engine, and how cost grows with size.

    .venv/bin/python benchmarks/engines_bench.py          # 1×, 4×, 16× of 2,000 accounts
    .venv/bin/python benchmarks/engines_bench.py --accounts 200 --scales 1,4,16   # a quick run
    make bench-engines

1× is the KPI benchmark's agency (``benchmarks/kpi_bench.py``: 500 clients, 2,000 accounts ×
730 days, about 4M posts, plus mentions, web sessions, leads, sales and ad spend); ``--scales``
multiplies accounts, clients and posts. Each scale is generated once into ``benchmarks/.data``
(DuckDB), then:

- **DuckDB**: the workspace file itself;
- **PostgreSQL**: a server started for the run (``tests/support/postgres.py``), the workspace
  copied in with the code of ``smmkpi migrate`` (the load time is reported apart);
- **Spark**: the lake ``smmkpi export LAKE --format parquet`` writes (its time reported apart),
  read by Spark in local mode on this machine's cores (``local[*]``).

Each engine computes the month (``compute_kpis``, every KPI of every client and account) in a
fresh process: one cold run (imports, compilation, Spark's start), then ``--runs`` warm runs
whose median is reported, with the peak memory of the process (for Spark with its JVM; for
PostgreSQL the server's processes too), then one client's month (what a client's page asks
for; the median of ``--runs``). All engines are checked to give the same totals. The ratios
compare each engine with DuckDB at 1×, measured in the same run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

MONTH = "2025-10"
ONE_CLIENT = "c0042"  # a client's page asks for one client's month


def process_peak_mb(pid: int | str = "self") -> float:
    """The peak resident memory of a process (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


def server_rss_mb(folder: str) -> float:
    """The resident memory of a PostgreSQL server's processes now (those under ``folder``)."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            if "postgres" not in cmdline:
                continue
            parent = (proc / "status").read_text()
            if folder not in cmdline and not _child_of_server(parent, folder):
                continue
            for line in parent.splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def _child_of_server(status: str, folder: str) -> bool:
    for line in status.splitlines():
        if line.startswith("PPid:"):
            ppid = line.split()[1]
            try:
                return folder in Path(f"/proc/{ppid}/cmdline").read_bytes().decode(errors="replace")
            except OSError:
                return False
    return False


def _child(engine: str, location: str, runs: int, queue: Any) -> None:
    from smmkpi.metrics.compute import compute_kpis
    from smmkpi.metrics.periods import Period

    session = None
    if engine == "duckdb":
        from smmkpi.store.database import Store

        backend = Store.open(Path(location), read_only=True).backend
    elif engine == "postgresql":
        from smmkpi.store.database import Store

        backend = Store.open_url(location, read_only=True).backend
    else:
        from smmkpi.metrics.spark import lake_backend, spark_session

        session = spark_session("local[*]")
        backend = lake_backend(session, Path(location))
    times = []
    totals: dict[str, Any] = {}
    for _ in range(runs + 1):
        start = time.perf_counter()
        results = compute_kpis(backend, Period.month(MONTH))
        times.append(time.perf_counter() - start)
        totals = {
            "posts": sum(r.kpis["posts"].value or 0 for r in results),
            "reach": sum(r.kpis["reach"].value or 0 for r in results),
            "leads": sum(r.kpis["leads"].value or 0 for r in results),
            "clients": len(results),
        }
    alone = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        compute_kpis(backend, Period.month(MONTH), client_ids=[ONE_CLIENT])
        alone.append(time.perf_counter() - start)
    peak = process_peak_mb()
    if session is not None:
        jvm = session.sparkContext._gateway.proc.pid  # the JVM that runs Spark
        peak += process_peak_mb(jvm)
        session.stop()
    queue.put(
        {
            "cold": times[0],
            "times": times[1:],
            "one_client": statistics.median(alone[1:]),
            "totals": totals,
            "peak_mb": peak,
        }
    )


def measure(engine: str, location: str, runs: int) -> dict[str, Any]:
    from kpi_bench import in_fresh_process

    return in_fresh_process(_child, engine, location, runs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, default=2000, help="accounts at 1×")
    parser.add_argument("--scales", default="1,4,16")
    parser.add_argument("--engines", default="duckdb,postgresql,spark")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks" / ".data")
    args = parser.parse_args()

    from tests.support.postgres import running_server

    import kpi_bench
    from smmkpi.store import postgres
    from smmkpi.store.database import Store
    from smmkpi.store.lake import export_lake

    engines = args.engines.split(",")
    scales = [int(s) for s in args.scales.split(",")]
    rows: list[dict[str, Any]] = []
    args.data.mkdir(parents=True, exist_ok=True)
    with running_server() as server:
        for scale in scales:
            accounts = args.accounts * scale
            posts = accounts * 2000
            path = args.data / f"bench-{accounts}-730-{posts}.duckdb"
            if not path.exists():
                print(f"Generating {path.name} …", flush=True)
                start = time.perf_counter()
                kpi_bench.generate(path, accounts, 730, posts)
                print(f"  {time.perf_counter() - start:.0f} s", flush=True)
            with Store.open(path, read_only=True) as store:
                stored = sum(
                    store.count_rows(t) for t in ("account_daily", "posts", "web_sessions")
                )
            for engine in engines:
                load = 0.0
                location = str(path)
                work = Path(tempfile.mkdtemp(prefix="smmkpi-bench-"))
                if engine == "postgresql":
                    location = server.new_database(f"bench{scale}")
                    start = time.perf_counter()
                    with (
                        Store.open(path, read_only=True) as store,
                        postgres.connect(location) as con,
                    ):
                        postgres.copy_workspace(store, con)
                        con.execute("ANALYZE")
                    load = time.perf_counter() - start
                elif engine == "spark":
                    start = time.perf_counter()
                    with Store.open(path, read_only=True) as store:
                        export_lake(store, work / "lake")
                    load = time.perf_counter() - start
                    location = str(work / "lake")
                print(f"{scale:>3}× {engine:10} … ", end="", flush=True)
                result = measure(engine, location, args.runs)
                if engine == "postgresql":
                    result["peak_mb"] += server_rss_mb(str(server.folder))
                    with postgres.connect(location) as con:
                        size = con.execute("SELECT pg_database_size(current_database())")
                        result["disk_mb"] = (size.fetchone() or (0,))[0] / 2**20
                    server.run("dropdb", "-h", "127.0.0.1", "-p", str(server.port), "-U",
                               "smmkpi", f"bench{scale}")  # fmt: skip
                elif engine == "spark":
                    result["disk_mb"] = (
                        sum(p.stat().st_size for p in (work / "lake").rglob("*") if p.is_file())
                        / 2**20
                    )
                else:
                    result["disk_mb"] = path.stat().st_size / 2**20
                shutil.rmtree(work, ignore_errors=True)
                median = statistics.median(result["times"])
                print(
                    f"{median:8.2f} s (cold {result['cold']:.1f} s, one client "
                    f"{result['one_client']:.2f} s), "
                    f"peak {result['peak_mb']:6.0f} MB" + (f", load {load:.1f} s" if load else ""),
                    flush=True,
                )
                rows.append(
                    {
                        "scale": scale,
                        "engine": engine,
                        "rows": stored,
                        "load": load,
                        "median": median,
                        **result,
                    }
                )
    base = next(r for r in rows if r["engine"] == engines[0] and r["scale"] == scales[0])
    print(f"\nMonth {MONTH}, all clients; median of {args.runs} warm runs after a cold one.")
    print(f"Ratios: time / {engines[0]} at {scales[0]}×; growth: time / the engine's own time "
          f"at {scales[0]}×.\n")  # fmt: skip
    print("| scale | daily+posts+sessions rows | engine | load | cold | warm | ratio | growth "
          "| one client | peak memory | on disk |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        own = next(r for r in rows if r["engine"] == row["engine"] and r["scale"] == scales[0])
        print(
            f"| {row['scale']}× | {row['rows']:,} | {row['engine']} | "
            f"{row['load']:.1f} s | {row['cold']:.1f} s | {row['median']:.2f} s | "
            f"{row['median'] / base['median']:.1f} | {row['median'] / own['median']:.1f} | "
            f"{row['one_client']:.2f} s | {row['peak_mb']:.0f} MB | {row['disk_mb']:.0f} MB |"
        )
    for scale in scales:
        found = {r["engine"]: r["totals"] for r in rows if r["scale"] == scale}
        first = next(iter(found.values()))
        for engine, totals in found.items():
            if totals["posts"] != first["posts"] or totals["leads"] != first["leads"]:
                raise SystemExit(f"{engine} at {scale}× disagrees: {totals} vs {first}")
        print(f"{scale}×: the engines agree: {first['posts']:,} posts, {first['leads']:,} leads, "
              f"{first['clients']} clients.")  # fmt: skip


if __name__ == "__main__":
    main()
