"""VK's API in the sandbox (``/method/<name>``, form posts or queries), answering as VK does —
``{"response": …}`` or ``{"error": {"error_code", "error_msg"}}`` with HTTP 200 — from a
community's recorded responses: a folder holding ``stats_get.json``, ``wall_get.json``,
``get_post_reach.json`` and ``groups_get_by_id.json`` (what the demo and the VK importer's
fixtures are).

What it holds to, as VK does (``shared/reference/platform-apis.md``): ≤ 3 requests a second per
token (error 6 beyond), ``wall.get`` pages of ≤ 100 newest first, ``stats.getPostReach`` ≤ 30
ids a call and only for the 300 newest posts, statistics only for a community's admins (error
15), an unknown or revoked token refused (error 5)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from smmkpi.sandbox.faults import Faults
from smmkpi.sandbox.server import Answer, RateWindow, Request, Sandbox

RATE_PER_SECOND = 3
PAGE_LIMIT = 100
REACH_IDS_LIMIT = 30
REACH_NEWEST = 300
MESSAGES = {
    3: "Unknown method passed",
    5: "User authorization failed: invalid access_token (4).",
    6: "Too many requests per second",
    10: "Internal server error: Unknown error, try later",
    15: "Access denied: no access to this group statistics",
    29: "Rate limit reached",
    100: "One of the parameters specified was missing or invalid",
}


def _read(path: Path) -> Any:
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    return data.get("response", data) if isinstance(data, dict) else data


@dataclass
class Community:
    """One community's recorded data."""

    group: dict[str, Any]
    periods: list[dict[str, Any]] = field(default_factory=list)
    wall: list[dict[str, Any]] = field(default_factory=list)
    reach: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def group_id(self) -> int:
        return int(self.group["id"])

    @classmethod
    def from_folder(cls, folder: Path) -> Community:
        groups = _read(folder / "groups_get_by_id.json")
        group = (groups["groups"] if isinstance(groups, dict) else groups)[0]
        wall = _read(folder / "wall_get.json") or {"items": []}
        return cls(
            dict(group),
            list(_read(folder / "stats_get.json") or []),
            list(wall["items"]),
            {int(s["post_id"]): s for s in _read(folder / "get_post_reach.json") or []},
        )

    @classmethod
    def generated(
        cls, group_id: int, first: date, days: int, posts: int, seed: int = 0
    ) -> Community:
        """A community with ``days`` days of statistics from ``first`` (UTC days, as VK counts
        them) and ``posts`` posts spread over them, its numbers drawn from ``seed``."""
        rng = random.Random(seed * 1_000_003 + group_id)
        start = int(datetime.combine(first, time(), UTC).timestamp())
        periods = []
        for day in range(days):
            begin = start + day * 86_400
            gained, lost = rng.randint(0, 40), rng.randint(0, 12)
            activity = {k: v for k, v in (("subscribed", gained), ("unsubscribed", lost)) if v}
            reach = rng.randint(300, 3000)
            periods.append(
                {"period_from": begin, "period_to": begin + 86_399, "activity": activity,
                 "reach": {"reach": reach, "reach_subscribers": reach // 2},
                 "visitors": {"views": reach // 4, "visitors": reach // 5}}
            )  # fmt: skip
        wall, reach_of = [], {}
        for number in range(posts):
            post_id = 1000 + number
            published = start + int((number + 0.5) * days * 86_400 / max(posts, 1))
            likes = rng.randint(5, 200)
            wall.append(
                {"id": post_id, "owner_id": -group_id, "from_id": -group_id, "date": published,
                 "post_type": "post", "text": f"Пост {number + 1} #кофе",
                 "likes": {"count": likes}, "comments": {"count": likes // 10},
                 "reposts": {"count": likes // 20}, "views": {"count": likes * 30}}
            )  # fmt: skip
            total = likes * 12
            reach_of[post_id] = {
                "post_id": post_id, "reach_total": total, "reach_viral": total // 10,
                "reach_ads": 0, "reach_subscribers": total - total // 10, "links": likes // 4,
            }  # fmt: skip
        group = {"id": group_id, "name": f"Сообщество {group_id}", "screen_name": f"club{group_id}",
                 "type": "group", "members_count": 10_000 + group_id % 5000}  # fmt: skip
        return cls(group, periods, wall, reach_of)

    def newest_first(self) -> list[dict[str, Any]]:
        """The wall as ``wall.get`` lists it: the pinned post, then newest first."""
        return sorted(self.wall, key=lambda i: (not i.get("is_pinned"), -int(i["date"])))


class VkPlatform:
    """The communities given, readable with the tokens given: ``tokens`` maps a token to the ids
    of the communities its user administers (an empty set: a member, refused statistics)."""

    prefix = "/method/"

    def __init__(
        self,
        sandbox: Sandbox,
        communities: list[Community],
        tokens: dict[str, set[int]],
        *,
        rate_per_second: int = RATE_PER_SECOND,
        timeout_delay: float = 3.0,
    ) -> None:
        self.sandbox = sandbox
        self.communities = {c.group_id: c for c in communities}
        self.tokens = tokens
        self.faults = Faults()
        self.rate = RateWindow(rate_per_second)
        self.timeout_delay = timeout_delay
        self.over_rate = 0
        """Requests refused with error 6: asked faster than VK allows."""

    def answer(self, request: Request) -> Answer:
        method = request.path.removeprefix(self.prefix)
        params = request.params
        self.sandbox.record(method, params)
        token = params.get("access_token", "")
        if token not in self.tokens:
            return _error(5)
        if not self.rate.admit(token):
            self.over_rate += 1
            return _error(6)
        fault = self.faults.next(method)
        if fault == "timeout":
            return Answer(body=_error(10).body, delay=self.timeout_delay)
        if fault == "http_error":
            return Answer(502, {"message": "Bad Gateway"})
        if fault in ("rate_limited", "server_error", "expired", "daily_cap"):
            return _error(
                {"rate_limited": 6, "server_error": 10, "expired": 5, "daily_cap": 29}[fault]
            )
        handler = {
            "groups.getById": self._groups,
            "stats.get": self._stats,
            "wall.get": self._wall,
            "stats.getPostReach": self._post_reach,
        }.get(method)
        if handler is None:
            return _error(3)
        answer = handler(params, self.tokens[token])
        if fault == "changed_shape" and isinstance(answer.body, dict):
            answer.body = {"response": _changed(method, answer.body.get("response"))}
        return answer

    def _community(self, ref: str) -> Community | None:
        text = ref.strip().lstrip("-").removeprefix("club").removeprefix("public")
        for community in self.communities.values():
            if text in (str(community.group_id), community.group.get("screen_name")):
                return community
        return None

    def _groups(self, params: dict[str, str], _admin: set[int]) -> Answer:
        refs = (params.get("group_ids") or params.get("group_id") or "").split(",")
        found = [c.group for ref in refs if (c := self._community(ref)) is not None]
        if not found:
            return _error(100)
        return Answer(body={"response": {"groups": found, "profiles": []}})

    def _stats(self, params: dict[str, str], admin: set[int]) -> Answer:
        community = self._community(params.get("group_id", ""))
        if community is None:
            return _error(100)
        if community.group_id not in admin:
            return _error(15)
        start = int(params.get("timestamp_from") or 0)
        end = int(params.get("timestamp_to") or 2**40)
        periods = [p for p in community.periods if start <= int(p["period_from"]) <= end]
        if "intervals_count" in params and "timestamp_from" not in params:
            periods = sorted(community.periods, key=lambda p: -int(p["period_from"]))
            periods = periods[: int(params["intervals_count"])]
        return Answer(body={"response": sorted(periods, key=lambda p: -int(p["period_from"]))})

    def _wall(self, params: dict[str, str], _admin: set[int]) -> Answer:
        community = self._community(params.get("owner_id") or params.get("domain") or "")
        count = int(params.get("count") or 20)
        if community is None or count > PAGE_LIMIT:
            return _error(100)
        offset = int(params.get("offset") or 0)
        items = community.newest_first()
        return Answer(
            body={"response": {"count": len(items), "items": items[offset : offset + count]}}
        )

    def _post_reach(self, params: dict[str, str], admin: set[int]) -> Answer:
        community = self._community(params.get("owner_id", ""))
        ids = [int(i) for i in (params.get("post_ids") or "").split(",") if i.strip()]
        if community is None or not ids or len(ids) > REACH_IDS_LIMIT:
            return _error(100)
        if community.group_id not in admin:
            return _error(15)
        newest = {int(i["id"]) for i in community.newest_first()[:REACH_NEWEST]}
        stats = [community.reach[i] for i in ids if i in newest and i in community.reach]
        return Answer(body={"response": stats})


def _error(code: int) -> Answer:
    return Answer(
        body={"error": {"error_code": code, "error_msg": MESSAGES[code], "request_params": []}}
    )


def _changed(method: str, response: Any) -> Any:
    """The answer of ``method`` as if VK had changed it: a field gone or retyped."""
    response = json.loads(json.dumps(response))
    if method == "wall.get" and response.get("items"):
        response["items"][0]["date"] = "вчера"
    elif method == "stats.get" and response:
        del response[0]["period_from"]
    elif method == "stats.getPostReach" and response:
        response[0]["reach_total"] = str(response[0].get("reach_total"))
    elif method == "groups.getById":
        response = {"items": response.get("groups")}
    return response
