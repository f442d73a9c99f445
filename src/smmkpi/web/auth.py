"""Secrets of the web app: argon2 password hashes, random tokens (only their SHA-256 is
stored), constant-time comparisons, and a limit on failed sign-ins."""

from __future__ import annotations

import hmac
import threading
import time
from collections import defaultdict, deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from smmkpi.tokens import new_token, token_hash

__all__ = ["new_token", "token_hash"]

_HASHER = PasswordHasher()
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; an unknown user costs the same time as a wrong password."""
    if password_hash is None:
        _HASHER.hash(password)  # the same work, so timing does not tell which users exist
        return False
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def same(a: str | None, b: str | None) -> bool:
    """Constant-time equality of two secrets; None never matches."""
    if a is None or b is None:
        return False
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


class SignInLimiter:
    """At most ``attempts`` failed sign-ins per ``window`` seconds for one address and for one
    username; a success does not reset the count (it would let guesses through)."""

    def __init__(self, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts = attempts
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        found = self._failures[key]
        while found and now - found[0] > self.window:
            found.popleft()
        return found

    def blocked(self, address: str, username: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            return any(
                len(self._recent(key, now)) >= self.attempts
                for key in (f"a:{address}", f"u:{username.lower()}")
            )

    def failed(self, address: str, username: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            for key in (f"a:{address}", f"u:{username.lower()}"):
                self._recent(key, now).append(now)
