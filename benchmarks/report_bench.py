"""Rendering monthly reports: one client in all three formats, and the agency's month end.

    .venv/bin/python benchmarks/report_bench.py              # 4 demo clients, 3 rounds
    .venv/bin/python benchmarks/report_bench.py --rounds 5

Builds the demo agency (as of 26 November 2026) in a temporary folder, then measures:

1. **One client, all three formats** (PDF, XLSX, HTML, one language), warm — the process has
   rendered once: the model from the store, the charts (vl-convert), the HTML, the PDF
   (WeasyPrint) and the XLSX, for each demo client. Budget (DESIGN.md): under 3 s. The
   baseline, in the same process: WeasyPrint alone turning the same finished HTML into a PDF
   — the part no code of ours can make faster.
2. **The first report of a process** (cold: imports aside, the first KPI query, vl-convert's
   engine and the fonts are loaded once), and ``smmkpi report`` as a command, imports included.
3. **The month end** (``report --all``): every demo client in Russian and English, repeated
   ``--rounds`` times (4 × rounds jobs, 6 files each), with one worker process and with one per
   core; the ratio shows both cores at work.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

AS_OF = date(2026, 11, 26)
BUDGET = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="month ends to render per run")
    args = parser.parse_args()

    started = time.perf_counter()
    from weasyprint import HTML

    from smmkpi.demo.build import build_demo
    from smmkpi.metrics.periods import Period
    from smmkpi.report.batch import Job, render_all
    from smmkpi.report.build import branding, build_report
    from smmkpi.report.html import draw_charts, render_html
    from smmkpi.report.pdf import EmbeddedOnly, render_pdf
    from smmkpi.report.xlsx import render_xlsx

    imports = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo = build_demo(folder / "agency", AS_OF)
        workspace = demo.workspace
        month = Period.month("2026-10")
        settings = workspace.settings
        brand = branding(settings.report, settings.workspace.name, workspace.path)
        clients = sorted(demo.plans)

        def one(client: str) -> dict[str, float]:
            times: dict[str, float] = {}
            mark = time.perf_counter()
            with workspace.open_store(read_only=True) as store:
                report = build_report(
                    store,
                    client,
                    month,
                    "ru",
                    brand,
                    settings.report,
                    AS_OF,
                    workspace.social_rules(),
                )
            times["model"] = time.perf_counter() - mark
            mark = time.perf_counter()
            svgs = draw_charts(report)
            times["charts"] = time.perf_counter() - mark
            mark = time.perf_counter()
            html = render_html(report, svgs)
            times["html"] = time.perf_counter() - mark
            mark = time.perf_counter()
            render_pdf(report, html)
            times["pdf"] = time.perf_counter() - mark
            mark = time.perf_counter()
            render_xlsx(report)
            times["xlsx"] = time.perf_counter() - mark
            mark = time.perf_counter()
            HTML(string=html, url_fetcher=EmbeddedOnly()).write_pdf()
            times["baseline"] = time.perf_counter() - mark
            return times

        cold = one(clients[0])
        print(f"imports: {imports:.2f} s")
        print(
            "cold (first report of the process): "
            + ", ".join(f"{k} {v:.2f} s" for k, v in cold.items() if k != "baseline")
            + f"; total {sum(v for k, v in cold.items() if k != 'baseline'):.2f} s"
        )
        print()
        print("one client, PDF + XLSX + HTML, warm:")
        print(
            f"{'client':<12} {'model':>6} {'charts':>6} {'html':>6} {'pdf':>6} {'xlsx':>6} "
            f"{'total':>6} {'vs 3 s':>7} {'WeasyPrint alone':>17} {'total ÷ it':>10}"
        )
        worst = 0.0
        for client in clients:
            times = one(client)
            total = sum(v for k, v in times.items() if k != "baseline")
            worst = max(worst, total)
            print(
                f"{client:<12} {times['model']:6.2f} {times['charts']:6.2f} {times['html']:6.2f} "
                f"{times['pdf']:6.2f} {times['xlsx']:6.2f} {total:6.2f} {total / BUDGET:6.2f}× "
                f"{times['baseline']:16.2f}s {total / times['baseline']:9.2f}×"
            )
        print(f"slowest client: {worst:.2f} s = {worst / BUDGET:.2f} of the 3 s budget")
        print()

        mark = time.perf_counter()
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "smmkpi"),
                "-w",
                str(workspace.path),
                "report",
                "homedecor",
                "--month",
                "2026-10",
                "--as-of",
                AS_OF.isoformat(),
                "--out",
                str(folder / "cli"),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(
            f"`smmkpi report homedecor` as a command (imports included): "
            f"{time.perf_counter() - mark:.2f} s"
        )
        print()

        def month_end(workers: int) -> float:
            jobs = [
                Job(
                    workspace.path,
                    client,
                    month.label(),
                    ("ru", "en"),
                    ("pdf", "xlsx", "html"),
                    folder / f"w{workers}" / str(round_),
                    AS_OF,
                    "en",
                )
                for round_ in range(args.rounds)
                for client in clients
            ]
            mark = time.perf_counter()
            outcomes = render_all(jobs, workers)
            elapsed = time.perf_counter() - mark
            failed = [o for o in outcomes if o.error]
            assert not failed, failed
            files = sum(len(o.files) for o in outcomes)
            print(
                f"month end, {len(jobs)} clients × 2 languages ({files} files), "
                f"{workers} worker(s): {elapsed:.2f} s ({elapsed / len(jobs):.2f} s a client)"
            )
            return elapsed

        cores = os.cpu_count() or 1
        single = month_end(1)
        both = month_end(cores)
        print(f"speed-up with {cores} workers: {single / both:.2f}×")


if __name__ == "__main__":
    main()
