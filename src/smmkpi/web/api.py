"""The JSON API under ``/api``, for automation: clients, KPIs (the same JSON as
``smmkpi kpi --format json``), plan against fact, plans and report files. Authenticated by an
API token (``Authorization: Bearer …``, made with ``smmkpi user token``); every client-scoped
call answers 404 for a client the token's user may not see. The schema is at
``/api/openapi.json``."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from smmkpi.errors import NoPlanError
from smmkpi.i18n import LANGUAGES, parse_language
from smmkpi.metrics.compute import compute_kpis
from smmkpi.metrics.output import client_objects
from smmkpi.metrics.periods import Period, last_full_month
from smmkpi.metrics.scope import load_clients
from smmkpi.planning import service
from smmkpi.planning.status import status_json
from smmkpi.report.model import EDITIONS
from smmkpi.report.render import MEDIA_TYPES
from smmkpi.store import revisions, users
from smmkpi.store.users import User
from smmkpi.web.auth import token_hash
from smmkpi.web.client_page import chosen_edition, render_report
from smmkpi.web.database import Database
from smmkpi.web.site import Site, download, period_in
from smmkpi.web.uploads import Uploads


class Account(BaseModel):
    account_id: str
    platform: str
    handle: str | None
    name: str | None


class Client(BaseModel):
    client_id: str
    name: str
    goal: str | None
    timezone: str
    currency: str
    accounts: list[Account]


def token_owner(request: Request) -> User:
    """The user of the request's API token (401 without a valid one)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(401, "an API token is needed: Authorization: Bearer <token>")
    db: Database = request.app.state.db
    with db.store() as store, store.transaction():  # notes the token's last use
        user = users.token_user(store.con, token_hash(token.strip()))
    if user is None:
        raise HTTPException(401, "unknown, revoked or expired API token")
    return user


Owner = Annotated[User, Depends(token_owner)]


