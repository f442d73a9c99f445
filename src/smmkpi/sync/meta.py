"""Instagram and Facebook for a connection (``shared/reference/platform-apis.md``: Meta): the
Graph API with a long-lived token (``Authorization: Bearer``) — the account's or Page's daily
insights (Instagram: at most 30 days a request; Facebook: 90), its media or posts with their
lifetime counters and insights, newest first back to the posts to re-read, and Instagram's
stories while they live (24 hours: never recoverable later).

Graph's errors come with HTTP 400 and a code: 190 an expired or revoked token, 10 and 200–299
a missing permission, 4, 17, 32 and 613 its rate limits (retried; the
``X-Business-Use-Case-Usage`` header says in how many minutes access comes back)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from smmkpi.i18n import _
from smmkpi.settings import SyncSection
from smmkpi.store.competitors import CompetitorPost, Snapshot
from smmkpi.sync.errors import (
    CredentialRefusedError,
    PermissionDeniedError,
    RateLimitedError,
    SyncError,
)
from smmkpi.sync.fetcher import Fetched, FetchJob
from smmkpi.sync.http import JsonApi
from smmkpi.sync.shape import LIST, NUMBER, OBJECT, TEXT, ShapeCheck
from smmkpi.sync.throttle import RateLimiter

PACIFIC = ZoneInfo("America/Los_Angeles")
RATE_CODES = frozenset({4, 17, 32, 613})
INSIGHTS = {
    "instagram": ("reach", "follower_count", "profile_views", "website_clicks"),
    "facebook": ("page_impressions_unique", "page_daily_follows_unique",
                 "page_daily_unfollows_unique", "page_views_total", "page_follows"),
}  # fmt: skip
CHUNK_DAYS = {"instagram": 30, "facebook": 90}
MEDIA_EDGE = {"instagram": "media", "facebook": "posts"}
MEDIA_FIELDS = {
    "instagram": "id,caption,media_type,media_product_type,timestamp,permalink,like_count,"
    "comments_count,insights.metric(reach,saved,shares,views)",
    "facebook": "id,message,created_time,permalink_url,shares,"
    "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),"
    "insights.metric(post_impressions_unique,post_clicks)",
}
STORY_FIELDS = (
    "id,caption,media_type,media_product_type,timestamp,permalink,insights.metric(reach,views)"
)
PAGE = 50


def _reason(body: Any) -> str | None:
    error = body.get("error") if isinstance(body, dict) else None
    return str(error.get("message") or "") or None if isinstance(error, dict) else None


def _judge(answer: httpx.Response, body: Any, text: str) -> SyncError | None:
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    if code == 190:
        return CredentialRefusedError(text)
    if code in RATE_CODES:
        return RateLimitedError(text, transient=True, retry_after=_regain(answer))
    if code == 10 or (isinstance(code, int) and 200 <= code <= 299):
        return PermissionDeniedError(text)
    return None


def _regain(answer: httpx.Response) -> float | None:
    """Seconds until Meta gives access back (``estimated_time_to_regain_access``, minutes)."""
    for header in ("X-Business-Use-Case-Usage", "X-App-Usage"):
        try:
            usage = json.loads(answer.headers.get(header) or "null")
        except ValueError:
            continue
        for entries in (usage or {}).values() if isinstance(usage, dict) else []:
            for entry in entries if isinstance(entries, list) else []:
                minutes = entry.get("estimated_time_to_regain_access")
                if isinstance(minutes, int | float):
                    return float(minutes) * 60
    return None


def graph_url(settings: SyncSection, source: str) -> str:
    """The Graph API of ``source`` (``sync.instagram.base_url`` or ``sync.facebook.base_url``)
    at ``sync.meta.api_version``."""
    section = settings.instagram if source == "instagram" else settings.facebook
    return f"{section.base_url.rstrip('/')}/{settings.meta.api_version}"


def graph_api(
    token: str, settings: SyncSection, client: httpx.Client, source: str,
    limiter: RateLimiter | None = None, on_request: Any = None,
) -> JsonApi:  # fmt: skip
    meta = settings.meta
    return JsonApi(
        "Meta", graph_url(settings, source),
        {"Authorization": f"Bearer {token}"}, client,
        limiter or RateLimiter(meta.requests_per_second), attempts=settings.attempts,
        backoff=settings.backoff_seconds, reason=_reason, judge=_judge, on_request=on_request,
    )  # fmt: skip


@dataclass(frozen=True)
class GraphAccount:
    object_id: str
    name: str
    followers: int | None


def check(api: JsonApi, source: str, object_id: str) -> GraphAccount:
    """The Instagram account or Facebook Page behind ``object_id``: one cheap call."""
    fields = (
        "id,username,name,followers_count" if source == "instagram" else "id,name,followers_count"
    )
    shape = ShapeCheck("Meta", object_id)
    answer = api.get(object_id, fields=fields)
    name = answer.get("username") or answer.get("name") if isinstance(answer, dict) else None
    return GraphAccount(
        str(shape.field(answer, "id", TEXT)),
        str(name or ""),
        shape.field(answer, "followers_count", NUMBER, required=False),
    )


class MetaFetcher:
    importer = "meta"

    def __init__(self, source: str) -> None:
        self.source = source

    def fetch(self, job: FetchJob) -> Fetched:
        api = graph_api(
            job.secret, job.settings, job.http, self.source,
            job.limiters.of("meta", job.secret, job.settings.meta.requests_per_second),
            job.on_request,
        )  # fmt: skip
        object_id = str(job.connection.options["object_id"])
        days = self._insights(api, job, object_id)
        posts = self._media(api, job, object_id)
        fetched = Fetched(api.requests, days, posts)
        if self.source == "instagram" and job.competitors:
            discover_competitors(api, job, object_id, fetched)
        fetched.requests = api.requests
        return fetched

    def _insights(self, api: JsonApi, job: FetchJob, object_id: str) -> int:
        """Daily insights over the window; a day of Meta's ends at Pacific midnight."""
        shape = ShapeCheck("Meta", "insights")
        first, part = job.window.first, 0
        while first <= job.window.last:
            last = min(first + timedelta(days=CHUNK_DAYS[self.source] - 1), job.window.last)
            answer = api.get(
                f"{object_id}/insights", metric=",".join(INSIGHTS[self.source]), period="day",
                since=_pacific(first), until=_pacific(last + timedelta(days=1)),
            )  # fmt: skip
            for index, metric in enumerate(shape.items(answer, "data")):
                where = f"data[{index}]."
                shape.field(metric, "name", TEXT, where=where)
                for n, value in enumerate(shape.items(metric, "values", where=where)):
                    shape.field(value, "end_time", TEXT, where=f"{where}values[{n}].")
            if answer["data"] and any(m["values"] for m in answer["data"]):
                part += 1
                job.save(f"insights-{part:02d}.json", answer)
            first = last + timedelta(days=1)
        return job.window.days

    def _media(self, api: JsonApi, job: FetchJob, object_id: str) -> int:
        """Media (posts) newest first until older than the window's ``posts_since``, and the
        stories that live now."""
        since = datetime.combine(job.window.posts_since, time(), job.zone)
        shape = ShapeCheck("Meta", MEDIA_EDGE[self.source])
        after, page, read = None, 0, 0
        while True:
            params: dict[str, Any] = {"fields": MEDIA_FIELDS[self.source], "limit": PAGE}
            if after:
                params["after"] = after
            answer = api.get(f"{object_id}/{MEDIA_EDGE[self.source]}", **params)
            items = shape.items(answer, "data")
            for index, item in enumerate(items):
                where = f"data[{read + index}]."
                shape.field(item, "id", TEXT, where=where)
                shape.field(item, "timestamp" if self.source == "instagram" else "created_time",
                            TEXT, where=where)  # fmt: skip
                shape.field(item, "insights.data", LIST, where=where, required=False)
            if not items:
                break
            page += 1
            job.save(f"media-{page:03d}.json", answer)
            read += len(items)
            oldest = items[-1].get("timestamp") or items[-1].get("created_time")
            paging = answer.get("paging") if isinstance(answer.get("paging"), dict) else {}
            if datetime.fromisoformat(str(oldest)) < since or "next" not in paging:
                break
            after = (paging.get("cursors") or {}).get("after")
        if self.source == "instagram":
            stories = api.get(f"{object_id}/stories", fields=STORY_FIELDS)
            if isinstance(stories, dict) and stories.get("data"):
                job.save("stories.json", stories)
                read += len(stories["data"])
        return read


