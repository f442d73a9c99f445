"""The window of a sync, the client-side rate of requests and the retries, computed by hand."""

from __future__ import annotations

from datetime import date

import pytest

from smmkpi.errors import UserError
from smmkpi.sync.errors import CredentialRefusedError, RateLimitedError
from smmkpi.sync.retry import with_retries
from smmkpi.sync.throttle import MARGIN, RateLimiter
from smmkpi.sync.window import Window, window_for

DEFAULTS = {"reread_days": 7, "post_reread_days": 30, "backfill_days": 400}


def test_a_first_sync_backfills_to_yesterday() -> None:
    window = window_for(date(2026, 12, 5), None, **DEFAULTS)
    assert window == Window(date(2025, 10, 31), date(2026, 12, 4), date(2025, 10, 31))
    assert window.days == 400


def test_a_later_sync_rereads_the_last_week_and_the_posts_of_the_last_month() -> None:
    window = window_for(date(2026, 12, 5), date(2026, 12, 3), **DEFAULTS)
    # from the day after 3 December, less seven days, to yesterday
    assert (window.first, window.last, window.days) == (date(2026, 11, 27), date(2026, 12, 4), 8)
    assert window.posts_since == date(2026, 11, 5)  # 30 days before today


def test_a_sync_already_through_yesterday_without_rereads_reads_only_posts() -> None:
    window = window_for(date(2026, 12, 5), date(2026, 12, 4), **{**DEFAULTS, "reread_days": 0})
    assert window.days == 0 and window.posts_since == date(2026, 11, 5)


def test_from_and_to_replace_the_ends_but_never_reach_today() -> None:
    window = window_for(
        date(2026, 12, 5), date(2026, 12, 3), **DEFAULTS,
        first=date(2026, 1, 1), last=date(2026, 12, 31),
    )  # fmt: skip
    assert (window.first, window.last) == (date(2026, 1, 1), date(2026, 12, 4))
    with pytest.raises(UserError, match="--from 2026-12-05 is after 2026-12-04"):
        window_for(date(2026, 12, 5), None, **DEFAULTS, first=date(2026, 12, 5))


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sent: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_the_limiter_lets_three_a_second_through() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, 1.0, clock=clock, sleep=clock.sleep)
    moments = []
    for _ in range(7):
        limiter.wait()
        moments.append(round(clock.now, 6))
    period = 1.0 + MARGIN
    assert moments == [0, 0, 0, period, period, period, 2 * period]


def test_a_pause_holds_every_request_of_the_credential() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, 1.0, clock=clock, sleep=clock.sleep)
    limiter.wait()
    limiter.pause(5.0)  # the platform said: wait five seconds
    limiter.wait()
    assert clock.now == pytest.approx(5.0)


def test_transient_errors_are_retried_and_others_raised_at_once() -> None:
    waits: list[float] = []
    answers = iter([RateLimitedError("slow down", transient=True, retry_after=0.01), "ok"])

    def call() -> str:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert (
        with_retries(call, attempts=3, backoff=0.001, on_wait=lambda _e, s: waits.append(s)) == "ok"
    )
    assert waits and waits[0] >= 0.01  # at least what the platform asked for
    calls = []

    def refused() -> None:
        calls.append(1)
        raise CredentialRefusedError("expired")

    with pytest.raises(CredentialRefusedError):
        with_retries(refused, attempts=5, backoff=0.001)
    assert len(calls) == 1
    tries = []

    def down() -> None:
        tries.append(1)
        raise RateLimitedError("still slow", transient=True)

    with pytest.raises(RateLimitedError, match="still slow"):
        with_retries(down, attempts=4, backoff=0.001)
    assert len(tries) == 4
