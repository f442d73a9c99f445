"""Signing in and out: a CSRF cookie on the sign-in form, failed attempts limited per address
and per user name, sessions whose tokens are kept only hashed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from smmkpi.i18n import _, use_language
from smmkpi.store import users
from smmkpi.web.auth import new_token, same, token_hash, verify_password
from smmkpi.web.site import SESSION_COOKIE, SIGNIN_COOKIE, Site, to_signin


def signin_router(site: Site) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    settings = site.workspace.settings.web

    def form(
        request: Request, code: int = 200, error: str | None = None, username: str | None = None
    ) -> HTMLResponse:
        """The sign-in form with a fresh CSRF token in its cookie."""
        token = new_token()
        response = site.page(
            request, "signin.html.j2", code, signin_csrf=token, error=error, username=username
        )
        response.set_cookie(
            SIGNIN_COOKIE, token, httponly=True, samesite="strict", secure=site.secure_cookies
        )
        return response

    @router.get("/signin", response_class=HTMLResponse)
    def signin_form(request: Request) -> HTMLResponse:
        return form(request)

    @router.post("/signin", response_model=None)
    def signin(
        request: Request,
        username: str = Form(""),
        password: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:
        address = request.client.host if request.client else "?"
        with use_language(site.language(request)):
            if not same(request.cookies.get(SIGNIN_COOKIE), csrf):
                return form(request, 400, _("The form has expired; sign in again."), username)
            if site.limits.blocked(address, username):
                return form(
                    request, 429, _("Too many failed attempts; wait a few minutes."), username
                )
            with site.db.store() as store:
                stored = users.password_hash_of(store.con, username)
            if not verify_password(stored, password):
                site.limits.failed(address, username)
                return form(request, 401, _("Wrong user name or password."), username)
        token = new_token()
        now = datetime.now(UTC)
        with site.db.store() as store, store.transaction():
            users.purge_sessions(store.con, now)
            users.start_session(
                store.con,
                token_hash(token),
                username,
                new_token(),
                now,
                now + timedelta(hours=settings.session_hours),
            )
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            token,
            httponly=True,
            samesite="lax",
            secure=site.secure_cookies,
            max_age=settings.session_hours * 3600,
        )
        response.delete_cookie(SIGNIN_COOKIE)
        return response

    @router.post("/signout")
    def signout(request: Request, csrf: str = Form("")) -> RedirectResponse:
        who = site.signed(request)
        if who is not None and same(who.csrf, csrf):
            with site.db.store() as store, store.transaction():
                users.end_session(store.con, who.token_hash)
        response = to_signin()
        response.delete_cookie(SESSION_COOKIE)
        return response

    return router
