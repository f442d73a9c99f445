"""The agency overview and a client's page: the brief, plan against fact with pacing and the
targets beside the recommender's range, the goal's charts and the history of the last 12 months,
recent imports, the report's downloads and commentary, share links."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from smmkpi.errors import InvalidArgumentError
from smmkpi.formatting import format_month, format_number, format_value
from smmkpi.i18n import Language, _, current_language, ngettext, use_language
from smmkpi.ingest.registry import IMPORTERS_BY_NAME
from smmkpi.metrics.goals import goal_title
from smmkpi.metrics.kept import kpi_values
from smmkpi.metrics.periods import Period, last_full_month
from smmkpi.metrics.scope import ClientInfo
from smmkpi.planning import service
from smmkpi.planning.brief import QUESTIONS, Brief
from smmkpi.planning.plans import Plan
from smmkpi.planning.series import months_back
from smmkpi.planning.status import KpiStatus
from smmkpi.report.build import goal_sentence
from smmkpi.report.charts import svg
from smmkpi.report.commentary import load_commentary
from smmkpi.report.model import EDITIONS
from smmkpi.report.render import MEDIA_TYPES, compose_all, report_bytes
from smmkpi.report.wording import period_name
from smmkpi.store import revisions, shares, versions
from smmkpi.store.coverage import client_has_data
from smmkpi.store.database import Store
from smmkpi.store.import_log import ImportBehind, imports_behind
from smmkpi.web import connections, deliveries
from smmkpi.web.competitors_section import competitors_part
from smmkpi.web.content_section import content_part
from smmkpi.web.overview import STALE_DAYS, select
from smmkpi.web.site import Signed, Site, Viewer, download, period_in, to_signin

Charts = list[tuple[str, Markup]]
History = list[tuple[str, str]]


@dataclass(frozen=True)
class Answer:
    """One question of the brief as the page shows and edits it."""

    field: str
    question: str
    guidance: str
    kind: str
    value: str  # the answer as typed ("" when none); lists space-separated
    chosen: tuple[str, ...] = ()  # goals or accounts ticked


def client_page(
    site: Site,
    request: Request,
    who: Signed,
    client_id: str,
    status_code: int = 200,
    report_period: Period | None = None,
    **extra: Any,
) -> Response:
    """The client's page (``report_period``: the report section's, by default the last full
    month; ``extra``: what a form just did — messages, imports, a preview, a new share link,
    a brief draft to show again)."""
    lang = site.language(request)
    draft: dict[str, Any] | None = extra.pop("brief_draft", None)
    with use_language(lang), site.db.store() as store:
        client = service.client_info(store, client_id)
        now = site.today_for(client.timezone)
        head = headline_part(store, client)
        goals = head["goals"]
        plan_part = plan_section(site, store, client, now, lang)
        plan = plan_part["plan"]
        recent = recent_imports(store, client, now)
        charts, history = insights(site, store, client_id, plan, lang, now) if goals else ([], [])
        context: dict[str, Any] = {
            **head,
            **plan_part,
            **brief_section(head["brief_found"], client, draft, lang),
            **report_section(store, client_id, report_period, now, lang),
            **content_part(site, store, client, last_full_month(now), lang),
            **competitors_part(store, client, last_full_month(now), lang),
            "steps": next_steps(
                client,
                goals,
                bool(revisions.plan_ids(store.con, client_id)),
                client_has_data(store.con, client_id),
            ),
            "charts": charts,
            "history": history,
            "recent": recent,
            "links": [
                (link, len(shares.views_of(store.con, link.link_id)))
                for link in shares.links_of(store.con, client_id)
            ],
            **(
                connections.section(store, client_id, lang)
                if who.user.can_edit
                else {"connections": [], "paste_choices": [], "signin_accounts": []}
            ),
            **(
                deliveries.section(store, client_id, client.timezone, lang, site.now())
                if who.user.can_edit
                else {"schedules": [], "held": [], "delivery_log": []}
            ),
        }
    context.update(
        new_link=None,
        imports=[],
        messages=[],
        notes=[],  # messages shown in a section: {"section", "kind", "text"}
        preview=None,
        upload_limit=site.workspace.settings.web.upload_limit_mb,
        formats=list(IMPORTERS_BY_NAME),
        link_state=lambda link: link_state_text(link.state(datetime.now(UTC))),
        link_state_key=lambda link: link.state(datetime.now(UTC)),
    )
    context.update(extra)
    return site.page(request, "client.html.j2", status_code, who=who, **context)


SECTIONS = ("plan", "brief", "report", "content_section", "competitors_section")
"""The sections of the client's page a form swaps in (with the headline) after a save."""


