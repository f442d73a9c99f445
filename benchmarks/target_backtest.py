"""Which target does the history support? A back-test of the recommender on replayed months.

    .venv/bin/python benchmarks/target_backtest.py                 # the demo agency (seed 42)
    .venv/bin/python benchmarks/target_backtest.py --seeds 42,7,99

For each demo client, each total KPI of its goals (counts, money: what the seasonal naive plus
trend method recommends) and each of the last ``--months`` full months, the recommender is given
the 12 months before and asked for that month's levels. Two candidate targets are compared with
what the month then brought: the method's forecast alone, and the forecast moved by the median
of its one-step back-test errors (a bias correction). Prints each one's median absolute
percentage error and bias, and how often the conservative–stretch band held the month (the band
is the 20th–80th percentile of the back-test errors: about 60 % when honest).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from datetime import date  # noqa: E402

AS_OF = date(2026, 11, 26)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="42", help="demo seeds, comma-separated")
    parser.add_argument("--months", type=int, default=8, help="months back-tested per agency")
    args = parser.parse_args()

    from smmkpi.demo.build import build_demo

    errors: dict[str, list[float]] = {"forecast": [], "corrected": []}
    held: list[bool] = []
    for seed in (int(s) for s in args.seeds.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            demo = build_demo(Path(tmp) / "agency", AS_OF, seed=seed)
            backtest(demo.workspace, args.months, errors, held)
    print(f"{len(held)} client-KPI-months back-tested")
    for name, found in errors.items():
        absolute = [abs(e) for e in found]
        print(
            f"{name:<10} median |error| {100 * statistics.median(absolute):5.1f} %   "
            f"median error (bias) {100 * statistics.median(found):+5.1f} %"
        )
    print(f"conservative–stretch band held the month: {100 * sum(held) / len(held):.1f} %")


def backtest(
    workspace: object, months: int, errors: dict[str, list[float]], held: list[bool]
) -> None:
    from smmkpi.metrics.periods import last_full_month
    from smmkpi.metrics.scope import load_clients
    from smmkpi.planning import kpisets, service
    from smmkpi.planning.series import monthly_values, months_back
    from smmkpi.planning.targets import is_total, recommend

    rules = workspace.social_rules()  # type: ignore[attr-defined]
    with workspace.open_store(read_only=True) as store:  # type: ignore[attr-defined]
        clients = load_clients(store.backend, None)
        ids = [c.client_id for c in clients]
        tested = months_back(last_full_month(AS_OF), months)
        actual = monthly_values(store, ids, tested, rules)
        for client in clients:
            kpis = [
                c.kpi.id
                for c in kpisets.default_set(service.goals_of(store, client))
                if is_total(c.kpi)
            ]
            for index, month in enumerate(tested):
                found = service.history(
                    store, client.client_id, kpis, 12, month.previous_month(), rules
                )
                for item in found.kpis:
                    (rec,) = recommend(item, [month])
                    value = actual[client.client_id][item.kpi.id][index]
                    if rec.levels is None or value is None or not rec.inputs:
                        continue
                    forecast = rec.inputs.get("forecast")
                    low, mid, high = rec.inputs.get("band", (0.0, 0.0, 0.0))
                    if not forecast:
                        continue
                    errors["forecast"].append(float(value) / forecast - 1)
                    errors["corrected"].append(float(value) / (forecast * (1 + mid)) - 1)
                    held.append(forecast * (1 + low) <= float(value) <= forecast * (1 + high))


if __name__ == "__main__":
    main()
