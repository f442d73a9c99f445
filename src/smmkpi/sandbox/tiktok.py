"""TikTok's API v2 in the sandbox: ``/v2/oauth/token/`` trades a refresh token for an access
token and a **new** refresh token (the old one is refused from then on: TikTok rotates them),
``/v2/user/info/`` and ``/v2/video/list/`` (pages of ``max_count`` ≤ 20 newest first, with
``cursor`` and ``has_more``), answering ``{"data": …, "error": {"code": "ok"}}`` or an error
code (``access_token_invalid`` 401, ``rate_limit_exceeded`` 429)."""

from __future__ import annotations

import json
import secrets
from typing import Any

from smmkpi.sandbox.faults import Faults
from smmkpi.sandbox.server import Answer, Request, Sandbox

OK = {"code": "ok", "message": "", "log_id": "202503010000000000000000"}


class TikTokPlatform:
    prefix = "/v2/"

    def __init__(
        self,
        sandbox: Sandbox,
        client_key: str,
        refresh_token: str,
        user: dict[str, Any],
        videos: list[dict[str, Any]],
    ) -> None:
        self.sandbox, self.client_key = sandbox, client_key
        self.refresh_tokens = {refresh_token}
        self.used: set[str] = set()
        self.access: set[str] = set()
        self.user = user
        self.videos = sorted(videos, key=lambda v: -int(v["create_time"]))
        self.faults = Faults()

    def answer(self, request: Request) -> Answer:
        method = request.path.removeprefix(self.prefix).strip("/")
        self.sandbox.record(f"tiktok:{method}", request.params)
        if method == "oauth/token":
            return self._token(request.params)
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if token not in self.access:
            return _error(401, "access_token_invalid", "The access token is invalid or not found.")
        if self.faults.next(method) == "rate_limited":
            return _error(429, "rate_limit_exceeded", "Too many requests.")
        if method == "user/info":
            return Answer(body={"data": {"user": self.user}, "error": OK})
        if method == "video/list":
            body = json.loads(request.body or b"{}")
            size = min(int(body.get("max_count") or 20), 20)
            start = int(body.get("cursor") or 0)
            page = self.videos[start : start + size]
            return Answer(body={"data": {"videos": page, "cursor": start + len(page),
                                         "has_more": start + size < len(self.videos)},
                                "error": OK})  # fmt: skip
        return _error(404, "not_found", "Not found")

    def _token(self, params: dict[str, str]) -> Answer:
        refresh = params.get("refresh_token", "")
        if params.get("client_key") != self.client_key or refresh not in self.refresh_tokens:
            why = "Refresh token is invalid or expired."
            return Answer(400, {"error": "invalid_grant", "error_description": why, "log_id": "x"})
        self.refresh_tokens.discard(refresh)  # rotated: never again
        self.used.add(refresh)
        new_refresh, access = "rft." + secrets.token_urlsafe(16), "act." + secrets.token_urlsafe(16)
        self.refresh_tokens.add(new_refresh)
        self.access.add(access)
        return Answer(body={"access_token": access, "expires_in": 86400, "open_id": "user-1",
                            "refresh_token": new_refresh, "refresh_expires_in": 31536000,
                            "scope": "user.info.basic,user.info.stats,video.list",
                            "token_type": "Bearer"})  # fmt: skip


def _error(status: int, code: str, message: str) -> Answer:
    return Answer(status, {"data": {}, "error": {"code": code, "message": message, "log_id": "x"}})
