"""The client page's Scheduled reports section (``shared/spec/sync-and-delivery.md`` §3): the
client's schedules with the next report due, the reports held and why, and the delivery log —
and approving a month held for review, as ``smmkpi delivery approve`` does. Only the client of
the page: another client's month is never approved from it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from smmkpi.delivery.schedule import Schedule, due_moment, due_month, parse_time
from smmkpi.formatting import format_month
from smmkpi.i18n import N_, Language, _, use_language
from smmkpi.metrics.periods import Period
from smmkpi.store import deliveries as stored
from smmkpi.store.database import Store
from smmkpi.web.site import MONTH, Editor, Site

STATUS_TEXT = {"sent": N_("sent"), "failed": N_("failed"), "held": N_("held"),
               "sending": N_("sending")}  # fmt: skip
LOG_ROWS = 12


def section(
    store: Store, client_id: str, zone: str, lang: Language, now: datetime
) -> dict[str, Any]:
    """What the section shows at ``now``."""
    schedules = stored.listed(store.con, client_id)
    rows = []
    for item in schedules:
        plain = Schedule(item.name, client_id, (), item.day, parse_time(item.at_time))
        month = due_month(plain, ZoneInfo(zone), now).next_month()
        moment = due_moment(month, plain.day, plain.at, ZoneInfo(zone))
        rows.append({
            "name": item.name, "destinations": item.destinations, "lang": item.language,
            "formats": "+".join(item.formats), "review": item.review,
            "next": f"{moment:%Y-%m-%d %H:%M} ({format_month(month.start, lang)})",
        })  # fmt: skip
    log = stored.log(store.con, client_id)
    reviewed = any(s.review for s in schedules)
    held = []
    for row in log:
        if row.status != "held":
            continue
        waiting = reviewed and not stored.approved(store.con, client_id, row.month)
        held.append({"schedule": row.schedule, "month": row.month, "destination": row.destination,
                     "why": row.error or "", "approvable": waiting})  # fmt: skip
    recent = [
        {"schedule": d.schedule, "month": d.month, "destination": d.destination,
         "status": _(STATUS_TEXT.get(d.status, d.status)), "status_key": d.status,
         "at": f"{d.happened_at.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M}",
         "attempts": d.attempts, "error": d.error or ""}
        for d in reversed(log[-LOG_ROWS:])
    ]  # fmt: skip
    return {"schedules": rows, "held": held, "delivery_log": recent}


def deliveries_router(site: Site) -> APIRouter:
    from smmkpi.web.client_page import client_page

    router = APIRouter(include_in_schema=False)

    @router.post("/clients/{client_id}/deliveries/approve", response_model=None)
    def approve(request: Request, client_id: str, who: Editor, month: str = Form("")) -> Response:
        if not MONTH.fullmatch(month):
            return site.forbidden(request, who)
        period = Period.month(month)
        with site.db.store() as store, store.transaction():
            new = stored.approve(
                store.con, client_id, period.label(), who.user.username, datetime.now(UTC)
            )
        lang = site.language(request)
        with use_language(lang):
            text = (
                _("Approved {client}'s report for {month}: it goes out with the next due run.")
                if new
                else _("{client}'s report for {month} was approved already.")
            ).format(client=client_id, month=format_month(period.start, lang))
        notes = [{"section": "deliveries", "kind": "ok", "text": text}]
        return client_page(site, request, who, client_id, notes=notes)

    return router
