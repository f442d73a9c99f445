"""The web app: sign-in, the agency's clients, a client's plan against fact and report, share
links. Server-rendered (Jinja2, autoescaped); every page that shows a client checks that the
signed-in user may see it and answers 404 otherwise, so ids of other clients tell nothing.

    uvicorn "smmkpi.web.app:app_for_workspace" …   # or: smmkpi serve
"""

from __future__ import annotations

import re
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from smmkpi import __version__
from smmkpi.errors import UserError
from smmkpi.formatting import format_day, format_month, format_value
from smmkpi.i18n import LANGUAGES, Language, _, parse_language, use_language
from smmkpi.ingest.context import ImportContext
from smmkpi.ingest.registry import IMPORTERS_BY_NAME
from smmkpi.ingest.service import import_paths, plan
from smmkpi.ingest.sheets import preview_rows
from smmkpi.ingest.summary import outcome_text
from smmkpi.metrics.periods import Period, last_full_month
from smmkpi.metrics.scope import ClientInfo, load_clients
from smmkpi.planning import service
from smmkpi.planning.brief import QUESTIONS, Brief
from smmkpi.planning.plans import Plan, with_target
from smmkpi.planning.status import status_text
from smmkpi.report.build import goal_sentence
from smmkpi.report.charts import svg
from smmkpi.report.commentary import load_commentary, save_commentary
from smmkpi.report.model import Commentary
from smmkpi.report.narrative import percent
from smmkpi.report.render import MEDIA_TYPES, compose_all, report_bytes
from smmkpi.store import shares, users
from smmkpi.store.database import Store
from smmkpi.store.import_log import ImportBehind, imports_behind
from smmkpi.store.users import User, role_name
from smmkpi.web.api import MONTH, api_router, download
from smmkpi.web.auth import SignInLimiter, new_token, same, token_hash, verify_password
from smmkpi.web.cache import VersionedCache, data_version
from smmkpi.web.database import Database
from smmkpi.web.overview import STALE_DAYS, OverviewCache, select
from smmkpi.workspace import Workspace

SESSION_COOKIE = "smmkpi_session"
SIGNIN_COOKIE = "smmkpi_signin"
LANG_COOKIE = "smmkpi_lang"
MAX_FILES = 20
CHUNK = 1 << 20
SHARE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}


@dataclass
class Signed:
    """The signed-in user of a request and the session's CSRF token."""

    user: User
    csrf: str
    token_hash: str


@cache
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("smmkpi.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
    )


