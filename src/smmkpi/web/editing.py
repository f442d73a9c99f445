"""The forms that change a client's things: this month's targets (a new plan revision), the
brief (a new brief revision) and the report's commentary. Each answers with the client's page
and what came of the change; the page's htmx swaps in only the section the form belongs to."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from smmkpi.errors import UserError
from smmkpi.formatting import NO_DATA, format_value
from smmkpi.i18n import Language, _, use_language
from smmkpi.metrics.catalogue import KPIS_BY_ID
from smmkpi.metrics.periods import Period
from smmkpi.planning import service
from smmkpi.planning.brief import QUESTIONS, parse_brief
from smmkpi.planning.plans import Plan, with_target
from smmkpi.report.commentary import save_commentary
from smmkpi.report.model import Commentary
from smmkpi.web.client_page import client_page, client_section
from smmkpi.web.site import Editor, Signed, Site, period_in

Messages = list[dict[str, str]]


def editing_router(site: Site) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    async def answer(
        request: Request,
        who: Signed,
        client_id: str,
        section: str,
        messages: Messages,
        **extra: Any,
    ) -> Response:
        """The client's page with the messages in the form's section (422 on an error); to
        htmx, which swaps in that section and the headline, only those."""
        failed = any(m["kind"] == "error" for m in messages)
        return await run_in_threadpool(
            page_or_section, site, request, who, client_id, section, 422 if failed else 200,
            notes=in_section(section, messages), **extra,
        )  # fmt: skip

    @router.post("/clients/{client_id}/targets", response_model=None)
    async def targets(request: Request, client_id: str, who: Editor) -> Response:
        form = await request.form()
        wanted = fields(form, "target:")
        shown = fields(form, "shown:")
        why = str(form.get("why", "")).strip()
        lang = site.language(request)
        messages = await run_in_threadpool(
            set_targets, site, client_id, who, wanted, why, lang, shown
        )
        return await answer(request, who, client_id, "plan", messages)

    @router.post("/clients/{client_id}/brief", response_model=None)
    async def brief(request: Request, client_id: str, who: Editor) -> Response:
        form = await request.form()
        lang = site.language(request)
        draft = brief_draft({key: [str(v) for v in form.getlist(key)] for key in form}, lang)
        note = str(form.get("note", "")).strip() or None
        messages = await run_in_threadpool(save_brief, site, client_id, who, draft, note, lang)
        failed = any(m["kind"] == "error" for m in messages)
        return await answer(
            request, who, client_id, "brief", messages, brief_draft=draft if failed else None
        )

    @router.post("/clients/{client_id}/commentary", response_model=None)
    def commentary(
        request: Request,
        client_id: str,
        who: Editor,
        month: str = Form(""),
        conclusions: str = Form(""),
        next_month: str = Form(""),
    ) -> Response:
        period = period_in(month)
        if period is None:
            return site.forbidden(request, who)
        with site.db.store() as store:
            revision, changed = save_commentary(
                store,
                client_id,
                period,
                Commentary(conclusions, next_month),
                who.user.username,
            )
        with use_language(site.language(request)):
            text = (
                _("Saved revision {revision} of the commentary.").format(revision=revision)
                if changed
                else _("The commentary is unchanged.")
            )
        notes = in_section("report", [{"kind": "ok", "text": text}])
        return page_or_section(
            site, request, who, client_id, "report", report_period=period, notes=notes
        )

    return router


def page_or_section(
    site: Site,
    request: Request,
    who: Signed,
    client_id: str,
    section: str,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    """What a form's answer is: to htmx (``HX-Request``) the section it swaps in, computed
    alone; to a browser without JavaScript the whole page."""
    if request.headers.get("HX-Request") == "true":
        return client_section(site, request, who, client_id, section, status_code, **extra)
    return client_page(site, request, who, client_id, status_code, **extra)


def set_targets(
    site: Site,
    client_id: str,
    who: Signed,
    wanted: dict[str, str],
    why: str,
    lang: Language,
    shown: dict[str, str] | None = None,
) -> Messages:
    """Save the targets typed for this month as a new revision of the month's plan.

    ``shown`` is what the page showed in each field: a field left as it was is not written,
    so a page opened before someone else saved does not undo their targets. Where both
    changed the same target, the later save wins and says whose value it replaced."""
    shown = shown or {}
    month = Period.of_month(site.today())
    typed: dict[str, float] = {}
    for kpi_id, text in wanted.items():
        seen = shown.get(kpi_id)
        if not text.strip() or (seen is not None and text.strip() == seen.strip()):
            continue  # left empty, or as the page showed it
        number = parse_number(text, lang)
        if number is None:
            return [error(_("'{value}' is not a number; write it as 1 234,5.").format(value=text))]
        typed[kpi_id] = number
    applied: dict[str, float] = {}
    overtaken: list[str] = []

    def change(plan: Plan) -> Plan | None:
        changed = plan
        for kpi_id, number in typed.items():
            if plan.item(kpi_id) is None:
                continue
            current = plan.target(kpi_id, month)
            now = current.target if current is not None else None
            if now == number:
                continue
            unit = KPIS_BY_ID[kpi_id].unit
            seen = shown.get(kpi_id)
            if seen is not None and seen.strip() != (
                format_value(now, unit, lang) if now is not None else ""
            ):
                overtaken.append(
                    _(
                        "{kpi}: someone else set {now} after you opened the page (you saw {seen}); "
                        "your {typed} replaced it."
                    ).format(
                        kpi=KPIS_BY_ID[kpi_id].label(),
                        now=format_value(now, unit, lang),
                        seen=seen.strip() or NO_DATA,
                        typed=format_value(number, unit, lang),
                    )
                )
            changed = with_target(changed, kpi_id, [month], number)
            applied[kpi_id] = number
        return changed if applied else None

    with use_language(lang), site.db.store() as store:
        plan, saved = service.update(
            store,
            client_id,
            month,
            change,
            who.user.username,
            why or _("targets changed in the web app"),
        )
        if saved is None:
            return [{"kind": "ok", "text": _("Nothing to change.")}]
        messages = [
            {
                "kind": "ok",
                "text": _("Saved revision {revision} of plan {plan}.").format(
                    revision=saved.revision, plan=plan.plan_id
                ),
            }
        ]
        messages += [{"kind": "warning", "text": text} for text in overtaken]
        rules = site.workspace.social_rules()
        for kpi_id, number in applied.items():
            for warning in service.beyond_history(
                store, client_id, kpi_id, number, plan.periods()[0], rules
            ):
                messages.append({"kind": "warning", "text": warning})
    return messages


def fields(form: FormData, prefix: str) -> dict[str, str]:
    """The form's fields named ``prefix`` + a KPI, by KPI."""
    return {
        key.removeprefix(prefix): str(value)
        for key, value in form.items()
        if key.startswith(prefix)
    }


