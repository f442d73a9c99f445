"""Meta's Graph API in the sandbox (``/<version>/<id>``, ``/<id>/insights``, ``/<id>/media``,
``/<id>/posts``, ``/<id>/stories``), with the token in ``Authorization: Bearer``, answering as
Graph does: ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`` with HTTP
400 — code 190 for an expired or revoked token, 10 for a missing permission, 4/17/32/613 for the
rate limits with the ``X-Business-Use-Case-Usage`` header saying when access comes back — daily
insights of at most 30 days a request (Instagram), media pages with cursors, newest first."""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from smmkpi.sandbox.faults import Faults
from smmkpi.sandbox.server import Answer, Request, Sandbox
from smmkpi.sync.oauth import challenge

DAY = 86_400
DISCOVERY = re.compile(r"business_discovery\.username\(([^)]+)\)")
MEDIA_LIMIT = re.compile(r"media\.limit\((\d+)\)")


@dataclass
class GraphObject:
    """An Instagram account or a Facebook Page: its fields, daily insights and media."""

    object_id: str
    fields: dict[str, Any]
    insights: list[dict[str, Any]] = field(default_factory=list)
    media: list[dict[str, Any]] = field(default_factory=list)
    stories: list[dict[str, Any]] = field(default_factory=list)
    max_days: int = 30

    @classmethod
    def recorded(
        cls, object_id: str, fields: dict[str, Any], insights: Path, media: Path | None = None
    ) -> GraphObject:
        found = cls(object_id, fields)
        found.insights = json.loads(insights.read_text(encoding="utf-8"))["data"]
        if media is not None:
            found.media = json.loads(media.read_text(encoding="utf-8"))["data"]
        return found


