"""Google in the sandbox: the OAuth token endpoint (``POST /token``: a refresh token for an
hour's access token, ``invalid_grant`` for one it does not know) and GA4's Data API
(``/v1beta/properties/<id>/metadata`` and ``:runReport``) answering from a recorded runReport —
the dimensions and metrics asked for, the dates of ``dateRanges``, ``limit`` rows from
``offset``, 401 ``UNAUTHENTICATED`` for an unknown access token, 429 ``RESOURCE_EXHAUSTED``
when asked to."""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from smmkpi.sandbox.faults import Faults
from smmkpi.sandbox.server import Answer, Request, Sandbox
from smmkpi.sync.oauth import challenge


class GoogleTokens:
    """``POST /token``: the refresh tokens it knows, each → the access tokens it gave."""

    prefix = "/token"

    def __init__(self, sandbox: Sandbox, refresh_tokens: set[str], client_id: str) -> None:
        self.sandbox, self.refresh_tokens, self.client_id = sandbox, refresh_tokens, client_id
        self.issued: set[str] = set()
        self.codes: dict[str, dict[str, str]] = {}

    def answer(self, request: Request) -> Answer:
        self.sandbox.record("google:token", request.params)
        params = request.params
        if params.get("client_id") != self.client_id or not params.get("client_secret"):
            return Answer(401, {"error": "invalid_client", "error_description": "Unauthorized"})
        if params.get("grant_type") == "authorization_code":
            return self._code(params)
        if params.get("refresh_token") not in self.refresh_tokens:
            return Answer(
                400,
                {
                    "error": "invalid_grant",
                    "error_description": "Token has been expired or revoked.",
                },
            )
        token = "ya29." + secrets.token_urlsafe(16)
        self.issued.add(token)
        scope = "https://www.googleapis.com/auth/analytics.readonly"
        return Answer(
            body={"access_token": token, "expires_in": 3599, "token_type": "Bearer", "scope": scope}
        )

    def _code(self, params: dict[str, str]) -> Answer:
        """A sign-in's code, with the PKCE verifier whose S256 challenge came with it, for a
        refresh token."""
        granted = self.codes.pop(params.get("code", ""), None)
        if (
            granted is None
            or granted["redirect_uri"] != params.get("redirect_uri")
            or granted["challenge"] != challenge(params.get("code_verifier", ""))
        ):
            return Answer(400, {"error": "invalid_grant", "error_description": "Bad Request"})
        refresh = "1//" + secrets.token_urlsafe(24)
        self.refresh_tokens.add(refresh)
        token = "ya29." + secrets.token_urlsafe(16)
        self.issued.add(token)
        return Answer(body={"access_token": token, "refresh_token": refresh, "expires_in": 3599,
                            "token_type": "Bearer", "scope": granted["scope"]})  # fmt: skip


class GoogleSignin:
    """Google's consent page (``/o/oauth2/v2/auth``), consenting at once: back to the app's
    ``redirect_uri`` with a code and the ``state`` it was given (``deny`` answers
    ``error=access_denied`` instead)."""

    prefix = "/o/oauth2/v2/auth"

    def __init__(self, sandbox: Sandbox, tokens: GoogleTokens) -> None:
        self.sandbox, self.tokens = sandbox, tokens
        self.deny = False

    def answer(self, request: Request) -> Answer:
        params = request.params
        self.sandbox.record("google:auth", params)
        redirect = params.get("redirect_uri", "")
        if (
            params.get("client_id") != self.tokens.client_id
            or params.get("code_challenge_method") != "S256"
        ):
            return Answer(400, {"error": "invalid_request"})
        if self.deny:
            query = urlencode({"error": "access_denied", "state": params.get("state", "")})
            return Answer(302, None, {"Location": f"{redirect}?{query}"})
        code = "4/" + secrets.token_urlsafe(16)
        self.tokens.codes[code] = {
            "redirect_uri": redirect, "challenge": params.get("code_challenge", ""),
            "scope": params.get("scope", ""),
        }  # fmt: skip
        query = urlencode({"code": code, "state": params.get("state", "")})
        return Answer(302, None, {"Location": f"{redirect}?{query}"})


