"""Retries of transient answers (rate limits, server errors, timeouts) with exponential
backoff and jitter, honouring the wait the platform asked for (``Retry-After``, Meta's
``estimated_time_to_regain_access``) when it said one."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from smmkpi.sync.errors import SyncError

T = TypeVar("T")
MAX_WAIT = 60.0


def _transient(error: BaseException) -> bool:
    """Worth waiting for here: transient, and not a wait longer than :data:`MAX_WAIT` (a
    Telegram flood wait of an hour is left to the next sync)."""
    return (
        isinstance(error, SyncError)
        and error.transient
        and (error.retry_after is None or error.retry_after <= MAX_WAIT)
    )


def with_retries(
    call: Callable[[], T],
    *,
    attempts: int,
    backoff: float,
    on_wait: Callable[[SyncError, float], None] | None = None,
) -> T:
    """``call()``, again after a transient :class:`SyncError` up to ``attempts`` times in all;
    the last error is raised as it came. ``backoff``: the first wait in seconds (doubling, with
    jitter, up to a minute)."""
    exponential = wait_random_exponential(multiplier=backoff, max=MAX_WAIT)

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        seconds = float(exponential(state))
        if isinstance(error, SyncError) and error.retry_after is not None:
            seconds = max(seconds, min(error.retry_after, MAX_WAIT))
        if on_wait is not None and isinstance(error, SyncError):
            on_wait(error, seconds)
        return seconds

    retrying = Retrying(
        stop=stop_after_attempt(attempts),
        wait=wait,
        retry=retry_if_exception(_transient),
        reraise=True,
    )
    return retrying(call)
