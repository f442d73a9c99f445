"""Sign-in pages and token endpoints in the sandbox for the platforms whose refresh tokens
rotate: VK ID (``/vkid/authorize``, ``/vkid/oauth2/auth``: PKCE required, a ``device_id`` back
with the code and asked again with every trade) and amoCRM (``/amo-dialog``, then
``/oauth2/access_token`` on the account's address, named by ``referer``; JSON bodies). Each
consents at once; each refresh token is good for one trade."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from smmkpi.sandbox.server import Answer, Request, Sandbox
from smmkpi.sync.oauth import challenge


class RotatingTokens:
    """Codes and refresh tokens of one platform; ``grant`` is told each new access token."""

    def __init__(self, client_id: str, grant: Callable[[str], None]) -> None:
        self.client_id, self.grant = client_id, grant
        self.codes: dict[str, tuple[str, str]] = {}  # code → (redirect_uri, challenge)
        self.refresh_tokens: set[str] = set()
        self.used: set[str] = set()

    def code(self, redirect: str, code_challenge: str) -> str:
        code = "code-" + secrets.token_urlsafe(12)
        self.codes[code] = (redirect, code_challenge)
        return code

    def trade(self, fields: dict[str, Any]) -> Answer:
        if fields.get("client_id") != self.client_id or not fields.get("client_secret"):
            return Answer(401, {"error": "invalid_client", "error_description": "Unknown app"})
        if fields.get("grant_type") == "authorization_code":
            found = self.codes.pop(str(fields.get("code")), None)
            redirect, wanted = found or ("", "")
            if (
                found is None
                or redirect != fields.get("redirect_uri")
                or (wanted and challenge(str(fields.get("code_verifier", ""))) != wanted)
            ):
                return Answer(400, {"error": "invalid_grant", "error_description": "Bad code"})
        elif fields.get("grant_type") == "refresh_token":
            token = str(fields.get("refresh_token"))
            if token not in self.refresh_tokens:
                return Answer(
                    400, {"error": "invalid_grant", "error_description": "Token has expired"}
                )
            self.refresh_tokens.discard(token)
            self.used.add(token)
        else:
            return Answer(400, {"error": "unsupported_grant_type"})
        refresh, access = "rt-" + secrets.token_urlsafe(12), "at-" + secrets.token_urlsafe(12)
        self.refresh_tokens.add(refresh)
        self.grant(access)
        return Answer(body={"token_type": "Bearer", "expires_in": 3600, "access_token": access,
                            "refresh_token": refresh})  # fmt: skip


class VkIdPlatform:
    prefix = "/vkid/"

    def __init__(self, sandbox: Sandbox, tokens: RotatingTokens) -> None:
        self.sandbox, self.tokens = sandbox, tokens

    def answer(self, request: Request) -> Answer:
        method = request.path.removeprefix(self.prefix)
        params = request.params
        self.sandbox.record(f"vkid:{method}", params)
        if method == "authorize":
            if params.get("code_challenge_method") != "S256":
                return Answer(400, {"error": "invalid_request"})
            code = self.tokens.code(
                params.get("redirect_uri", ""), params.get("code_challenge", "")
            )
            query = urlencode({"code": code, "state": params.get("state", ""),
                               "device_id": "device-42", "type": "code_v2"})  # fmt: skip
            return Answer(302, None, {"Location": f"{params.get('redirect_uri')}?{query}"})
        if method == "oauth2/auth":
            if params.get("device_id") != "device-42" or not params.get("state"):
                return Answer(400, {"error": "invalid_request", "error_description": "device_id"})
            return self.tokens.trade(params)
        return Answer(404, {"error": "not_found"})


class AmoOAuth:
    """amoCRM's dialog (``/amo-dialog``) and token endpoint (``/oauth2/access_token``)."""

    prefix = "/"

    def __init__(self, sandbox: Sandbox, tokens: RotatingTokens, subdomain: str) -> None:
        self.sandbox, self.tokens, self.subdomain = sandbox, tokens, subdomain

    def answer(self, request: Request) -> Answer:
        params = request.params
        if request.path == "/amo-dialog":
            self.sandbox.record("amocrm:dialog", params)
            code = self.tokens.code(params.get("redirect_uri", ""), "")
            query = urlencode({"code": code, "state": params.get("state", ""),
                               "referer": f"{self.subdomain}.amocrm.ru",
                               "client_id": params.get("client_id", "")})  # fmt: skip
            return Answer(302, None, {"Location": f"{params.get('redirect_uri')}?{query}"})
        if request.path == "/oauth2/access_token":
            fields = json.loads(request.body or b"{}")
            self.sandbox.record("amocrm:oauth", {"grant_type": str(fields.get("grant_type"))})
            return self.tokens.trade(fields)
        return Answer(404, {"title": "Not Found"})


class YandexOAuth:
    """Yandex OAuth (``/yandex/authorize``, ``/yandex/token``): PKCE-checked codes for a token
    that lives a year (``expires_in``), told to ``grant``."""

    prefix = "/yandex/"

    def __init__(self, sandbox: Sandbox, client_id: str, grant: Callable[[str], None]) -> None:
        self.sandbox = sandbox
        self.tokens = RotatingTokens(client_id, grant)

    def answer(self, request: Request) -> Answer:
        method = request.path.removeprefix(self.prefix)
        params = request.params
        self.sandbox.record(f"yandex:{method}", params)
        if method == "authorize":
            code = self.tokens.code(
                params.get("redirect_uri", ""), params.get("code_challenge", "")
            )
            query = urlencode({"code": code, "state": params.get("state", "")})
            return Answer(302, None, {"Location": f"{params.get('redirect_uri')}?{query}"})
        if method == "token":
            answer = self.tokens.trade(params)
            if isinstance(answer.body, dict) and "access_token" in answer.body:
                answer.body["expires_in"] = 31_536_000
            return answer
        return Answer(404, {"error": "not_found"})
