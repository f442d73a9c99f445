"""When a failed send — a report or an alert — is tried again (``shared/spec/sync-and-delivery.md``
§3: "retried by the next run"): the first retry by the very next run, then after a wait of
``delivery.retry_minutes`` that doubles with each attempt (up to a day), and none after
``delivery.max_attempts``."""

from __future__ import annotations

from datetime import datetime, timedelta

from smmkpi.settings import DeliverySection

MAX_WAIT = timedelta(days=1)


def next_try(failed_at: datetime, attempts: int, settings: DeliverySection) -> datetime | None:
    """When a send that failed at ``failed_at`` on its ``attempts``-th attempt may be tried
    again; None: given up."""
    if attempts >= settings.max_attempts:
        return None
    if attempts <= 1:
        return failed_at  # the next run
    wait: timedelta = timedelta(minutes=settings.retry_minutes) * 2 ** (attempts - 2)
    return failed_at + min(wait, MAX_WAIT)
