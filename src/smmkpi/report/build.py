"""Build a client's report for a period (a month by default; a quarter, half-year, year or any
range of days) from the store: plan against fact, the previous period and a year earlier, the
trend months, the goal pages, data quality and the methodology — everything the formats
render."""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from smmkpi.errors import UserError
from smmkpi.i18n import Language, _, use_language
from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.catalogue import KPIS_BY_ID
from smmkpi.metrics.competitors import ComparisonRow, comparison, shown_rows
from smmkpi.metrics.content import (
    PostFacts,
    Rubric,
    content_findings,
    content_posts,
    group_posts,
    stored_rubrics,
)
from smmkpi.metrics.goals import goal_title
from smmkpi.metrics.inputs import INPUTS_BY_ID
from smmkpi.metrics.periods import Period
from smmkpi.metrics.plain import PLAIN_FORMULAS
from smmkpi.metrics.scope import ClientInfo
from smmkpi.planning import kpisets, service
from smmkpi.planning.brief import Brief
from smmkpi.planning.history import classify
from smmkpi.planning.plans import Plan
from smmkpi.planning.series import DailyData, daily_data, monthly_values, months_back
from smmkpi.planning.status import DEFAULT_TOLERANCE, KpiStatus
from smmkpi.report.commentary import load_commentary
from smmkpi.report.model import (
    Branding,
    Commentary,
    DataSource,
    MethodItem,
    Post,
    Report,
    ScoreRow,
)
from smmkpi.report.narrative import narrative
from smmkpi.report.posts import ranked_posts
from smmkpi.report.quality import (
    anomaly_notes,
    fresh_notes,
    gap_notes,
    missing_notes,
    renamed_notes,
    restated_notes,
)
from smmkpi.report.sections import SectionInputs, goal_sections
from smmkpi.settings import ReportSection
from smmkpi.store.database import Store
from smmkpi.store.import_log import ImportBehind, imports_behind

ANOMALY_CONTEXT_DAYS = 14  # the days on each side an unusual day is judged against
LOGO_TYPES = {"image/svg+xml", "image/png", "image/jpeg"}
MAX_LOGO_BYTES = 2_000_000


def report_day(period: Period, today: date) -> date:
    """The day the report is as of: today within the period, else the day after it ends."""
    return today if today <= period.end else period.end + timedelta(days=1)


def branding(settings: ReportSection, agency: str, workspace: Path) -> Branding:
    """The agency's branding, the logo read from the workspace and embedded as a data URI."""
    return Branding(
        agency=agency,
        specialist=settings.specialist,
        logo=logo_data_uri(workspace, settings.logo) if settings.logo else None,
        primary=settings.primary_colour,
        accent=settings.accent_colour,
    )


def logo_data_uri(workspace: Path, name: str) -> str:
    """The logo file (inside the workspace; SVG, PNG or JPEG) as a ``data:`` URI."""
    path = (workspace / name).resolve()
    if not path.is_relative_to(workspace.resolve()):
        raise UserError(
            _("The logo {path} is outside the workspace; copy it into {folder}.").format(
                path=name, folder=workspace
            )
        )
    kind = mimetypes.guess_type(path.name)[0]
    if kind not in LOGO_TYPES:
        raise UserError(
            _("The logo {path} is not an SVG, PNG or JPEG file (report.logo).").format(path=name)
        )
    if not path.is_file():
        raise UserError(
            _("The logo {path} does not exist (report.logo in smmkpi.toml).").format(path=name)
        )
    data = path.read_bytes()
    if len(data) > MAX_LOGO_BYTES:
        raise UserError(_("The logo {path} is larger than 2 MB.").format(path=name))
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


@dataclass
class ReportData:
    """What a client's report for a period is made of, before any words: read from the store
    once and composed into a report per language."""

    client: ClientInfo
    goals: list[str]
    brief: Brief | None
    plan: Plan | None
    period: Period
    today: date
    as_of: date
    trend: list[Period]  # the months of the trend charts, ending with the period's last
    previous: Period  # the period before, of the same length
    year_ago: Period  # the same days a year earlier
    values: dict[Period, dict[str, Any]]  # period → KPI → value, for all the periods above
    statuses: dict[str, KpiStatus]
    daily: DailyData  # from ANOMALY_CONTEXT_DAYS before the period
    ranked: list[Post]
    behind: list[ImportBehind]
    commentary: Commentary
    posts: list[PostFacts] = field(default_factory=list)  # the period's, for content findings
    rubrics: list[Rubric] = field(default_factory=list)
    competitors: list[ComparisonRow] = field(default_factory=list)

    @property
    def monthly(self) -> dict[str, list[Any]]:
        """KPI → values over the trend months."""
        return {k: [self.values[m].get(k) for m in self.trend] for k in self.values[self.period]}

    @property
    def earlier(self) -> list[Period]:
        """The periods before this one with values, oldest first (the year-ago period, the
        previous one and the trend months before the period's start)."""
        found = {
            self.year_ago,
            self.previous,
            *(m for m in self.trend if m.end < self.period.start),
        }
        return sorted(found, key=lambda p: (p.start, p.end))