def client_section(
    site: Site,
    request: Request,
    who: Signed,
    client_id: str,
    section: str,
    status_code: int = 200,
    report_period: Period | None = None,
    **extra: Any,
) -> Response:
    """One section of the client's page and its headline, computed and rendered alone: what an
    htmx form swaps in after a save, instead of the whole page (its charts, history,
    connections and deliveries) computed again to be thrown away."""
    lang = site.language(request)
    draft: dict[str, Any] | None = extra.pop("brief_draft", None)
    with use_language(lang), site.db.store() as store:
        client = service.client_info(store, client_id)
        now = site.today_for(client.timezone)
        context = headline_part(store, client)
        if section == "plan":
            context.update(plan_section(site, store, client, now, lang))
        elif section == "brief":
            context.update(brief_section(context["brief_found"], client, draft, lang))
        elif section == "report":
            context.update(report_section(store, client_id, report_period, now, lang))
        elif section == "content_section":
            context.update(content_part(site, store, client, last_full_month(now), lang))
        elif section == "competitors_section":
            context.update(competitors_part(store, client, last_full_month(now), lang))
        else:
            raise ValueError(f"no section {section!r} of the client's page")
    context["notes"] = []
    context.update(extra)
    return site.page(
        request, "client.html.j2", status_code, who=who, blocks=("headline", section), **context
    )


def headline_part(store: Store, client: ClientInfo) -> dict[str, Any]:
    """The client, its goals and the sentence under its name (and the brief they come from)."""
    brief = service.brief_of(store, client.client_id)
    goals = service.goals_of(store, client) if client.goal or brief else []
    return {
        "client": client,
        "brief_found": brief,
        "goals": goals,
        "goal_sentence": goal_sentence(goals) if goals else "",
        "real_goal": brief.real_goal if brief else "",
    }


def plan_section(
    site: Site, store: Store, client: ClientInfo, now: date, lang: Language
) -> dict[str, Any]:
    """This month's plan against fact."""
    month = Period.of_month(now)
    plan = service.find_plan(store, client.client_id, month)
    return {
        "plan": plan,
        "statuses": plan_status(site, store, plan, now),
        "month_name": format_month(month.start, lang),
        "levels": lambda kpi_id: plan.target(kpi_id, month) if plan else None,
    }


def brief_section(
    brief: Brief | None, client: ClientInfo, draft: dict[str, Any] | None, lang: Language
) -> dict[str, Any]:
    """The brief's answers, and the form to edit them (a rejected draft shown again)."""
    return {
        "brief": brief_rows(brief, client, lang),
        "answers": brief_answers(brief, client, draft),
        "brief_open": draft is not None,
    }


def report_section(
    store: Store, client_id: str, period: Period | None, now: date, lang: Language
) -> dict[str, Any]:
    """The report's period (by default the last full month), its files and commentary."""
    report_month = period or last_full_month(now)
    return {
        "report_month": report_month.key(),
        "report_month_name": period_name(report_month, lang),
        "period_choices": period_choices(now, lang),
        "commentary": load_commentary(store, client_id, report_month),
    }


def compute_ahead(site: Site, store: Store, client_ids: list[str]) -> None:
    """Compute what the clients' pages show — plan against fact, the charts, the history — in
    the workspace's language, so that each page's first visitor after a start or an import
    finds it ready. The KPI values of every month the pages need are computed first, in one
    call for all the clients (most are already kept from the overview)."""
    lang = site.workspace.settings.display.lang
    clients = [service.client_info(store, c) for c in client_ids]
    months: set[Period] = set()
    for client in clients:
        report_month = last_full_month(site.today_for(client.timezone))
        months |= {report_month.year_earlier(), *months_back(report_month, 12)}
    kpi_values(store, sorted(months), client_ids, site.workspace.social_rules())
    with use_language(lang):
        for client in clients:
            if site.stopped.is_set():
                return
            now = site.today_for(client.timezone)
            plan = service.find_plan(store, client.client_id, Period.of_month(now))
            plan_status(site, store, plan, now)
            if client.goal or service.brief_of(store, client.client_id):
                insights(site, store, client.client_id, plan, lang, now)


def next_steps(client: ClientInfo, goals: list[str], planned: bool, data: bool) -> list[str]:
    """What the client still lacks before its plan and report make sense, in order."""
    steps = []
    if not goals:
        steps.append(
            _(
                "Set the promotion's goal: fill in the brief below (its main goal), or run "
                "`smmkpi client add {client} --goal sales` (awareness, community or sales)."
            ).format(client=client.client_id)
        )
    if not client.accounts:
        steps.append(
            _(
                "Add the client's accounts: `smmkpi account add ACCOUNT_ID --client {client} "
                "--platform vk` (one per community, channel or profile)."
            ).format(client=client.client_id)
        )
    if not data:
        steps.append(
            _(
                "Import the statistics: drop the platforms' exports (6–24 months of history) "
                "into the upload below."
            )
        )
    if not planned:
        steps.append(
            _(
                "Create the KPI plan from the goal and the history: `smmkpi plan create {client}`."
            ).format(client=client.client_id)
        )
    return steps


