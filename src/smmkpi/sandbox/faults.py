"""Scripted trouble for the sandbox: the next answers of a method may be a rate-limit answer,
a server error, a timeout, an expired credential or a changed shape, as the real APIs do now and
then. A test (or the benchmark) queues them; the sandbox serves each once, in order."""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from typing import Literal

Fault = Literal[
    "rate_limited", "server_error", "http_error", "timeout", "expired", "changed_shape", "daily_cap"
]
FAULTS: tuple[Fault, ...] = (
    "rate_limited",
    "server_error",
    "http_error",
    "timeout",
    "expired",
    "changed_shape",
    "daily_cap",
)


class Faults:
    """The faults queued per method (``"*"``: any method); thread-safe."""

    def __init__(self) -> None:
        self._queued: dict[str, deque[Fault]] = defaultdict(deque)
        self._lock = threading.Lock()

    def add(self, method: str, fault: Fault, times: int = 1) -> None:
        with self._lock:
            self._queued[method].extend([fault] * times)

    def next(self, method: str) -> Fault | None:
        """The fault the next call of ``method`` meets, if any (taken off the queue)."""
        with self._lock:
            for key in (method, "*"):
                if self._queued[key]:
                    return self._queued[key].popleft()
        return None

    def clear(self) -> None:
        with self._lock:
            self._queued.clear()