def brief_draft(form: dict[str, list[str]], lang: Language) -> dict[str, Any]:
    """The brief's answers as the form sent them: lists from ticked boxes, numbers as people
    type them in ``lang`` (a number that is not one is kept as typed, for the check to name)."""
    draft: dict[str, Any] = {}
    for question in QUESTIONS:
        values = [v.strip() for v in form.get(question.field, []) if v.strip()]
        if question.kind in ("goals", "accounts"):
            draft[question.field] = values
        elif question.kind in ("money", "days"):
            text = values[0] if values else ""
            number = number_text(text, lang) if text else None
            if number is None:
                draft[question.field] = text or None  # for the check to name
            elif question.kind == "days":
                draft[question.field] = int(float(number)) if float(number).is_integer() else number
            else:
                draft[question.field] = Decimal(number)
        else:
            draft[question.field] = values[0] if values else ""
    return draft


def save_brief(
    site: Site,
    client_id: str,
    who: Signed,
    draft: dict[str, Any],
    note: str | None,
    lang: Language,
) -> Messages:
    """Check the answers and keep them as the brief's next revision."""
    with use_language(lang), site.db.store() as store:
        try:
            answers = parse_brief(draft, _("The brief"))
            client = service.client_info(store, client_id)
            saved, changed = service.save_brief(store, client, answers, who.user.username, note)
        except UserError as problem:
            return [error(str(problem))]
        if not changed:
            return [{"kind": "ok", "text": _("The brief is unchanged.")}]
        return [
            {
                "kind": "ok",
                "text": _("Saved revision {revision} of the brief.").format(
                    revision=saved.revision
                ),
            }
        ]


def in_section(section: str, messages: Messages) -> Messages:
    """Messages to show in one section of the client's page (the one htmx swaps in)."""
    return [{**m, "section": section} for m in messages]


def error(text: str) -> dict[str, str]:
    return {"kind": "error", "text": text}


def number_text(text: str, lang: Language) -> str | None:
    """A number as people type it in ``lang`` (``1 234,5`` or ``2,500.00``, with or without
    ``%`` or a currency) written plainly (``1234.5``); None when it is not a number."""
    cleaned = re.sub(r"[^0-9,.\-]", "", text)
    if lang == "ru":
        cleaned = cleaned.replace(".", "").replace(",", ".") if "," in cleaned else cleaned
    else:
        cleaned = cleaned.replace(",", "")
    try:
        Decimal(cleaned)
    except InvalidOperation:
        return None
    return cleaned


def parse_number(text: str, lang: Language) -> float | None:
    """A number as people type it in ``lang``, as a float (see :func:`number_text`)."""
    found = number_text(text, lang)
    return None if found is None else float(found)
