"""A post's attributes (ingest/post_attributes.py): a carousel, a link, a poll, as each
platform's data tells them, stored in ``posts.attributes`` and grouped by `smmkpi content`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.ingest import post_attributes
from smmkpi.workspace import Workspace
from tests.ingest.conftest import DATA, platform_import

AS_OF = datetime(2025, 3, 5, 9, tzinfo=UTC)


def test_vk_attachments() -> None:
    photo, video = {"type": "photo", "photo": {}}, {"type": "video", "video": {}}
    link, poll = {"type": "link", "link": {"url": "https://x"}}, {"type": "poll", "poll": {}}
    assert post_attributes.vk([photo]) is None
    assert post_attributes.vk([photo, video]) == "carousel"
    assert post_attributes.vk([poll, photo, photo, link]) == "carousel link poll"
    assert post_attributes.vk(["not a dict", {"type": "doc"}]) is None


def test_telegram_messages() -> None:
    menu = {"type": "text_link", "text": "меню", "href": "https://x"}
    export = {"poll": {"question": "Какой раф?"},
              "text_entities": [{"type": "plain", "text": "см. "}, menu]}  # fmt: skip
    assert post_attributes.telegram_export(export) == "link poll"
    assert post_attributes.telegram_export({"text_entities": [{"type": "hashtag"}]}) is None
    album = {"_": "Message", "grouped_id": 13612345, "media": {"_": "MessageMediaPhoto"}}
    assert post_attributes.telethon(album) == "carousel"
    assert post_attributes.telethon({"media": {"_": "MessageMediaPoll"}}) == "poll"
    assert post_attributes.telethon({"media": {"_": "MessageMediaWebPage"}}) == "link"
    assert post_attributes.telethon({"entities": [{"_": "MessageEntityUrl"}]}) == "link"
    assert post_attributes.telethon({"media": None, "entities": []}) is None


def test_meta_media_types() -> None:
    assert post_attributes.instagram("CAROUSEL_ALBUM") == "carousel"
    assert post_attributes.instagram("IMAGE") is None
    assert post_attributes.meta_post_type("IG carousel") == "carousel"
    assert post_attributes.meta_post_type("Links") == "link"
    assert post_attributes.meta_post_type("IG image") is None


def test_a_vk_wall_export_stores_its_posts_attributes(agency: Workspace, tmp_path: Path) -> None:
    """The fixture's wall.get, its first post given two photos and a poll, its second a link:
    stored, then grouped by attribute (the third post has none)."""
    wall = json.loads((DATA / "vk" / "coffeelab" / "wall_get.json").read_text(encoding="utf-8"))
    items = wall.get("response", wall)["items"]
    photo = items[0]["attachments"][0]
    items[0]["attachments"] = [photo, photo, {"type": "poll", "poll": {"id": 1}}]
    items[1]["attachments"].append({"type": "link", "link": {"url": "https://coffeelab.ru"}})
    path = tmp_path / "wall_get.json"
    path.write_text(json.dumps(wall, ensure_ascii=False), encoding="utf-8")
    platform_import(agency, path, as_of=AS_OF)
    with agency.open_store(read_only=True) as store:
        found = dict(store.con.execute("SELECT post_id, attributes FROM posts").fetchall())
    assert found == {"4812": "carousel poll", "4813": "link", "1234567890123456789": None}
    done = CliRunner().invoke(
        app,
        ["-w", str(agency.path), "content", "coffeelab", "--from", "2025-01-01", "--to",
         "2025-12-31", "--by", "attribute", "--format", "json"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    groups = json.loads(done.stdout)["groups"]
    assert [(g["key"], g["posts"]) for g in groups] == [
        ("carousel", 1), ("link", 1), ("poll", 1), ("", 1)
    ]  # fmt: skip
