"""The web app: sign-in, the agency's clients, a client's plan against fact and report, share
links and the JSON API. Server-rendered (Jinja2, autoescaped); every page that shows a client
checks that the signed-in user may see it and answers 404 otherwise, so ids of other clients
tell nothing.

    smmkpi serve   # uvicorn on create_app(workspace)

The pages live in their own modules, each a router over the shared :class:`~.site.Site`:
``signin``, ``client_page`` (overview, client, report downloads), ``editing`` (targets, brief,
commentary), ``uploads``, ``share_links``, ``api``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from smmkpi import __version__
from smmkpi.crashlog import new_incident, write_crash_log
from smmkpi.errors import UserError
from smmkpi.i18n import _, use_language
from smmkpi.ingest.sheets import set_workbook_limits
from smmkpi.web.api import api_router
from smmkpi.web.auth import SignInLimiter
from smmkpi.web.background_delivery import BackgroundDelivery
from smmkpi.web.background_sync import BackgroundSync
from smmkpi.web.client_page import clients_router
from smmkpi.web.competitors_section import competitors_router
from smmkpi.web.connections import connections_router
from smmkpi.web.content_section import content_router
from smmkpi.web.database import Database
from smmkpi.web.deliveries import deliveries_router
from smmkpi.web.editing import editing_router
from smmkpi.web.oauth import oauth_router
from smmkpi.web.share_links import share_router
from smmkpi.web.signin import signin_router
from smmkpi.web.site import RefusedError, Site
from smmkpi.web.uploads import Uploads, uploads_router
from smmkpi.workspace import Workspace

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
}


def create_app(
    workspace: Workspace,
    *,
    today: Callable[[], date] = date.today,
    secure_cookies: bool = False,
    limiter: SignInLimiter | None = None,
    warm_overview: bool = False,
    share_limiter: SignInLimiter | None = None,
    watch_seconds: float | None = None,
    warm_pages: bool = False,
) -> FastAPI:
    """The web app over ``workspace`` (``today``: the day "this month" is taken from;
    ``warm_overview``: compute the overview at start and after uploads, and with
    ``warm_pages`` every client's page after it; ``watch_seconds``: also look that often for
    changes made outside the server)."""
    site = Site(workspace, Database(workspace), today, secure_cookies, warm_overview, warm_pages)
    limits = workspace.settings.import_
    set_workbook_limits(limits.max_unpacked_mb, limits.max_cells)  # one upload, bounded memory
    if limiter is not None:
        site.limits = limiter
    if share_limiter is not None:
        site.share_guesses = share_limiter

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if watch_seconds is not None:
            site.watch(watch_seconds)
            BackgroundSync(site).start(watch_seconds)
            BackgroundDelivery(site).start(watch_seconds)
        elif warm_overview:
            site.warm()
        yield
        site.stopped.set()
        site.db.close()

    app = FastAPI(
        title="smmkpi",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.db = site.db  # the workspace database, for the API's tokens and for tests
    app.state.site = site
    uploads = Uploads(site)
    for router in (
        api_router(site, uploads),
        signin_router(site),
        clients_router(site),
        editing_router(site),
        content_router(site),
        competitors_router(site),
        uploads_router(site, uploads),
        share_router(site),
        connections_router(site),
        deliveries_router(site),
        oauth_router(site),
    ):
        app.include_router(router)
    app.mount("/static", StaticFiles(packages=[("smmkpi.web", "static")]), name="static")

    @app.exception_handler(RefusedError)
    async def not_allowed(_request: Request, error: RefusedError) -> Response:
        """A page its sender may not see or a change they may not make (``site.viewer``,
        ``site.editor``): the answer the refusal carries."""
        return error.response

    @app.exception_handler(UserError)
    async def refused(request: Request, error: UserError) -> Response:
        """What the person asked cannot be done as things stand (a report of a client without a
        goal): the reason, in their language, as the CLI says it."""
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(error)}, status_code=422)
        lang = site.language(request)
        with use_language(lang):
            title = _("Cannot do that yet")
        who = await run_in_threadpool(site.signed, request)
        return site.page(request, "gone.html.j2", 422, who, lang=lang, title=title, text=str(error))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        """Never a bare 500: the person gets a page (or JSON from the API) in their language
        with an incident id; the traceback goes to the crash log under that id."""
        incident = new_incident()
        log = write_crash_log(workspace.path / "logs", error, incident)
        logging.getLogger("smmkpi.web").error(
            "incident %s on %s %s: %s (%s)",
            incident,
            request.method,
            request.url.path,
            type(error).__name__,
            log,
        )
        lang = site.language(request)
        with use_language(lang):
            text = _(
                "This is a bug in smmkpi, not something you did. Nothing was changed by this "
                "request. Tell your administrator the incident number {incident}: the details "
                "are in the workspace's logs folder."
            ).format(incident=incident)
            title = _("Something went wrong")
        if request.url.path.startswith("/api/"):
            response: Response = JSONResponse(
                {"detail": text, "incident": incident}, status_code=500
            )
        else:
            response = site.page(request, "gone.html.j2", 500, lang=lang, title=title, text=text)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app
