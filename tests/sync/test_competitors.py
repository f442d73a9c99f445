"""Competitors from public data (`smmkpi competitor`, `smmkpi competitors`), snapshotted by the
VK sync from the sandbox on both engines: two syncs a week apart give the growth of followers;
the latest read of a post's counters wins; a closed or unknown community is told, and the
client's own sync goes on.

The rival, worked out by hand for March 2025 (syncs as of 3 and 10 March, noon UTC):

| post | published (UTC) | likes + comments + reposts | followers last read before it |
|---|---|---|---|
| r1 | 2 Mar 10:00 | 100 + 10 + 5 = 115 (90 likes when first read) | none (first snapshot 3 Mar) |
| r2 | 5 Mar 09:00 | 40 + 4 + 0 = 44 | 5,000 (3 Mar) |
| r3 | 8 Mar 18:00 | 60 + 0 + 2 = 62 | 5,000 (3 Mar) |
| r0 | 27 Feb | — | (February) |
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from smmkpi.sandbox.vk import Community
from smmkpi.workspace import Workspace
from tests.conftest import import_path, write_table
from tests.support.sandbox import VK_DATA, vk_sandbox
from tests.sync.conftest import smmkpi
from tests.sync.test_vk_sync import connect, settle, sync


def post(post_id: int, when: datetime, likes: int, comments: int, reposts: int) -> dict[str, Any]:
    return {"id": post_id, "owner_id": -555, "from_id": -555, "date": int(when.timestamp()),
            "post_type": "post", "text": f"Пост {post_id}", "likes": {"count": likes},
            "comments": {"count": comments}, "reposts": {"count": reposts},
            "views": {"count": likes * 20}}  # fmt: skip


def rival() -> Community:
    group = {"id": 555, "name": "Соперник Кофе", "screen_name": "rivalcoffee", "type": "page",
             "is_closed": 0, "members_count": 5000}  # fmt: skip
    wall = [
        post(1, datetime(2025, 3, 2, 10, tzinfo=UTC), 90, 10, 5),
        post(0, datetime(2025, 2, 27, 12, tzinfo=UTC), 7, 0, 0),
    ]
    return Community(group, [], wall, {})


def closed() -> Community:
    group = {"id": 777, "name": "Закрытый клуб", "screen_name": "closedclub", "type": "group",
             "is_closed": 1, "members_count": 300}  # fmt: skip
    return Community(group, [], [], {})


def competitors(workspace: Workspace, month: str = "2025-03") -> dict[str, Any]:
    code, output = smmkpi(workspace, "competitors", "coffeelab", "--month", month,
                          "--format", "json")  # fmt: skip
    assert code == 0, output
    return dict(json.loads(output))


def test_two_syncs_a_week_apart_give_the_competitors_growth(
    agency: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ours, theirs, shut = Community.from_folder(VK_DATA), rival(), closed()
    for handle in ("rivalcoffee", "https://vk.com/club777", "club999"):
        code, output = smmkpi(agency, "competitor", "add", "coffeelab", "--platform", "vk",
                              "--handle", handle)  # fmt: skip
        assert code == 0, output
    again = smmkpi(agency, "competitor", "add", "coffeelab", "--platform", "vk", "--handle",
                   "rivalcoffee")  # fmt: skip
    assert again[0] == 1 and "coffeelab follows rivalcoffee on vk already." in again[1]
    with vk_sandbox(monkeypatch, [ours, theirs, shut]) as (_sandbox, _vk):
        connect(agency)
        settle()
        code, (first,), output = sync(agency, "--as-of", "2025-03-03")
        assert code == 0, output
        assert first["status"] == "ok" and first["competitors"] == 2
        assert first["competitor_problems"] == [  # in the order of their handles
            "VK shows no community club999.",
            "vk.com/club777 is a closed VK community: its posts are not public.",
        ]
        theirs.group["members_count"] = 5150
        theirs.wall[0]["likes"]["count"] = 100  # r1 got ten more likes
        theirs.wall += [
            post(2, datetime(2025, 3, 5, 9, tzinfo=UTC), 40, 4, 0),
            post(3, datetime(2025, 3, 8, 18, tzinfo=UTC), 60, 0, 2),
        ]
        settle()
        code, (second,), output = sync(agency, "--as-of", "2025-03-10")
        assert code == 0 and second["competitors"] == 2, output
    found = competitors(agency)
    assert found["client"] == "coffeelab"
    assert found["period"] == {"from": "2025-03-01", "to": "2025-03-31"}
    by_name = {r["name"]: r for r in found["rows"]}
    assert by_name["Соперник Кофе"] == {
        "name": "Соперник Кофе", "platform": "vk", "handle": "rivalcoffee", "is_client": False,
        "followers_end": 5150, "followers_growth": 150, "posts": 3,
        "posts_per_week": pytest.approx(3 / 31 * 7),
        "interactions_per_post": pytest.approx((115 + 44 + 62) / 3),
        "er_by_followers": pytest.approx((44 + 62) / (5000 + 5000) * 100),
    }  # fmt: skip
    assert by_name["Закрытый клуб"]["followers_growth"] == 0  # 300 at both snapshots
    assert by_name["Закрытый клуб"]["posts"] == 0
    assert by_name["Закрытый клуб"]["er_by_followers"] is None
    own = [r for r in found["rows"] if r["is_client"]]
    assert [(r["handle"], r["platform"]) for r in own] == [  # by account id
        ("@coffeelab", "telegram"), ("club21890451", "vk"),
    ]  # fmt: skip
    assert own[1]["posts"] == 3  # the coffeelab fixture's three published March posts
    assert own[0]["posts"] == 0 and own[0]["followers_end"] is None
    # February: only r0, read at both syncs
    february = {r["name"]: r for r in competitors(agency, "2025-02")["rows"]}
    assert february["Соперник Кофе"]["posts"] == 1
    assert february["Соперник Кофе"]["followers_end"] is None  # no snapshot in February
    listed = smmkpi(agency, "competitor", "list", "--client", "coffeelab", "--format", "json")
    rows = json.loads(listed[1])
    assert [(r["handle"], r["snapshots"], r["followers"]) for r in rows] == [
        ("club999", 0, None), ("rivalcoffee", 2, 5150), ("vk.com/club777", 2, 300),
    ]  # fmt: skip
    assert rows[1]["last_snapshot"] == "2025-03-10T12:00:00+00:00"
    # the report's page of competitors: the client's accounts, then the rival's row
    write_table(tmp_path / "goal", "clients", [
        {"client_id": "coffeelab", "name": "Кофелаб", "goal": "community"},
    ])  # fmt: skip
    import_path(agency, tmp_path / "goal")
    code, output = smmkpi(agency, "report", "coffeelab", "--month", "2025-03", "--format",
                          "html,xlsx", "--as-of", "2025-04-02")  # fmt: skip
    assert code == 0, output
    html = (agency.path / "reports" / "2025-03" / "coffeelab-2025-03-en.html").read_text()
    page = html[html.index('<section class="flow" id="competitors">') :]
    page = page[: page.index("</section>")]
    rows = re.findall(r"<tr(?: class=\"own\")?><td>(.*?)</tr>", page, re.S)
    names = [re.sub(r"<[^>]+>", "", r).split()[0] for r in rows]
    assert names == ["@coffeelab", "club21890451", "Соперник", "Закрытый"]  # not club999: unread
    rival_cells = re.findall(r'<td class="num">([^<]*)</td>', rows[2])
    assert rival_cells == ["5,150", "150", "0.7", "73.7", "1.06%"]  # English writes 1.06%
    assert "VK · since 3 March" in rows[2]


def test_competitors_are_never_part_of_the_clients_kpis(
    agency: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = smmkpi(agency, "competitor", "add", "coffeelab", "--platform", "vk",
                          "--handle", "rivalcoffee", "--name", "Соперник")  # fmt: skip
    assert code == 0, output
    assert "has no vk connection yet: the snapshots start with its first sync" in output
    with vk_sandbox(monkeypatch, [Community.from_folder(VK_DATA), rival()]):
        connect(agency)
        settle()
        code, _results, output = sync(agency, "--as-of", "2025-03-10")
        assert code == 0, output
    code, output = smmkpi(agency, "kpi", "--client", "coffeelab", "--month", "2025-03",
                          "--format", "json")  # fmt: skip
    kpis = json.loads(output)["kpis"]
    assert kpis["posts"] == 3 and kpis["followers"] == 14230  # the client's own only
    removed = smmkpi(agency, "competitor", "remove", "coffeelab", "--platform", "vk",
                     "--handle", "rivalcoffee")  # fmt: skip
    assert removed[0] == 0, removed[1]
    assert [r["name"] for r in competitors(agency)["rows"] if not r["is_client"]] == []
