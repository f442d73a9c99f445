"""The sandbox's HTTP server: one loopback port, each platform under the path its real API
uses, every request recorded (the credential left out) so a test can say what was asked."""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

SECRET_PARAMS = frozenset({"access_token", "token", "refresh_token", "client_secret"})


@dataclass(frozen=True)
class Request:
    verb: str
    path: str
    params: dict[str, str]
    """Query and form parameters together (form wins)."""
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Answer:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (a timeout, for a client that waits less)."""


class Platform(Protocol):
    """One platform's API in the sandbox."""

    prefix: str
    """The path its requests start with (``/method/`` for VK)."""

    def answer(self, request: Request) -> Answer: ...


@dataclass(frozen=True)
class Call:
    """One request as the sandbox saw it: the platform's method and its parameters, without
    the credential."""

    method: str
    params: dict[str, str]
    at: float


class RateWindow:
    """At most ``calls`` per ``period`` seconds per key (a token), over a sliding window: what
    the platform allows, so a client that asks faster meets the platform's rate-limit answer."""

    def __init__(self, calls: int, period: float = 1.0) -> None:
        self.calls, self.period = calls, period
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def admit(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            seen = self._seen[key]
            while seen and now - seen[0] >= self.period:
                seen.popleft()
            if len(seen) >= self.calls:
                return False
            seen.append(now)
            return True


class Sandbox:
    """The platforms given, served on ``127.0.0.1`` at :attr:`url` while :func:`serving`."""

    def __init__(self, *platforms: Platform) -> None:
        self.platforms = list(platforms)
        self.calls: list[Call] = []
        self.url = ""
        self._lock = threading.Lock()

    def record(self, method: str, params: dict[str, str]) -> None:
        with self._lock:
            self.calls.append(
                Call(
                    method,
                    {k: v for k, v in params.items() if k not in SECRET_PARAMS},
                    time.monotonic(),
                )
            )

    def methods(self) -> list[str]:
        """The methods called, in order."""
        with self._lock:
            return [c.method for c in self.calls]

    def dispatch(self, request: Request) -> Answer:
        for platform in self.platforms:
            if request.path.startswith(platform.prefix):
                return platform.answer(request)
        return Answer(404, {"error": f"no platform serves {request.path}"})


@contextmanager
def serving(sandbox: Sandbox) -> Iterator[Sandbox]:
    """Serve ``sandbox`` on a free loopback port until the block ends."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            split = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            params = {k: v[0] for k, v in parse_qs(split.query).items()}
            if "form-urlencoded" in (self.headers.get("Content-Type") or ""):
                params.update({k: v[0] for k, v in parse_qs(body.decode()).items()})
            request = Request(
                self.command, split.path, params, {k.lower(): v for k, v in self.headers.items()},
                body,
            )  # fmt: skip
            answer = sandbox.dispatch(request)
            if answer.delay:
                time.sleep(answer.delay)
            data = json.dumps(answer.body, ensure_ascii=False).encode()
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout, as intended)

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    sandbox.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sandbox
    finally:
        server.shutdown()
        server.server_close()
