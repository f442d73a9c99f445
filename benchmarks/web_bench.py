"""The agency overview of the web app with 500 clients: latency of ``GET /`` (and of one
client's page).

    .venv/bin/python benchmarks/web_bench.py                 # 500 clients, 2,000 accounts
    .venv/bin/python benchmarks/web_bench.py --requests 100

Uses the KPI benchmark's agency (benchmarks/kpi_bench.py: 500 clients, 2,000 accounts × 730
days, about 4M posts; generated once into benchmarks/.data), copied into a workspace with a plan
for every client (its goal's KPI set, targets set by hand) and an admin. Then, in this process,
through FastAPI's test client (no network): the first ``GET /`` of the day (plan against fact
of all 500 clients computed), then ``--requests`` more (answered from the overview's cache,
which holds until the data, the plans or the day change), p50 and p95; the baseline is the
sign-in page, which reads nothing, timed the same way in the same process.

Budget (DESIGN.md): the overview with 500 clients under 200 ms at p95.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

TODAY = date(2025, 11, 20)  # inside the generated 730 days
PASSWORD = "benchmark-password"


def timed(call: object, runs: int) -> list[float]:
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        response = call()  # type: ignore[operator]
        found.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--accounts", type=int, default=2000)
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    import kpi_bench
    from smmkpi.metrics.periods import Period
    from smmkpi.metrics.scope import load_clients
    from smmkpi.planning import kpisets, service
    from smmkpi.planning.plans import Plan, PlanKpi, Target
    from smmkpi.settings import SETTINGS_FILE
    from smmkpi.store import users
    from smmkpi.web.app import create_app
    from smmkpi.web.auth import hash_password
    from smmkpi.workspace import Workspace

    posts = args.accounts * 2000
    data = ROOT / "benchmarks" / ".data" / f"bench-{args.accounts}-730-{posts}.duckdb"
    if not data.exists():
        print(f"Generating {data.name} …", flush=True)
        data.parent.mkdir(parents=True, exist_ok=True)
        kpi_bench.generate(data, args.accounts, 730, posts)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "agency"
        workspace, _created = Workspace.init(folder, "Benchmark agency")
        workspace.database_path.unlink()
        shutil.copy(data, workspace.database_path)
        assert (folder / SETTINGS_FILE).exists()
        month = Period.of_month(TODAY)
        start = time.perf_counter()
        with workspace.open_store() as store:
            clients = load_clients(store.backend, None)
            for client in clients:
                choices = kpisets.default_set([client.goal or "awareness"])
                plan = Plan(
                    plan_id=f"{client.client_id}-{month.label()}",
                    client=client.client_id,
                    start=month.label(),
                    months=1,
                    goals=[client.goal or "awareness"],
                    kpis=[
                        PlanKpi(
                            kpi=c.kpi.id,
                            role=c.role,  # type: ignore[arg-type]
                            targets={month.label(): Target(target=100.0, source="manual")},
                        )
                        for c in choices
                    ],
                )
                service.save(store, plan, "benchmark", None)
            with store.transaction():
                users.add_user(
                    store.con,
                    "boss",
                    hash_password(PASSWORD),
                    "admin",
                    None,
                    (),
                    datetime.now(UTC),
                )
        elapsed = time.perf_counter() - start
        print(f"{len(clients)} clients with a plan each: set up in {elapsed:.1f} s")

        app = create_app(Workspace.open(folder), today=lambda: TODAY)
        with TestClient(app) as client:
            form = client.get("/signin")
            csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
            assert csrf is not None
            client.post(
                "/signin",
                data={"username": "boss", "password": PASSWORD, "csrf": csrf.group(1)},
                follow_redirects=False,
            )
            first = timed(lambda: client.get("/"), 1)[0]
            page = client.get("/").text
            shown = len(re.findall(r'<tr><td><a href="/clients/', page))
            warm = timed(lambda: client.get("/"), args.requests)
            filtered = timed(lambda: client.get("/?status=off_track&sort=status"), args.requests)
            one = f"/clients/{clients[0].client_id}"
            client_first = timed(lambda: client.get(one), 1)[0]
            client_warm = timed(lambda: client.get(one), args.requests)
            # every client's page computed ahead, as the server does after a start or an
            # import; then the first visit of pages nobody has opened
            site = app.state.site
            start = time.perf_counter()
            site.compute_pages([c.client_id for c in clients], ("benchmark",))
            ahead = time.perf_counter() - start
            others = [f"/clients/{c.client_id}" for c in clients[1:21]]
            after_ahead = [timed(lambda page=page: client.get(page), 1)[0] for page in others]
            baseline = timed(lambda: client.get("/signin"), args.requests)
        p95 = percentile(warm, 0.95)
        print(f"rows on the page: {shown}")
        print(f"first GET / of the day (statuses of all clients computed): {first:.2f} s")
        print(
            f"GET / from the cache: p50 {statistics.median(warm) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms ({args.requests} requests)"
        )
        print(
            f"GET /?status=off_track&sort=status: p50 {statistics.median(filtered) * 1000:.0f} ms, "
            f"p95 {percentile(filtered, 0.95) * 1000:.0f} ms"
        )
        print(
            f"a client's page: first {client_first:.2f} s (plan against fact, charts, history), "
            f"then p50 {statistics.median(client_warm) * 1000:.0f} ms, "
            f"p95 {percentile(client_warm, 0.95) * 1000:.0f} ms (kept until imports or plans "
            "change)"
        )
        print(
            f"every client's page computed ahead: {ahead:.1f} s for {len(clients)} clients; "
            f"then a first visit: p50 {statistics.median(after_ahead) * 1000:.0f} ms, "
            f"p95 {percentile(after_ahead, 0.95) * 1000:.0f} ms ({len(others)} clients)"
        )
        print(
            f"baseline, GET /signin: p50 {statistics.median(baseline) * 1000:.1f} ms, "
            f"p95 {percentile(baseline, 0.95) * 1000:.1f} ms"
        )
        print(f"overview p95 / baseline p95 = {p95 / percentile(baseline, 0.95):.1f}")
        print(f"overview p95 = {p95 / 0.2:.2f} of the 200 ms budget")


if __name__ == "__main__":
    main()
