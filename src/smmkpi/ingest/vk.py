"""VK (VKontakte) API responses saved as JSON: ``stats.get``, ``wall.get``,
``stats.getPostReach`` and ``groups.getById`` — one file, or a folder of them for one community.

Mapping:

- ``stats.get`` (daily ``stats_period``) → ``account_daily``: ``activity.subscribed`` →
  followers_gained, ``activity.unsubscribed`` → followers_lost, ``reach.reach`` → reach,
  ``visitors.views`` → profile_visits. VK leaves out keys whose value is 0: inside a section
  the file has, a missing key is 0; a section the file never has is not provided at all.
  The day of a period is the day its ``period_from`` starts: in UTC when it is a UTC midnight
  (what VK returns), in Moscow when it is a Moscow midnight, else in the client's zone.
- ``wall.get`` items → ``posts``: likes, comments, reposts (shares), views; a ``video``
  attachment makes the kind video (else post), two photos or videos or more a ``carousel``
  attribute, a ``link`` or ``poll`` attachment the attribute of that name; ``postpone`` and
  ``suggest`` items are not published posts and are left out.
- ``stats.getPostReach`` → the reach of those posts: ``reach_total`` → reach, ``reach_viral``,
  ``reach_ads`` → reach_paid, total − viral − ads → reach_organic, ``links`` → link_clicks. It
  carries no publication dates, so it needs the ``wall.get`` of the same posts in the same
  import (one folder).
- ``groups.getById`` (``{"groups": [...]}`` or, from older API versions, a bare list) →
  ``members_count`` as the followers of the day the file was saved (``--as-of`` to say).

The community is found from ``owner_id`` / the group's id and screen name against the
accounts' handles (``club123``, ``public123``, ``coffeelab``); otherwise ``--account``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.ingest import post_attributes
from smmkpi.ingest.cells import Cells
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sheets import read_text
from smmkpi.ingest.sniff import Sniffed, unwrap
from smmkpi.ingest.source import PlatformSource

NAME = "vk"
MOSCOW = ZoneInfo("Europe/Moscow")
DAY = 86_400
SECTIONS = {
    "activity": (("subscribed", "followers_gained"), ("unsubscribed", "followers_lost")),
    "reach": (("reach", "reach"),),
    "visitors": (("views", "profile_visits"),),
}


def classify(data: Any) -> str | None:
    """Which VK method a response (or its ``response`` part) comes from."""
    data = unwrap(data)
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        items = data["items"]
        if not items or all(isinstance(i, dict) and "date" in i and "owner_id" in i for i in items):
            return "wall"
    if isinstance(data, dict) and isinstance(data.get("groups"), list):
        return "groups"
    if isinstance(data, list) and data and all(isinstance(i, dict) for i in data):
        first = data[0]
        if "period_from" in first:
            return "stats"
        if "post_id" in first and ("reach_total" in first or "reach_subscribers" in first):
            return "post_reach"
        if (
            "screen_name" in first
            and "id" in first
            and ("members_count" in first or "name" in first)
        ):
            return "groups"
    return None


def detect(sniffed: Sniffed) -> bool:
    return sniffed.json_claims(lambda data: classify(data) is not None)


def period_day(period_from: int, zone: ZoneInfo) -> date:
    """The calendar day a ``stats.get`` period starts: in UTC when it starts at a UTC midnight,
    in Moscow at a Moscow midnight, else in the client's zone."""
    if period_from % DAY == 0:
        return datetime.fromtimestamp(period_from, UTC).date()
    if (period_from + 3 * 3600) % DAY == 0:
        return datetime.fromtimestamp(period_from, MOSCOW).date()
    return datetime.fromtimestamp(period_from, zone).date()


def _count(container: Any, key: str) -> int | None:
    value = container.get(key) if isinstance(container, dict) else None
    if isinstance(value, dict):
        value = value.get("count")
    return value if isinstance(value, int) else None


