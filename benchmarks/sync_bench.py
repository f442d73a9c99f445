"""How close does a sync of many accounts come to the request rate the platform allows?

    .venv/bin/python benchmarks/sync_bench.py                  # 100 VK accounts × 30 days
    .venv/bin/python benchmarks/sync_bench.py --accounts 20 --scenarios shared

The sandbox serves 100 generated VK communities (30 days of statistics, a post a day) from a
separate process on loopback, enforcing VK's real limit — 3 requests a second per token, error
6 beyond. A fresh DuckDB workspace holds one connection per community, and one ``smmkpi sync``
run (the runner the CLI calls) reads them all. Three set-ups of tokens:

- ``shared``: one agency admin's token for every community: 3 requests a second in all;
- ``ten``: ten tokens, ten communities each: 30 a second;
- ``own``: a token per community: 300 a second.

For each it prints the requests made, the seconds from the first request to the last, the rate
achieved and its ratio to the rate the tokens allow (the goal is ≥ 80 %), the rate-limit answers
met (error 6: should be none), the whole run's wall time (imports included) and the peak memory.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from contextlib import nullcontext
from datetime import UTC, date, datetime, timedelta
from multiprocessing.connection import Connection as Pipe
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

AS_OF = date(2026, 11, 26)
DAYS = 30
RATE = 3  # VK: requests a second per token
SCENARIOS = {"shared": 1, "ten": 10, "own": 100}


def token_of(account: int, tokens: int) -> str:
    return f"token-{account % tokens}"


def serve(accounts: int, tokens: int, pipe: Pipe) -> None:
    """The sandbox, in its own process: ``accounts`` communities, ``tokens`` tokens."""
    from smmkpi.sandbox.server import Sandbox, serving
    from smmkpi.sandbox.vk import Community, VkPlatform

    first = AS_OF - timedelta(days=DAYS)
    communities = [
        Community.generated(100_000 + n, first, days=DAYS, posts=DAYS, seed=n)
        for n in range(accounts)
    ]
    admins: dict[str, set[int]] = {}
    for n, community in enumerate(communities):
        admins.setdefault(token_of(n, tokens), set()).add(community.group_id)
    sandbox = Sandbox()
    platform = VkPlatform(sandbox, communities, admins, rate_per_second=RATE)
    sandbox.platforms.append(platform)
    with serving(sandbox):
        pipe.send(sandbox.url)
        pipe.recv()  # until the run is over
        pipe.send(platform.over_rate)


def run(accounts: int, tokens: int) -> dict[str, float]:
    from smmkpi.ingest.canonical import CanonicalSource
    from smmkpi.ingest.pipeline import run_import
    from smmkpi.settings import SyncSection, VkSyncSection
    from smmkpi.store import connections as stored
    from smmkpi.sync.credentials import CredentialBox
    from smmkpi.sync.runner import run_sync
    from smmkpi.workspace import Workspace

    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(accounts, tokens, theirs), daemon=True)
    server.start()
    url = ours.recv()
    with tempfile.TemporaryDirectory() as folder:
        workspace, _created = Workspace.init(Path(folder) / "ws", "Bench")
        box = CredentialBox(b"bench key")
        now = datetime.combine(AS_OF, datetime.min.time(), UTC) + timedelta(hours=12)
        data = Path(folder) / "data"
        data.mkdir()
        (data / "clients.csv").write_text("client_id,name\nbench,Bench\n", encoding="utf-8")
        (data / "accounts.csv").write_text(
            "account_id,client_id,platform,handle\n"
            + "".join(f"vk-{n},bench,vk,club{100_000 + n}\n" for n in range(accounts)),
            encoding="utf-8",
        )
        with workspace.open_store() as store:
            run_import(store, CanonicalSource(data))
            with store.transaction():
                for n in range(accounts):
                    stored.save(
                        store.con,
                        stored.StoredConnection(
                            "vk", "bench", f"vk-{n}", box.seal(token_of(n, tokens)),
                            {"group_id": 100_000 + n},
                        ),
                        now,
                    )  # fmt: skip
            found = stored.listed(store.con)
            settings = SyncSection(vk=VkSyncSection(base_url=url, requests_per_second=RATE))
            sent: list[float] = []
            started = time.perf_counter()
            results = run_sync(
                lambda: nullcontext(store), workspace.path, settings, found, box,
                now=now, today=AS_OF, first=AS_OF - timedelta(days=DAYS),
                on_request=lambda: sent.append(time.perf_counter()),
            )  # fmt: skip
            wall = time.perf_counter() - started
    ours.send("done")
    over_rate = ours.recv()
    server.join(timeout=5)
    failed = [r for r in results if r.status != "ok"]
    if failed:
        raise SystemExit(f"{len(failed)} connections failed: {failed[0].error}")
    span = sent[-1] - sent[0] if len(sent) > 1 else float("nan")
    achieved = (len(sent) - 1) / span
    allowed = tokens * RATE
    return {
        "requests": len(sent),
        "span": span,
        "achieved": achieved,
        "allowed": allowed,
        "ratio": achieved / allowed,
        "over_rate": over_rate,
        "wall": wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--scenarios", default="shared,ten,own")
    args = parser.parse_args()
    print(f"{args.accounts} VK accounts × {DAYS} days, {RATE} requests/s per token (sandbox)")
    print(
        f"{'tokens':>7} {'requests':>9} {'span s':>8} {'req/s':>7} {'allowed':>8} "
        f"{'ratio':>6} {'error 6':>7} {'wall s':>7}"
    )
    for name in args.scenarios.split(","):
        tokens = min(SCENARIOS[name], args.accounts)
        found = run(args.accounts, tokens)
        print(
            f"{tokens:>7} {found['requests']:>9.0f} {found['span']:>8.1f} "
            f"{found['achieved']:>7.1f} {found['allowed']:>8.0f} {found['ratio']:>6.0%} "
            f"{found['over_rate']:>7.0f} "
            f"{found['wall']:>7.1f}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the syncing process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
