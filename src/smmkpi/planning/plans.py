"""KPI plans: a client, a horizon of 1–12 months, the KPI list and a target per KPI per month
(with the conservative and stretch levels it was chosen from), and notes. Every change is a
revision (who, when, why: ``store/revisions.py``); a plan exports to YAML and imports back, so it
can live in git and be reviewed like code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.metrics.catalogue import KPIS_BY_ID
from smmkpi.metrics.periods import Period
from smmkpi.planning.kpisets import KpiChoice
from smmkpi.planning.series import next_months
from smmkpi.planning.targets import Recommendation
from smmkpi.validation import problems

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
MAX_MONTHS = 12


class Target(BaseModel):
    """The levels of one KPI in one month; ``target`` is the one plan against fact uses."""

    model_config = ConfigDict(extra="forbid")

    conservative: float | None = None
    target: float | None = None
    stretch: float | None = None
    source: Literal["recommended", "manual", "brief"] = "recommended"


class PlanKpi(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kpi: str
    role: Literal["main", "secondary", "added"] = "added"
    targets: dict[str, Target] = Field(default_factory=dict)  # "YYYY-MM" → levels
    note: str = ""

    @field_validator("kpi")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in KPIS_BY_ID:
            raise ValueError(_("'{kpi}' is not a KPI id (smmkpi kpi list)").format(kpi=value))
        return value


class Plan(BaseModel):
    """A KPI plan, as saved and as exported."""

    model_config = ConfigDict(extra="forbid")

    plan_id: str
    client: str
    start: str  # the first month, YYYY-MM
    months: int = Field(ge=1, le=MAX_MONTHS)
    goals: list[str] = Field(default_factory=list)
    kpis: list[PlanKpi] = Field(default_factory=list)
    notes: str = ""

    @field_validator("start")
    @classmethod
    def _month(cls, value: str) -> str:
        if not MONTH.fullmatch(value):
            raise ValueError(_("the start is a month written YYYY-MM"))
        return value

    @model_validator(mode="after")
    def _targets_in_horizon(self) -> Plan:
        labels = {p.label() for p in self.periods()}
        seen = set()
        for item in self.kpis:
            if item.kpi in seen:
                raise ValueError(_("{kpi} is listed twice").format(kpi=item.kpi))
            seen.add(item.kpi)
            for month in item.targets:
                if month not in labels:
                    raise ValueError(
                        _("{kpi}: {month} is outside the plan's months ({first} to {last})").format(
                            kpi=item.kpi, month=month, first=min(labels), last=max(labels)
                        )
                    )
        return self

    def periods(self) -> list[Period]:
        first = Period.month(self.start)
        return [first, *next_months(first, self.months - 1)]

    def item(self, kpi_id: str) -> PlanKpi | None:
        return next((k for k in self.kpis if k.kpi == kpi_id), None)

    def target(self, kpi_id: str, month: Period) -> Target | None:
        item = self.item(kpi_id)
        return None if item is None else item.targets.get(month.label())

    def content(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def build(
    plan_id: str,
    client_id: str,
    start: Period,
    months: int,
    goals: list[str],
    choices: list[KpiChoice],
    recommendations: dict[str, list[Recommendation]],
) -> Plan:
    """A new plan: every chosen KPI with its recommended levels (none where the history gave
    none: those wait for a manual target)."""
    items = []
    for choice in choices:
        targets = {}
        method = ""
        for recommendation in recommendations.get(choice.kpi.id, []):
            method = method or recommendation.method
            levels = recommendation.levels
            if levels is not None:
                targets[recommendation.month.label()] = Target(
                    conservative=levels.conservative, target=levels.target, stretch=levels.stretch
                )
        items.append(PlanKpi(kpi=choice.kpi.id, role=choice.role, targets=targets, note=method))
    return Plan(
        plan_id=plan_id,
        client=client_id,
        start=start.label(),
        months=months,
        goals=goals,
        kpis=items,
    )


def parse_plan(data: Any, source: str) -> Plan:
    """A plan from its exported form; an error names the field and says what is wrong."""
    if not isinstance(data, dict):
        raise UserError(
            _("{source} does not hold a plan (plan_id: …, kpis: …).").format(source=source)
        )
    try:
        return Plan.model_validate(data)
    except ValidationError as error:
        found = problems(error, "plan")
        raise UserError(
            _("{source} is not a valid plan: {problems}").format(source=source, problems=found)
        ) from None


def to_yaml(plan: Plan) -> str:
    header = _(
        "# smmkpi KPI plan. Edit the targets and import it back: smmkpi plan import FILE --why …"
    )
    return header + "\n" + yaml.safe_dump(plan.content(), allow_unicode=True, sort_keys=False)


def read_yaml(path: Path) -> Plan:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise UserError(
            _("{path} cannot be read as YAML: {error}").format(path=path, error=error)
        ) from None
    return parse_plan(data, str(path))


def with_target(plan: Plan, kpi_id: str, months: list[Period], target: float) -> Plan:
    """``plan`` with ``kpi_id``'s target set by hand to ``target`` in ``months`` (its
    recommended levels kept beside it)."""
    changed = plan.model_copy(deep=True)
    entry = changed.item(kpi_id)
    if entry is None:
        raise UserError(
            _("{kpi} is not in plan {plan}; add it with --add-kpi.").format(
                kpi=kpi_id, plan=plan.plan_id
            )
        )
    for period in months:
        if period not in plan.periods():
            raise UserError(_("{month} is outside the plan's months.").format(month=period.label()))
        current = entry.targets.get(period.label()) or Target()
        entry.targets[period.label()] = current.model_copy(
            update={"target": target, "source": "manual"}
        )
    return Plan.model_validate(changed.content())