def insights(
    site: Site,
    store: Store,
    client_id: str,
    plan: Plan | None,
    lang: Language,
    now: date,
) -> tuple[Charts, History]:
    """The goal's charts of the last full month's report (drawn as the report draws them)
    and a sentence of history analysis per KPI of the plan over the last 12 months; kept
    until the data or the plans change."""

    def compute() -> tuple[Charts, History]:
        month = last_full_month(now)
        (report,) = compose_all(site.workspace, store, client_id, month, [lang], now)
        charts = [
            (chart.title, Markup(svg(chart, lang)))  # drawn by vl-convert, text escaped
            for section in report.sections
            for chart in section.charts
        ]
        with use_language(lang):
            kpi_ids = [k.kpi for k in plan.kpis] if plan else None
            rules = site.workspace.social_rules()
            found = service.history(store, client_id, kpi_ids, 12, month, rules)
            history = [(h.kpi.label(), h.summary) for h in found.kpis]
        return charts, history

    key = ("insights", client_id, lang, now)
    return site.insights.get(key, insights_version(store, client_id, plan, now), compute)


def insights_version(store: Store, client_id: str, plan: Plan | None, now: date) -> tuple[Any, ...]:
    """What the insights are computed from: the imports, the client's brief, the plan of the
    last full month (its targets are on the charts) and this month's plan's KPIs (the
    history's) — so that changing this month's targets does not draw last month again."""
    month = last_full_month(now)
    charted = service.find_plan(store, client_id, month)
    return (
        *versions.client_version(store.con, client_id),
        repr([(k.kpi, charted.target(k.kpi, month)) for k in charted.kpis]) if charted else None,
        tuple(k.kpi for k in plan.kpis) if plan else None,
    )


def plan_status(site: Site, store: Store, plan: Plan | None, now: date) -> list[KpiStatus]:
    """Plan against fact of this month's plan as of ``now``; kept until the imports or the
    plan change."""
    if plan is None:
        return []
    version = (
        versions.last_import_id(store.con),
        json.dumps(plan.content(), sort_keys=True, default=str),
    )
    month = Period.of_month(now)
    rules = site.workspace.social_rules()
    return site.insights.get(
        ("status", plan.plan_id, now, current_language()),
        version,
        lambda: service.status(
            store, plan, month, now, rules, tolerance=site.workspace.settings.planning.tolerance
        ),
    )


def brief_rows(brief: Brief | None, client: ClientInfo, lang: Language) -> list[tuple[str, str]]:
    """The brief's answers as (question, answer) in ``lang``: goals by name, the budget in the
    client's currency."""
    if brief is None:
        return []
    rows = []
    for question in QUESTIONS:
        value = getattr(brief, question.field, None)
        if value in (None, "", []):
            continue
        if question.kind == "goal":
            shown = goal_title(str(value))
        elif question.kind == "goals":
            shown = ", ".join(goal_title(g) for g in value)
        elif question.kind == "accounts":
            shown = ", ".join(str(v) for v in value)
        elif question.kind == "money":
            shown = format_value(value, "money", lang, client.currency)
        elif question.kind == "days":
            shown = format_number(value, 0, lang)
        else:
            shown = str(value)
        rows.append((question.label(), shown))
    return rows


def brief_answers(
    brief: Brief | None, client: ClientInfo, draft: dict[str, Any] | None
) -> list[Answer]:
    """Each question of the brief with its answer to edit: the draft just refused, else the
    brief, else the client's goal and accounts."""
    if draft is not None:
        answers = draft
    elif brief is not None:
        answers = brief.answers()
    else:
        answers = {
            "main_goal": client.goal or "",
            "accounts": [a.account_id for a in client.accounts],
        }
    found = []
    for question in QUESTIONS:
        value = answers.get(question.field)
        chosen: tuple[str, ...] = ()
        if isinstance(value, list):
            chosen = tuple(str(v) for v in value)
            value = " ".join(chosen)
        found.append(
            Answer(
                question.field,
                question.label(),
                question.guidance(),
                question.kind,
                "" if value is None else str(value),
                chosen,
            )
        )
    return found


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


def chosen_period(key: str, first: str, last: str) -> tuple[Period | None, str | None]:
    """The report period a client page's picker asks for — ``from`` and ``to`` win over
    ``period`` —, and what is wrong with it (the same words as the CLI's)."""
    if not (key or first or last):
        return None, None
    try:
        if first or last:
            return Period.from_options(None, first or None, last or None), None
        return Period.from_key(key), None
    except InvalidArgumentError as error:
        return None, str(error)


