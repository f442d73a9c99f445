"""Google's APIs for a connection: a refresh token (Google OAuth, the agency's own app —
``sync.google.client_id`` and ``SMMKPI_GOOGLE_CLIENT_SECRET``) exchanged for an hour's access
token at ``sync.google.token_url``, then GA4's Data API (``runReport`` by day × session source,
medium, campaign, ad content and term, with sessions, users and key events, in the property's
time zone; 100 000 rows a page, 90 days a request).

A refresh token Google refuses (``invalid_grant``: revoked, or older than 7 days while the app
is in "Testing") is ``needs_reauth``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import httpx

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.settings import SyncSection
from smmkpi.store.competitors import CompetitorPost, Snapshot, StoredCompetitor
from smmkpi.sync.errors import CredentialRefusedError, SyncError
from smmkpi.sync.fetcher import Fetched, FetchJob
from smmkpi.sync.http import JsonApi
from smmkpi.sync.shape import LIST, NUMBER, TEXT, ShapeCheck
from smmkpi.sync.throttle import RateLimiter

SECRET_VARIABLE = "SMMKPI_GOOGLE_CLIENT_SECRET"
GA4 = "Google Analytics"
DIMENSIONS = ("date", "sessionSource", "sessionMedium", "sessionCampaignName",
              "sessionManualAdContent", "sessionManualTerm")  # fmt: skip
PAGE = 100_000
CHUNK_DAYS = 90


def _reason(body: Any) -> str | None:
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or error.get("status") or "") or None
    if isinstance(error, str):
        return f"{error}: {body.get('error_description') or ''}".strip(": ")
    return None


def access_token(refresh_token: str, settings: SyncSection, client: httpx.Client) -> str:
    """An access token for ``refresh_token`` from Google's token endpoint."""
    google = settings.google
    secret = os.environ.get(SECRET_VARIABLE, "").strip()
    if not google.client_id or not secret:
        raise UserError(
            _(
                "Google needs the agency's OAuth app: set sync.google.client_id and "
                "{variable} (Google Cloud console → APIs & Services → Credentials)."
            ).format(variable=SECRET_VARIABLE)
        )
    api = JsonApi("Google", google.token_url, {}, client, attempts=settings.attempts,
                  backoff=settings.backoff_seconds, reason=_reason)  # fmt: skip
    try:
        answer = api.post(
            "",
            form={"grant_type": "refresh_token", "refresh_token": refresh_token,
                  "client_id": google.client_id, "client_secret": secret},
        )  # fmt: skip
    except SyncError as error:
        if "invalid_grant" in str(error):
            raise CredentialRefusedError(
                _("Google refused the refresh token (revoked or expired).")
            ) from None
        raise
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token:
        raise SyncError(_("Google's token endpoint answered without an access token."))
    return token


def ga4_api(
    token: str, settings: SyncSection, client: httpx.Client,
    limiter: RateLimiter | None = None, on_request: Any = None,
) -> JsonApi:  # fmt: skip
    return JsonApi(
        GA4, f"{settings.ga4.base_url.rstrip('/')}/v1beta", {"Authorization": f"Bearer {token}"},
        client, limiter or RateLimiter(settings.ga4.requests_per_second),
        attempts=settings.attempts, backoff=settings.backoff_seconds, reason=_reason,
        on_request=on_request,
    )  # fmt: skip


@dataclass(frozen=True)
class Ga4Property:
    property_id: str
    metrics: int


def ga4_check(api: JsonApi, property_id: str) -> Ga4Property:
    """The property's metadata: one cheap call proving the token may read it."""
    answer = api.get(f"properties/{property_id}/metadata")
    metrics = ShapeCheck(GA4, "metadata").field(answer, "metrics", LIST)
    return Ga4Property(property_id, len(metrics))


class Ga4Fetcher:
    source = "ga4"
    importer = "ga4"

    def fetch(self, job: FetchJob) -> Fetched:
        token = access_token(job.secret, job.settings, job.http)
        job.on_request()
        api = ga4_api(
            token, job.settings, job.http,
            job.limiters.of("ga4", job.secret, job.settings.ga4.requests_per_second),
            job.on_request,
        )  # fmt: skip
        prop = str(job.connection.options["property"])
        event = job.connection.options.get("key_event")
        metrics = ["sessions", "totalUsers", f"keyEvents:{event}" if event else "keyEvents"]
        shape = ShapeCheck(GA4, "runReport")
        first, part = job.window.first, 0
        while first <= job.window.last:
            last = min(first + timedelta(days=CHUNK_DAYS - 1), job.window.last)
            offset = 0
            while True:
                answer = api.post(
                    f"properties/{prop}:runReport",
                    {"dateRanges": [{"startDate": first.isoformat(), "endDate": last.isoformat()}],
                     "dimensions": [{"name": d} for d in DIMENSIONS],
                     "metrics": [{"name": m} for m in metrics],
                     "limit": PAGE, "offset": offset, "keepEmptyRows": False},
                )  # fmt: skip
                rows = shape.items(answer, "rows") if "rows" in answer else []
                total = shape.field(answer, "rowCount", NUMBER, required=False) or 0
                for index, row in enumerate(rows):
                    shape.field(row, "dimensionValues", LIST, where=f"rows[{offset + index}].")
                    shape.field(row, "metricValues", LIST, where=f"rows[{offset + index}].")
                if rows:
                    part += 1
                    job.save(f"run_report-{part:03d}.json", answer)
                offset += len(rows)
                if not rows or offset >= total:
                    break
            first = last + timedelta(days=1)
        return Fetched(api.requests + 1, job.window.days, 0)


