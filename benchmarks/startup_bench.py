"""What a command costs before it does anything: fresh ``smmkpi`` processes, paired rounds.

    .venv/bin/python benchmarks/startup_bench.py             # 15 rounds
    .venv/bin/python benchmarks/startup_bench.py --rounds 30

Each round starts, in turn, fresh processes of:

- the floor: ``python -c "import typer"`` — the interpreter and the CLI framework, which every
  command needs;
- ``smmkpi --help`` (budget, issue 17: ≤ 0.25 s);
- ``smmkpi kpi --help`` (the ``kpi`` command's module and what it imports);
- ``smmkpi kpi list`` (the catalogue, no database).

It prints each one's median wall time and its ratio to the floor's median, measured in the same
run on the same machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMMKPI = str(Path(sys.executable).parent / "smmkpi")
COMMANDS = {
    "floor: python -c 'import typer'": [sys.executable, "-c", "import typer"],
    "smmkpi --help": [SMMKPI, "--help"],
    "smmkpi kpi --help": [SMMKPI, "kpi", "--help"],
    "smmkpi kpi list": [SMMKPI, "--lang", "en", "kpi", "list"],
}
BUDGET_HELP = 0.25


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="paired rounds")
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for command in COMMANDS.values():
        wall(command)  # warm the file cache once
    for _round in range(args.rounds):
        for name, command in COMMANDS.items():
            times[name].append(wall(command))
    floor = statistics.median(times[next(iter(COMMANDS))])
    print(f"{'command':<34} {'median s':>9} {'× floor':>8}")
    for name, found in times.items():
        median = statistics.median(found)
        print(f"{name:<34} {median:>9.3f} {median / floor:>8.1f}")
    help_median = statistics.median(times["smmkpi --help"])
    verdict = "within" if help_median <= BUDGET_HELP else "over"
    print(f"smmkpi --help: {help_median:.3f} s, {verdict} the {BUDGET_HELP} s budget")


if __name__ == "__main__":
    main()