class MetaPlatform:
    prefix = "/v"

    def __init__(
        self, sandbox: Sandbox, objects: list[GraphObject], tokens: dict[str, set[str]]
    ) -> None:
        """``tokens``: a token → the ids of the objects it may read."""
        self.sandbox = sandbox
        self.objects = {o.object_id: o for o in objects}
        self.tokens = tokens
        self.faults = Faults()
        self.app_id = "agency-meta-app"
        self.grant: set[str] = set(self.objects)
        """What a signed-in person's token may read."""
        self.codes: dict[str, tuple[str, str]] = {}
        self.short_lived: set[str] = set()
        self.discoverable: dict[str, dict[str, Any]] = {}
        """Other professional accounts by user name, as ``business_discovery`` shows them:
        ``username``, ``name``, ``followers_count``, ``media_count`` and ``media`` (a list of
        ``id``, ``timestamp``, ``like_count``, ``comments_count``)."""

    def answer(self, request: Request) -> Answer:
        _version, _sep, path = request.path.lstrip("/").partition("/")
        if path == "oauth/access_token":
            return self._token(request.params)
        object_id, _sep, edge = path.partition("/")
        self.sandbox.record(f"meta:{edge or 'object'}", request.params)
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if token not in self.tokens:
            return _error(190, "Error validating access token: Session has expired.", 463)
        fault = self.faults.next(edge or "object")
        if fault == "rate_limited":
            usage = {
                object_id: [
                    {"type": "instagram", "call_count": 100, "total_cputime": 30,
                     "total_time": 40, "estimated_time_to_regain_access": 0}
                ]
            }  # fmt: skip
            answer = _error(4, "(#4) Application request limit reached")
            answer.headers["X-Business-Use-Case-Usage"] = json.dumps(usage)
            return answer
        if fault == "expired":
            return _error(190, "Error validating access token: Session has expired.", 463)
        found = self.objects.get(object_id)
        if found is None:
            return _error(
                100, f"Unsupported get request. Object with ID '{object_id}' does not exist"
            )
        if object_id not in self.tokens[token]:
            return _error(10, "(#10) Application does not have permission for this action")
        if not edge:
            discovery = DISCOVERY.search(request.params.get("fields", ""))
            if discovery is not None:
                return self._discovery(object_id, discovery.group(1), request.params)
            return Answer(body={"id": object_id, **found.fields})
        if edge == "insights":
            return self._insights(found, request.params, fault)
        if edge in ("media", "posts", "stories"):
            items = {"media": found.media, "posts": found.media, "stories": found.stories}[edge]
            return self._page(items, request.params, edge)
        return _error(100, f"Tried accessing nonexisting field ({edge})")

    def _discovery(self, object_id: str, username: str, params: dict[str, str]) -> Answer:
        """``business_discovery.username(X){…}``: another professional account's public
        fields and media (error 110 for an account that is not one, as Graph answers)."""
        account = self.discoverable.get(username.lower())
        if account is None:
            return _error(110, "Invalid user id", 2207013)
        limit = MEDIA_LIMIT.search(params.get("fields", ""))
        media = account.get("media", [])[: int(limit.group(1)) if limit else 25]
        found = {k: v for k, v in account.items() if k != "media"}
        found["media"] = {"data": media}
        return Answer(body={"business_discovery": found, "id": object_id})

    def _token(self, params: dict[str, str]) -> Answer:
        """A sign-in's code (with its PKCE verifier) for a short-lived user token, and that
        for a long-lived one (``fb_exchange_token``): each reads what the app's grant does."""
        self.sandbox.record("meta:oauth", params)
        if params.get("client_id") != self.app_id or not params.get("client_secret"):
            return _error(101, "Error validating application. Invalid application ID.")
        if params.get("grant_type") == "fb_exchange_token":
            short = params.get("fb_exchange_token", "")
            if short not in self.short_lived:
                return _error(190, "Invalid OAuth access token.")
            long = "EAAlong" + secrets.token_urlsafe(16)
            self.tokens[long] = set(self.grant)
            return Answer(body={"access_token": long, "token_type": "bearer",
                                "expires_in": 5_183_944})  # fmt: skip
        granted = self.codes.pop(params.get("code", ""), None)
        if granted is None or granted != (
            params.get("redirect_uri"),
            challenge(params.get("code_verifier", "")),
        ):
            return _error(100, "Invalid verification code format.")
        short = "EAAshort" + secrets.token_urlsafe(16)
        self.short_lived.add(short)
        return Answer(body={"access_token": short, "token_type": "bearer", "expires_in": 5400})

    def _insights(self, found: GraphObject, params: dict[str, str], fault: Any) -> Answer:
        since, until = int(params.get("since") or 0), int(params.get("until") or 2**40)
        if until - since > found.max_days * DAY:
            return _error(
                100, f"(#100) The start and end dates should be within {found.max_days} days"
            )
        wanted = set((params.get("metric") or "").split(","))
        data = []
        for metric in found.insights:
            if metric["name"] not in wanted or metric.get("period") != params.get("period", "day"):
                continue
            values = [
                v for v in metric.get("values", [])
                if since < _moment(v["end_time"]) <= until + DAY
            ]  # fmt: skip
            data.append({**metric, "values": values})
        if fault == "changed_shape" and data:
            data[0] = {k: v for k, v in data[0].items() if k != "values"}
        return Answer(body={"data": data, "paging": {"previous": "…", "next": "…"}})

    def _page(self, items: list[dict[str, Any]], params: dict[str, str], edge: str) -> Answer:
        ordered = sorted(
            items, key=lambda i: _moment(i.get("timestamp") or i.get("created_time")), reverse=True
        )
        start = int(params.get("after") or 0)
        limit = min(int(params.get("limit") or 25), 100)
        page = ordered[start : start + limit]
        paging: dict[str, Any] = {"cursors": {"before": str(start), "after": str(start + limit)}}
        if start + limit < len(ordered):
            paging["next"] = f"https://graph.facebook.com/{edge}?after={start + limit}"
        return Answer(body={"data": page, "paging": paging})


class MetaSignin:
    """Facebook Login's dialog (``/<version>/dialog/oauth``), consenting at once: back to the
    app's ``redirect_uri`` with a code and the ``state``."""

    prefix = "/v23.0/dialog/oauth"

    def __init__(self, sandbox: Sandbox, meta: MetaPlatform) -> None:
        self.sandbox, self.meta = sandbox, meta

    def answer(self, request: Request) -> Answer:
        params = request.params
        self.sandbox.record("meta:dialog", params)
        if params.get("client_id") != self.meta.app_id or not params.get("code_challenge"):
            return _error(100, "Invalid request")
        code = "AQ" + secrets.token_urlsafe(16)
        redirect = params.get("redirect_uri", "")
        self.meta.codes[code] = (redirect, params.get("code_challenge", ""))
        query = urlencode({"code": code, "state": params.get("state", "")})
        return Answer(302, None, {"Location": f"{redirect}?{query}"})


def _moment(text: Any) -> int:
    return int(datetime.fromisoformat(str(text)).astimezone(UTC).timestamp())


def _error(code: int, message: str, subcode: int | None = None) -> Answer:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code,
                             "fbtrace_id": "AbCdEfGh123"}  # fmt: skip
    if subcode is not None:
        error["error_subcode"] = subcode
    return Answer(400, {"error": error})