YOUTUBE = "YouTube"
YOUTUBE_METRICS = "views,estimatedMinutesWatched,subscribersGained,subscribersLost"
VIDEOS_PAGE = 50


def youtube_apis(
    token: str, settings: SyncSection, client: httpx.Client,
    limiter: RateLimiter | None = None, on_request: Any = None,
) -> tuple[JsonApi, JsonApi]:  # fmt: skip
    """YouTube Analytics (reports) and the YouTube Data API (channels, uploads, videos)."""
    youtube = settings.youtube
    headers = {"Authorization": f"Bearer {token}"}
    limiter = limiter or RateLimiter(youtube.requests_per_second)
    common: dict[str, Any] = {"attempts": settings.attempts, "backoff": settings.backoff_seconds,
                              "reason": _reason, "on_request": on_request}  # fmt: skip
    return (
        JsonApi(YOUTUBE, f"{youtube.base_url.rstrip('/')}/v2", headers, client, limiter, **common),
        JsonApi(YOUTUBE, youtube.data_url, headers, client, limiter, **common),
    )


@dataclass(frozen=True)
class YouTubeChannel:
    channel_id: str
    title: str
    subscribers: int | None
    uploads: str


def youtube_check(data: JsonApi) -> YouTubeChannel:
    """The signed-in user's channel (``channels.list mine=true``): one call of one unit."""
    shape = ShapeCheck(YOUTUBE, "channels")
    answer = data.get("channels", part="snippet,statistics,contentDetails", mine="true")
    items = shape.items(answer, "items")
    if not items:
        raise SyncError(_("The Google account has no YouTube channel."))
    channel = items[0]
    stats = channel.get("statistics") or {}
    uploads = ((channel.get("contentDetails") or {}).get("relatedPlaylists") or {}).get("uploads")
    return YouTubeChannel(
        str(channel.get("id")),
        str((channel.get("snippet") or {}).get("title") or ""),
        int(stats["subscriberCount"]) if str(stats.get("subscriberCount", "")).isdigit() else None,
        str(uploads or ""),
    )


class YouTubeFetcher:
    source = "youtube"
    importer = "youtube"

    def fetch(self, job: FetchJob) -> Fetched:
        token = access_token(job.secret, job.settings, job.http)
        job.on_request()
        analytics, data = youtube_apis(
            token, job.settings, job.http,
            job.limiters.of("youtube", job.secret, job.settings.youtube.requests_per_second),
            job.on_request,
        )  # fmt: skip
        if job.window.days:
            report = analytics.get(
                "reports", ids="channel==MINE", startDate=job.window.first.isoformat(),
                endDate=job.window.last.isoformat(), metrics=YOUTUBE_METRICS, dimensions="day",
                sort="day",
            )  # fmt: skip
            ShapeCheck(YOUTUBE, "reports").field(report, "columnHeaders", LIST)
            if report.get("rows"):
                job.save("reports_by_day.json", report)
        posts = self._videos(data, job)
        fetched = Fetched(0, job.window.days, posts)
        if job.competitors:
            youtube_competitors(data, job, fetched)
        fetched.requests = analytics.requests + data.requests + 1
        return fetched

    def _videos(self, data: JsonApi, job: FetchJob) -> int:
        """The uploads newest first back to the posts to re-read, and their statistics."""
        uploads = str(job.connection.options["uploads"])
        since = datetime.combine(job.window.posts_since, time(), job.zone)
        shape = ShapeCheck(YOUTUBE, "playlistItems")
        token, ids = None, []
        while True:
            params: dict[str, Any] = {"part": "contentDetails", "playlistId": uploads,
                                      "maxResults": VIDEOS_PAGE}  # fmt: skip
            if token:
                params["pageToken"] = token
            answer = data.get("playlistItems", **params)
            items = shape.items(answer, "items")
            for index, item in enumerate(items):
                for name in ("videoId", "videoPublishedAt"):
                    shape.field(item, f"contentDetails.{name}", TEXT, where=f"items[{index}].")
            fresh = [
                i for i in items
                if datetime.fromisoformat(str(i["contentDetails"]["videoPublishedAt"])) >= since
            ]  # fmt: skip
            ids += [str(i["contentDetails"]["videoId"]) for i in fresh]
            token = answer.get("nextPageToken")
            if len(fresh) < len(items) or not token:
                break
        for part, start in enumerate(range(0, len(ids), VIDEOS_PAGE), start=1):
            videos = data.get("videos", part="snippet,statistics",
                              id=",".join(ids[start : start + VIDEOS_PAGE]))  # fmt: skip
            ShapeCheck(YOUTUBE, "videos").items(videos, "items")
            job.save(f"videos-{part:03d}.json", videos)
        return len(ids)


