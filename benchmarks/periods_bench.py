"""Many periods in one call to the KPI engine against one call per period, in the same process.

    .venv/bin/python benchmarks/periods_bench.py               # 500 clients, 13 periods
    .venv/bin/python benchmarks/periods_bench.py --accounts 1000

What plan against fact asks for every client (the overview): the month so far and the twelve
months before it — thirteen periods of the KPI benchmark's agency (benchmarks/kpi_bench.py,
generated once into benchmarks/.data). Each way runs once to warm up, then ``--runs`` times;
medians. The two must agree value for value (the script stops if they do not).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def agree(
    left: list[dict[str, dict[str, object]]], right: list[dict[str, dict[str, object]]]
) -> bool:
    """The same values (floats to 1e-9: the engine adds them up in parallel, in any order)."""
    for one, other in zip(left, right, strict=True):
        for client, values in one.items():
            for kpi, value in values.items():
                theirs = other[client][kpi]
                if value is None or theirs is None:
                    if value is not theirs:
                        return False
                elif not math.isclose(float(value), float(theirs), rel_tol=1e-9):  # type: ignore[arg-type]
                    return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import kpi_bench
    from smmkpi.metrics.compute import compute_periods
    from smmkpi.metrics.periods import Period
    from smmkpi.metrics.scope import load_clients
    from smmkpi.planning.series import months_back
    from smmkpi.store.database import Store

    posts = args.accounts * 2000
    data = ROOT / "benchmarks" / ".data" / f"bench-{args.accounts}-730-{posts}.duckdb"
    if not data.exists():
        print(f"Generating {data.name} …", flush=True)
        data.parent.mkdir(parents=True, exist_ok=True)
        kpi_bench.generate(data, args.accounts, 730, posts)
    month = Period.month("2025-11")
    periods = [Period(month.start, date(2025, 11, 19)), *months_back(Period.month("2025-10"), 12)]
    with Store.open(data, read_only=True) as store:
        ids = [c.client_id for c in load_clients(store.backend, None)]

        def together() -> list[dict[str, dict[str, object]]]:
            return [r.client_values() for r in compute_periods(store.backend, periods, ids)]

        def one_by_one() -> list[dict[str, dict[str, object]]]:
            return [compute_periods(store.backend, [p], ids)[0].client_values() for p in periods]

        if not agree(together(), one_by_one()):
            raise SystemExit("the two ways disagree")
        times: dict[str, list[float]] = {"one call": [], "a call per period": []}
        for _run in range(args.runs):
            for name, way in (("one call", together), ("a call per period", one_by_one)):
                start = time.perf_counter()
                way()
                times[name].append(time.perf_counter() - start)
    single, each = (statistics.median(times[n]) for n in times)
    print(f"{len(ids)} clients × {len(periods)} periods, median of {args.runs}:")
    print(f"  one call:          {single:.2f} s")
    print(f"  a call per period: {each:.2f} s")
    print(f"  one call is {each / single:.1f} × faster")


if __name__ == "__main__":
    main()