def api_router(site: Site, uploads: Uploads) -> APIRouter:
    """The ``/api`` routes."""
    router = APIRouter(prefix="/api", tags=["api"])
    workspace, db = site.workspace, site.db

    def visible(user: User, client_id: str) -> None:
        if not user.may_see(client_id):
            raise HTTPException(404, "no such client")
        with db.store() as store:
            if not load_clients(store.backend, [client_id]):
                raise HTTPException(404, "no such client")

    def period_of(text: str | None, client_id: str) -> Period:
        """The period ``text`` names (a month ``2026-03``, ``2026-Q3``, ``2026-H2``, ``2026``
        or ``2026-03-10_2026-03-20``), else the client's last full month in its own time
        zone."""
        if text is None:
            with db.store() as store:
                zone = service.client_info(store, client_id).timezone
            return last_full_month(site.today_for(zone))
        period = period_in(text)
        if period is None:
            raise HTTPException(
                422,
                "a period is a month 2026-03, a quarter 2026-Q3, a half-year 2026-H2, a year "
                "2026 or a range of days 2026-03-10_2026-03-20",
            )
        return period

    def one_of(month: str | None, period: str | None) -> str | None:
        if month is not None and period is not None:
            raise HTTPException(422, "give month or period, not both")
        return month if month is not None else period

    @router.get("/clients", response_model=list[Client])
    def clients(user: Owner) -> list[Client]:
        """The clients the token's user may see."""
        with db.store() as store:
            found = load_clients(store.backend, None)
        return [
            Client(
                client_id=c.client_id,
                name=c.name,
                goal=c.goal,
                timezone=c.timezone,
                currency=c.currency,
                accounts=[
                    Account(
                        account_id=a.account_id, platform=a.platform, handle=a.handle, name=a.name
                    )
                    for a in c.accounts
                ],
            )
            for c in found
            if user.may_see(c.client_id)
        ]

    @router.get("/clients/{client_id}/kpis")
    def kpis(
        client_id: str,
        user: Owner,
        month: Annotated[str | None, Query()] = None,
        period_key: Annotated[str | None, Query(alias="period")] = None,
    ) -> Any:
        """Every KPI of the client for a month or any period (default: the last full month):
        the JSON of ``smmkpi kpi --format json``."""
        visible(user, client_id)
        period = period_of(one_of(month, period_key), client_id)
        with db.store() as store:
            results = compute_kpis(store.backend, period, [client_id], workspace.social_rules())
        return client_objects(results)[0]

    @router.get("/clients/{client_id}/status")
    def status(
        client_id: str,
        user: Owner,
        month: Annotated[str | None, Query()] = None,
        period_key: Annotated[str | None, Query(alias="period")] = None,
    ) -> Any:
        """Plan against fact of the client's plan for a month or any period its months hold
        (default: this month) as of today: the JSON of ``smmkpi status --format json``."""
        visible(user, client_id)
        asked = one_of(month, period_key)
        with db.store() as store:
            now = site.today_for(service.client_info(store, client_id).timezone)
            period = period_of(asked, client_id) if asked else Period.of_month(now)
            try:
                plan = service.plan_for(store, client_id, period)
            except NoPlanError as error:
                raise HTTPException(404, str(error)) from None
            found = service.status(
                store,
                plan,
                period,
                now,
                workspace.social_rules(),
                tolerance=workspace.settings.planning.tolerance,
            )
        return status_json(client_id, plan.plan_id, period, found)

    @router.get("/clients/{client_id}/plans")
    def plans(client_id: str, user: Owner) -> Any:
        """The client's plans, each as ``smmkpi plan export`` writes it."""
        visible(user, client_id)
        with db.store() as store:
            return [
                json.loads(json.dumps(service.load(store, plan_id).content()))
                for plan_id in revisions.plan_ids(store.con, client_id)
            ]

    @router.get("/clients/{client_id}/reports/{month}.{kind}")
    def report(
        client_id: str,
        month: str,
        kind: str,
        user: Owner,
        lang: Annotated[str, Query()] = "ru",
        edition: Annotated[str, Query()] = "",
    ) -> Response:
        """The client's report for a month or any period (``2026-Q3``,
        ``2026-03-10_2026-03-20``) as PDF, XLSX or HTML, in ru or en; ``edition``: client
        or internal (default: the setting report.edition; internal for the agency's users
        only)."""
        visible(user, client_id)
        if kind not in MEDIA_TYPES or lang not in LANGUAGES:
            raise HTTPException(404, "reports are pdf, xlsx or html, in ru or en")
        chosen = chosen_edition(site, edition, user.can_edit)
        if chosen is None:
            raise HTTPException(
                404 if edition not in EDITIONS else 403,
                "editions are client or internal; the internal one is for the agency's users",
            )
        period = period_of(month, client_id)
        data = render_report(site, client_id, period, parse_language(lang), kind, chosen)
        suffix = "" if chosen == "client" else "-internal"
        return download(data, f"{client_id}-{period.key()}-{lang}{suffix}.{kind}", kind)

    @router.post("/clients/{client_id}/imports")
    async def imports(
        client_id: str,
        user: Owner,
        files: Annotated[list[UploadFile], File()],
        file_format: Annotated[str, Form(alias="format")] = "",
    ) -> JSONResponse:
        """Import export files for the client (multipart, field ``files``; ``format`` to name
        the importer, else each file is recognised by its content). Each file is imported whole
        or not at all; the answer says what each changed or why it was refused (422 when any
        was)."""
        await run_in_threadpool(visible, user, client_id)
        if not user.can_edit:
            raise HTTPException(403, "this user may not import")
        results = await uploads.receive(client_id, files, file_format)
        body = [
            {
                "file": r.name,
                "importer": r.importer,
                "ok": r.ok,
                "result": r.text,
                "warnings": list(r.warnings),
            }
            for r in results
        ]
        return JSONResponse(body, status_code=422 if any(not r.ok for r in results) else 200)

    return router