def _pacific(day: Any) -> int:
    return int(datetime.combine(day, time(), PACIFIC).timestamp())


DISCOVERED = (
    "username,name,followers_count,media_count,"
    "media.limit({n}){{id,timestamp,like_count,comments_count}}"
)
DISCOVERED_MEDIA = 50


def instagram_username(handle: str) -> str:
    """``@name``, ``instagram.com/name`` or ``name`` → ``name``."""
    text = handle.strip().lstrip("@")
    for prefix in ("https://", "http://", "www.", "instagram.com/"):
        text = text.removeprefix(prefix)
    return text.strip("/").split("/")[0]


def discover_competitors(api: JsonApi, job: FetchJob, object_id: str, fetched: Fetched) -> None:
    """Each Instagram competitor's public counters through ``business_discovery``, with the
    client's own professional account (the only way Graph shows another account): followers,
    and the newest posts' likes and comments. An account Graph does not show (not a
    professional one, or age-gated) is told and skipped."""
    shape = ShapeCheck("Meta", "business_discovery")
    fields = DISCOVERED.format(n=DISCOVERED_MEDIA)
    for competitor in job.competitors:
        username = instagram_username(competitor.handle)
        try:
            answer = api.get(
                object_id, fields=f"business_discovery.username({username}){{{fields}}}"
            )
        except SyncError as error:
            if error.status == CredentialRefusedError.status:
                raise
            if error.status == RateLimitedError.status:  # the rest wait for the next sync
                fetched.competitor_problems.append(
                    _("Instagram's limit was reached: the other competitors wait for the next "
                      "sync ({error}).").format(error=error)
                )  # fmt: skip
                break
            fetched.competitor_problems.append(
                _("Instagram does not show {handle} (a professional account is needed): {error}")
                .format(handle=competitor.handle, error=error)
            )  # fmt: skip
            continue
        try:
            snapshot, posts = _discovered(shape, answer, competitor.competitor_id, job)
        except SyncError as error:  # an answer in a shape smmkpi does not know
            fetched.competitor_problems.append(
                _("Instagram does not show {handle} (a professional account is needed): {error}")
                .format(handle=competitor.handle, error=error)
            )  # fmt: skip
            continue
        job.save_competitor(f"business_discovery-{username}.json", answer)
        fetched.snapshots.append(snapshot)
        fetched.competitor_posts += posts


def _discovered(
    shape: ShapeCheck, answer: Any, competitor_id: str, job: FetchJob
) -> tuple[Snapshot, list[CompetitorPost]]:
    """A ``business_discovery`` answer as a snapshot and posts, checked whole first."""
    found = shape.field(answer, "business_discovery", OBJECT)
    snapshot = Snapshot(
        competitor_id,
        job.now,
        shape.field(found, "followers_count", NUMBER, required=False),
        str(found.get("name") or found.get("username") or "") or None,
    )
    media = found.get("media") if isinstance(found.get("media"), dict) else {}
    posts = []
    for index, item in enumerate(shape.items(media or {"data": []}, "data")):
        where = f"media.data[{index}]."
        shape.field(item, "id", TEXT, where=where)
        shape.field(item, "timestamp", TEXT, where=where)
        posts.append(
            CompetitorPost(
                competitor_id,
                str(item["id"]),
                datetime.fromisoformat(str(item["timestamp"]).replace("+0000", "+00:00")),
                _whole(item.get("like_count")),
                _whole(item.get("comments_count")),
                None,  # shares are not public on Instagram
                None,
                job.now,
            )
        )
    return snapshot, posts


def _whole(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
