"""Telegram's Bot API in the sandbox, as a bot that posts reports sees it: requests at
``/bot<TOKEN>/<method>``; ``sendMessage`` (JSON) and ``sendDocument`` (multipart, ≤ 50 MB)
answered ``{"ok": true, "result": …}`` or ``{"ok": false, "error_code", "description"}`` —
401 for a wrong token, 400 ``chat not found``, 403 when the bot is not in the chat, 429 with
``parameters.retry_after`` when it is told to slow down (a queued fault)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from email import message_from_bytes, policy
from typing import Any

from smmkpi.sandbox.faults import Faults
from smmkpi.sandbox.server import Answer, Request, Sandbox

UPLOAD_LIMIT = 50 * 1024 * 1024


@dataclass(frozen=True)
class Posted:
    """A message or document the bot posted."""

    chat_id: str
    method: str
    text: str = ""
    file_name: str = ""
    data: bytes = b""


class BotPlatform:
    prefix = "/bot"

    def __init__(
        self,
        sandbox: Sandbox,
        token: str,
        chats: set[str],
        outside: set[str] | None = None,
        retry_after: int = 1,
    ) -> None:
        self.sandbox, self.token = sandbox, token
        self.chats = chats
        self.outside = outside or set()  # chats that exist but the bot is not in
        self.retry_after = retry_after
        self.posted: list[Posted] = []
        self.faults = Faults()

    def answer(self, request: Request) -> Answer:
        token, _slash, method = request.path.removeprefix(self.prefix).partition("/")
        self.sandbox.record(f"bot:{method}", {})
        if token != self.token:
            return _error(401, "Unauthorized")
        fault = self.faults.next(method)
        if fault == "rate_limited":
            return Answer(429, {"ok": False, "error_code": 429,
                                "description": f"Too Many Requests: retry after {self.retry_after}",
                                "parameters": {"retry_after": self.retry_after}})  # fmt: skip
        if fault == "server_error":
            return _error(502, "Bad Gateway")
        fields, files = _fields(request)
        chat = str(fields.get("chat_id", ""))
        if chat in self.outside:
            return _error(403, "Forbidden: bot is not a member of the channel chat")
        if chat not in self.chats:
            return _error(400, "Bad Request: chat not found")
        if method == "sendMessage":
            self.posted.append(Posted(chat, method, text=str(fields.get("text", ""))))
            return _ok(len(self.posted), chat, {"text": fields.get("text", "")})
        if method == "sendDocument":
            if "document" not in files:
                return _error(400, "Bad Request: there is no document in the request")
            name, data = files["document"]
            if len(data) > UPLOAD_LIMIT:
                return _error(413, "Request Entity Too Large")
            self.posted.append(Posted(chat, method, file_name=name, data=data))
            return _ok(len(self.posted), chat, {"document": {"file_name": name,
                                                             "file_size": len(data)}})  # fmt: skip
        return _error(404, "Not Found")


def _fields(request: Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        return json.loads(request.body or b"{}"), {}
    if kind.startswith("multipart/form-data"):
        parsed = message_from_bytes(
            f"Content-Type: {kind}\r\n\r\n".encode() + request.body, policy=policy.default
        )
        fields: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        for part in parsed.iter_parts():
            name = part.get_param("name", header="content-disposition")
            decoded = part.get_payload(decode=True)
            payload = decoded if isinstance(decoded, bytes) else b""
            if part.get_filename():
                files[str(name)] = (part.get_filename() or "", payload)
            else:
                fields[str(name)] = payload.decode("utf-8")
        return fields, files
    return dict(request.params), {}


def _ok(message_id: int, chat: str, extra: dict[str, Any]) -> Answer:
    return Answer(body={"ok": True, "result": {"message_id": message_id, "date": 1764900000,
                                               "chat": {"id": chat}, **extra}})  # fmt: skip


def _error(code: int, description: str) -> Answer:
    return Answer(code, {"ok": False, "error_code": code, "description": description})
