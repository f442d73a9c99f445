"""VK's API for a connection (``shared/reference/platform-apis.md``: VK): calls with a
community admin's user token, answers read as the connection statuses of the contract, and the
fetch of a sync — ``groups.getById`` (members, snapshotted), ``stats.get`` by day,
``wall.get`` newest first back to the posts to re-read, and ``stats.getPostReach`` (≤ 30 ids a
call) for those among the 300 newest posts, the only ones VK keeps it for.

Requests go to ``{base_url}/method/<name>`` as form posts, so the token never sits in a URL
(nor, then, in an error that quotes one); at most ``sync.vk.requests_per_second`` a token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx

from smmkpi.i18n import _
from smmkpi.store.competitors import CompetitorPost, Snapshot
from smmkpi.sync.errors import (
    CredentialRefusedError,
    PermissionDeniedError,
    RateLimitedError,
    SyncError,
    UnreachableError,
)
from smmkpi.sync.fetcher import Fetched, FetchJob
from smmkpi.sync.oauth import is_refreshable, refresh
from smmkpi.sync.retry import with_retries
from smmkpi.sync.shape import LIST, NUMBER, OBJECT, ShapeCheck
from smmkpi.sync.throttle import RateLimiter

NEEDS_REAUTH = frozenset({5})  # user authorization failed: expired or revoked
PERMISSION_DENIED = frozenset({7, 15, 27, 28, 200, 203})
RATE_LIMITED = frozenset({6, 9, 29})
TRANSIENT = frozenset({6, 9, 10})  # 29 is a daily cap: waiting seconds does not lift it
PAGE = 100
REACH_IDS = 30
REACH_NEWEST = 300
STATS_DAYS = 90
"""Days of ``stats.get`` per call: a backfill of 400 days is five calls."""


class VkError(SyncError):
    """An error answer of VK's API: its code, message and the connection status it means."""

    def __init__(self, code: int, message: str, method: str) -> None:
        super().__init__(
            _("VK answered {method} with error {code}: {message}").format(
                method=method, code=code, message=message
            ),
            transient=code in TRANSIENT,
            retry_after=1.0 if code in (6, 9) else None,
        )
        self.code = code
        self.message = message
        if code in NEEDS_REAUTH:
            self.status = CredentialRefusedError.status
        elif code in PERMISSION_DENIED:
            self.status = PermissionDeniedError.status
        elif code in RATE_LIMITED:
            self.status = RateLimitedError.status


VkUnreachableError = UnreachableError


@dataclass
class VkApi:
    token: str = field(repr=False)  # never shown, not even in a traceback's repr
    base_url: str
    version: str
    client: httpx.Client
    limiter: RateLimiter | None = None
    attempts: int = 1
    backoff: float = 1.0
    requests: int = 0
    on_request: Any = None

    def call(self, method: str, **params: Any) -> Any:
        """``response`` of ``method``, retried while VK's answer is transient; a
        :class:`VkError` for an error answer."""
        return with_retries(
            lambda: self._once(method, params), attempts=self.attempts, backoff=self.backoff
        )

    def _once(self, method: str, params: dict[str, Any]) -> Any:
        slot = self.limiter.wait() if self.limiter is not None else None
        self.requests += 1
        try:
            answer = self.client.post(
                f"{self.base_url.rstrip('/')}/method/{method}",
                data={**{k: str(v) for k, v in params.items()}, "v": self.version,
                      "access_token": self.token},
            )  # fmt: skip
        except httpx.TimeoutException:
            raise UnreachableError(
                _("VK did not answer {method} in time.").format(method=method), transient=True
            ) from None
        except httpx.HTTPError as error:
            raise UnreachableError(
                _("VK could not be reached for {method} ({error}).").format(
                    method=method, error=type(error).__name__
                ),
                transient=True,
            ) from None
        finally:
            if slot is not None and self.limiter is not None:
                self.limiter.done(slot)
            if self.on_request is not None:
                self.on_request()
        if answer.status_code >= 500 or answer.status_code == 429:
            raise UnreachableError(
                _("VK answered {method} with HTTP {status}.").format(
                    method=method, status=answer.status_code
                ),
                transient=True,
                retry_after=_seconds(answer.headers.get("Retry-After")),
            )
        try:
            body = answer.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            refused = VkError(
                int(body["error"].get("error_code", 0)),
                str(body["error"].get("error_msg", "")),
                method,
            )
            if refused.code in (6, 9) and self.limiter is not None:
                self.limiter.pause(1.0)
            raise refused
        if not isinstance(body, dict) or "response" not in body:
            raise UnreachableError(
                _("VK answered {method} with something that is not its API's JSON.").format(
                    method=method
                )
            )
        return body["response"]


def _seconds(header: str | None) -> float | None:
    try:
        return float(header) if header else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Community:
    """What a connection can read, as ``connect`` says it."""

    group_id: int
    screen_name: str
    name: str
    members: int | None
    stats: bool


