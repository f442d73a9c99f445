"""The report as data: everything a rendered report shows, computed once and rendered by every
format. Values are raw numbers (None where unknown); formats decide how they look."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from smmkpi import __version__
from smmkpi.formatting import format_day
from smmkpi.i18n import Language, _
from smmkpi.metrics.competitors import ComparisonRow
from smmkpi.metrics.model import Direction, Kpi
from smmkpi.metrics.periods import Period
from smmkpi.metrics.scope import ClientInfo


@dataclass(frozen=True)
class Branding:
    """The agency's look: name, logo (a ``data:`` URI, never a link) and colours."""

    agency: str
    specialist: str
    logo: str | None
    primary: str
    accent: str


def change(current: Any, before: Any) -> float | None:
    """The relative change from ``before`` to ``current`` in percent; None when either is
    unknown or ``before`` is 0."""
    if current is None or before is None or float(before) == 0:
        return None
    return (float(current) - float(before)) / abs(float(before)) * 100


@dataclass(frozen=True)
class ScoreRow:
    """One KPI of the scorecard: plan, fact and how it moved."""

    kpi: Kpi
    role: str  # main, secondary, added
    target: float | None
    fact: Any
    attainment: float | None
    status: str  # achieved, on_track, at_risk, off_track, no_data
    previous: Any  # the period before, of the same length
    year_ago: Any  # the same days a year earlier

    @property
    def shown_status(self) -> str:
        """The status as the report shows it: a KPI with a fact but no target in the plan is
        *no target*, not *no data*."""
        if self.status == "no_data" and self.target is None and self.fact is not None:
            return "no_target"
        return self.status

    @property
    def change_previous(self) -> float | None:
        return change(self.fact, self.previous)

    @property
    def change_year(self) -> float | None:
        return change(self.fact, self.year_ago)

    def improved(self, relative: float | None) -> bool | None:
        """Whether a change is for the better, given the KPI's direction."""
        if relative is None or relative == 0:
            return None
        return (relative > 0) == (self.kpi.direction is Direction.HIGHER)


@dataclass(frozen=True)
class Post:
    """A post of the month with its ERR (interactions / reach × 100)."""

    account: str
    platform: str
    published: date
    excerpt: str
    url: str | None  # http(s) links only
    interactions: int
    reach: int
    err: float


@dataclass(frozen=True)
class FunnelStep:
    """A step of the sales funnel and the conversion from the step before it."""

    label: str
    kpi_id: str
    value: Any
    conversion: float | None  # percent of ``base``
    base: str  # what the conversion is a share of ("of reach")


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]
    colour: str


@dataclass(frozen=True)
class Chart:
    """One chart, specified once: HTML and PDF draw it through Vega-Lite, XLSX as a native
    Excel chart. ``kind``: line, bar (grouped columns), stacked (columns) or hbar (grouped
    horizontal bars, for categories with long names)."""

    chart_id: str
    title: str
    kind: str
    categories: list[str]  # the x axis: days or months, as shown
    series: list[Series]
    unit: str  # count, number, percent, money
    y_title: str = ""
    note: str = ""
    log_scale: bool = False


@dataclass(frozen=True)
class PostGroup:
    """One platform's best posts by ERR and its weakest (worst first): ERR is compared within
    a platform only — a Telegram view and a VK reach are not the same denominator."""

    platform: str
    best: list[Post]
    worst: list[Post]


@dataclass
class GoalSection:
    """The pages of one goal: its KPIs, charts and what explains them."""

    goal: str
    title: str
    intro: str
    rows: list[ScoreRow]
    charts: list[Chart] = field(default_factory=list)
    posts: list[PostGroup] = field(default_factory=list)  # best and weakest, per platform
    funnel: list[FunnelStep] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)  # what stands out in the content


@dataclass(frozen=True)
class QualityNote:
    """A data-quality finding: ``kind`` is gap, anomaly, missing, stopped, restated."""

    kind: str
    text: str


@dataclass(frozen=True)
class MethodItem:
    """A KPI's definition for the appendix, from the catalogue."""

    kpi: Kpi
    formula: str
    inputs: list[str]
    caveat: str | None


@dataclass(frozen=True)
class DataSource:
    """An import the month's numbers rest on."""

    source: str
    file_name: str
    imported_at: datetime
    rows: int


@dataclass(frozen=True)
class Commentary:
    """The specialist's words: conclusions, and the plan for the next month."""

    conclusions: str = ""
    next_month: str = ""

    @property
    def empty(self) -> bool:
        return not (self.conclusions.strip() or self.next_month.strip())


EDITIONS = ("client", "internal")


@dataclass
class Report:
    """One client's report for a period: a month, or a quarter, half-year, year or range."""

    client: ClientInfo
    period: Period
    language: Language
    as_of: date  # plan against fact as of this day (the day after a finished period)
    prepared: date  # the day the report was made
    branding: Branding
    goals: list[str]
    goal_sentence: str
    real_goal: str
    plan_id: str | None
    scorecard: list[ScoreRow]
    narrative: list[str]
    commentary: Commentary
    sections: list[GoalSection]
    quality: list[QualityNote]
    methodology: list[MethodItem]
    sources: list[DataSource]
    edition: str = "internal"
    """``client``: what a client is sent (no import files, no restatements, the agency's name in
    the footer, not the product's); ``internal``: everything, for the specialist."""
    parts: tuple[str, ...] = ("summary", "goals", "competitors", "quality", "methodology")
    """The sections after the cover, as the edition's setting chooses them."""
    goal_names: str = ""
    competitors: list[ComparisonRow] = field(default_factory=list)
    """The client's accounts beside its competitors (none: no competitor followed)."""
    """The goals for the cover ("Sales, community"), where the sentence would repeat "goal"."""

    @property
    def prepared_line(self) -> str:
        """The footer: who prepared the report, and when (in the current language)."""
        day = format_day(self.prepared, self.language)
        if self.edition != "client":
            return _("Prepared with smmkpi {version}: {day}").format(version=__version__, day=day)
        who = self.branding.agency or self.branding.specialist
        return _("Prepared by {who}: {day}").format(who=who, day=day) if who else day

    @property
    def currency(self) -> str:
        return self.client.currency

    @property
    def complete(self) -> bool:
        """Whether the period was over on the report's day."""
        return self.as_of > self.period.end

    @property
    def file_stem(self) -> str:
        """``coffeelab-2026-11-ru`` (a quarter ``coffeelab-2026-Q3-ru``, a range
        ``coffeelab-2026-03-10_2026-03-20-ru``); the internal edition's ends in ``-internal``."""
        stem = f"{self.client.client_id}-{self.period.key()}-{self.language}"
        return stem if self.edition == "client" else f"{stem}-internal"