class Ga4Platform:
    prefix = "/v1beta/properties/"

    def __init__(self, sandbox: Sandbox, tokens: GoogleTokens, properties: dict[str, Path]) -> None:
        """``properties``: a property id → its recorded runReport answer."""
        self.sandbox, self.tokens = sandbox, tokens
        self.reports = {p: json.loads(f.read_text(encoding="utf-8")) for p, f in properties.items()}
        self.faults = Faults()

    def answer(self, request: Request) -> Answer:
        rest = request.path.removeprefix(self.prefix)
        self.sandbox.record("ga4:" + (rest.split(":")[-1] if ":" in rest else "metadata"), {})
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if token not in self.tokens.issued:
            return _error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        if self.faults.next("runReport") == "rate_limited":
            return _error(429, "RESOURCE_EXHAUSTED", "Exhausted property tokens per hour.")
        prop = rest.split("/")[0].split(":")[0]
        report = self.reports.get(prop)
        if report is None:
            return _error(403, "PERMISSION_DENIED", "User does not have sufficient permissions.")
        if rest.endswith("/metadata"):
            return Answer(body={"name": f"properties/{prop}/metadata",
                                "dimensions": [{"apiName": "date"}],
                                "metrics": [{"apiName": "sessions"}]})  # fmt: skip
        return self._report(report, json.loads(request.body or b"{}"))

    def _report(self, report: dict[str, Any], body: dict[str, Any]) -> Answer:
        dims = [d["name"] for d in report["dimensionHeaders"]]
        mets = [m["name"] for m in report["metricHeaders"]]
        rows = []
        for row in report.get("rows", []):
            values = dict(zip(dims, (v["value"] for v in row["dimensionValues"]), strict=True))
            metrics = dict(zip(mets, (float(v["value"]) for v in row["metricValues"]), strict=True))
            metrics["keyEvents"] = sum(v for k, v in metrics.items() if k.startswith("keyEvents:"))
            rows.append((values, metrics))
        (span,) = body.get("dateRanges") or [{}]
        first = span.get("startDate", "2000-01-01").replace("-", "")
        last = span.get("endDate", "2100-01-01").replace("-", "")
        wanted_dims = [d["name"] for d in body.get("dimensions", [])]
        wanted_mets = [m["name"] for m in body.get("metrics", [])]
        grouped: dict[tuple[str, ...], list[float]] = defaultdict(lambda: [0.0] * len(wanted_mets))
        for values, metrics in rows:
            if not first <= values.get("date", "") <= last:
                continue
            key = tuple(values.get(d, "(not set)") for d in wanted_dims)
            for i, name in enumerate(wanted_mets):
                grouped[key][i] += metrics.get(name, 0.0)
        items = sorted(grouped.items())
        offset, limit = int(body.get("offset") or 0), int(body.get("limit") or 10_000)
        page = items[offset : offset + limit]
        answer: dict[str, Any] = {
            "dimensionHeaders": [{"name": d} for d in wanted_dims],
            "metricHeaders": [{"name": m, "type": "TYPE_INTEGER"} for m in wanted_mets],
            "rowCount": len(items),
            "metadata": report.get("metadata", {}),
            "kind": "analyticsData#runReport",
        }
        if page:
            answer["rows"] = [
                {"dimensionValues": [{"value": v} for v in key],
                 "metricValues": [{"value": str(int(v))} for v in values]}
                for key, values in page
            ]  # fmt: skip
        return Answer(body=answer)


def _error(status: int, code: str, message: str) -> Answer:
    return Answer(status, {"error": {"code": status, "message": message, "status": code}})


class YouTubePlatform:
    """YouTube Analytics (``/v2/reports`` by day, from a recorded result table) and the Data
    API (``/youtube/v3/channels``, ``playlistItems`` of the uploads newest first in pages of
    ``maxResults`` with ``nextPageToken``, ``videos`` by id) for one channel."""

    prefix = "/"

    def __init__(
        self,
        sandbox: Sandbox,
        tokens: GoogleTokens,
        channel: dict[str, Any],
        report: Path,
        videos: list[dict[str, Any]],
    ) -> None:
        self.sandbox, self.tokens, self.channel = sandbox, tokens, channel
        self.report = json.loads(report.read_text(encoding="utf-8"))
        self.videos = sorted(videos, key=lambda v: v["publishedAt"], reverse=True)
        self.public: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
        """Other channels anyone may read, by handle (``@name``): the channel and its
        videos (``id``, ``publishedAt``, ``title``, ``views``, ``likes``, ``comments``)."""

    def _channel_videos(self, playlist: str) -> list[dict[str, Any]]:
        """The videos of the uploads playlist ``playlist``: the connected channel's or a public
        one's."""
        for channel, videos in self.public.values():
            if channel["contentDetails"]["relatedPlaylists"]["uploads"] == playlist:
                return sorted(videos, key=lambda v: v["publishedAt"], reverse=True)
        return self.videos

    def answer(self, request: Request) -> Answer:
        path = request.path.strip("/")
        method = path.rsplit("/", 1)[-1]
        self.sandbox.record(f"youtube:{method}", request.params)
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if token not in self.tokens.issued:
            return _error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        params = request.params
        if method == "reports":
            first, last = params.get("startDate", ""), params.get("endDate", "")
            rows = [r for r in self.report.get("rows", []) if first <= str(r[0]) <= last]
            return Answer(body={**self.report, "rows": rows})
        if method == "channels":
            if params.get("forHandle") or params.get("id"):
                asked = (params.get("forHandle") or params.get("id") or "").lower()
                found = [c for key, (c, _v) in self.public.items()
                         if asked in (key.lower(), str(c["id"]).lower())]  # fmt: skip
                return Answer(body={"kind": "youtube#channelListResponse", "items": found})
            return Answer(body={"kind": "youtube#channelListResponse", "items": [self.channel]})
        if method == "playlistItems":
            start = int(params.get("pageToken") or 0)
            size = int(params.get("maxResults") or 5)
            listed = self._channel_videos(params.get("playlistId", ""))
            page = listed[start : start + size]
            body: dict[str, Any] = {
                "kind": "youtube#playlistItemListResponse",
                "items": [{"kind": "youtube#playlistItem", "contentDetails": {
                    "videoId": v["id"], "videoPublishedAt": v["publishedAt"]}} for v in page],
                "pageInfo": {"totalResults": len(listed), "resultsPerPage": size},
            }  # fmt: skip
            if start + size < len(listed):
                body["nextPageToken"] = str(start + size)
            return Answer(body=body)
        if method == "videos":
            wanted = params.get("id", "").split(",")
            items = [
                {"kind": "youtube#video", "id": v["id"],
                 "snippet": {"publishedAt": v["publishedAt"], "title": v["title"],
                             "liveBroadcastContent": "none"},
                 "statistics": {"viewCount": str(v["views"]), "likeCount": str(v["likes"]),
                                "commentCount": str(v["comments"])}}
                for v in [*self.videos, *(v for _c, vs in self.public.values() for v in vs)]
                if v["id"] in wanted
            ]  # fmt: skip
            return Answer(body={"kind": "youtube#videoListResponse", "items": items})
        return _error(404, "NOT_FOUND", "Not found")
