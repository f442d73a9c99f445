"""Syncing a Telegram channel through the real CLI with the sandbox standing in for a Telethon
session (Telethon itself is never imported by the tests), on both engines: the posts and the
statistics equal a file import of the same saved answers, flood waits are honoured, a revoked
session needs re-authorisation."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smmkpi.sandbox.telegram import RecordedChannel, SandboxTelegram
from smmkpi.sync import telegram
from smmkpi.sync.telegram import Channel
from smmkpi.workspace import Workspace
from tests.sync.conftest import smmkpi

DATA = Path(__file__).parent.parent / "data" / "telegram" / "telethon"
CHANNEL = Channel(1834512345, "coffeelab", "Кофелаб", 5312, stats=True)


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxTelegram]:
    monkeypatch.setenv("SMMKPI_SECRET_KEY", "a long random text the team shares")
    monkeypatch.setenv("SMMKPI__SYNC__BACKOFF_SECONDS", "0.01")
    found = SandboxTelegram(
        [RecordedChannel.from_folder(DATA, CHANNEL)],
        {"admin-session": {CHANNEL.channel_id}, "subscriber-session": set()},
    )
    with telegram.using(found.client):
        yield found


def connect(workspace: Workspace, session: str = "admin-session") -> tuple[int, str]:
    return smmkpi(workspace, "connect", "telegram", "coffeelab-tg", "--session-env", "TG",
                  env={"TG": session})  # fmt: skip


def sync(workspace: Workspace) -> tuple[int, dict[str, Any]]:
    code, output = smmkpi(workspace, "sync", "--source", "telegram", "--format", "json",
                          "--as-of", "2025-03-04", "--from", "2025-03-01")  # fmt: skip
    return code, json.loads(output)[0]


def rows(workspace: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    with workspace.open_store(read_only=True) as store:
        return {
            "posts": store.con.execute(
                "SELECT post_id, published_at, kind, text, url, likes, comments, shares, views "
                "FROM posts ORDER BY 1"
            ).fetchall(),
            "account_daily": store.con.execute(
                "SELECT date, followers, followers_gained, followers_lost, impressions "
                "FROM account_daily ORDER BY 1"
            ).fetchall(),
        }


def test_a_channel_syncs_its_posts_and_statistics(
    agency: Workspace, sandbox: SandboxTelegram, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    code, output = connect(agency)
    assert code == 0, output
    assert (
        "Connected coffeelab-tg: Telegram channel @coffeelab «Кофелаб», 5,312 subscribers; "
        "stats: yes." in " ".join(output.split())
    )
    code, result = sync(agency)
    assert (code, result["status"], result["posts"]) == (0, "ok", 3)
    found = rows(agency)
    # by hand from telethon/messages.json (README): three posts, the service message left out
    assert [(p[0], p[2], p[5], p[6], p[7], p[8]) for p in found["posts"]] == [
        ("12", "post", 12 + 3, None, 11, 2050),
        ("13", "post", 25, 2, 7, 1900),
        ("15", "video", 40 + 9, 6, 18, 2400),
    ]
    assert found["posts"][0][4] == "https://t.me/coffeelab/12"
    assert len(found["account_daily"]) == 3  # the statistics' three days
    url = agency.settings.store.url
    if url:
        url = request.getfixturevalue("postgres_server").new_database(
            "tg" + agency.path.parent.name[-8:]
        )
    by_hand = Workspace.init(tmp_path / "by-hand", "By hand", url)[0]
    assert smmkpi(by_hand, "import", str(tmp_path / "data"))[0] == 0
    code, output = smmkpi(by_hand, "import", str(DATA), "--account", "coffeelab-tg")
    assert code == 0, output
    assert rows(by_hand) == found
    assert "telethon" not in sys.modules  # the sandbox stood in for it


def test_flood_waits_are_honoured_and_a_revoked_session_needs_reauth(
    agency: Workspace, sandbox: SandboxTelegram
) -> None:
    assert connect(agency)[0] == 0
    sandbox.faults.add("messages", "rate_limited", 2)  # two short flood waits: waited out
    code, result = sync(agency)
    assert (code, result["status"]) == (0, "ok")
    assert sandbox.calls.count("messages") == 3
    sandbox.flood_seconds = 3600.0  # an hour's flood wait: left to the next sync
    sandbox.faults.add("messages", "rate_limited")
    code, result = sync(agency)
    assert (code, result["status"]) == (1, "rate_limited")
    assert result["error"] == (
        "Telegram asked to wait 3600 s (flood wait). The platform's limits were reached; the "
        "next sync tries again."
    )
    del sandbox.sessions["admin-session"]
    code, result = sync(agency)
    assert (code, result["status"]) == (1, "needs_reauth")
    assert result["error"] == (
        "Telegram refused the session (revoked). Connect it again: smmkpi connect telegram "
        "coffeelab-tg."
    )


def test_a_subscribers_session_connects_without_statistics_and_cannot_sync_them(
    agency: Workspace, sandbox: SandboxTelegram
) -> None:
    code, output = connect(agency, "subscriber-session")
    assert code == 0 and "stats: no (the session's user is not an admin)" in output
    code, result = sync(agency)
    assert (code, result["status"]) == (1, "permission_denied")
    code, output = connect(agency, "stranger-session")
    assert code == 1
    assert "Telegram refused the session (revoked). Nothing was saved." in output
