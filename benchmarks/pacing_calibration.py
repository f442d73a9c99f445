"""Are the month-end forecasts' 80 % intervals honest? A calibration over replayed months.

    .venv/bin/python benchmarks/pacing_calibration.py                 # the demo agency (seed 42)
    .venv/bin/python benchmarks/pacing_calibration.py --seeds 42,7,99 # more synthetic agencies

Builds the demo agency (as of 26 November 2026; other seeds draw other synthetic histories
with the same seasonality, giveaway spikes and gaps), then replays each of its last 12 full
months: for every day 3–28 it asks plan against fact for every KPI of each client's goals, as
the client page and ``smmkpi status --as-of`` do, and checks whether the month's final value
fell inside the 80 % interval given that day. An honest interval holds the final value about
80 % of the time (the goal: 75–85 %); far fewer means the interval claims more certainty than
the history supports, far more that it is wider than it needs to be.

Prints coverage by kind of KPI (totals, levels, rates that build up over the month, other
ratios), by part of the month and overall, and the median interval width relative to the
final value. Record the figures in docs/planning.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

AS_OF = date(2026, 11, 26)
DAYS = range(3, 29)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="42", help="demo seeds, comma-separated")
    parser.add_argument("--months", type=int, default=12, help="months replayed per agency")
    parser.add_argument(
        "--workspace", type=Path, help="replay this demo workspace instead of building one"
    )
    args = parser.parse_args()

    from smmkpi.demo.build import build_demo

    held: dict[tuple[str, str], list[bool]] = defaultdict(list)
    widths: dict[str, list[float]] = defaultdict(list)
    started = time.perf_counter()
    if args.workspace:
        from smmkpi.workspace import Workspace

        replay(Workspace.open(args.workspace), args.months, held, widths)
    for seed in () if args.workspace else (int(s) for s in args.seeds.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            demo = build_demo(Path(tmp) / "agency", AS_OF, seed=seed)
            replay(demo.workspace, args.months, held, widths)
    elapsed = time.perf_counter() - started
    print(f"{sum(len(v) for k, v in held.items() if k[1] == 'all')} intervals checked "
          f"({elapsed:.0f} s)")  # fmt: skip
    print(f"{'kind':<14}{'days 3–9':>10}{'10–19':>10}{'20–28':>10}{'all':>10}{'width':>10}")
    for kind in ("total", "level", "accumulating", "ratio", "all"):
        cells = []
        for part in ("early", "middle", "late", "all"):
            found = held.get((kind, part), [])
            cells.append(f"{100 * sum(found) / len(found):9.1f}%" if found else f"{'—':>10}")
        width = widths.get(kind)
        shown = f"{100 * statistics.median(width):9.1f}%" if width else f"{'—':>10}"
        print(f"{kind:<14}{''.join(cells)}{shown}")


def replay(
    workspace: object,
    months: int,
    held: dict[tuple[str, str], list[bool]],
    widths: dict[str, list[float]],
) -> None:
    from smmkpi.metrics.catalogue import KPIS_BY_ID
    from smmkpi.metrics.compute import compute_kpis
    from smmkpi.metrics.periods import Period, last_full_month
    from smmkpi.metrics.scope import load_clients
    from smmkpi.planning import kpisets
    from smmkpi.planning.series import daily_data_many, monthly_values, months_back
    from smmkpi.planning.service import STATUS_HISTORY_MONTHS, goals_of
    from smmkpi.planning.status import PACE_HISTORY_DAYS, assess, kind_of

    rules = workspace.social_rules()  # type: ignore[attr-defined]
    with workspace.open_store(read_only=True) as store:  # type: ignore[attr-defined]
        clients = load_clients(store.backend, None)
        ids = [c.client_id for c in clients]
        chosen = {
            c.client_id: [k.kpi.id for k in kpisets.default_set(goals_of(store, c))]
            for c in clients
        }
        for month in months_back(last_full_month(AS_OF), months):
            final = compute_kpis(store.backend, month, ids, rules).client_values()
            before = months_back(month.previous_month(), STATUS_HISTORY_MONTHS)
            monthly = monthly_values(store, ids, before, rules)
            daily = daily_data_many(
                store.con, clients, month.start - timedelta(days=PACE_HISTORY_DAYS), month.end,
                rules,
            )  # fmt: skip
            for day in DAYS:
                as_of = month.start + timedelta(days=day)
                so_far = Period(month.start, as_of - timedelta(days=1))
                facts = compute_kpis(store.backend, so_far, ids, rules).client_values()
                for client_id in ids:
                    for kpi_id in chosen[client_id]:
                        end = final[client_id][kpi_id]
                        fact = facts[client_id][kpi_id]
                        if end is None or fact is None:
                            continue
                        kpi = KPIS_BY_ID[kpi_id]
                        found = assess(
                            kpi,
                            month,
                            as_of,
                            None,
                            fact,
                            daily[client_id].series,
                            [None if v is None else float(v) for v in
                             monthly[client_id].get(kpi_id, [])],
                            facts=facts[client_id],
                        )  # fmt: skip
                        if found.low is None or found.high is None:
                            continue
                        inside = found.low - 1e-9 <= float(end) <= found.high + 1e-9
                        part = "early" if day < 10 else "middle" if day < 20 else "late"
                        for kind in (kind_of(kpi), "all"):
                            held[(kind, part)].append(inside)
                            held[(kind, "all")].append(inside)
                            if float(end):
                                widths[kind].append((found.high - found.low) / abs(float(end)))


if __name__ == "__main__":
    main()