class VkSource(PlatformSource):
    """VK JSON: one response file, or a folder of them."""

    format = NAME

    def paths(self) -> list[Path]:
        if self.path.is_dir():
            return sorted(p for p in self.path.iterdir() if p.suffix.lower() == ".json")
        return [self.path]

    def read_all(self, sink: RowSink) -> None:
        documents: list[tuple[Path, str, Any]] = []
        for path in self.paths():
            data = json.loads(read_text(path, self.context.encoding))
            kind = classify(data)
            if kind is None:
                raise UserError(
                    _(
                        "{file} is not a VK API response this importer reads (stats.get, wall.get, "
                        "stats.getPostReach, groups.getById)."
                    ).format(file=path.name)
                )
            documents.append((path, kind, unwrap(data)))
        hints: list[str] = []
        for _path, kind, data in documents:
            if kind == "wall":
                hints += [f"club{abs(int(i['owner_id']))}" for i in data["items"][:1]]
            if kind == "groups":
                for group in _groups(data):
                    hints += [
                        str(group.get("id", "")),
                        str(group.get("screen_name", "")),
                        str(group.get("name", "")),
                    ]
        account = self.context.account(self.label, "vk", hints)
        client = self.context.directory.clients[account.client_id]
        zone = ZoneInfo(client.timezone)
        wall = [(p, d) for p, k, d in documents if k == "wall"]
        reach = {}
        for path, kind, data in documents:
            if kind == "post_reach":
                for item in data:
                    reach[str(item["post_id"])] = (path, item)
        if reach and not wall:
            self._reach_of_stored(sink, account.account_id, reach)
            reach = {}
        for path, kind, data in documents:
            if kind == "stats":
                self._daily(sink, path, data, account.account_id, zone)
            elif kind == "groups":
                self._members(sink, path, data, account.account_id, zone)
        for path, data in wall:
            self._posts(sink, path, data, account.account_id, reach)
        if reach:
            sink.problems.note(
                _(
                    "{n} posts of stats.getPostReach are not in the wall.get of this import and "
                    "were left out."
                ).format(n=len(reach))
            )

    def _daily(
        self, sink: RowSink, path: Path, periods: list[Any], account: str, zone: ZoneInfo
    ) -> None:
        present = {s for s in SECTIONS if any(isinstance(p.get(s), dict) for p in periods)}
        for index, period in enumerate(periods, start=1):
            row = Cells(sink, path.name, index)
            row.put("account_id", account)
            row.put("date", period_day(int(period["period_from"]), zone))
            for section in present:
                values = period.get(section) or {}
                for key, column in SECTIONS[section]:
                    value = values.get(key, 0)  # VK leaves out keys whose value is 0
                    row.put(column, value, header=f"{section}.{key}")
            row.add("account_daily")

    def _members(self, sink: RowSink, path: Path, data: Any, account: str, zone: ZoneInfo) -> None:
        day = self.context.captured_at(path).astimezone(zone).date()
        for index, group in enumerate(_groups(data), start=1):
            if "members_count" not in group:
                continue
            row = Cells(sink, path.name, index)
            row.put("account_id", account)
            row.put("date", day)
            row.put("followers", group["members_count"], header="members_count")
            row.add("account_daily")
        sink.problems.note(
            _(
                "{file}: the members count is recorded as the followers of {day} (when the file "
                "was saved; --as-of to say otherwise)."
            ).format(file=path.name, day=day.isoformat())
        )

    def _posts(
        self,
        sink: RowSink,
        path: Path,
        data: dict[str, Any],
        account: str,
        reach: dict[str, tuple[Path, dict[str, Any]]],
    ) -> None:
        captured = self.context.captured_at(path)
        for index, item in enumerate(data["items"], start=1):
            if item.get("post_type") in ("postpone", "suggest"):
                continue
            post_id = str(item["id"])
            row = Cells(sink, path.name, index)
            row.put("account_id", account)
            row.put("post_id", post_id)
            row.put("published_at", datetime.fromtimestamp(int(item["date"]), UTC))
            attachments = item.get("attachments") or []
            video = any(a.get("type") == "video" for a in attachments if isinstance(a, dict))
            row.put("kind", "video" if video else "post")
            row.put("attributes", post_attributes.vk(attachments))
            row.put("text", item.get("text") or None)
            row.put("url", f"https://vk.com/wall{item['owner_id']}_{item['id']}")
            for column, key in (
                ("likes", "likes"),
                ("comments", "comments"),
                ("shares", "reposts"),
                ("views", "views"),
            ):
                if key in item:
                    row.put(column, _count(item, key), header=f"{key}.count")
            if post_id in reach:
                _reach_path, stat = reach.pop(post_id)
                _put_reach(row, stat)
            row.put("captured_at", captured)
            row.add("posts")

    def _reach_of_stored(
        self, sink: RowSink, account: str, reach: dict[str, tuple[Path, dict[str, Any]]]
    ) -> None:
        """stats.getPostReach without its wall.get: the reach of posts already stored (it has no
        publication dates, so it never makes a post of its own)."""
        stored = (
            self.context.stored_posts(account, list(reach)) if self.context.stored_posts else {}
        )
        if not stored:
            raise UserError(
                _(
                    "{source}: none of the {n} posts of stats.getPostReach is stored for account "
                    "'{account}', and the response has no publication dates. Import it together "
                    "with the wall.get response of the same posts."
                ).format(source=self.label, n=len(reach), account=account)
            )
        for index, (post_id, (path, stat)) in enumerate(reach.items(), start=1):
            if post_id not in stored:
                continue
            row = Cells(sink, path.name, index)
            row.put("account_id", account)
            row.put("post_id", post_id)
            row.put("published_at", stored[post_id])
            _put_reach(row, stat)
            row.put("captured_at", self.context.captured_at(path))
            row.add("posts")
        left = len(reach) - len(stored)
        sink.problems.note(
            _(
                "stats.getPostReach: the reach of {matched} stored posts was added (matched by "
                "post id); {left} posts are not stored and were left out (import their wall.get)."
            ).format(matched=len(stored), left=left)
        )


def _put_reach(row: Cells, stat: dict[str, Any]) -> None:
    total, viral, ads = stat.get("reach_total"), stat.get("reach_viral"), stat.get("reach_ads")
    row.put("reach", total, header="reach_total")
    row.put("reach_viral", viral, header="reach_viral")
    row.put("reach_paid", ads, header="reach_ads")
    if isinstance(total, int) and isinstance(viral, int) and isinstance(ads, int):
        organic = total - viral - ads
        row.put("reach_organic", organic if organic >= 0 else None)
    if "links" in stat:
        row.put("link_clicks", stat["links"], header="links")


def _groups(data: Any) -> Iterable[dict[str, Any]]:
    groups = data.get("groups") if isinstance(data, dict) else data
    return [g for g in (groups or []) if isinstance(g, dict)]