def group_ref(handle: str) -> str:
    """What ``groups.getById`` takes for an account's handle: ``club123``, ``public123``,
    ``vk.com/name`` or ``@name`` → ``123`` or ``name``."""
    text = handle.strip().lstrip("@").removeprefix("https://").removeprefix("vk.com/")
    for prefix in ("club", "public"):
        rest = text.removeprefix(prefix)
        if rest != text and rest.isdigit():
            return rest
    return text


def _groups(answer: Any) -> list[dict[str, Any]]:
    check = ShapeCheck("VK", "groups.getById")
    if isinstance(answer, list):  # older API versions: a bare list
        groups = check.items(answer, "")
    else:
        check.field(answer, "groups", LIST)
        groups = check.items(answer, "groups")
    if not groups:
        raise VkError(100, "no such community", "groups.getById")
    for index, group in enumerate(groups):
        check.field(group, "id", NUMBER, where=f"groups[{index}].")
        check.field(group, "members_count", NUMBER, where=f"groups[{index}].", required=False)
    return groups


def check(api: VkApi, handle: str) -> Community:
    """The community behind ``handle`` (club123, public123, a screen name or an id) with one
    cheap call, and whether the token may read its statistics (a second, one-day call)."""
    first = _groups(api.call("groups.getById", group_id=group_ref(handle), fields="members_count"))[
        0
    ]
    try:
        api.call("stats.get", group_id=first["id"], interval="day", intervals_count=1)
        stats = True
    except VkError as error:
        if error.status != "permission_denied":
            raise
        stats = False
    return Community(
        int(first["id"]),
        str(first.get("screen_name") or f"club{first['id']}"),
        str(first.get("name") or ""),
        first.get("members_count"),
        stats,
    )


class VkFetcher:
    source = "vk"
    importer = "vk"

    def fetch(self, job: FetchJob) -> Fetched:
        settings = job.settings.vk
        token = job.secret
        if is_refreshable(token):  # VK ID: an hour's token from a rotating refresh token
            token, kept = refresh(token, job.settings, job.http)
            job.rotate(kept, None)
        api = VkApi(
            token,
            settings.base_url,
            settings.api_version,
            job.http,
            job.limiters.of("vk", token, settings.requests_per_second),
            attempts=job.settings.attempts,
            backoff=job.settings.backoff_seconds,
            on_request=job.on_request,
        )
        group_id = int(job.connection.options["group_id"])
        groups = api.call("groups.getById", group_id=group_id, fields="members_count")
        _groups(groups)
        job.save("groups_get_by_id.json", {"response": groups})
        days = self._stats(api, job, group_id)
        posts = self._wall(api, job, group_id)
        fetched = Fetched(api.requests, days, posts)
        if job.competitors:
            snapshot_competitors(api, job, fetched)
        fetched.requests = api.requests
        return fetched

    def _stats(self, api: VkApi, job: FetchJob, group_id: int) -> int:
        """``stats.get`` by day over the window, in calls of at most :data:`STATS_DAYS` days.
        VK starts a day at UTC or Moscow midnight: asking from noon UTC of the day before takes
        the window's days whichever it is, and no other."""
        check = ShapeCheck("VK", "stats.get")
        first, read = job.window.first, 0
        part = 0
        while first <= job.window.last:
            last = min(first + timedelta(days=STATS_DAYS - 1), job.window.last)
            periods = api.call(
                "stats.get",
                group_id=group_id,
                interval="day",
                timestamp_from=_noon_before(first),
                timestamp_to=_noon_before(last + timedelta(days=1)) - 1,
                extended=1,
            )
            for index, period in enumerate(check.items(periods, "")):
                check.field(period, "period_from", NUMBER, where=f"[{index}].")
                for section in ("activity", "reach", "visitors"):
                    check.field(period, section, OBJECT, where=f"[{index}].", required=False)
            if periods:  # an empty answer is nothing to import (nor a response to recognise)
                part += 1
                job.save(f"stats_get-{part:02d}.json", {"response": periods})
            read += len(periods)
            first = last + timedelta(days=1)
        return read

    def _wall(self, api: VkApi, job: FetchJob, group_id: int) -> int:
        """``wall.get`` pages, newest first, until the posts are older than the window's
        ``posts_since``; then the reach of those among the 300 newest."""
        check = ShapeCheck("VK", "wall.get")
        since = int(datetime.combine(job.window.posts_since, time(), job.zone).timestamp())
        read: list[dict[str, Any]] = []
        offset, page = 0, 0
        while True:
            answer = api.call("wall.get", owner_id=-group_id, offset=offset, count=PAGE)
            check.field(answer, "count", NUMBER)
            items = check.items(answer, "items")
            for index, item in enumerate(items):
                where = f"items[{offset + index}]."
                for name in ("id", "date", "owner_id"):
                    check.field(item, name, NUMBER, where=where)
                for name in ("likes", "comments", "reposts", "views"):
                    check.field(item, f"{name}.count", NUMBER, where=where, required=False)
            page += 1
            job.save(f"wall_get-{page:03d}.json", {"response": answer})
            read += items
            offset += len(items)
            unpinned = [i for i in items if not i.get("is_pinned")]
            if (
                not items
                or offset >= answer["count"]
                or (unpinned and int(unpinned[-1]["date"]) < since)
            ):
                break
        posts = [i for i in read if i.get("post_type") not in ("postpone", "suggest")]
        newest = sorted(posts, key=lambda i: -int(i["date"]))[:REACH_NEWEST]
        ids = [int(i["id"]) for i in newest if int(i["date"]) >= since]
        reach_check = ShapeCheck("VK", "stats.getPostReach")
        for part, start in enumerate(range(0, len(ids), REACH_IDS), start=1):
            chunk = ids[start : start + REACH_IDS]
            stats = api.call(
                "stats.getPostReach", owner_id=-group_id, post_ids=",".join(map(str, chunk))
            )
            for index, stat in enumerate(reach_check.items(stats, "")):
                reach_check.field(stat, "post_id", NUMBER, where=f"[{index}].")
                for name in ("reach_total", "reach_viral", "reach_ads", "links"):
                    reach_check.field(stat, name, NUMBER, where=f"[{index}].", required=False)
            if stats:
                job.save(f"get_post_reach-{part:02d}.json", {"response": stats})
        return len(posts)


