"""Syncing YouTube from the sandbox through the real CLI, on both engines: the day report from
YouTube Analytics equals a file import of it; the uploads are read newest first back to the
posts to re-read and their statistics become posts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smmkpi.sandbox.google import YouTubePlatform
from smmkpi.sandbox.server import Sandbox
from smmkpi.workspace import Workspace
from tests.conftest import import_path, write_table
from tests.support.sandbox import YOUTUBE_REPORT, youtube_sandbox
from tests.sync.conftest import smmkpi


@pytest.fixture
def youtube(
    agency: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Sandbox, YouTubePlatform]]:
    write_table(tmp_path / "yt", "accounts", [
        {"account_id": "coffeelab-yt", "client_id": "coffeelab", "platform": "youtube"},
    ])  # fmt: skip
    import_path(agency, tmp_path / "yt")
    with youtube_sandbox(monkeypatch) as found:
        yield found


def rows(workspace: Workspace, table: str, columns: str) -> list[tuple[Any, ...]]:
    with workspace.open_store(read_only=True) as store:
        return store.con.execute(
            f"SELECT {columns} FROM {table} WHERE account_id = 'coffeelab-yt' ORDER BY 1"
        ).fetchall()


def test_youtube_syncs_the_day_report_and_the_uploads(
    agency: Workspace, youtube: tuple[Sandbox, YouTubePlatform], tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    sandbox, _platform = youtube
    code, output = smmkpi(agency, "connect", "youtube", "coffeelab-yt", "--token-env", "G",
                          env={"G": "google-refresh"})  # fmt: skip
    assert code == 0, output
    assert "Connected coffeelab-yt: YouTube channel UCpacificbrew «Pacific Brew», 4,210 " \
        "subscribers." in " ".join(output.split())  # fmt: skip
    code, output = smmkpi(agency, "sync", "--source", "youtube", "--format", "json",
                          "--as-of", "2025-04-02", "--from", "2025-03-30")  # fmt: skip
    (result,) = json.loads(output)
    assert (code, result["status"]) == (0, "ok"), output
    # posts since 3 March (30 days before 2 April): vid003 … vid030, one page, one videos.list
    assert result["posts"] == 28
    listed = [c.params for c in sandbox.calls if c.method == "youtube:videos"]
    assert len(listed) == 1 and len(listed[0]["id"].split(",")) == 28
    posts = rows(agency, "posts", "post_id, views, likes, comments, url")
    assert len(posts) == 28
    assert posts[7] == ("vid010", 1010, 60, 10, "https://www.youtube.com/watch?v=vid010")
    days = rows(agency, "account_daily", "date, followers_gained, followers_lost")
    assert [(d.isoformat(), g, lost) for d, g, lost in days] == [
        ("2025-03-30", 5, 1), ("2025-03-31", 4, 2), ("2025-04-01", 7, 0),
    ]  # by hand from reports_query_by_day.json  # fmt: skip
    url = agency.settings.store.url
    if url:
        url = request.getfixturevalue("postgres_server").new_database(
            "yt" + agency.path.parent.name[-8:]
        )
    by_hand = Workspace.init(tmp_path / "by-hand", "By hand", url)[0]
    assert smmkpi(by_hand, "import", str(tmp_path / "data"))[0] == 0
    import_path(by_hand, tmp_path / "yt")
    code, output = smmkpi(by_hand, "import", str(YOUTUBE_REPORT), "--account", "coffeelab-yt")
    assert code == 0, output
    assert rows(by_hand, "account_daily", "date, followers_gained, followers_lost") == days
