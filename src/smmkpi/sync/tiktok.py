"""TikTok for a connection (``shared/reference/platform-apis.md``: TikTok): the Display API v2
with the agency's app (``sync.tiktok.client_key``, ``SMMKPI_TIKTOK_CLIENT_SECRET``). A
connection keeps the **refresh token**: each sync trades it at ``/v2/oauth/token/`` for an access
token and a new refresh token — TikTok rotates it and takes the old one no more, so the new one
is saved before anything else is asked. Then ``/v2/user/info/`` (followers, snapshotted: TikTok
keeps no daily history) and ``/v2/video/list/`` newest first back to the posts to re-read, with
their lifetime views, likes, comments and shares. 600 requests a minute per endpoint."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import httpx

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.settings import SyncSection
from smmkpi.sync.errors import CredentialRefusedError, RateLimitedError, SyncError
from smmkpi.sync.fetcher import Fetched, FetchJob
from smmkpi.sync.http import JsonApi
from smmkpi.sync.shape import NUMBER, OBJECT, TEXT, ShapeCheck
from smmkpi.sync.throttle import RateLimiter

TIKTOK = "TikTok"
SECRET_VARIABLE = "SMMKPI_TIKTOK_CLIENT_SECRET"
USER_FIELDS = "open_id,display_name,follower_count,likes_count,video_count"
VIDEO_FIELDS = (
    "id,title,video_description,create_time,share_url,view_count,like_count,comment_count,"
    "share_count"
)
PAGE = 20  # TikTok's most a page


def _reason(body: Any) -> str | None:
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return f"{error.get('code')}: {error.get('message') or ''}".strip(": ")
    if isinstance(error, str):
        return f"{error}: {body.get('error_description') or ''}".strip(": ")
    return None


def _judge(_answer: httpx.Response, body: Any, text: str) -> SyncError | None:
    reason = _reason(body) or ""
    if reason.startswith(("access_token_invalid", "invalid_grant", "token_expired")):
        return CredentialRefusedError(text)
    if reason.startswith("rate_limit_exceeded"):
        return RateLimitedError(text, transient=True)
    return None


def tiktok_api(
    settings: SyncSection, client: httpx.Client, token: str = "",
    limiter: RateLimiter | None = None, on_request: Any = None,
) -> JsonApi:  # fmt: skip
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return JsonApi(
        TIKTOK, settings.tiktok.base_url, headers, client,
        limiter or RateLimiter(settings.tiktok.requests_per_second), attempts=settings.attempts,
        backoff=settings.backoff_seconds, reason=_reason, judge=_judge, on_request=on_request,
    )  # fmt: skip


@dataclass(frozen=True)
class Tokens:
    access: str
    refresh: str
    refresh_expires_at: datetime | None


def refreshed(api: JsonApi, settings: SyncSection, refresh_token: str) -> Tokens:
    """Trade a refresh token for an access token and the next refresh token."""
    secret = os.environ.get(SECRET_VARIABLE, "").strip()
    if not settings.tiktok.client_key or not secret:
        raise UserError(
            _(
                "TikTok needs the agency's app: set sync.tiktok.client_key and {variable} "
                "(developers.tiktok.com → Manage apps)."
            ).format(variable=SECRET_VARIABLE)
        )
    answer = api.post(
        "v2/oauth/token/",
        form={"client_key": settings.tiktok.client_key, "client_secret": secret,
              "grant_type": "refresh_token", "refresh_token": refresh_token},
    )  # fmt: skip
    shape = ShapeCheck(TIKTOK, "oauth/token")
    if isinstance(answer, dict) and answer.get("error"):
        raise CredentialRefusedError(
            _("TikTok refused the refresh token ({reason}).").format(reason=_reason(answer))
        )
    lasts = shape.field(answer, "refresh_expires_in", NUMBER, required=False)
    return Tokens(
        str(shape.field(answer, "access_token", TEXT)),
        str(shape.field(answer, "refresh_token", TEXT)),
        datetime.now(UTC) + timedelta(seconds=int(lasts)) if lasts else None,
    )


@dataclass(frozen=True)
class TikTokUser:
    name: str
    followers: int | None


def user_info(api: JsonApi) -> tuple[TikTokUser, Any]:
    answer = api.get("v2/user/info/", fields=USER_FIELDS)
    shape = ShapeCheck(TIKTOK, "user/info")
    user = shape.field(answer, "data.user", OBJECT)
    followers = shape.field(user, "follower_count", NUMBER, where="data.user.", required=False)
    return TikTokUser(str(user.get("display_name") or ""), followers), answer


class TikTokFetcher:
    source = "tiktok"
    importer = "tiktok"

    def fetch(self, job: FetchJob) -> Fetched:
        settings = job.settings
        limiter = job.limiters.of("tiktok", job.secret, settings.tiktok.requests_per_second)
        tokens = refreshed(tiktok_api(settings, job.http, "", limiter), settings, job.secret)
        job.rotate(tokens.refresh, tokens.refresh_expires_at)  # before the new token is used
        api = tiktok_api(settings, job.http, tokens.access, limiter, job.on_request)
        _user, answer = user_info(api)
        job.save("user_info.json", answer)
        since = int(datetime.combine(job.window.posts_since, time(), job.zone).timestamp())
        shape = ShapeCheck(TIKTOK, "video/list")
        cursor, page, read = None, 0, 0
        while True:
            body: dict[str, Any] = {"max_count": PAGE}
            if cursor is not None:
                body["cursor"] = cursor
            answer = api.post(f"v2/video/list/?fields={VIDEO_FIELDS}", body)
            videos = shape.items(shape.field(answer, "data", OBJECT), "videos", where="data.")
            for index, video in enumerate(videos):
                shape.field(video, "id", TEXT, where=f"data.videos[{read + index}].")
                shape.field(video, "create_time", NUMBER, where=f"data.videos[{read + index}].")
            if videos:
                page += 1
                job.save(f"video_list-{page:03d}.json", answer)
            read += len(videos)
            data = answer["data"]
            if not videos or not data.get("has_more") or int(videos[-1]["create_time"]) < since:
                break
            cursor = data.get("cursor")
        return Fetched(api.requests + 1, job.window.days, read)
