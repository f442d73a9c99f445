"""Share links: a specialist makes a link to a client's report for a month or to the live
dashboard (a 256-bit token shown once and kept hashed, an expiry, revocable); whoever opens it
sees only that client, every view is logged, and unknown tokens are limited per address."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from smmkpi.formatting import format_month
from smmkpi.i18n import LANGUAGES, N_, Language, parse_language, use_language
from smmkpi.metrics.periods import Period
from smmkpi.planning import service
from smmkpi.report.render import MEDIA_TYPES
from smmkpi.store import shares
from smmkpi.web.auth import token_hash
from smmkpi.web.client_page import client_page, insights, plan_status, render_report
from smmkpi.web.site import Editor, Site, period_in

SHARE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}
KINDS = ("report", "dashboard")


def share_router(site: Site) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.post("/clients/{client_id}/shares", response_model=None)
    def share_create(
        request: Request,
        client_id: str,
        who: Editor,
        month: str = Form(""),
        kind: str = Form("report"),
        language_: str = Form("ru", alias="language"),
        days: int = Form(30),
    ) -> Response:
        period = period_in(month)
        if (
            period is None
            or kind not in KINDS
            or language_ not in LANGUAGES
            or not 1 <= days <= 365
        ):
            return site.forbidden(request, who)
        with site.db.store() as store, store.transaction():
            token = shares.open_link(
                store.con,
                client_id,
                period.key() if kind == "report" else None,
                language_,
                who.user.username,
                datetime.now(UTC),
                days,
            )
        url = str(request.base_url).rstrip("/") + f"/s/{token}"
        return client_page(site, request, who, client_id, new_link=url)

    @router.post("/clients/{client_id}/shares/{link_id}/revoke", response_model=None)
    def share_revoke(request: Request, client_id: str, link_id: str, who: Editor) -> Response:
        with site.db.store() as store, store.transaction():
            found = shares.revoke(store.con, client_id, link_id, datetime.now(UTC))
        if not found:
            return site.not_found(request, who)
        return RedirectResponse(f"/clients/{client_id}", status_code=303)

    @router.get("/s/{token}", response_model=None)
    def share_view(request: Request, token: str, format: str = "html") -> Response:
        now = datetime.now(UTC)
        address = request.client.host if request.client else None
        who_asks = address or "?"
        with site.db.store() as store:
            link = shares.link_by_token(store.con, token_hash(token))
        if link is None:
            # only unknown tokens count and are limited, per address: a guesser behind an
            # office's one address never locks the office out of its real links
            if site.share_guesses.blocked(who_asks, who_asks):
                return Response("Too many unknown links; wait a minute.", status_code=429)
            site.share_guesses.failed(who_asks, who_asks)
            return gone(request, 404, None)
        state = link.state(now)
        agent = request.headers.get("user-agent")
        seen_from = site.address_hash(address) if address else None
        with site.db.store() as store, store.transaction():
            shares.log_view(store.con, link.link_id, now, state, seen_from, agent)
        lang = parse_language(link.language)
        if state in ("revoked", "expired"):  # said in the language the link was made for
            return gone(request, 404 if state == "revoked" else 410, lang)
        if link.kind == "dashboard":
            return dashboard(request, link.client_id, lang)
        assert link.month is not None
        kind = format if format in MEDIA_TYPES else "html"
        period = Period.from_key(link.month)
        data = render_report(site, link.client_id, period, lang, kind, "client")
        headers = dict(SHARE_HEADERS)
        if kind != "html":  # a file to save, named as the attachments are
            name = f"{link.client_id}-{period.key()}-{lang}.{kind}"
            headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return Response(data, media_type=MEDIA_TYPES[kind], headers=headers)

    def dashboard(request: Request, client_id: str, lang: Language) -> HTMLResponse:
        """A client's live page for a share link: plan against fact this month, read-only,
        with the trends and history of the client page."""
        now = site.today()
        month = Period.of_month(now)
        with use_language(lang), site.db.store() as store:
            client = service.client_info(store, client_id)
            plan = service.find_plan(store, client_id, month)
            statuses = plan_status(site, store, plan, now)
            charts, history = insights(site, store, client_id, plan, lang, now)
        return site.page(
            request,
            "dashboard.html.j2",
            headers=SHARE_HEADERS,
            lang=lang,
            client=client,
            month_name=format_month(month.start, lang),
            statuses=statuses,
            charts=charts,
            history=history,
            as_of=now,
        )

    def gone(request: Request, code: int, lang: Language | None) -> HTMLResponse:
        if code == 410:
            title, text = N_("This link has expired"), N_("Ask the agency for a new link.")
        else:
            title, text = N_("Not found"), N_("There is no such link, or it was revoked.")
        return site.message(request, code, title, text, headers=SHARE_HEADERS, lang=lang)

    return router