def _noon_before(day: date) -> int:
    return int(datetime.combine(day, time(), UTC).timestamp()) - 12 * 3600


def snapshot_competitors(api: VkApi, job: FetchJob, fetched: Fetched) -> None:
    """The public counters of the client's VK competitors (open communities): members from
    ``groups.getById`` (one call for all), and the 100 newest posts' likes, comments, reposts
    and views from ``wall.get``. A competitor VK does not show (closed, unknown) is told in
    ``fetched.competitor_problems``; the others are read all the same."""
    refs = {c.competitor_id: group_ref(c.handle) for c in job.competitors}
    try:
        answer = api.call(
            "groups.getById", group_ids=",".join(refs.values()), fields="members_count"
        )
        groups = _groups(answer)
    except SyncError as error:
        if error.status == CredentialRefusedError.status:
            raise
        fetched.competitor_problems.append(
            _("VK competitors could not be read: {error}").format(error=error)
        )
        return
    job.save_competitor("groups_get_by_id.json", {"response": answer})
    by_ref: dict[str, dict[str, Any]] = {}
    for group in groups:
        by_ref[str(group["id"])] = group
        if group.get("screen_name"):
            by_ref[str(group["screen_name"]).lower()] = group
    check = ShapeCheck("VK", "wall.get")
    for competitor in job.competitors:
        found = by_ref.get(refs[competitor.competitor_id].lower())
        if found is None:
            fetched.competitor_problems.append(
                _("VK shows no community {handle}.").format(handle=competitor.handle)
            )
            continue
        group = found
        members = group.get("members_count")
        fetched.snapshots.append(
            Snapshot(
                competitor.competitor_id,
                job.now,
                int(members) if isinstance(members, int | float) else None,
                str(group.get("name") or "") or None,
            )
        )
        if group.get("is_closed"):
            fetched.competitor_problems.append(
                _("{handle} is a closed VK community: its posts are not public.").format(
                    handle=competitor.handle
                )
            )
            continue
        try:
            wall = api.call("wall.get", owner_id=-int(group["id"]), count=PAGE)
            job.save_competitor(f"wall_get-{group['id']}.json", {"response": wall})
            fetched.competitor_posts += _wall_posts(check, wall, competitor.competitor_id, job)
        except SyncError as error:
            if error.status == CredentialRefusedError.status:
                raise
            fetched.competitor_problems.append(
                _("VK did not give the posts of {handle}: {error}").format(
                    handle=competitor.handle, error=error
                )
            )


def _wall_posts(
    check: ShapeCheck, wall: Any, competitor_id: str, job: FetchJob
) -> list[CompetitorPost]:
    """A competitor's ``wall.get`` answer as its posts, checked whole before any is kept."""
    found = []
    for index, item in enumerate(check.items(wall, "items")):
        check.field(item, "id", NUMBER, where=f"items[{index}].")
        check.field(item, "date", NUMBER, where=f"items[{index}].")
        if item.get("post_type") in ("postpone", "suggest"):
            continue
        found.append(
            CompetitorPost(
                competitor_id,
                str(item["id"]),
                datetime.fromtimestamp(int(item["date"]), UTC),
                _count(item.get("likes")),
                _count(item.get("comments")),
                _count(item.get("reposts")),
                _count(item.get("views")),
                job.now,
            )
        )
    return found


def _count(value: Any) -> int | None:
    """``{"count": n}`` → n; None when VK did not give it."""
    if isinstance(value, dict) and isinstance(value.get("count"), int | float):
        return int(value["count"])
    return None
