"""Syncing VK from the sandbox, through the real CLI, on both engines: the values equal those of
a file import of the same answers; the window, paging and the 300-newest rule of post reach are
what VK allows; rate limits, server errors and timeouts are retried; an expired token, a refused
right or a changed answer fail their connection alone and import nothing; a killed sync leaves
the old state; a second sync the same day changes nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from smmkpi.sandbox.server import Sandbox
from smmkpi.sandbox.vk import Community
from smmkpi.workspace import Workspace
from tests.conftest import import_path, write_table
from tests.support.sandbox import GROUP_ID, VK_DATA, vk_sandbox
from tests.sync.conftest import smmkpi

TOKEN = {"VK_TOKEN": "admin-token"}
# The coffeelab fixture's March 2025, computed by hand from tests/data/vk/coffeelab: three days
# of stats.get, three published posts (the postponed one left out), two with their reach.
MARCH = {
    "followers_gained": 15,
    "followers_lost": 4,
    "reach": 1200 + 1500 + 900,
    "profile_visits": 340 + 410 + 120,
    "posts": 3,
    "interactions": (54 + 6 + 3) + (80 + 11 + 9),
    "post_reach": 1300 + 2000,
    "post_link_clicks": 14 + 20,
}


def connect(
    workspace: Workspace, account: str = "coffeelab-vk", token: str = "admin-token"
) -> None:
    code, output = smmkpi(
        workspace, "connect", "vk", account, "--token-env", "VK_TOKEN", env={"VK_TOKEN": token}
    )
    assert code == 0, output


def settle() -> None:
    """Let a second pass after ``connect``'s two calls: VK counts 3 a second per token across
    processes, and a test that counts calls wants no rate-limit retry in them."""
    time.sleep(1.05)


def sync(workspace: Workspace, *args: str) -> tuple[int, list[dict[str, Any]], str]:
    code, output = smmkpi(workspace, "sync", "--format", "json", *args)
    try:
        return code, json.loads(output), output
    except json.JSONDecodeError:
        return code, [], output


def kpis(workspace: Workspace, month: str = "2025-03") -> dict[str, Any]:
    code, output = smmkpi(workspace, "kpi", "--client", "coffeelab", "--month", month,
                          "--format", "json")  # fmt: skip
    assert code == 0, output
    return dict(json.loads(output)["kpis"])


def stored_rows(workspace: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """The rows synced or imported, without when they were read and which import wrote them."""
    with workspace.open_store(read_only=True) as store:
        return {
            "account_daily": store.con.execute(
                "SELECT account_id, date, followers, followers_gained, followers_lost, reach, "
                "profile_visits FROM account_daily ORDER BY 1, 2"
            ).fetchall(),
            "posts": store.con.execute(
                "SELECT account_id, post_id, published_at, kind, text, url, likes, comments, "
                "shares, views, reach, reach_organic, reach_viral, reach_paid, link_clicks "
                "FROM posts ORDER BY 1, 2"
            ).fetchall(),
        }


def connection(workspace: Workspace) -> dict[str, Any]:
    code, output = smmkpi(workspace, "connections", "--format", "json")
    assert code == 0, output
    (found,) = [c for c in json.loads(output) if c["account"] == "coffeelab-vk"]
    return dict(found)


def test_a_sync_imports_what_a_file_import_of_the_same_answers_does(
    agency: Workspace, vk: Sandbox, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    connect(agency)
    settle()
    code, (result,), output = sync(agency, "--as-of", "2025-03-10")
    assert code == 0, output
    # a first sync backfills 400 days to yesterday, in five stats.get calls of ≤ 90 days
    assert (result["status"], result["from"], result["to"]) == ("ok", "2024-02-04", "2025-03-09")
    assert (result["days"], result["posts"], result["inserted"]) == (3, 3, 3 + 3 + 1)
    assert vk.methods()[2:] == ["groups.getById"] + ["stats.get"] * 5 + [
        "wall.get", "stats.getPostReach",
    ]  # fmt: skip
    synced = kpis(agency)
    assert {k: synced[k] for k in MARCH} == MARCH
    assert synced["followers"] == 14230  # groups.getById's members, the followers of 10 March
    # the same answers imported by hand give the same rows and the same KPIs
    url = agency.settings.store.url
    if url:  # the same engine, another database
        url = request.getfixturevalue("postgres_server").new_database(
            "byhand" + agency.path.parent.name[-8:]
        )
    by_hand = Workspace.init(tmp_path / "by-hand", "By hand", url)[0]
    import_path(by_hand, tmp_path / "data")
    code, output = smmkpi(by_hand, "import", str(VK_DATA), "--account", "coffeelab-vk",
                          "--as-of", "2025-03-10T12:00:00+00:00")  # fmt: skip
    assert code == 0, output
    assert stored_rows(by_hand) == stored_rows(agency)
    assert kpis(by_hand) == synced
    # the answers are kept as the importer reads them: importing the run's folder again
    # changes nothing
    folder = Path(result["folder"])
    assert folder.parent == agency.path / "sync" / "vk" / "coffeelab-vk"
    assert sorted(p.name for p in folder.iterdir()) == [
        "get_post_reach-01.json", "groups_get_by_id.json", "stats_get-01.json", "wall_get-001.json",
    ]  # fmt: skip
    code, output = smmkpi(agency, "import", str(folder), "--account", "coffeelab-vk",
                          "--as-of", "2025-03-10T12:00:00+00:00")  # fmt: skip
    assert code == 0 and "no changes (7 rows already in the workspace)" in output, output
    state = connection(agency)
    assert (state["status"], state["synced_through"], state["last_error"]) == (
        "ok", "2025-03-09", None,
    )  # fmt: skip
    assert state["last_success_at"] == "2025-03-10T12:00:00+00:00"


def test_a_second_sync_rereads_its_window_and_changes_nothing(
    agency: Workspace, vk: Sandbox
) -> None:
    connect(agency)
    sync(agency, "--as-of", "2025-03-10")
    before = stored_rows(agency)
    calls = len(vk.calls)
    code, (result,), output = sync(agency, "--as-of", "2025-03-10")
    assert code == 0, output
    # from the day after the last one read (9 March), less the 7-day re-read window
    assert (result["from"], result["to"]) == ("2025-03-03", "2025-03-09")
    stats = [c.params for c in vk.calls[calls:] if c.method == "stats.get"]
    assert [(s["timestamp_from"], s["timestamp_to"]) for s in stats] == [
        (str(int(datetime(2025, 3, 2, 12, tzinfo=UTC).timestamp())),
         str(int(datetime(2025, 3, 9, 12, tzinfo=UTC).timestamp()) - 1)),
    ]  # fmt: skip
    assert (result["inserted"], result["replaced"], result["unchanged"]) == (0, 0, 1 + 3 + 1)
    assert stored_rows(agency) == before


def test_a_restated_day_and_grown_counters_from_a_later_read_win(
    agency: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    community = Community.from_folder(VK_DATA)
    with vk_sandbox(monkeypatch, [community]):
        connect(agency)
        sync(agency, "--as-of", "2025-03-10")
        community.periods[2]["reach"]["reach"] = 950  # VK restated 3 March
        community.wall[0]["likes"]["count"] = 60  # post 4812 got six more likes
        code, (result,), output = sync(agency, "--as-of", "2025-03-11")
    assert code == 0, output
    assert (result["inserted"], result["replaced"]) == (1, 2)  # 1: the members of 11 March
    values = kpis(agency)
    assert values["reach"] == 1200 + 1500 + 950
    assert values["interactions"] == MARCH["interactions"] + 6


def test_an_expired_token_needs_reauth_imports_nothing_and_the_others_still_sync(
    agency: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = Community.generated(555, date(2025, 2, 1), days=40, posts=12)
    write_table(
        tmp_path / "more",
        "accounts",
        [{"account_id": "bakery-vk", "client_id": "coffeelab", "platform": "vk",
          "handle": "club555"}],
    )  # fmt: skip
    import_path(agency, tmp_path / "more")
    with vk_sandbox(monkeypatch, [Community.from_folder(VK_DATA), other]) as (_sandbox, platform):
        connect(agency)
        connect(agency, "bakery-vk")
        del platform.tokens["admin-token"]  # the user revoked the first token…
        platform.tokens["bakery-token"] = {555}
        connect(agency, "bakery-vk", "bakery-token")  # …the second was reconnected
        code, results, output = sync(agency, "--as-of", "2025-03-10")
        _code, table = smmkpi(agency, "sync", "--as-of", "2025-03-10")
        # --due keeps the contract's rule: its last success is older than sync.every_hours, so
        # a scheduled run tries it again and exits 1 until a person reconnects it
        due_code, due_output = smmkpi(agency, "sync", "--due", "--as-of", "2025-03-10")
    assert code == 1, output
    outcome = {r["account"]: r for r in results}
    assert (
        outcome["bakery-vk"]["status"] == "ok" and outcome["bakery-vk"]["days"] == 28 + 9
    )  # 1 Feb – 9 Mar
    refused = outcome["coffeelab-vk"]
    assert refused["status"] == "needs_reauth"
    assert refused["error"] == (
        "VK answered groups.getById with error 5: User authorization failed: invalid "
        "access_token (4). Connect it again: smmkpi connect vk coffeelab-vk."
    )
    assert (refused["inserted"], refused["folder"]) == (0, None)
    rows = stored_rows(agency)  # nothing of coffeelab-vk was imported
    assert {r[0] for r in rows["account_daily"] + rows["posts"]} == {"bakery-vk"}
    state = connection(agency)
    assert (state["status"], state["synced_through"]) == ("needs_reauth", None)
    assert state["last_error"] == refused["error"]
    assert "admin-token" not in output + table
    assert "vk coffeelab-vk: needs_reauth — VK answered groups.getById with error 5" in " ".join(
        table.split()
    )
    assert "1 of 2 connections failed." in table
    assert due_code == 1 and "vk coffeelab-vk: needs_reauth" in " ".join(due_output.split())
    assert "bakery-vk" not in due_output  # synced less than sync.every_hours ago


def test_rate_limits_server_errors_and_timeouts_are_retried(
    agency: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    with vk_sandbox(monkeypatch) as (sandbox, platform):
        connect(agency)
        settle()
        platform.faults.add("wall.get", "rate_limited", 2)  # error 6
        platform.faults.add("stats.get", "server_error")  # error 10
        platform.faults.add("stats.get", "http_error")  # HTTP 502
        platform.faults.add("stats.getPostReach", "timeout")  # no answer within 0.5 s
        code, (result,), output = sync(agency, "--as-of", "2025-03-10", "--from", "2025-03-01")
        methods = sandbox.methods()[2:]
    assert code == 0, output
    assert result["status"] == "ok"
    assert (
        methods
        == ["groups.getById"] + ["stats.get"] * 3 + ["wall.get"] * 3 + ["stats.getPostReach"] * 2
    )
    assert result["requests"] == 9
    assert {k: kpis(agency)[k] for k in MARCH} == MARCH


def test_a_platform_that_stays_down_or_a_daily_cap_fails_the_connection(
    agency: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    with vk_sandbox(monkeypatch) as (_sandbox, platform):
        connect(agency)
        platform.faults.add("wall.get", "http_error", 5)  # sync.attempts: 5 tries in all
        code, (result,), _output = sync(agency, "--as-of", "2025-03-10")
        assert (code, result["status"]) == (1, "failing")
        assert result["error"] == "VK answered wall.get with HTTP 502."
        platform.faults.add("stats.get", "daily_cap")  # error 29: waiting does not lift it
        code, (result,), _output = sync(agency, "--as-of", "2025-03-10")
    assert (code, result["status"]) == (1, "rate_limited")
    assert result["error"] == (
        "VK answered stats.get with error 29: Rate limit reached. The platform's limits "
        "were reached; the next sync tries again."
    )
    assert stored_rows(agency) == {"account_daily": [], "posts": []}
    assert connection(agency)["synced_through"] is None


def test_a_changed_answer_fails_with_the_field_named_and_imports_nothing(
    agency: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    with vk_sandbox(monkeypatch) as (_sandbox, platform):
        connect(agency)
        platform.faults.add("wall.get", "changed_shape")
        code, (result,), _output = sync(agency, "--as-of", "2025-03-10", "--from", "2025-03-01")
        assert (code, result["status"]) == (1, "failing")
        assert result["error"] == (
            "VK changed the answer of wall.get: items[0].date is text («вчера»), not number. "
            "Nothing of this connection was imported; smmkpi has to learn the new shape (please "
            "report it)."
        )
        # the statistics read before were fine, and are not imported either
        assert stored_rows(agency) == {"account_daily": [], "posts": []}
        platform.faults.add("stats.get", "changed_shape")
        _code, (result,), _output = sync(agency, "--as-of", "2025-03-10", "--from", "2025-03-01")
        assert "stats.get: [0].period_from is missing." in result["error"]
        platform.faults.add("stats.getPostReach", "changed_shape")
        _code, (result,), _output = sync(agency, "--as-of", "2025-03-10", "--from", "2025-03-01")
        assert (
            "stats.getPostReach: [0].reach_total is text («2000»), not number." in result["error"]
        )
        code, (result,), _output = sync(
            agency, "--as-of", "2025-03-10", "--from", "2025-03-01"
        )  # VK is back to normal
    assert (code, result["status"]) == (0, "ok")
    assert connection(agency)["last_error"] is None


def test_a_member_token_is_refused_the_statistics(agency: Workspace, vk: Sandbox) -> None:
    connect(agency, token="member-token")
    code, (result,), _output = sync(agency, "--as-of", "2025-03-10")
    assert (code, result["status"]) == (1, "permission_denied")
    assert result["error"] == (
        "VK answered stats.get with error 15: Access denied: no access to this group "
        "statistics. The credential may not read this: connect again with one that may (for VK, "
        "the token of a community admin)."
    )


def test_wall_pages_and_post_reach_keep_to_what_vk_allows(
    agency: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 420 posts over 420 days: VK keeps post reach for the 300 newest only
    big = Community.generated(GROUP_ID, date(2024, 1, 1), days=420, posts=420)
    monkeypatch.setenv("SMMKPI__SYNC__VK__REQUESTS_PER_SECOND", "20")  # a quicker VK
    with vk_sandbox(monkeypatch, [big], rate_per_second=20) as (sandbox, _platform):
        connect(agency)
        settle()
        code, (result,), output = sync(agency, "--as-of", "2025-02-24")
        first_run = sandbox.calls[2:]
        del sandbox.calls[:]
        code2, (second,), _output = sync(agency, "--as-of", "2025-02-25")
    assert code == 0 and code2 == 0, output
    walls = [c.params for c in first_run if c.method == "wall.get"]
    assert [(w["offset"], w["count"]) for w in walls] == [("0", "100"), ("100", "100"),
                                                          ("200", "100"), ("300", "100"),
                                                          ("400", "100")]  # fmt: skip
    reach = [c.params["post_ids"].split(",") for c in first_run if c.method == "stats.getPostReach"]
    assert [len(ids) for ids in reach] == [30] * 10  # the 300 newest, ≤ 30 ids a call
    asked = {int(i) for ids in reach for i in ids}
    assert asked == set(range(1000 + 420 - 300, 1000 + 420))
    assert result["posts"] == 420
    with agency.open_store(read_only=True) as store:
        counts = store.con.execute(
            "SELECT count(*), count(reach) FROM posts WHERE account_id = 'coffeelab-vk'"
        ).fetchone()
    assert counts == (420, 300)
    # the next day: the wall is read back to the posts younger than 30 days, and their reach
    later = [c.params for c in sandbox.calls if c.method == "wall.get"]
    assert [w["offset"] for w in later] == ["0"]
    reach_again = [c for c in sandbox.calls if c.method == "stats.getPostReach"]
    # 29 posts: one a day at noon to 23 February, those since 26 January (30 days before)
    assert sum(len(c.params["post_ids"].split(",")) for c in reach_again) == 29
    assert (second["from"], second["to"]) == ("2025-02-17", "2025-02-24")


def test_requests_keep_to_three_a_second_per_token(
    agency: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    with vk_sandbox(monkeypatch) as (sandbox, _platform):
        connect(agency)
        settle()
        del sandbox.calls[:]
        code, (result,), output = sync(agency, "--as-of", "2025-03-10")
    assert code == 0, output
    times = [c.at for c in sandbox.calls]
    assert len(times) == result["requests"] == 8
    # any four consecutive requests span at least a second: never error 6
    assert min(b - a for a, b in zip(times, times[3:], strict=False)) >= 1.0


def test_a_killed_sync_leaves_the_old_state_and_its_claim_is_taken_over(
    agency: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    with vk_sandbox(monkeypatch) as (sandbox, platform):
        connect(agency)
        platform.timeout_delay = 20.0
        platform.faults.add("wall.get", "timeout")
        env = {**os.environ, "SMMKPI__SYNC__TIMEOUT_SECONDS": "30"}
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "smmkpi"), "-w", str(agency.path), "sync",
             "--as-of", "2025-03-10"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while "wall.get" not in sandbox.methods() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "wall.get" in sandbox.methods()  # its statistics are read, its wall is not
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert stored_rows(agency) == {"account_daily": [], "posts": []}
        with agency.open_store(read_only=True) as store:
            (claimed,) = store.con.execute("SELECT claimed_by FROM connections").fetchone()
        assert claimed.endswith(f":{process.pid}")
        state = connection(agency)
        assert (state["status"], state["synced_through"]) == ("never_synced", None)
        code, (result,), output = sync(agency, "--as-of", "2025-03-10")  # its process is gone
    assert (code, result["status"]) == (0, "ok"), output
    assert {k: kpis(agency)[k] for k in MARCH} == MARCH


def test_a_connection_held_by_a_running_sync_is_not_synced_twice(
    agency: Workspace, vk: Sandbox
) -> None:
    connect(agency)
    with agency.open_store() as store:
        store.con.execute(
            "UPDATE connections SET claimed_by = 'team-server:4242', claimed_at = $1",
            [datetime.now(UTC)],
        )
    code, (result,), _output = sync(agency)
    assert (code, result["status"]) == (0, "busy")
    assert result["error"] == "Another sync of this connection is running (team-server:4242)."
    assert vk.methods() == ["groups.getById", "stats.get"]  # only connect's calls
    with agency.open_store() as store:
        store.con.execute(
            "UPDATE connections SET claimed_at = $1", [datetime(2025, 1, 1, tzinfo=UTC)]
        )  # six hours and more: no sync runs that long, the claim is taken over
    code, (result,), output = sync(agency, "--as-of", "2025-03-10")
    assert (code, result["status"]) == (0, "ok"), output


def test_due_syncs_only_what_was_not_synced_within_every_hours(
    agency: Workspace, vk: Sandbox
) -> None:
    connect(agency)
    code, output = smmkpi(agency, "sync", "--due", "--as-of", "2025-03-10")
    assert code == 0 and "vk coffeelab-vk: ok — 2024-02-04 to 2025-03-09" in " ".join(
        output.split()
    )
    code, output = smmkpi(agency, "sync", "--due", "--as-of", "2025-03-10")
    assert code == 0 and "No connection is due." in output
    code, output = smmkpi(agency, "sync", "--due", "--as-of", "2025-03-11")
    assert code == 0 and "2025-03-03 to 2025-03-10" in " ".join(output.split())


def test_the_server_syncs_what_is_due_in_the_background(agency: Workspace, vk: Sandbox) -> None:
    from fastapi.testclient import TestClient

    from smmkpi.store import connections
    from smmkpi.web.app import create_app

    connect(agency)
    app = create_app(Workspace.open(agency.path), watch_seconds=0.2)

    def state() -> connections.StoredConnection:
        with app.state.db.store() as store:
            (found,) = connections.listed(store.con)
            return found

    with TestClient(app):
        deadline = time.monotonic() + 30
        while state().status != "ok" and time.monotonic() < deadline:
            time.sleep(0.2)
        synced = state()
        calls = len(vk.calls)
        time.sleep(0.6)  # further rounds: synced less than sync.every_hours ago, not due
        assert len(vk.calls) == calls
        with app.state.db.store() as store:
            posts, days = store.con.execute(
                "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM account_daily)"
            ).fetchone()
    assert synced.status == "ok" and synced.synced_through == date.today() - timedelta(days=1)
    # March 2025 is older than the 400-day backfill: no statistics; the wall's first page is
    # imported whole (its three posts, read now), and the members are today's followers
    assert (posts, days) == (3, 1)
