"""A loopback stand-in for VK's API (``/method/<name>``, form posts), answering as VK does:
``{"response": …}`` or ``{"error": {"error_code", "error_msg"}}``. Tokens decide the answers:
``admin-token`` reads everything, ``member-token`` is refused the statistics (error 15), any
other token is expired (error 5). Every call is recorded (method and parameters, the token
left out) so tests can say what was asked."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

GROUPS = {
    "229187364": {"id": 229187364, "name": "Кофелаб", "screen_name": "coffeelab_msk",
                  "members_count": 12345},
}  # fmt: skip


class FakeVk:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, str]]] = []
        self.url = ""

    def answer(self, method: str, params: dict[str, str]) -> dict[str, Any]:
        token = params.get("access_token", "")
        self.calls.append((method, {k: v for k, v in params.items() if k != "access_token"}))
        if token not in ("admin-token", "member-token"):
            return _error(5, "User authorization failed: invalid access_token (4).")
        if method == "groups.getById":
            wanted = params.get("group_id", "").removeprefix("club")
            found = [g for g in GROUPS.values() if wanted in (str(g["id"]), g["screen_name"])]
            if not found:
                return _error(100, "One of the parameters specified was missing or invalid")
            return {"response": {"groups": found, "profiles": []}}
        if method == "stats.get":
            if token != "admin-token":
                return _error(15, "Access denied: no access to this group statistics")
            return {"response": []}
        return _error(3, "Unknown method passed")


def _error(code: int, message: str) -> dict[str, Any]:
    return {"error": {"error_code": code, "error_msg": message, "request_params": []}}


@contextmanager
def serving() -> Iterator[FakeVk]:
    fake = FakeVk()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            method = self.path.rsplit("/", 1)[-1]
            body = json.dumps(fake.answer(method, form), ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
