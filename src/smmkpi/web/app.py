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

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from smmkpi import __version__
from smmkpi.web.api import api_router
from smmkpi.web.auth import SignInLimiter
from smmkpi.web.client_page import clients_router
from smmkpi.web.database import Database
from smmkpi.web.editing import editing_router
from smmkpi.web.share_links import share_router
from smmkpi.web.signin import signin_router
from smmkpi.web.site import Site
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
) -> FastAPI:
    """The web app over ``workspace`` (``today``: the day "this month" is taken from;
    ``warm_overview``: compute the overview at start and after uploads; ``watch_seconds``:
    also look that often for changes made outside the server)."""
    site = Site(workspace, Database(workspace), today, secure_cookies, warm_overview)
    if limiter is not None:
        site.limits = limiter
    if share_limiter is not None:
        site.share_guesses = share_limiter

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if watch_seconds is not None:
            site.watch(watch_seconds)
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
        uploads_router(site, uploads),
        share_router(site),
    ):
        app.include_router(router)
    app.mount("/static", StaticFiles(packages=[("smmkpi.web", "static")]), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app