def create_app(
    workspace: Workspace,
    *,
    today: Callable[[], date] = date.today,
    secure_cookies: bool = False,
    limiter: SignInLimiter | None = None,
    warm_overview: bool = False,
    share_limiter: SignInLimiter | None = None,
) -> FastAPI:
    """The web app over ``workspace`` (``today``: the day "this month" is taken from)."""
    db = Database(workspace)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if warm_overview:
            warm()
        yield
        db.close()

    def warm() -> None:
        """Compute the overview in the background, so that its first visitor after a start
        or an upload does not wait for it."""

        def run() -> None:
            with db.store() as store:
                cache.rows(store, today(), workspace.social_rules())

        threading.Thread(target=run, name="smmkpi-overview", daemon=True).start()

    app = FastAPI(
        title="smmkpi",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.db = db  # the workspace database, for the app's own tools and tests
    limits = limiter or SignInLimiter()
    share_guesses = share_limiter or SignInLimiter(attempts=30, window=60.0)
    cache = OverviewCache()
    insights_cache = VersionedCache()
    app.include_router(
        api_router(
            workspace,
            db,
            today,
            lambda client_id, month, lang, kind: _render(
                workspace, db, client_id, month, parse_language(lang), kind, today()
            ),
            lambda client_id, files, file_format: receive(client_id, files, file_format),
        )
    )
    app.mount("/static", StaticFiles(packages=[("smmkpi.web", "static")]), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        defaults = {
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "same-origin",
            "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
            "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
        }
        for name, value in defaults.items():
            response.headers.setdefault(name, value)
        return response

    # -- helpers ---------------------------------------------------------------------------

    def language(request: Request) -> Language:
        for value in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
            if value in LANGUAGES:
                return parse_language(value)
        return workspace.settings.display.lang

    def signed(request: Request) -> Signed | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        hashed = token_hash(token)
        with db.store() as store:
            found = users.session_user(store.con, hashed, datetime.now(UTC))
        return None if found is None else Signed(found[0], found[1], hashed)

    def page(
        request: Request,
        template: str,
        status_code: int = 200,
        who: Signed | None = None,
        headers: dict[str, str] | None = None,
        lang: Language | None = None,
        **context: Any,
    ) -> HTMLResponse:
        lang = lang or language(request)
        with use_language(lang):
            html = (
                _templates()
                .get_template(template)
                .render(
                    lang=lang,
                    agency=workspace.settings.workspace.name,
                    user=who.user if who else None,
                    csrf=who.csrf if who else "",
                    messages=context.pop("messages", []),
                    _=_,
                    role_name=role_name,
                    goal_name=goal_title_or_dash,
                    status=status_text,
                    day=lambda d: format_day(d, lang),
                    fmt=lambda v, unit: format_value(v, str(unit), lang),
                    pct=lambda v: "—" if v is None else percent(v, lang),
                    **context,
                )
            )
        response = HTMLResponse(html, status_code=status_code, headers=headers)
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie(LANG_COOKIE, language(request), samesite="lax", max_age=31536000)
        return response

    def not_found(request: Request, who: Signed | None = None) -> HTMLResponse:
        with use_language(language(request)):
            title, text = _("Not found"), _("There is no such page, or it is not yours to see.")
        return page(request, "gone.html.j2", 404, who, title=title, text=text)

    def to_signin() -> RedirectResponse:
        return RedirectResponse("/signin", status_code=303)

    def checked(who: Signed | None, csrf: str) -> bool:
        return who is not None and same(who.csrf, csrf)

    # -- sign-in ---------------------------------------------------------------------------

    @app.get("/signin", response_class=HTMLResponse, include_in_schema=False)
    def signin_form(request: Request) -> HTMLResponse:
        token = new_token()
        response = page(request, "signin.html.j2", signin_csrf=token, error=None, username=None)
        response.set_cookie(
            SIGNIN_COOKIE, token, httponly=True, samesite="strict", secure=secure_cookies
        )
        return response

    @app.post("/signin", response_model=None, include_in_schema=False)
    def signin(
        request: Request,
        username: str = Form(""),
        password: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:
        address = request.client.host if request.client else "?"
        lang = language(request)
        with use_language(lang):
            if not same(request.cookies.get(SIGNIN_COOKIE), csrf):
                error, code = _("The form has expired; sign in again."), 400
            elif limits.blocked(address, username):
                error, code = _("Too many failed attempts; wait a few minutes."), 429
            else:
                with db.store() as store:
                    stored = users.password_hash_of(store.con, username)
                ok = verify_password(stored, password)
                if ok:
                    token = new_token()
                    now = datetime.now(UTC)
                    with db.store() as store, store.transaction():
                        users.purge_sessions(store.con, now)
                        users.start_session(
                            store.con,
                            token_hash(token),
                            username,
                            new_token(),
                            now,
                            now + timedelta(hours=workspace.settings.web.session_hours),
                        )
                    response = RedirectResponse("/", status_code=303)
                    response.set_cookie(
                        SESSION_COOKIE,
                        token,
                        httponly=True,
                        samesite="lax",
                        secure=secure_cookies,
                        max_age=workspace.settings.web.session_hours * 3600,
                    )
                    response.delete_cookie(SIGNIN_COOKIE)
                    return response
                limits.failed(address, username)
                error, code = _("Wrong user name or password."), 401
        fresh = new_token()
        refused = page(
            request, "signin.html.j2", code, signin_csrf=fresh, error=error, username=username
        )
        refused.set_cookie(
            SIGNIN_COOKIE, fresh, httponly=True, samesite="strict", secure=secure_cookies
        )
        return refused

    @app.post("/signout", include_in_schema=False)
    def signout(request: Request, csrf: str = Form("")) -> RedirectResponse:
        who = signed(request)
        if checked(who, csrf):
            assert who is not None
            with db.store() as store, store.transaction():
                users.end_session(store.con, who.token_hash)
        response = to_signin()
        response.delete_cookie(SESSION_COOKIE)
        return response

    # -- the agency ------------------------------------------------------------------------

    @app.get("/", response_model=None, include_in_schema=False)
    def overview(
        request: Request, q: str = "", goal: str = "", status: str = "", sort: str = "name"
    ) -> Response:
        who = signed(request)
        if who is None:
            return to_signin()
        with db.store() as store:
            rows = cache.rows(store, today(), workspace.social_rules())
        visible = [r for r in rows if who.user.may_see(r.client_id)]
        return page(
            request,
            "overview.html.j2",
            who=who,
            rows=select(visible, q, goal, status, sort),
            total=len(visible),
            filters={"q": q, "goal": goal, "status": status, "sort": sort},
            month_name=format_month(today(), language(request)),
            alert_text=alert_text,
        )

    # -- a client --------------------------------------------------------------------------

    def client_page(
        request: Request,
        who: Signed,
        client_id: str,
        new_link: str | None = None,
        imports: list[Uploaded] | None = None,
        status_code: int = 200,
        messages: list[dict[str, str]] | None = None,
        preview: dict[str, Any] | None = None,
    ) -> Response:
        lang = language(request)
        now = today()
        month = Period.of_month(now)
        report_month = last_full_month(now)
        with use_language(lang), db.store() as store:
            client = service.client_info(store, client_id)
            goals = (
                service.goals_of(store, client)
                if client.goal or service.brief_of(store, client_id)
                else []
            )
            brief = service.brief_of(store, client_id)
            plan: Plan | None
            try:
                plan = service.plan_for(store, client_id, month)
                statuses = service.status(store, plan, month, now, workspace.social_rules())
            except UserError:
                plan, statuses = None, []
            commentary = load_commentary(store, client_id, report_month)
            answers = brief_rows(brief)
            recent = recent_imports(store, client, now)
            charts, history = insights_cache.get(
                ("insights", client_id, lang, now),
                data_version(store),
                lambda: insights(store, client_id, report_month, plan, lang, now),
            )
            links = [
                (link, len(shares.views_of(store.con, link.link_id)))
                for link in shares.links_of(store.con, client_id)
            ]
            sentence = goal_sentence(goals) if goals else ""
        return page(
            request,
            "client.html.j2",
            status_code,
            who=who,
            client=client,
            goal_sentence=sentence,
            real_goal=brief.real_goal if brief else "",
            month_name=format_month(month.start, lang),
            statuses=statuses,
            plan=plan,
            charts=charts,
            history=history,
            brief=answers,
            recent=recent,
            levels=lambda kpi_id: plan.target(kpi_id, month) if plan else None,
            report_month=report_month.label(),
            report_month_name=format_month(report_month.start, lang),
            commentary=commentary,
            links=links,
            new_link=new_link,
            imports=imports or [],
            messages=messages or [],
            preview=preview,
            upload_limit=workspace.settings.web.upload_limit_mb,
            formats=list(IMPORTERS_BY_NAME),
            link_state=lambda link: link_state_text(link.state(datetime.now(UTC))),
            link_state_key=lambda link: link.state(datetime.now(UTC)),
        )

    def brief_rows(brief: Brief | None) -> list[tuple[str, str]]:
        """The brief's answers as (question, answer) in the current language."""
        if brief is None:
            return []
        rows = []
        for question in QUESTIONS:
            value = getattr(brief, question.field, None)
            if value in (None, "", []):
                continue
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            rows.append((question.ask(), str(value)))
        return rows

    def recent_imports(store: Store, client: ClientInfo, now: date) -> list[ImportBehind]:
        """The imports the client's last two months rest on, newest first."""
        first = Period.of_month(now).previous_month()
        start, _end = first.utc_bounds(client.timezone)
        end = Period.of_month(now).utc_bounds(client.timezone)[1]
        found = imports_behind(store.con, client.client_id, first.start, now, start, end)
        latest: dict[int, ImportBehind] = {}
        for item in found:
            latest.setdefault(item.import_id, item)
        return sorted(latest.values(), key=lambda i: i.import_id, reverse=True)[:10]

    def insights(
        store: Store,
        client_id: str,
        month: Period,
        plan: Plan | None,
        lang: Language,
        now: date,
    ) -> tuple[list[tuple[str, Markup]], list[tuple[str, str]]]:
        """The goal's charts of the last full month's report (drawn as the report draws them)
        and a sentence of history analysis per KPI of the plan over the last 12 months."""
        (report,) = compose_all(workspace, store, client_id, month, [lang], now)
        charts = [
            (chart.title, Markup(svg(chart, lang)))  # drawn by vl-convert, text escaped
            for section in report.sections
            for chart in section.charts
        ]
        with use_language(lang):
            kpi_ids = [k.kpi for k in plan.kpis] if plan else None
            found = service.history(store, client_id, kpi_ids, 12, month, workspace.social_rules())
            history = [(h.kpi.label(), h.summary) for h in found.kpis]
        return charts, history

    def visible_client(request: Request, client_id: str) -> tuple[Signed | None, Response | None]:
        """The signed-in user if they may see ``client_id``; else the response to give."""
        who = signed(request)
        if who is None:
            return None, to_signin()
        if not who.user.may_see(client_id):
            return who, not_found(request, who)
        with db.store() as store:
            if not load_clients(store.ibis, [client_id]):
                return who, not_found(request, who)
        return who, None

    def editor(
        request: Request, client_id: str, csrf: str
    ) -> tuple[Signed | None, Response | None]:
        """The signed-in user if they may change ``client_id``'s things with this form."""
        who, refusal = visible_client(request, client_id)
        if refusal is not None:
            return who, refusal
        if not checked(who, csrf) or who is None or not who.user.can_edit:
            return who, forbidden(request, who)
        return who, None

    @app.get("/clients/{client_id}", response_model=None, include_in_schema=False)
    def client_view(request: Request, client_id: str) -> Response:
        who, refusal = visible_client(request, client_id)
        if refusal is not None:
            return refusal
        assert who is not None
        return client_page(request, who, client_id)

    @app.get(
        "/clients/{client_id}/report/{month}.{kind}", response_model=None, include_in_schema=False
    )
    def report_file(request: Request, client_id: str, month: str, kind: str) -> Response:
        who, refusal = visible_client(request, client_id)
        if refusal is not None:
            return refusal
        if not MONTH.fullmatch(month) or kind not in MEDIA_TYPES:
            return not_found(request, who)
        lang = language(request)
        data = _render(workspace, db, client_id, Period.month(month), lang, kind, today())
        return download(data, f"{client_id}-{month}-{lang}.{kind}", kind)

    @app.post("/clients/{client_id}/commentary", response_model=None, include_in_schema=False)
    def commentary(
        request: Request,
        client_id: str,
        month: str = Form(""),
        conclusions: str = Form(""),
        next_month: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:
        who, refusal = editor(request, client_id, csrf)
        if refusal is not None:
            return refusal
        assert who is not None
        if not MONTH.fullmatch(month):
            return forbidden(request, who)
        with db.store() as store:
            save_commentary(
                store,
                client_id,
                Period.month(month),
                Commentary(conclusions, next_month),
                who.user.username,
            )
        return RedirectResponse(f"/clients/{client_id}", status_code=303)

    def forbidden(request: Request, who: Signed | None) -> HTMLResponse:
        with use_language(language(request)):
            title, text = _("Not allowed"), _("You may not change this.")
        return page(request, "gone.html.j2", 403, who, title=title, text=text)

    # -- targets ---------------------------------------------------------------------------

    @app.post("/clients/{client_id}/targets", response_model=None, include_in_schema=False)
    async def targets(request: Request, client_id: str) -> Response:
        form = await request.form()
        csrf = str(form.get("csrf", ""))
        who, refusal = await run_in_threadpool(editor, request, client_id, csrf)
        if refusal is not None:
            return refusal
        assert who is not None
        wanted = {
            key.removeprefix("target:"): str(value)
            for key, value in form.items()
            if key.startswith("target:")
        }
        why = str(form.get("why", "")).strip()
        messages = await run_in_threadpool(
            set_targets, client_id, who, wanted, why, language(request)
        )
        failed = any(m["kind"] == "error" for m in messages)
        return await run_in_threadpool(
            client_page, request, who, client_id, status_code=422 if failed else 200,
            messages=messages,
        )  # fmt: skip

    def set_targets(
        client_id: str, who: Signed, wanted: dict[str, str], why: str, lang: Language
    ) -> list[dict[str, str]]:
        """Save the targets typed for this month as a new revision of the month's plan."""
        month = Period.of_month(today())
        with use_language(lang), db.store() as store:
            plan = service.plan_for(store, client_id, month)
            changed = plan
            typed: dict[str, float] = {}
            for kpi_id, text in wanted.items():
                if plan.item(kpi_id) is None or not text.strip():
                    continue
                number = parse_number(text, lang)
                if number is None:
                    return [
                        {
                            "kind": "error",
                            "text": _("'{value}' is not a number; write it as 1 234,5.").format(
                                value=text
                            ),
                        }
                    ]
                current = plan.target(kpi_id, month)
                if current is None or current.target != number:
                    changed = with_target(changed, kpi_id, [month], number)
                    typed[kpi_id] = number
            if not typed:
                return [{"kind": "ok", "text": _("Nothing to change.")}]
            saved = service.save(
                store, changed, who.user.username, why or _("targets changed in the web app")
            )
            messages = [
                {
                    "kind": "ok",
                    "text": _("Saved revision {revision} of plan {plan}.").format(
                        revision=saved.revision, plan=plan.plan_id
                    ),
                }
            ]
            for kpi_id, number in typed.items():
                for warning in service.beyond_history(
                    store, client_id, kpi_id, number, plan.periods()[0], workspace.social_rules()
                ):
                    messages.append({"kind": "warning", "text": warning})
        return messages

    # -- upload ----------------------------------------------------------------------------

    def uploads_of(client_id: str) -> Path:
        return workspace.path / "uploads" / safe_name(client_id)

    def batch_folder(client_id: str, batch: str) -> Path | None:
        """The folder of one of ``client_id``'s upload batches; None for anything else."""
        if not re.fullmatch(r"[A-Za-z0-9_-]{16}", batch):
            return None
        found = [p for p in uploads_of(client_id).glob(f"*/{batch}") if p.is_dir()]
        return found[0] if len(found) == 1 else None

    async def store_files(
        client_id: str, files: list[UploadFile]
    ) -> tuple[str, list[tuple[str, Path | None, str | None]]]:
        """Keep uploaded files under a generated folder of the client: the batch and, per
        file, its name, where it is (None when refused) and why it was refused."""
        limit = workspace.settings.web.upload_limit_mb * 1024 * 1024
        batch = new_token()[:16]
        folder = uploads_of(client_id) / datetime.now(UTC).strftime("%Y%m%d") / batch
        saved: list[tuple[str, Path | None, str | None]] = []
        for item in [f for f in files if f.filename][:MAX_FILES]:
            name = safe_name(item.filename or "file")
            path = folder / name
            error = await store_upload(item, path, limit)
            saved.append((item.filename or name, None if error else path, error))
        return batch, saved

    def preview_files(
        saved: list[tuple[str, Path | None, str | None]], file_format: str
    ) -> list[dict[str, Any]]:
        """What each kept file was recognised as, and its first rows."""
        chosen = file_format if file_format in IMPORTERS_BY_NAME else None
        found = []
        for original, path, error in saved:
            entry: dict[str, Any] = {"name": original, "importer": None, "error": error, "rows": []}
            if path is not None:
                for report in plan([path], chosen, None):
                    entry["importer"] = report.importer.name if report.importer else None
                    if report.error is not None:
                        entry["error"] = str(report.error).replace(path.name, original)
                try:
                    entry["rows"] = preview_rows(path)
                except (UserError, OSError, ValueError) as problem:
                    entry["error"] = entry["error"] or str(problem)
            found.append(entry)
        return found

    async def receive(client_id: str, files: list[UploadFile], file_format: str) -> list[Uploaded]:
        """Store uploaded files under a generated folder and import each (the web page's
        and the API's upload)."""
        _batch, saved = await store_files(client_id, files)
        return await imported(client_id, saved, file_format)

    async def imported(
        client_id: str, saved: list[tuple[str, Path | None, str | None]], file_format: str
    ) -> list[Uploaded]:
        """Import kept files (the format named, else recognised by content), then refresh the
        overview in the background when something changed."""
        chosen = file_format if file_format in IMPORTERS_BY_NAME else None
        results = await run_in_threadpool(import_uploads, client_id, saved, chosen)
        if warm_overview and any(r.ok for r in results):
            warm()
        return results

    @app.post("/clients/{client_id}/imports", response_model=None, include_in_schema=False)
    async def upload(
        request: Request,
        client_id: str,
        files: Annotated[list[UploadFile] | None, File()] = None,
        file_format: str = Form("", alias="format"),
        action: str = Form("import"),
        csrf: str = Form(""),
    ) -> Response:
        who, refusal = await run_in_threadpool(editor, request, client_id, csrf)
        if refusal is not None:
            return refusal
        assert who is not None
        if action == "preview":
            batch, saved = await store_files(client_id, files or [])
            previews = await run_in_threadpool(preview_files, saved, file_format)
            found = {"batch": batch, "format": file_format, "files": previews}
            return await run_in_threadpool(client_page, request, who, client_id, preview=found)
        _batch, saved = await store_files(client_id, files or [])
        return await imported_page(request, who, client_id, saved, file_format)

    async def imported_page(
        request: Request,
        who: Signed,
        client_id: str,
        saved: list[tuple[str, Path | None, str | None]],
        file_format: str,
    ) -> Response:
        """Import kept files and show the client's page with what came of each."""
        results = await imported(client_id, saved, file_format)
        failed = any(not r.ok for r in results)
        return await run_in_threadpool(
            client_page, request, who, client_id, imports=results,
            status_code=422 if failed else 200,
        )  # fmt: skip

    @app.post("/clients/{client_id}/imports/confirm", response_model=None, include_in_schema=False)
    async def upload_confirm(
        request: Request,
        client_id: str,
        batch: str = Form(""),
        file_format: str = Form("", alias="format"),
        csrf: str = Form(""),
    ) -> Response:
        """Import the files of a checked batch (kept since the preview)."""
        who, refusal = await run_in_threadpool(editor, request, client_id, csrf)
        if refusal is not None:
            return refusal
        assert who is not None
        folder = batch_folder(client_id, batch)
        if folder is None:
            return not_found(request, who)
        saved: list[tuple[str, Path | None, str | None]] = [
            (path.name, path, None) for path in sorted(folder.iterdir()) if path.is_file()
        ]
        return await imported_page(request, who, client_id, saved, file_format)

    def import_uploads(
        client_id: str,
        saved: list[tuple[str, Path | None, str | None]],
        file_format: str | None,
    ) -> list[Uploaded]:
        results = []
        context = ImportContext(client_id=client_id, profiles_folder=workspace.path / "profiles")
        with db.store() as store:
            for original, path, error in saved:
                if path is None:
                    results.append(Uploaded(original, None, False, error or ""))
                    continue
                for report in import_paths(
                    store,
                    [path],
                    context,
                    file_format=file_format,
                    max_errors=workspace.settings.import_.max_errors,
                    memory_limit=workspace.settings.import_.memory_limit,
                ):
                    importer = report.importer.name if report.importer else None
                    if report.error is not None or report.outcome is None:
                        text = str(report.error).replace(str(path), original)
                        text = text.replace(path.name, original)
                        results.append(Uploaded(original, importer, False, text))
                    else:
                        results.append(
                            Uploaded(
                                original,
                                report.outcome.record.format or importer,
                                True,
                                outcome_text(report.outcome),
                                tuple(report.outcome.record.warnings),
                            )
                        )
        return results

    # -- share links -----------------------------------------------------------------------

    @app.post("/clients/{client_id}/shares", response_model=None, include_in_schema=False)
    def share_create(
        request: Request,
        client_id: str,
        month: str = Form(""),
        kind: str = Form("report"),
        language_: str = Form("ru", alias="language"),
        days: int = Form(30),
        csrf: str = Form(""),
    ) -> Response:
        who, refusal = editor(request, client_id, csrf)
        if refusal is not None:
            return refusal
        assert who is not None
        if (
            not MONTH.fullmatch(month)
            or kind not in ("report", "dashboard")
            or language_ not in LANGUAGES
            or not 1 <= days <= 365
        ):
            return forbidden(request, who)
        token = new_token()
        now = datetime.now(UTC)
        link = shares.ShareLink(
            link_id=new_token()[:12],
            client_id=client_id,
            kind=kind,
            month=month if kind == "report" else None,
            language=language_,
            created_by=who.user.username,
            created_at=now,
            expires_at=now + timedelta(days=days),
            revoked_at=None,
        )
        with db.store() as store, store.transaction():
            shares.add_link(store.con, link, token_hash(token))
        url = str(request.base_url).rstrip("/") + f"/s/{token}"
        return client_page(request, who, client_id, new_link=url)

    @app.post(
        "/clients/{client_id}/shares/{link_id}/revoke", response_model=None, include_in_schema=False
    )
    def share_revoke(
        request: Request, client_id: str, link_id: str, csrf: str = Form("")
    ) -> Response:
        who, refusal = editor(request, client_id, csrf)
        if refusal is not None:
            return refusal
        assert who is not None
        with db.store() as store, store.transaction():
            found = shares.revoke(store.con, client_id, link_id, datetime.now(UTC))
        if not found:
            return not_found(request, who)
        return RedirectResponse(f"/clients/{client_id}", status_code=303)

    @app.get("/s/{token}", response_model=None, include_in_schema=False)
    def share_view(request: Request, token: str) -> Response:
        now = datetime.now(UTC)
        address = request.client.host if request.client else None
        agent = request.headers.get("user-agent")
        who_asks = address or "?"
        if share_guesses.blocked(who_asks, who_asks):  # per address, before any lookup
            return Response("Too many unknown links; wait a minute.", status_code=429)
        with db.store() as store:
            link = shares.link_by_token(store.con, token_hash(token))
        if link is None:
            share_guesses.failed(who_asks, who_asks)
            return _gone(request, 404, None)
        state = link.state(now)
        with db.store() as store, store.transaction():
            shares.log_view(store.con, link.link_id, now, state, address, agent)
        if state in ("revoked", "expired"):  # said in the language the link was made for
            return _gone(request, 404 if state == "revoked" else 410, parse_language(link.language))
        if link.kind == "dashboard":
            return dashboard(request, link.client_id, parse_language(link.language))
        assert link.month is not None
        html = _render(
            workspace,
            db,
            link.client_id,
            Period.month(link.month),
            parse_language(link.language),
            "html",
            today(),
        )
        return Response(html, media_type=MEDIA_TYPES["html"], headers=SHARE_HEADERS)

    def dashboard(request: Request, client_id: str, lang: Language) -> HTMLResponse:
        """A client's live page for a share link: plan against fact this month, read-only,
        with the trends and history of the client page."""
        now = today()
        month = Period.of_month(now)
        with use_language(lang), db.store() as store:
            client = service.client_info(store, client_id)
            try:
                plan: Plan | None = service.plan_for(store, client_id, month)
            except UserError:
                plan = None
            statuses = (
                service.status(store, plan, month, now, workspace.social_rules()) if plan else []
            )
            charts, history = insights_cache.get(
                ("insights", client_id, lang, now),
                data_version(store),
                lambda: insights(store, client_id, last_full_month(now), plan, lang, now),
            )
        return page(
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

    def _gone(request: Request, code: int, lang: Language | None) -> HTMLResponse:
        lang = lang or language(request)
        with use_language(lang):
            title = _("This link has expired") if code == 410 else _("Not found")
            text = (
                _("Ask the agency for a new link.")
                if code == 410
                else _("There is no such link, or it was revoked.")
            )
        return page(
            request, "gone.html.j2", code, headers=SHARE_HEADERS, lang=lang, title=title, text=text
        )

    return app


def _render(
    workspace: Workspace,
    db: Database,
    client_id: str,
    month: Period,
    lang: Language,
    kind: str,
    today: date,
) -> bytes:
    """One client's report for ``month`` in one format, rendered now."""
    with db.store() as store:
        (report,) = compose_all(workspace, store, client_id, month, [lang], today)
    return report_bytes(report, [kind])[kind]


@dataclass(frozen=True)
class Uploaded:
    """What came of one uploaded file."""

    name: str  # as the user's computer called it
    importer: str | None
    ok: bool
    text: str  # what was imported, or the error with its rows and columns
    warnings: tuple[str, ...] = ()


def safe_name(filename: str) -> str:
    """A file name that is only a name: no folders, no leading dots, safe characters."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = re.sub(r"[^\w.\- ]", "_", base).strip(" .") or "upload"
    return cleaned[-120:]


async def store_upload(item: UploadFile, path: Path, limit: int) -> str | None:
    """Write an uploaded file to ``path``, at most ``limit`` bytes; the error, if any."""
    path.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with path.open("wb") as stream:
        while chunk := await item.read(CHUNK):
            size += len(chunk)
            if size > limit:
                stream.close()
                path.unlink(missing_ok=True)
                return _("The file is larger than {mb} MB (web.upload_limit_mb).").format(
                    mb=limit // (1024 * 1024)
                )
            stream.write(chunk)
    return None


def parse_number(text: str, lang: Language) -> float | None:
    """A number as people type it in ``lang``: ``1 234,5`` or ``2,500.00``, with or without
    ``%`` or a currency."""
    cleaned = re.sub(r"[^0-9,.\-]", "", text)
    if lang == "ru":
        cleaned = cleaned.replace(".", "").replace(",", ".") if "," in cleaned else cleaned
    else:
        cleaned = cleaned.replace(",", "")
    try:
        return float(cleaned)
    except ValueError:
        return None


def alert_text(code: str) -> str:
    return {
        "no_plan": _("no plan this month"),
        "stale": _("data older than {days} days").format(days=STALE_DAYS),
        "off_track": _("KPIs off track"),
    }[code]


def goal_title_or_dash(goal: str | None) -> str:
    from smmkpi.report.sections import goal_title

    return goal_title(goal) if goal in ("awareness", "community", "sales") else "—"


def link_state_text(state: str) -> str:
    return {"active": _("active"), "expired": _("expired"), "revoked": _("revoked")}[state]
