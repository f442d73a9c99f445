"""What a sync of a connection reads (``shared/spec/sync-and-delivery.md`` §2): the days from
the day after the last one fully read, less a re-read window for the days platforms restate, to
yesterday in the client's time zone; a connection never synced backfills. Posts younger than the
post re-read window are read again, their lifetime counters still growing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from smmkpi.errors import UserError
from smmkpi.i18n import _


@dataclass(frozen=True)
class Window:
    first: date
    last: date
    posts_since: date
    """Posts published on or after this day are read (again)."""

    @property
    def days(self) -> int:
        return max((self.last - self.first).days + 1, 0)


def window_for(
    today: date,
    synced_through: date | None,
    *,
    reread_days: int,
    post_reread_days: int,
    backfill_days: int,
    first: date | None = None,
    last: date | None = None,
) -> Window:
    """The window of one sync; ``first``/``last`` (``--from``/``--to``) replace the computed
    ends. ``today`` is the client's today: the last day read is at most yesterday."""
    yesterday = today - timedelta(days=1)
    end = min(last, yesterday) if last else yesterday
    if first is None:
        if synced_through is None:
            first = yesterday - timedelta(days=backfill_days - 1)
        else:
            first = synced_through + timedelta(days=1) - timedelta(days=reread_days)
    if first > end:
        if last is not None or synced_through is None:
            raise UserError(
                _("The window of the sync is empty: --from {first} is after {last}.").format(
                    first=first.isoformat(), last=end.isoformat()
                )
            )
        first = end + timedelta(days=1)  # nothing to restate: only the posts and members
    posts_since = min(first, today - timedelta(days=post_reread_days))
    return Window(first, end, posts_since)