COMPETITOR_VIDEOS = 50


def youtube_competitors(data: JsonApi, job: FetchJob, fetched: Fetched) -> None:
    """Each YouTube competitor's public statistics from the Data API: the channel's subscribers
    (``channels.list`` by handle or id; YouTube rounds them) and its 50 newest uploads' likes,
    comments and views (``playlistItems`` and ``videos.list``). A channel not found, or one
    that hides its subscribers, is told."""
    for competitor in job.competitors:
        try:
            _youtube_competitor(data, job, fetched, competitor)
        except SyncError as error:
            if error.status == CredentialRefusedError.status:
                raise
            fetched.competitor_problems.append(
                _("YouTube did not give {handle}: {error}").format(
                    handle=competitor.handle, error=error
                )
            )


def _youtube_competitor(
    data: JsonApi, job: FetchJob, fetched: Fetched, competitor: StoredCompetitor
) -> None:
    shape = ShapeCheck(YOUTUBE, "channels")
    handle = competitor.handle.strip()
    for prefix in ("https://", "http://", "www.", "m.", "youtube.com/"):
        handle = handle.removeprefix(prefix)
    key = (
        {"id": handle.removeprefix("channel/")}
        if "channel/" in handle or handle.startswith("UC")
        else {"forHandle": handle if handle.startswith("@") else f"@{handle}"}
    )
    answer = data.get("channels", part="snippet,statistics,contentDetails", **key)
    items = shape.items(answer, "items")
    if not items:
        fetched.competitor_problems.append(
            _("YouTube shows no channel {handle}.").format(handle=competitor.handle)
        )
        return
    channel = items[0]
    job.save_competitor(f"channels-{channel.get('id')}.json", answer)
    statistics = channel.get("statistics") if isinstance(channel.get("statistics"), dict) else {}
    hidden = bool((statistics or {}).get("hiddenSubscriberCount"))
    count = (statistics or {}).get("subscriberCount")
    fetched.snapshots.append(
        Snapshot(
            competitor.competitor_id,
            job.now,
            None if hidden or count is None else int(count),
            str((channel.get("snippet") or {}).get("title") or "") or None,
        )
    )
    if hidden:
        fetched.competitor_problems.append(
            _("{handle} hides its subscribers on YouTube.").format(handle=competitor.handle)
        )
    uploads = shape.field(channel, "contentDetails.relatedPlaylists.uploads", TEXT)
    listed = data.get("playlistItems", part="contentDetails", playlistId=uploads,
                      maxResults=COMPETITOR_VIDEOS)  # fmt: skip
    ids = [str(i["contentDetails"]["videoId"])
           for i in ShapeCheck(YOUTUBE, "playlistItems").items(listed, "items")]  # fmt: skip
    if not ids:
        return
    videos = data.get("videos", part="snippet,statistics", id=",".join(ids))
    job.save_competitor(f"videos-{channel.get('id')}.json", videos)
    for index, video in enumerate(ShapeCheck(YOUTUBE, "videos").items(videos, "items")):
        where = f"items[{index}]."
        published = ShapeCheck(YOUTUBE, "videos").field(
            video, "snippet.publishedAt", TEXT, where=where
        )
        stats = video.get("statistics") if isinstance(video.get("statistics"), dict) else {}
        fetched.competitor_posts.append(
            CompetitorPost(
                competitor.competitor_id,
                str(video["id"]),
                datetime.fromisoformat(str(published).replace("Z", "+00:00")),
                _number((stats or {}).get("likeCount")),
                _number((stats or {}).get("commentCount")),
                None,  # shares are not public on YouTube
                _number((stats or {}).get("viewCount")),
                job.now,
            )
        )


def _number(value: Any) -> int | None:
    """The Data API's counts are strings; a hidden count is absent."""
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
