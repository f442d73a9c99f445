"""The request rate a platform allows per credential, kept on our side: at most ``calls``
requests in any ``period`` seconds, shared by every thread that uses the same credential (VK:
3 a second per token), so the platform's rate-limit answer stays rare.

The platform counts a request when it arrives, which is somewhere between when it was sent and
when its answer came back. So a request holds its place in the window from the moment it is
sent until its answer came, and the next one waits a full period after *that*: however late the
earlier requests arrived, the window the platform sees is never over its limit.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable

MARGIN = 0.02
"""Seconds added to each window, for the clocks of two machines."""


class Slot:
    """One request's place in the window: when it was last known to be in flight."""

    __slots__ = ("at",)

    def __init__(self, at: float) -> None:
        self.at = at


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
        self._slots: list[Slot] = []
        self._lock = threading.Lock()

    def wait(self) -> Slot:
        """Block until one more request fits the window, and count it; give the slot back to
        :meth:`done` when its answer came."""
        while True:
            with self._lock:
                now = self._clock()
                self._slots = [s for s in self._slots if now - s.at < self.period - 1e-9]
                if len(self._slots) < self.calls:
                    slot = Slot(now)
                    self._slots.append(slot)
                    return slot
                pause = self.period - (now - min(s.at for s in self._slots))
            self._sleep(pause)

    def done(self, slot: Slot) -> None:
        """The request's answer came: it arrived by now at the latest."""
        with self._lock:
            slot.at = max(slot.at, self._clock())

    def pause(self, seconds: float) -> None:
        """The platform said to slow down: no request of this credential for ``seconds``."""
        with self._lock:
            until = self._clock() + seconds - self.period
            self._slots = [Slot(until) for _ in range(self.calls)]


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
