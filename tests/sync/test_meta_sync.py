"""Syncing Instagram and Facebook from the sandbox's Graph API through the real CLI, on both
engines: daily insights in requests of at most 30 days (Instagram), media with their insights,
the values a file import of the same recorded answers gives; Graph's error codes as the
contract's statuses."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smmkpi.sandbox.meta import MetaPlatform
from smmkpi.sandbox.server import Sandbox
from smmkpi.workspace import Workspace
from tests.conftest import import_path, write_table
from tests.support.sandbox import IG_ID, META_DATA, PAGE_ID, meta_sandbox
from tests.sync.conftest import smmkpi


@pytest.fixture
def meta(
    agency: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Sandbox, MetaPlatform]]:
    write_table(
        tmp_path / "meta-accounts",
        "accounts",
        [
            {"account_id": "coffeelab-ig", "client_id": "coffeelab", "platform": "instagram",
             "handle": IG_ID},
            {"account_id": "coffeelab-fb", "client_id": "coffeelab", "platform": "facebook",
             "handle": "coffeelab.page"},
        ],
    )  # fmt: skip
    import_path(agency, tmp_path / "meta-accounts")
    with meta_sandbox(monkeypatch) as found:
        yield found


def connect(workspace: Workspace, source: str, *args: str, token: str = "meta-token") -> str:
    account = "coffeelab-ig" if source == "instagram" else "coffeelab-fb"
    code, output = smmkpi(workspace, "connect", source, account, *args,
                          "--token-env", "META", env={"META": token})  # fmt: skip
    return f"{code} {' '.join(output.split())}"


def sync(workspace: Workspace, source: str) -> tuple[int, dict[str, Any]]:
    code, output = smmkpi(workspace, "sync", "--source", source, "--format", "json",
                          "--as-of", "2025-04-01", "--from", "2025-03-01")  # fmt: skip
    return code, json.loads(output)[0]


def ig_rows(workspace: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    with workspace.open_store(read_only=True) as store:
        return {
            "account_daily": store.con.execute(
                "SELECT date, followers_gained, reach, profile_visits FROM account_daily "
                "WHERE account_id = 'coffeelab-ig' ORDER BY 1"
            ).fetchall(),
            "posts": store.con.execute(
                "SELECT post_id, published_at, kind, text, url, likes, comments, shares, saves, "
                "views, reach FROM posts WHERE account_id = 'coffeelab-ig' ORDER BY 1"
            ).fetchall(),
        }


def test_instagram_syncs_insights_and_media_as_a_file_import_of_them(
    agency: Workspace, meta: tuple[Sandbox, MetaPlatform], tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    sandbox, _platform = meta
    assert connect(agency, "instagram") == (
        "0 Connected coffeelab-ig: Instagram 17841400123456789 «coffeelab.msk», 14,020 followers."
    )
    code, result = sync(agency, "instagram")
    assert (code, result["status"], result["posts"]) == (0, "ok", 3), result
    insights = [c.params for c in sandbox.calls if c.method == "meta:insights"]
    # 1–31 March: 30 days, then 1 (Instagram allows 30 a request), from Pacific midnights
    # (the first is an hour short: the US moved its clocks on 9 March)
    assert [round((int(p["until"]) - int(p["since"])) / 86_400) for p in insights] == [30, 1]
    found = ig_rows(agency)
    # by hand: ig_insights.json's three days (end_time is the end of a Pacific day)
    assert [(d.isoformat(), g, r, v) for d, g, r, v in found["account_daily"]] == [
        ("2025-03-07", 12, 1800, 140), ("2025-03-08", 15, 2100, 165), ("2025-03-09", 9, 1650, 120),
    ]  # fmt: skip
    assert [(p[0], p[2], p[5], p[6], p[7], p[8], p[9], p[10]) for p in found["posts"]] == [
        ("17912345678901234", "post", 120, 14, 8, 30, 2400, 1900),
        ("17912345678901235", "reel", 410, 33, 52, 95, 8800, 5100),
        ("17912345678901236", "post", 60, 4, 2, 11, 1500, 1200),
    ]
    url = agency.settings.store.url
    if url:
        url = request.getfixturevalue("postgres_server").new_database(
            "ig" + agency.path.parent.name[-8:]
        )
    by_hand = Workspace.init(tmp_path / "by-hand", "By hand", url)[0]
    assert smmkpi(by_hand, "import", str(tmp_path / "data"))[0] == 0
    import_path(by_hand, tmp_path / "meta-accounts")
    recorded = tmp_path / "recorded"
    recorded.mkdir()
    for name in ("ig_insights.json", "ig_media.json"):
        shutil.copy(META_DATA / name, recorded / name)
    code, output = smmkpi(by_hand, "import", str(recorded), "--account", "coffeelab-ig",
                          "--as-of", "2025-04-01T12:00:00+00:00")  # fmt: skip
    assert code == 0, output
    assert ig_rows(by_hand) == found


def test_graphs_error_codes_are_the_contracts_statuses(
    agency: Workspace, meta: tuple[Sandbox, MetaPlatform]
) -> None:
    _sandbox, platform = meta
    assert connect(agency, "facebook").startswith(
        "1 Error: Pass --id with the Facebook account's id"
    )
    assert connect(agency, "facebook", "--id", PAGE_ID) == (
        "0 Connected coffeelab-fb: Facebook 104328871000001 «Кофелаб», 3,100 followers."
    )
    assert connect(agency, "instagram", token="page-only").startswith(
        "1 Error: Meta answered 17841400123456789 with HTTP 400: (#10) Application does not have "
        "permission for this action Nothing was saved."
    )
    platform.faults.add("insights", "rate_limited", 2)  # code 4: retried
    code, result = sync(agency, "facebook")
    assert (code, result["status"]) == (0, "ok"), result
    platform.faults.add("insights", "changed_shape")
    code, result = sync(agency, "facebook")
    assert (code, result["status"]) == (1, "failing")
    assert "Meta changed the answer of insights: data[0].values is missing." in result["error"]
    platform.tokens.pop("meta-token")
    code, result = sync(agency, "facebook")
    assert (code, result["status"]) == (1, "needs_reauth")
    assert result["error"].startswith(
        "Meta answered 104328871000001/insights with HTTP 400: Error validating access token"
    )
