"""What every page of the web app shares: the workspace and its database, the day, the caches,
who is signed in, the page's language, rendering a template, and the answers for a client the
user may not see (404) or may not change (403)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import cache, cached_property
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.concurrency import run_in_threadpool

from smmkpi.errors import InvalidArgumentError, UserError
from smmkpi.formatting import format_day, format_value, sentence
from smmkpi.i18n import LANGUAGES, N_, Language, _, ngettext, parse_language, use_language
from smmkpi.metrics.goals import goal_title
from smmkpi.metrics.periods import Period, today_in
from smmkpi.metrics.scope import load_clients
from smmkpi.planning.status import status_text
from smmkpi.report.build import logo_data_uri
from smmkpi.report.narrative import percent
from smmkpi.report.render import MEDIA_TYPES
from smmkpi.secret_key import keyed_hash, secret_key
from smmkpi.store import users
from smmkpi.store.users import User, role_name
from smmkpi.web.auth import SignInLimiter, same, token_hash
from smmkpi.web.cache import PAGE_ENTRIES, VersionedCache, data_version
from smmkpi.web.database import Database
from smmkpi.web.overview import OverviewCache
from smmkpi.workspace import Workspace

SESSION_COOKIE = "smmkpi_session"
SIGNIN_COOKIE = "smmkpi_signin"
LANG_COOKIE = "smmkpi_lang"
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")  # a month in a URL or a form: YYYY-MM
WATCH_SECONDS = 60.0  # how often the server looks for imports made outside it


@dataclass
class Signed:
    """The signed-in user of a request and the session's CSRF token."""

    user: User
    csrf: str
    token_hash: str