def period_choices(today: date, language: Language) -> list[tuple[str, str]]:
    """The picker's periods: this month and the six before, this quarter and the three
    before, this half-year and the one before, this year and the one before."""
    month = Period.of_month(today)
    months = [month]
    while len(months) < 7:
        months.append(months[-1].previous())
    quarter = next(
        Period.parse(f"{today.year}-Q{q}") for q in (1, 2, 3, 4) if (today.month - 1) // 3 + 1 == q
    )
    quarters = [quarter]
    while len(quarters) < 4:
        quarters.append(quarters[-1].previous())
    half = Period.parse(f"{today.year}-H{1 if today.month <= 6 else 2}")
    year = Period.parse(str(today.year))
    chosen = [*months, *quarters, half, half.previous(), year, year.previous()]
    return [(p.key(), period_name(p, language)) for p in chosen]


def render_report(
    site: Site,
    client_id: str,
    period: Period,
    lang: Language,
    kind: str,
    edition: str = "internal",
) -> bytes:
    """One client's report for ``period`` in one format, rendered now (``edition``: ``client``
    for what clients open, ``internal`` for the agency's users)."""
    with site.db.store() as store:
        (report,) = compose_all(
            site.workspace, store, client_id, period, [lang], site.today(), edition
        )
    return report_bytes(report, [kind])[kind]


def chosen_edition(site: Site, asked: str, agency: bool) -> str | None:
    """The edition a download gives: the one asked for, else the setting ``report.edition`` —
    the internal edition only to the agency's users (a client's viewer gets the client
    edition by default, and nothing when it asks for the internal one)."""
    if asked and asked not in EDITIONS:
        return None
    chosen = asked or site.workspace.settings.report.edition
    if chosen == "internal" and not agency:
        return None if asked else "client"
    return chosen


def clients_router(site: Site) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/", response_model=None)
    def overview(
        request: Request, q: str = "", goal: str = "", status: str = "", sort: str = "name"
    ) -> Response:
        who = site.signed(request)
        if who is None:
            return to_signin()
        if who.user.role == "viewer" and len(who.user.clients) == 1:
            return RedirectResponse(f"/clients/{who.user.clients[0]}", status_code=303)
        with use_language(site.language(request)), site.db.store() as store:
            rows = site.overview.rows(
                store,
                site.today(),
                site.workspace.social_rules(),
                site.workspace.settings.planning.tolerance,
            )
            health = connections.health_alerts(store)
        visible = [r for r in rows if who.user.may_see(r.client_id)]
        return site.page(
            request,
            "overview.html.j2",
            who=who,
            rows=select(visible, q, goal, status, sort),
            total=len(visible),
            filters={"q": q, "goal": goal, "status": status, "sort": sort},
            month_name=format_month(site.today(), site.language(request)),
            alert_text=alert_text,
            health=health,
        )

    @router.get("/clients/{client_id}", response_model=None)
    def client_view(
        request: Request,
        client_id: str,
        who: Viewer,
        period: str = "",
        first: Annotated[str, Query(alias="from")] = "",
        last: Annotated[str, Query(alias="to")] = "",
    ) -> Response:
        """The client's page; ``period`` (a key such as ``2026-Q3``) or ``from`` and ``to``
        choose the period of its report section."""
        with use_language(site.language(request)):
            chosen, problem = chosen_period(period, first, last)
        notes = [] if problem is None else [{"section": "report", "kind": "error", "text": problem}]
        return client_page(site, request, who, client_id, report_period=chosen, notes=notes)

    @router.get("/clients/{client_id}/report/{key}.{kind}", response_model=None)
    def report_file(
        request: Request, client_id: str, key: str, kind: str, who: Viewer, edition: str = ""
    ) -> Response:
        chosen = chosen_edition(site, edition, who.user.can_edit)
        period = period_in(key)
        if period is None or kind not in MEDIA_TYPES or chosen is None:
            return site.not_found(request, who)
        lang = site.language(request)
        data = render_report(site, client_id, period, lang, kind, chosen)
        suffix = "" if chosen == "client" else "-internal"
        return download(data, f"{client_id}-{period.key()}-{lang}{suffix}.{kind}", kind)

    return router


def alert_text(code: str) -> str:
    return {
        "no_plan": _("no plan this month"),
        "stale": ngettext(
            "data older than {days} day", "data older than {days} days", STALE_DAYS
        ).format(days=STALE_DAYS),
        "off_track": _("KPIs off track"),
    }[code]


def link_state_text(state: str) -> str:
    return {"active": _("active"), "expired": _("expired"), "revoked": _("revoked")}[state]
