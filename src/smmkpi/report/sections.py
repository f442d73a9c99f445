"""The pages of each goal: which KPIs, charts, posts and funnel steps explain it.

- **awareness**: follower growth and churn by day, followers and reach split into organic,
  viral and paid by month, mentions and branded-hashtag posts by month;
- **community**: ER, ERR, Like Rate and Talk Rate against their targets and by month, the best
  and worst posts by ERR;
- **sales**: the funnel reach → link clicks and site sessions → leads → sales with the
  conversion between steps, CPL and ROMI where spend is known, traffic and leads by month, and
  the caveat that sales depend on the sales team.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from babel.dates import format_date

from smmkpi.formatting import format_number
from smmkpi.i18n import Language, _
from smmkpi.metrics.catalogue import KPIS_BY_ID
from smmkpi.metrics.content import ContentGroups, Finding
from smmkpi.metrics.goals import goal_title
from smmkpi.metrics.model import Section
from smmkpi.metrics.periods import Period
from smmkpi.report.content_words import finding_sentence, group_name
from smmkpi.report.model import Chart, FunnelStep, GoalSection, Post, ScoreRow, Series
from smmkpi.report.posts import by_platform
from smmkpi.report.wording import DAILY_CHART_MAX_DAYS

GOAL_SECTIONS = {
    "awareness": (Section.FOLLOWERS, Section.REACH, Section.MENTIONS),
    "community": (Section.ENGAGEMENT,),
    "sales": (Section.FUNNEL,),
}
COMMUNITY_RATES = ("er", "err", "like_rate", "talk_rate")
NEUTRAL = "#8a96a3"
LIGHT = "#9cb8d9"


def goal_intro(goal: str) -> str:
    return {
        "awareness": _(
            "How many people the accounts reached and how the audience grew: new followers and "
            "unfollows, reach by source, and what people wrote about the brand."
        ),
        "community": _(
            "How the audience takes part: reactions, comments and shares against the follower base "
            "(ER) and against the people reached (ERR), and which posts worked."
        ),
        "sales": _(
            "The path from social media to money: reach, clicks and visits to the site, leads and "
            "sales, and what they cost."
        ),
    }[goal]


@dataclass(frozen=True)
class SectionInputs:
    """What the goal pages are built from."""

    period: Period
    months: list[Period]  # the trend months, oldest first, ending with the period's last
    monthly: dict[str, list[Any]]  # KPI → values over ``months``
    daily: dict[str, dict[date, float]]  # daily quantities in ``period``
    rows: dict[str, ScoreRow]  # every KPI's row (plan KPIs with targets, others without)
    ranked_posts: list[Post]
    best_posts: int
    primary: str
    accent: str
    language: Language
    findings: list[Finding] = field(default_factory=list)  # what stands out in the content
    by_kind: ContentGroups | None = None  # the period's posts by kind


def month_label(period: Period, language: Language) -> str:
    """``окт. 2026`` / ``Oct 2026``: short, for chart axes."""
    return str(format_date(period.start, "LLL y", locale=language))


def _monthly_chart(
    inputs: SectionInputs,
    chart_id: str,
    title: str,
    kind: str,
    kpis: list[tuple[str, str]],
    y_title: str = "",
    note: str = "",
) -> Chart | None:
    """A chart of KPIs by month (``kpis``: id and colour); None when none has a value."""
    series = [
        Series(KPIS_BY_ID[k].label(), list(inputs.monthly.get(k, [])), colour) for k, colour in kpis
    ]
    if not any(v is not None for s in series for v in s.values):
        return None
    unit = KPIS_BY_ID[kpis[0][0]].unit.value
    categories = [month_label(m, inputs.language) for m in inputs.months]
    return Chart(chart_id, title, kind, categories, series, unit, y_title, note)


def _daily_chart(
    inputs: SectionInputs,
    chart_id: str,
    title: str,
    series: list[tuple[str, str, str]],
    y_title: str,
) -> Chart | None:
    """A bar chart of daily quantities (``series``: quantity, name, colour) over the period
    (None over more than ``DAILY_CHART_MAX_DAYS``: the monthly charts show those); days
    without data have no bar."""
    period = inputs.period
    if period.days > DAILY_CHART_MAX_DAYS:
        return None
    days = [period.start + timedelta(days=i) for i in range(period.days)]
    drawn = [
        Series(name, [inputs.daily.get(quantity, {}).get(day) for day in days], colour)
        for quantity, name, colour in series
    ]
    if not any(v is not None for s in drawn for v in s.values):
        return None
    one_month = period.start.month == period.end.month
    labels = [str(d.day) if one_month else f"{d.day}.{d.month:02d}" for d in days]
    return Chart(chart_id, title, "bar", labels, drawn, "count", y_title)


def _rows(inputs: SectionInputs, goal: str) -> list[ScoreRow]:
    sections = GOAL_SECTIONS[goal]
    return [
        row
        for row in inputs.rows.values()
        if row.kpi.section in sections and (goal in row.kpi.goals or row.target is not None)
    ]


def awareness(inputs: SectionInputs) -> GoalSection:
    section = GoalSection(
        "awareness", goal_title("awareness"), goal_intro("awareness"), _rows(inputs, "awareness")
    )
    charts: list[Chart | None] = [
        _daily_chart(
            inputs,
            "followers_by_day",
            _("New followers and unfollows by day"),
            [
                ("followers_gained", _("new followers"), inputs.primary),
                ("followers_lost", _("unfollows"), inputs.accent),
            ],
            _("people"),
        ),
        _monthly_chart(
            inputs,
            "followers_by_month",
            _("Followers at the end of each month"),
            "line",
            [("followers", inputs.primary)],
        ),
        _monthly_chart(
            inputs,
            "reach_split_by_month",
            _("Post reach by source: organic, viral, paid"),
            "stacked",
            [
                ("post_reach_organic", inputs.primary),
                ("post_reach_viral", LIGHT),
                ("post_reach_paid", inputs.accent),
            ],
            note=_(
                "Reach of the month's posts as the platforms split it; people reached by two "
                "sources are counted in both, so the parts are not unique people."
            ),
        ),
        _monthly_chart(
            inputs,
            "mentions_by_month",
            _("Mentions and branded-hashtag posts by month"),
            "bar",
            [("mentions", inputs.primary), ("branded_hashtag_posts", inputs.accent)],
        ),
    ]
    section.charts = [c for c in charts if c is not None]
    section.notes = [KPIS_BY_ID["reach"].caveat()] if KPIS_BY_ID["reach"].caveat else []
    return section


def community(inputs: SectionInputs) -> GoalSection:
    section = GoalSection(
        "community", goal_title("community"), goal_intro("community"), _rows(inputs, "community")
    )
    rates = [inputs.rows[k] for k in COMMUNITY_RATES if k in inputs.rows]
    charts: list[Chart | None] = []
    if any(r.fact is not None or r.target is not None for r in rates):
        charts.append(
            Chart(
                "rates_against_targets",
                _("Engagement rates against their targets"),
                "hbar",
                [r.kpi.label() for r in rates],
                [
                    Series(_("fact"), [_float(r.fact) for r in rates], inputs.primary),
                    Series(_("target"), [r.target for r in rates], inputs.accent),
                ],
                "percent",
                "%",
            )
        )
    charts.append(
        _monthly_chart(
            inputs,
            "rates_by_month",
            _("ER and ERR by month"),
            "line",
            [("er", inputs.primary), ("err", inputs.accent)],
            "%",
        )
    )
    charts.append(_by_kind_chart(inputs))
    section.charts = [c for c in charts if c is not None]
    section.findings = [finding_sentence(f, inputs.language) for f in inputs.findings]
    section.posts = by_platform(inputs.ranked_posts, inputs.best_posts)
    section.notes = [
        caveat()
        for caveat in (KPIS_BY_ID["like_rate"].caveat, KPIS_BY_ID["err"].caveat)
        if caveat is not None
    ]
    return section


def _by_kind_chart(inputs: SectionInputs) -> Chart | None:
    """ER of each kind of post with a known ER, when the period has two kinds or more."""
    grouped = inputs.by_kind
    if grouped is None:
        return None
    kinds = [g for g in grouped.groups if g.er is not None]
    if len(kinds) < 2:
        return None
    labels = [
        _("{kind} ({n})").format(kind=group_name("kind", g.key or "", inputs.language), n=g.posts)
        for g in kinds
    ]
    note = _("ER by followers; in brackets, the posts of each kind. All posts: {er}.").format(
        er=format_number(grouped.total.er or 0, 2, inputs.language) + "\u00a0%"
    )
    series = [Series("ER", [g.er for g in kinds], inputs.primary)]
    return Chart("er_by_kind", _("ER by kind of post"), "hbar", labels, series, "percent", "%",
                 note)  # fmt: skip


def funnel(rows: dict[str, ScoreRow]) -> list[FunnelStep]:
    """reach → link clicks, site sessions → leads → sales; each conversion against the step
    it follows (link clicks and site sessions both against reach)."""

    def value(kpi_id: str) -> Any:
        row = rows.get(kpi_id)
        return None if row is None else row.fact

    def rate(top: Any, bottom: Any) -> float | None:
        if top is None or bottom is None or float(bottom) == 0:
            return None
        return float(top) / float(bottom) * 100

    reach = value("reach")
    clicks = value("link_clicks")
    sessions = value("site_sessions")
    leads = value("leads")
    sales = value("sales")
    return [
        FunnelStep(KPIS_BY_ID["reach"].label(), "reach", reach, None, ""),
        FunnelStep(
            KPIS_BY_ID["link_clicks"].label(),
            "link_clicks",
            clicks,
            rate(clicks, reach),
            _("of reach"),
        ),
        FunnelStep(
            KPIS_BY_ID["site_sessions"].label(),
            "site_sessions",
            sessions,
            rate(sessions, reach),
            _("of reach"),
        ),
        FunnelStep(
            KPIS_BY_ID["leads"].label(),
            "leads",
            leads,
            rate(leads, sessions),
            _("of site sessions"),
        ),
        FunnelStep(KPIS_BY_ID["sales"].label(), "sales", sales, rate(sales, leads), _("of leads")),
    ]


def sales(inputs: SectionInputs) -> GoalSection:
    section = GoalSection("sales", goal_title("sales"), goal_intro("sales"), _rows(inputs, "sales"))
    section.funnel = funnel(inputs.rows)
    charts: list[Chart | None] = []
    charts += [  # the funnel itself is the section's table, with its bars
        _monthly_chart(
            inputs,
            "traffic_by_month",
            _("Link clicks and site sessions by month"),
            "bar",
            [("link_clicks", LIGHT), ("site_sessions", inputs.primary)],
        ),
        _monthly_chart(
            inputs,
            "leads_sales_by_month",
            _("Leads and sales by month"),
            "bar",
            [("leads", inputs.primary), ("sales", inputs.accent)],
        ),
    ]
    section.charts = [c for c in charts if c is not None]
    if inputs.rows.get("ad_spend") is None or inputs.rows["ad_spend"].fact is None:
        section.notes.append(
            _("No ad spend was imported for the month: CPL, cost per sale and ROMI are not known.")
        )
    caveat = KPIS_BY_ID["sales"].caveat
    if caveat is not None:
        section.notes.append(caveat())
    return section


BUILDERS: dict[str, Callable[[SectionInputs], GoalSection]] = {
    "awareness": awareness,
    "community": community,
    "sales": sales,
}


def goal_sections(goals: list[str], inputs: SectionInputs) -> list[GoalSection]:
    """The pages of the client's goals, the main goal first."""
    return [BUILDERS[goal](inputs) for goal in goals if goal in BUILDERS]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
