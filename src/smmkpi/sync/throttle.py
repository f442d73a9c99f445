"""The request rate a platform allows per credential, kept on our side: a sliding window of at
most ``calls`` requests in any ``period`` seconds, shared by every thread that uses the same
credential (VK: 3 a second per token), so the platform's rate-limit answer stays rare."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from collections.abc import Callable

MARGIN = 0.05
"""Seconds added to each window: the platform counts requests as they arrive, and a request
sent on time may arrive a little late after one that arrived early."""


class RateLimiter:
    def __init__(
        self,
        calls: int,
        period: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.calls, self.period = calls, period + MARGIN
        self._clock, self._sleep = clock, sleep
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until one more request fits the window, and count it."""
        while True:
            with self._lock:
                now = self._clock()
                while self._sent and now - self._sent[0] >= self.period - 1e-9:
                    self._sent.popleft()
                if len(self._sent) < self.calls:
                    self._sent.append(now)
                    return
                pause = self.period - (now - self._sent[0])
            self._sleep(pause)

    def pause(self, seconds: float) -> None:
        """The platform said to slow down: no request of this credential for ``seconds``."""
        with self._lock:
            until = self._clock() + seconds - self.period
            self._sent = deque([until] * self.calls)


class Limiters:
    """One :class:`RateLimiter` per source and credential (the credential known only by a
    digest of it)."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], RateLimiter] = {}
        self._lock = threading.Lock()

    def of(self, source: str, credential: str, calls: int, period: float = 1.0) -> RateLimiter:
        key = (source, hashlib.sha256(credential.encode()).hexdigest())
        with self._lock:
            if key not in self._found:
                self._found[key] = RateLimiter(calls, period)
            return self._found[key]