@cache
def templates() -> Environment:
    return Environment(
        loader=PackageLoader("smmkpi.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
    )


@dataclass
class Site:
    """The web app's shared state and the helpers of its pages."""

    workspace: Workspace
    db: Database
    today: Callable[[], date] = date.today
    secure_cookies: bool = False
    warm_overview: bool = False  # compute the overview ahead (the server; tests ask for it)
    warm_pages: bool = False  # … and then every client's page (the server)
    limits: SignInLimiter = field(default_factory=SignInLimiter)
    share_guesses: SignInLimiter = field(
        default_factory=lambda: SignInLimiter(attempts=30, window=60.0)
    )
    overview: OverviewCache = field(default_factory=OverviewCache)
    insights: VersionedCache = field(default_factory=lambda: VersionedCache(PAGE_ENTRIES))
    stopped: threading.Event = field(default_factory=threading.Event)
    _pages_version: tuple[Any, ...] | None = None
    _pages_lock: threading.Lock = field(default_factory=threading.Lock)

    @cached_property
    def look(self) -> dict[str, Any]:
        """The agency's look on every page (white-label): its name (else the product's), its
        logo as a ``data:`` URI and its colours, as on the report; the product's name only when
        the agency turns it on (``web.product_name``)."""
        settings = self.workspace.settings
        try:
            logo = (
                logo_data_uri(self.workspace.path, settings.report.logo)
                if settings.report.logo
                else None
            )
        except UserError:
            logo = None  # a misplaced logo must not take the sign-in page down
        return {
            "brand": settings.workspace.name or "smmkpi",
            "product": settings.web.product_name and bool(settings.workspace.name),
            "logo": logo,
            "primary": settings.report.primary_colour,
            "accent": settings.report.accent_colour,
        }

    # -- the overview, computed ahead -------------------------------------------------------

    def warm(self) -> None:
        """Compute the overview in the background, so that its first visitor after a start
        or an upload does not wait for it."""
        threading.Thread(target=self.refresh, name="smmkpi-overview", daemon=True).start()

    def refresh(self) -> None:
        """Bring the overview up to date (nothing is computed when nothing changed), then,
        when asked (``warm_pages``), the clients' pages in a thread of their own."""
        with self.db.store() as store:
            rows = self.overview.rows(
                store,
                self.today(),
                self.workspace.social_rules(),
                self.workspace.settings.planning.tolerance,
            )
            version = (self.today(), *data_version(store))
        if self.warm_pages and version != self._pages_version:
            clients = [r.client_id for r in rows]
            threading.Thread(
                target=self.compute_pages, args=(clients, version), name="smmkpi-pages", daemon=True
            ).start()

    def compute_pages(self, clients: list[str], version: tuple[Any, ...]) -> None:
        """Compute each client's page ahead — plan against fact, charts, history — so that its
        first visitor after a start or an import does not wait; one round at a time, stopped by
        the server's end or by a newer round."""
        from smmkpi.web.client_page import compute_ahead  # the page module builds on this one

        if not self._pages_lock.acquire(blocking=False):
            return  # a round is running; the next refresh starts the next one
        try:
            self._pages_version = version
            with self.db.store() as store:
                compute_ahead(self, store, clients)
        finally:
            self._pages_lock.release()

    def watch(self, every: float = WATCH_SECONDS) -> None:
        """Keep the overview up to date in the background: a new day, or imports and plan
        changes made outside this server (another server or the CLI on a shared store)."""

        def run() -> None:
            while not self.stopped.wait(every):
                self.refresh()

        self.refresh()
        threading.Thread(target=run, name="smmkpi-watch", daemon=True).start()

    # -- requests ---------------------------------------------------------------------------

    def now(self) -> datetime:
        """The moment it is (noon UTC of the day the app was given, in tests)."""
        if self.today is date.today:
            return datetime.now(UTC)
        return datetime.combine(self.today(), time(12), UTC)

    def today_for(self, zone: str) -> date:
        """The day it is for a client in ``zone`` (the day the app was given, in tests)."""
        return today_in(zone) if self.today is date.today else self.today()

    def address_hash(self, address: str) -> str:
        """A keyed hash of a visitor's address: the share-view log tells repeat visits apart
        without keeping the address."""
        return keyed_hash(secret_key(self.workspace.path), address, "share-view address")

    def language(self, request: Request) -> Language:
        for value in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
            if value in LANGUAGES:
                return parse_language(value)
        return self.workspace.settings.display.lang

    def signed(self, request: Request) -> Signed | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        hashed = token_hash(token)
        with self.db.store() as store:
            found = users.session_user(store.con, hashed, datetime.now(UTC))
        return None if found is None else Signed(found[0], found[1], hashed)

    def page(
        self,
        request: Request,
        template: str,
        status_code: int = 200,
        who: Signed | None = None,
        headers: dict[str, str] | None = None,
        lang: Language | None = None,
        blocks: Sequence[str] = (),
        **context: Any,
    ) -> HTMLResponse:
        """A template rendered in the request's language (or ``lang``); with ``blocks``, only
        those blocks of it, one after the other (the sections an htmx form swaps in)."""
        lang = lang or self.language(request)
        with use_language(lang):
            found = templates().get_template(template)
            values = {
                "lang": lang,
                "agency": self.workspace.settings.workspace.name,
                "look": self.look,
                "user": who.user if who else None,
                "csrf": who.csrf if who else "",
                "messages": context.pop("messages", []),
                "_": _,
                "ngettext": ngettext,
                "role_name": role_name,
                "goal_name": goal_title_or_dash,
                "status": status_text,
                "day": lambda d: format_day(d, lang),
                "sentence": sentence,
                "fmt": lambda v, unit: format_value(v, str(unit), lang),
                "pct": lambda v: "—" if v is None else percent(v, lang),
                **context,
            }
            if blocks:
                html = "".join(
                    "".join(found.blocks[block](found.new_context(values))) for block in blocks
                )
            else:
                html = found.render(values)
        response = HTMLResponse(html, status_code=status_code, headers=headers)
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie(
                LANG_COOKIE, self.language(request), samesite="lax", max_age=31536000
            )
        return response

    def message(
        self,
        request: Request,
        code: int,
        title: str,
        text: str,
        who: Signed | None = None,
        headers: dict[str, str] | None = None,
        lang: Language | None = None,
    ) -> HTMLResponse:
        """A page that only says something (titles and texts marked with N_ or translated)."""
        with use_language(lang or self.language(request)):
            title, text = _(title), _(text)
        return self.page(request, "gone.html.j2", code, who, headers, lang, title=title, text=text)

    def not_found(self, request: Request, who: Signed | None = None) -> HTMLResponse:
        return self.message(
            request,
            404,
            N_("Not found"),
            N_("There is no such page, or it is not yours to see."),
            who,
        )

    def forbidden(self, request: Request, who: Signed | None) -> HTMLResponse:
        return self.message(request, 403, N_("Not allowed"), N_("You may not change this."), who)

    def visible_client(
        self, request: Request, client_id: str
    ) -> tuple[Signed | None, HTMLResponse | RedirectResponse | None]:
        """The signed-in user if they may see ``client_id``; else the response to give."""
        who = self.signed(request)
        if who is None:
            return None, to_signin()
        if not who.user.may_see(client_id):
            return who, self.not_found(request, who)
        with self.db.store() as store:
            if not load_clients(store.backend, [client_id]):
                return who, self.not_found(request, who)
        return who, None

    def editor(
        self, request: Request, client_id: str, csrf: str
    ) -> tuple[Signed | None, HTMLResponse | RedirectResponse | None]:
        """The signed-in user if they may change ``client_id``'s things with this form."""
        who, refusal = self.visible_client(request, client_id)
        if refusal is not None:
            return who, refusal
        if who is None or not same(who.csrf, csrf) or not who.user.can_edit:
            return who, self.forbidden(request, who)
        return who, None


class RefusedError(Exception):
    """A request its sender may not make, with the answer that says so (to the sign-in page,
    403 or 404); the app turns it into that answer."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def viewer(request: Request, client_id: str) -> Signed:
    """The signed-in user who may see ``client_id`` (a dependency of the client's pages)."""
    site: Site = request.app.state.site
    who, refusal = site.visible_client(request, client_id)
    if refusal is not None or who is None:
        raise RefusedError(refusal or to_signin())
    return who


async def editor(request: Request, client_id: str) -> Signed:
    """The signed-in user who may change ``client_id``'s things with the form they sent (its
    ``csrf`` field): a dependency of every form that changes something of a client."""
    site: Site = request.app.state.site
    csrf = str((await request.form()).get("csrf", ""))
    who, refusal = await run_in_threadpool(site.editor, request, client_id, csrf)
    if refusal is not None or who is None:
        raise RefusedError(refusal or site.forbidden(request, who))
    return who


Viewer = Annotated[Signed, Depends(viewer)]
Editor = Annotated[Signed, Depends(editor)]


def download(data: bytes, name: str, kind: str) -> Response:
    """A report file as an attachment named ``name``."""
    return Response(
        data,
        media_type=MEDIA_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def to_signin() -> RedirectResponse:
    return RedirectResponse("/signin", status_code=303)


def goal_title_or_dash(goal: str | None) -> str:
    return goal_title(goal) if goal in ("awareness", "community", "sales") else "—"


def period_in(text: str) -> Period | None:
    """The period a URL or a form names by its key (``2026-03``, ``2026-Q3``,
    ``2026-03-10_2026-03-20``); None when it names none."""
    try:
        return Period.from_key(text)
    except InvalidArgumentError:
        return None
