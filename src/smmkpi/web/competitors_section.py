"""The client page's competitors section: the client's accounts beside its competitors over the
last full month (public counters only), the competitors followed, the accounts the brief names
as suggestions, and — for editors — following and unfollowing, with the same checks and words
as ``smmkpi competitor``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from smmkpi.errors import UserError
from smmkpi.i18n import Language, _, use_language
from smmkpi.metrics.competitors import comparison, shown_rows
from smmkpi.metrics.periods import Period
from smmkpi.metrics.scope import ClientInfo
from smmkpi.planning import service
from smmkpi.planning.competitors import follow, suggestions
from smmkpi.store import competitors as stored
from smmkpi.store.database import Store
from smmkpi.web.site import Editor, Site

SECTION = "competitors_section"


def competitors_part(
    store: Store, client: ClientInfo, month: Period, lang: Language
) -> dict[str, Any]:
    """The section's rows for the last full month ``month``, the competitors and the brief's
    suggestions."""
    followed = stored.listed(store.con, client.client_id)
    rows = shown_rows(comparison(store.con, client, month)) if followed else []
    own = [(a.platform, a.handle or a.account_id) for a in client.accounts]
    hints = suggestions(
        service.brief_of(store, client.client_id), [(c.platform, c.handle) for c in followed], own
    )
    return {
        "rivals": followed,
        "rival_rows": rows,
        "rival_month": month,
        "rival_hints": hints,
        "rival_platforms": stored.PLATFORMS,
    }


def competitors_router(site: Site) -> APIRouter:
    from smmkpi.web.editing import error, in_section, page_or_section

    router = APIRouter(include_in_schema=False)

    @router.post("/clients/{client_id}/competitors", response_model=None)
    def add_competitor(
        request: Request,
        client_id: str,
        who: Editor,
        platform: str = Form(""),
        handle: str = Form(""),
        name: str = Form(""),
    ) -> Response:
        with use_language(site.language(request)):
            try:
                with site.db.store() as store:
                    found = follow(store, client_id, platform, handle, name, datetime.now(UTC))
                message = {
                    "kind": "ok",
                    "text": _("{client} follows {handle} on {platform}.").format(
                        client=client_id, handle=found.handle, platform=found.platform
                    ),
                }
            except UserError as refused:
                message = error(str(refused))
        return page_or_section(
            site, request, who, client_id, SECTION, 422 if message["kind"] == "error" else 200,
            notes=in_section(SECTION, [message]),
        )  # fmt: skip

    @router.post("/clients/{client_id}/competitors/remove", response_model=None)
    def remove_competitor(
        request: Request,
        client_id: str,
        who: Editor,
        platform: str = Form(""),
        handle: str = Form(""),
    ) -> Response:
        with site.db.store() as store, store.transaction():
            removed = stored.remove(store.con, client_id, platform, handle)
        with use_language(site.language(request)):
            text = (
                _("{client} no longer follows {handle} on {platform}.")
                if removed
                else _(
                    "{client} does not follow {handle} on {platform} (see `smmkpi competitor "
                    "list`)."
                )
            ).format(client=client_id, handle=handle, platform=platform)
        return page_or_section(
            site, request, who, client_id, SECTION, 200 if removed else 422,
            notes=in_section(SECTION, [{"kind": "ok" if removed else "error", "text": text}]),
        )  # fmt: skip

    return router