def trend_months(period: Period, count: int) -> list[Period]:
    """The months of the trend charts: at least ``count``, and every month the period touches,
    ending with the month of its last day (cut at that day when the period ends within it)."""
    last = Period.of_month(period.end)
    months = months_back(last, max(count, len(period.months())))
    if period.end < last.end:
        months[-1] = Period(last.start, period.end)
    return months


def gather(
    store: Store,
    client_id: str,
    period: Period,
    settings: ReportSection,
    today: date,
    rules: SocialRules | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> ReportData:
    """Read everything ``client_id``'s report for ``period`` needs (as of ``today``;
    ``tolerance``: the setting ``planning.tolerance``)."""
    client = service.client_info(store, client_id)
    goals = service.goals_of(store, client)
    as_of = report_day(period, today)
    plan = service.find_plan(store, client_id, period)
    trend = trend_months(period, settings.trend_months)
    previous, year_ago = period.previous(), period.year_earlier()
    wanted = list(dict.fromkeys([year_ago, previous, *trend, period]))
    computed = monthly_values(store, [client_id], wanted, rules)[client_id]
    values = {p: {k: v[i] for k, v in computed.items()} for i, p in enumerate(wanted)}
    statuses: dict[str, KpiStatus] = {}
    if plan is not None:
        before = [m for m in trend if m.end < period.start]
        history = {k: [values[m].get(k) for m in before] for k in computed}
        for item in service.status(store, plan, period, as_of, rules, history, tolerance):
            statuses[item.kpi.id] = item
    context = period.start - timedelta(days=ANOMALY_CONTEXT_DAYS)
    start, end = period.utc_bounds(client.timezone)
    return ReportData(
        client=client,
        goals=goals,
        brief=service.brief_of(store, client_id),
        plan=plan,
        period=period,
        today=today,
        as_of=as_of,
        trend=trend,
        previous=previous,
        year_ago=year_ago,
        values=values,
        statuses=statuses,
        daily=daily_data(store.con, client, context, min(period.end, as_of), rules),
        ranked=ranked_posts(store.con, client, period),
        behind=imports_behind(store.con, client_id, period.start, period.end, start, end),
        commentary=load_commentary(store, client_id, period),
        posts=content_posts(store.backend, client, period),
        rubrics=stored_rubrics(store.con, client_id),
        competitors=comparison(store.con, client, period),
    )


def build_report(
    store: Store,
    client_id: str,
    period: Period,
    language: Language,
    brand: Branding,
    settings: ReportSection,
    today: date,
    rules: SocialRules | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> Report:
    """``client_id``'s report for ``period`` in ``language`` (as of ``today``)."""
    data = gather(store, client_id, period, settings, today, rules, tolerance)
    return compose(data, language, brand, settings)


def compose(
    data: ReportData,
    language: Language,
    brand: Branding,
    settings: ReportSection,
    edition: str = "internal",
) -> Report:
    """The report of ``data`` in ``language``: rows, goal pages, notes and sentences;
    ``edition``: ``client`` leaves out what is for the specialist only."""
    with use_language(language):
        return _compose(data, language, brand, settings, edition == "client")


def _compose(
    data: ReportData,
    language: Language,
    brand: Branding,
    settings: ReportSection,
    for_client: bool,
) -> Report:
    period, client, goals = data.period, data.client, data.goals
    monthly = data.monthly
    current = data.values[period]
    if data.plan is not None:
        chosen = [(k.kpi, str(k.role)) for k in data.plan.kpis]
    else:
        chosen = [(c.kpi.id, c.role) for c in kpisets.default_set(goals)]

    def row(kpi_id: str, role: str) -> ScoreRow:
        found = data.statuses.get(kpi_id)
        return ScoreRow(
            kpi=KPIS_BY_ID[kpi_id],
            role=role,
            target=found.target if found else None,
            fact=found.fact if found is not None else current.get(kpi_id),
            attainment=found.attainment if found else None,
            status=found.status if found else "no_data",
            previous=data.values[data.previous].get(kpi_id),
            year_ago=data.values[data.year_ago].get(kpi_id),
        )

    scorecard = [row(kpi_id, role) for kpi_id, role in chosen]
    rows = {r.kpi.id: r for r in scorecard}
    for kpi_id in KPIS_BY_ID:
        rows.setdefault(kpi_id, row(kpi_id, "other"))
    in_period = {
        name: {d: v for d, v in values.items() if period.start <= d <= period.end}
        for name, values in data.daily.series.items()
    }
    sections = goal_sections(
        goals,
        SectionInputs(
            period=period,
            months=data.trend,
            monthly=monthly,
            daily=in_period,
            rows=rows,
            ranked_posts=data.ranked,
            best_posts=settings.best_posts,
            primary=brand.primary,
            accent=brand.accent,
            language=language,
            findings=content_findings(data.client, period, data.posts, data.rubrics),
            by_kind=group_posts(data.client, period, data.posts, "kind"),
        ),
    )
    shown = [r.kpi.id for r in scorecard]
    for section in sections:
        shown += [r.kpi.id for r in section.rows if r.kpi.id not in shown]
    quality = [
        *missing_notes(
            scorecard,
            {k: [data.values[p].get(k) for p in data.earlier] for k in current},
            data.earlier,
            {b.table for b in data.behind},
            language,
            for_client,
            period.is_month,
        ),
        *gap_notes(client, data.daily.account_days, period, language),
        *anomaly_notes(classify(data.daily.series), period, language),
        *([] if for_client else restated_notes(data.behind, language)),
        *fresh_notes(period, data.today, language),
        *renamed_notes(client, period, set(shown), language),
    ]
    return Report(
        client=client,
        period=period,
        language=language,
        as_of=data.as_of,
        prepared=data.today,
        branding=brand,
        goals=goals,
        goal_sentence=goal_sentence(goals),
        goal_names=", ".join(
            goal_title(g) if i == 0 else goal_title(g).lower() for i, g in enumerate(goals)
        ),
        real_goal=data.brief.real_goal if data.brief is not None else "",
        plan_id=data.plan.plan_id if data.plan else None,
        scorecard=scorecard,
        narrative=narrative(
            scorecard,
            period,
            data.as_of > period.end,
            data.plan is not None,
            quality,
            language,
            client.currency,
            for_client,
        ),
        commentary=data.commentary,
        sections=sections,
        quality=quality,
        methodology=[method_item(kpi_id, for_client) for kpi_id in shown],
        sources=[] if for_client else data_sources(data.behind),
        edition="client" if for_client else "internal",
        parts=tuple(settings.client_sections if for_client else settings.internal_sections),
        competitors=shown_rows(data.competitors),
    )


def goal_sentence(goals: list[str]) -> str:
    """ "The goal of the promotion: sales." (with the other goals after it)."""
    main, *others = goals
    if not others:
        return _("The goal of the promotion: {goal}.").format(goal=goal_title(main).lower())
    return _("The goal of the promotion: {goal}; also {others}.").format(
        goal=goal_title(main).lower(), others=", ".join(goal_title(g).lower() for g in others)
    )


def data_sources(behind: list[ImportBehind]) -> list[DataSource]:
    """One line per import: its format, file, when, and how many of the month's rows."""
    rows: dict[int, int] = {}
    first: dict[int, ImportBehind] = {}
    for item in behind:
        rows[item.import_id] = rows.get(item.import_id, 0) + item.rows
        first.setdefault(item.import_id, item)
    return [
        DataSource(item.format, item.file_name or item.format, item.finished_at, rows[key])
        for key, item in first.items()
        if item.finished_at is not None
    ]


def method_item(kpi_id: str, for_client: bool = False) -> MethodItem:
    """A KPI's definition, inputs and caveat as the catalogue declares them; for a client, its
    formula in plain words, without inputs or caveats."""
    kpi = KPIS_BY_ID[kpi_id]
    if for_client:
        return MethodItem(kpi, PLAIN_FORMULAS[kpi_id](), [], None)
    caveat = kpi.caveat() if kpi.caveat else None
    return MethodItem(
        kpi,
        kpi.formula_text(),
        [f"{i}: {INPUTS_BY_ID[i].description()}" for i in kpi.inputs],
        caveat,
    )
