"""Syncing TikTok from the sandbox through the real CLI, on both engines: the refresh token is
rotated on every trade and the new one is saved before it is used (a sync killed after the trade
still has a token that works); followers are snapshotted; videos are paged newest first back to
the posts to re-read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from smmkpi.sandbox.server import Sandbox
from smmkpi.sandbox.tiktok import TikTokPlatform
from smmkpi.store import connections
from smmkpi.sync.credentials import credential_box
from smmkpi.workspace import Workspace
from tests.conftest import import_path, write_table
from tests.support.sandbox import tiktok_sandbox
from tests.sync.conftest import smmkpi


@pytest.fixture
def tiktok(
    agency: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Sandbox, TikTokPlatform]]:
    write_table(tmp_path / "tt", "accounts", [
        {"account_id": "coffeelab-tt", "client_id": "coffeelab", "platform": "tiktok"},
    ])  # fmt: skip
    import_path(agency, tmp_path / "tt")
    with tiktok_sandbox(monkeypatch) as found:
        yield found


def stored_token(workspace: Workspace) -> tuple[str, Any]:
    with workspace.open_store(read_only=True) as store:
        (found,) = [c for c in connections.listed(store.con) if c.source == "tiktok"]
    box = credential_box(workspace.path, on_postgresql=False)
    return box.open(found.sealed), found.token_expires_at


def test_tiktok_rotates_its_refresh_token_and_syncs(
    agency: Workspace, tiktok: tuple[Sandbox, TikTokPlatform]
) -> None:
    sandbox, platform = tiktok
    code, output = smmkpi(agency, "connect", "tiktok", "coffeelab-tt", "--token-env", "T",
                          env={"T": "rft.first"})  # fmt: skip
    assert code == 0, output
    assert "Connected coffeelab-tt: TikTok «Pacific Brew», 5,310 followers." in output
    kept, expires = stored_token(agency)
    assert kept != "rft.first" and kept in platform.refresh_tokens  # the rotated one is kept
    assert expires is not None and expires > datetime.now(UTC)
    code, output = smmkpi(agency, "sync", "--source", "tiktok", "--format", "json",
                          "--as-of", "2025-03-27", "--from", "2025-03-20")  # fmt: skip
    (result,) = json.loads(output)
    assert (code, result["status"]) == (0, "ok"), output
    again, _expires = stored_token(agency)
    assert again not in (kept, "rft.first") and again in platform.refresh_tokens
    assert kept in platform.used
    # videos newest first, 20 a page: the 25 span 3–27 March, the re-read window reaches
    # 25 February, so both pages are read
    assert [c.method for c in sandbox.calls].count("tiktok:video/list") == 2
    assert result["posts"] == 25
    with agency.open_store(read_only=True) as store:
        views = store.con.execute(
            "SELECT sum(views), sum(likes), sum(shares) FROM posts WHERE account_id = "
            "'coffeelab-tt'"
        ).fetchone()
        followers = store.con.execute(
            "SELECT date, followers FROM account_daily WHERE account_id = 'coffeelab-tt'"
        ).fetchall()
    n = range(1, 26)
    assert views == (sum(1000 * i for i in n), sum(10 * i for i in n), sum(i // 2 for i in n))
    assert [(d.isoformat(), f) for d, f in followers] == [("2025-03-27", 5310)]


def test_a_used_refresh_token_needs_reauth(
    agency: Workspace, tiktok: tuple[Sandbox, TikTokPlatform]
) -> None:
    _sandbox, platform = tiktok
    assert smmkpi(agency, "connect", "tiktok", "coffeelab-tt", "--token-env", "T",
                  env={"T": "rft.first"})[0] == 0  # fmt: skip
    code, output = smmkpi(agency, "connect", "tiktok", "coffeelab-tt", "--token-env", "T",
                          env={"T": "rft.first"})  # fmt: skip
    assert code == 1  # traded once already: TikTok takes it no more
    assert "Refresh token is invalid or expired. Nothing was saved." in " ".join(output.split())
    platform.refresh_tokens.clear()  # the user revoked the app
    code, output = smmkpi(agency, "sync", "--source", "tiktok", "--format", "json")
    (result,) = json.loads(output)
    assert (code, result["status"]) == (1, "needs_reauth")
    assert "Connect it again: smmkpi connect tiktok coffeelab-tt." in result["error"]


def test_the_rotated_token_is_saved_even_when_the_sync_then_fails(
    agency: Workspace, tiktok: tuple[Sandbox, TikTokPlatform]
) -> None:
    _sandbox, platform = tiktok
    assert smmkpi(agency, "connect", "tiktok", "coffeelab-tt", "--token-env", "T",
                  env={"T": "rft.first"})[0] == 0  # fmt: skip
    platform.faults.add("user/info", "rate_limited", 5)  # every try after the trade fails
    code, output = smmkpi(agency, "sync", "--source", "tiktok", "--format", "json",
                          "--as-of", "2025-03-27")  # fmt: skip
    (result,) = json.loads(output)
    assert (code, result["status"]) == (1, "rate_limited")
    kept, _expires = stored_token(agency)
    assert kept in platform.refresh_tokens  # the token TikTok gave in that trade, not the old
    code, output = smmkpi(agency, "sync", "--source", "tiktok", "--format", "json",
                          "--as-of", "2025-03-27")  # fmt: skip
    assert (code, json.loads(output)[0]["status"]) == (0, "ok")
