"""Whether a month's data is final, so that its report may go out (``shared/spec/
sync-and-delivery.md`` §3): a report is held while a source the client has — an account with
daily statistics, its web sessions, a connection — has no data through the month's last day.
A source that never had data does not hold anything: it is not one the client has."""

from __future__ import annotations

from smmkpi.formatting import format_day
from smmkpi.i18n import Language, _
from smmkpi.metrics.periods import Period
from smmkpi.store import connections
from smmkpi.store.connection import Connection
from smmkpi.store.coverage import last_days_of_client


def not_final(con: Connection, client_id: str, month: Period, language: Language) -> list[str]:
    """Why ``month``'s data of ``client_id`` is not final yet (nothing: it is)."""
    reasons = []
    for source, last in sorted(last_days_of_client(con, client_id).items()):
        if last < month.end:
            name = _("web sessions") if source == "web_sessions" else source
            reasons.append(
                _("{source} has data through {day}").format(
                    source=name, day=format_day(last, language)
                )
            )
    for item in connections.listed(con, client_id):
        through = item.synced_through
        if through is None or through < month.end:
            reasons.append(
                _("{source} {target} is synced through {day}").format(
                    source=item.source,
                    target=item.target,
                    day=format_day(through, language) if through else _("no day yet"),
                )
            )
    return reasons
