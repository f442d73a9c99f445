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


def test_instagram_competitors_through_business_discovery(
    agency: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With the client's own professional account: followers and the newest media's likes and
    comments (shares are not public on Instagram); a personal account is told and skipped."""
    from tests.support.sandbox import IG_ID, meta_sandbox
    from tests.sync.test_meta_sync import connect as meta_connect

    write_table(tmp_path / "ig", "accounts", [
        {"account_id": "coffeelab-ig", "client_id": "coffeelab", "platform": "instagram",
         "handle": IG_ID},
    ])  # fmt: skip
    import_path(agency, tmp_path / "ig")
    for handle in ("@tortiki.spb", "instagram.com/private_person"):
        code, output = smmkpi(agency, "competitor", "add", "coffeelab", "--platform",
                              "instagram", "--handle", handle)  # fmt: skip
        assert code == 0, output
    with meta_sandbox(monkeypatch) as (_sandbox, meta):
        media = [
            {"id": "m1", "timestamp": "2025-03-04T09:00:00+0000", "like_count": 300,
             "comments_count": 20},
            {"id": "m2", "timestamp": "2025-03-06T17:30:00+0000", "like_count": 180,
             "comments_count": 12},
        ]  # fmt: skip
        meta.discoverable["tortiki.spb"] = {
            "username": "tortiki.spb", "name": "Тортики СПб", "followers_count": 12000,
            "media_count": 420, "media": media,
        }  # fmt: skip
        assert meta_connect(agency, "instagram").startswith("0 Connected coffeelab-ig")
        code, output = smmkpi(agency, "sync", "--source", "instagram", "--format", "json",
                              "--as-of", "2025-03-05", "--from", "2025-03-01")  # fmt: skip
        assert code == 0, output
        (first,) = json.loads(output)
        assert first["competitors"] == 1
        assert first["competitor_problems"][0].startswith(
            "Instagram does not show instagram.com/private_person (a professional account is "
            "needed):"
        )
        meta.discoverable["tortiki.spb"]["followers_count"] = 12240
        code, output = smmkpi(agency, "sync", "--source", "instagram", "--format", "json",
                              "--as-of", "2025-03-12", "--from", "2025-03-01")  # fmt: skip
        assert code == 0, output
    rows = {r["name"]: r for r in competitors(agency)["rows"]}
    # m1 (4 March) is before the first snapshot (5 March, noon UTC): in posts, not in ER
    assert rows["Тортики СПб"] == {
        "name": "Тортики СПб", "platform": "instagram", "handle": "@tortiki.spb",
        "is_client": False, "followers_end": 12240, "followers_growth": 240, "posts": 2,
        "posts_per_week": pytest.approx(2 / 31 * 7),
        "interactions_per_post": pytest.approx((320 + 192) / 2),
        "er_by_followers": pytest.approx(192 / 12000 * 100),
    }  # fmt: skip


def test_youtube_competitors_from_the_data_api(
    agency: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The channel's subscribers by handle and its newest uploads' likes and comments (shares
    are not public on YouTube); a channel that is not there is told."""
    from tests.support.sandbox import youtube_sandbox

    write_table(tmp_path / "yt", "accounts", [
        {"account_id": "coffeelab-yt", "client_id": "coffeelab", "platform": "youtube"},
    ])  # fmt: skip
    import_path(agency, tmp_path / "yt")
    for handle in ("https://www.youtube.com/@BaristaLab", "@nobody"):
        code, output = smmkpi(agency, "competitor", "add", "coffeelab", "--platform", "youtube",
                              "--handle", handle)  # fmt: skip
        assert code == 0, output
    channel = {"kind": "youtube#channel", "id": "UCbaristalab",
               "snippet": {"title": "Barista Lab"}, "statistics": {"subscriberCount": "88000"},
               "contentDetails": {"relatedPlaylists": {"uploads": "UUbaristalab"}}}  # fmt: skip
    videos = [
        {"id": "b1", "publishedAt": "2025-03-20T15:00:00Z", "title": "Латте-арт", "views": 9000,
         "likes": 700, "comments": 50},
        {"id": "b2", "publishedAt": "2025-03-27T15:00:00Z", "title": "Помол", "views": 4000,
         "likes": 200, "comments": 30},
    ]  # fmt: skip
    with youtube_sandbox(monkeypatch) as (_sandbox, youtube):
        youtube.public["@baristalab"] = (channel, videos)
        code, output = smmkpi(agency, "connect", "youtube", "coffeelab-yt", "--token-env", "G",
                              env={"G": "google-refresh"})  # fmt: skip
        assert code == 0, output
        for day in ("2025-03-22", "2025-03-29"):
            code, output = smmkpi(agency, "sync", "--source", "youtube", "--format", "json",
                                  "--as-of", day, "--from", "2025-03-20")  # fmt: skip
            assert code == 0, output
            (result,) = json.loads(output)
            assert result["competitors"] == 1
            assert result["competitor_problems"] == ["YouTube shows no channel @nobody."]
            channel["statistics"]["subscriberCount"] = "88600"
    rows = {r["name"]: r for r in competitors(agency)["rows"]}
    # b1 (20 March) is before the first snapshot (22 March): in posts, not in ER
    assert rows["Barista Lab"] == {
        "name": "Barista Lab", "platform": "youtube", "handle": "youtube.com/@BaristaLab",
        "is_client": False, "followers_end": 88600, "followers_growth": 600, "posts": 2,
        "posts_per_week": pytest.approx(2 / 31 * 7),
        "interactions_per_post": pytest.approx((750 + 230) / 2),
        "er_by_followers": pytest.approx(230 / 88000 * 100),
    }  # fmt: skip


def test_telegram_public_channels_with_the_clients_session(
    agency: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Subscribers and the messages' reactions, replies and forwards of a public channel, read
    with the client's session; a channel the session cannot see is told."""
    from smmkpi.sandbox.telegram import RecordedChannel, SandboxTelegram
    from smmkpi.sync import telegram
    from smmkpi.sync.telegram import Channel
    from tests.sync.test_telegram_sync import CHANNEL, DATA

    def message(number: int, when: str, reactions: int, replies: int, forwards: int) -> Any:
        return {"_": "Message", "id": number, "date": when, "message": f"Пост {number}",
                "views": 1000, "forwards": forwards, "replies": {"replies": replies},
                "reactions": {"results": [{"count": reactions}]}}  # fmt: skip

    rival = RecordedChannel(
        Channel(1700000001, "rivalbrew", "Rival Brew", 2000, stats=False),
        None,
        [message(1, "2025-03-02T09:00:00+00:00", 25, 3, 4)],
    )
    monkeypatch.setenv("SMMKPI_SECRET_KEY", "a long random text the team shares")
    monkeypatch.setenv("SMMKPI__SYNC__BACKOFF_SECONDS", "0.01")
    sandbox = SandboxTelegram(
        [RecordedChannel.from_folder(DATA, CHANNEL), rival],
        {"admin-session": {CHANNEL.channel_id}},
    )
    for handle in ("https://t.me/rivalbrew", "@hidden_channel"):
        code, output = smmkpi(agency, "competitor", "add", "coffeelab", "--platform", "telegram",
                              "--handle", handle)  # fmt: skip
        assert code == 0, output
    with telegram.using(sandbox.client):
        code, output = smmkpi(agency, "connect", "telegram", "coffeelab-tg", "--session-env",
                              "TG", env={"TG": "admin-session"})  # fmt: skip
        assert code == 0, output
        for day in ("2025-03-04", "2025-03-11"):
            code, output = smmkpi(agency, "sync", "--source", "telegram", "--format", "json",
                                  "--as-of", day, "--from", "2025-03-01")  # fmt: skip
            assert code == 0, output
            (result,) = json.loads(output)
            assert result["competitors"] == 1
            assert result["competitor_problems"][0].startswith(
                "Telegram does not show the channel @hidden_channel:"
            )
            rival.channel = Channel(1700000001, "rivalbrew", "Rival Brew", 2100, stats=False)
            rival.messages = [
                message(3, "2025-03-09T19:00:00+00:00", 30, 5, 0),
                message(2, "2025-03-06T10:00:00+00:00", 10, 1, 2),
                *rival.messages,
            ]
    rows = {r["name"]: r for r in competitors(agency)["rows"]}
    assert rows["Rival Brew"] == {
        "name": "Rival Brew", "platform": "telegram", "handle": "t.me/rivalbrew",
        "is_client": False, "followers_end": 2100, "followers_growth": 100, "posts": 3,
        "posts_per_week": pytest.approx(3 / 31 * 7),
        "interactions_per_post": pytest.approx((32 + 13 + 35) / 3),
        "er_by_followers": pytest.approx((13 + 35) / (2000 + 2000) * 100),
    }  # fmt: skip


def test_a_tiktok_competitor_is_recorded_by_hand(agency: Workspace, tmp_path: Path) -> None:
    """TikTok gives apps no public data of others: its counters are recorded with `competitor
    snapshot` (followers at a time, posts from a CSV), and measured like the rest."""
    base = ["competitor", "add", "coffeelab", "--platform", "tiktok", "--handle", "@beanz"]
    code, output = smmkpi(agency, *base)
    assert code == 0 and "No sync reads tiktok competitors" in output
    posts = tmp_path / "beanz.csv"
    posts.write_text(
        "post_id,published_at,likes,comments,shares,views\n"
        "71,2025-03-03T18:00:00+03:00,900,40,60,30000\n"
        "72,2025-03-12T18:00:00+03:00,300,10,,9000\n",
        encoding="utf-8",
    )
    snap = ["competitor", "snapshot", "coffeelab", "--platform", "tiktok", "--handle", "@beanz"]
    code, output = smmkpi(agency, *snap, "--followers", "50000", "--at",
                          "2025-03-01T10:00:00+03:00")  # fmt: skip
    assert code == 0, output
    code, output = smmkpi(agency, *snap, "--followers", "51500", "--at",
                          "2025-03-10T10:00:00+03:00", "--posts", str(posts))  # fmt: skip
    assert code == 0 and "Recorded for @beanz: 51500 followers at 2025-03-10T07:00:00+00:00, 2 " \
        "posts." in " ".join(output.split())  # fmt: skip
    rows = {r["handle"]: r for r in competitors(agency)["rows"]}
    # 71 after the 1 March snapshot (50,000); 72 after the 10 March one (51,500)
    assert rows["@beanz"] == {
        "name": "@beanz", "platform": "tiktok", "handle": "@beanz", "is_client": False,
        "followers_end": 51500, "followers_growth": 1500, "posts": 2,
        "posts_per_week": pytest.approx(2 / 31 * 7),
        "interactions_per_post": pytest.approx((1000 + 310) / 2),
        "er_by_followers": pytest.approx((1000 + 310) / (50000 + 51500) * 100),
    }  # fmt: skip
    posts.write_text("post_id,published_at,likes\n73,2025-03-14T10:00:00Z,много\n", "utf-8")
    code, output = smmkpi(agency, *snap, "--posts", str(posts))
    assert code == 1
    assert "beanz.csv, row 2, column likes: 'много' is not a count; write digits only." in output
    code, output = smmkpi(agency, "competitor", "snapshot", "coffeelab", "--platform", "tiktok",
                          "--handle", "@other", "--followers", "1")  # fmt: skip
    assert code == 1 and "coffeelab does not follow @other on tiktok" in output


def test_a_competitor_that_cannot_be_read_never_fails_the_clients_sync(
    agency: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rival's wall answers in a shape smmkpi does not know: that is told, its members are
    kept, and the client's own data is imported all the same."""
    theirs = rival()
    theirs.wall[0]["id"] = "первый"  # VK gives numbers
    code, output = smmkpi(agency, "competitor", "add", "coffeelab", "--platform", "vk",
                          "--handle", "rivalcoffee")  # fmt: skip
    assert code == 0, output
    with vk_sandbox(monkeypatch, [Community.from_folder(VK_DATA), theirs]):
        connect(agency)
        settle()
        code, (result,), output = sync(agency, "--as-of", "2025-03-10")
    assert code == 0 and result["status"] == "ok", output
    assert result["posts"] == 3 and result["competitors"] == 1
    (problem,) = result["competitor_problems"]
    assert problem.startswith("VK did not give the posts of rivalcoffee:")
    (row,) = [r for r in competitors(agency)["rows"] if not r["is_client"]]
    assert (row["followers_end"], row["posts"]) == (5000, 0)
