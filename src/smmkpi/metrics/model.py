"""The vocabulary of the KPI catalogue: units, directions, levels, and the two formula shapes.

Every KPI of spec/metrics.md is either a **total** of one input (a count or a sum, summed over
accounts at client level) or a **ratio** of two inputs (a ratio of sums: at client level the
numerator and denominator are summed over the accounts where both are known). Inputs are the
documented additive quantities of ``inputs.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from smmkpi.i18n import Language, current_language


class Unit(StrEnum):
    COUNT = "count"  # a whole number of things
    NUMBER = "number"  # a number with a fractional part (an average of counts)
    PERCENT = "percent"  # in percent units: 3.2 means 3.2 %
    MONEY = "money"  # in the client's currency


class Direction(StrEnum):
    HIGHER = "higher"  # higher is better
    LOWER = "lower"  # lower is better (churn, costs)


class Level(StrEnum):
    ACCOUNT = "account"  # computed per account, summed or recomputed for the client
    CLIENT = "client"  # computed for the client only


class Section(StrEnum):
    FOLLOWERS = "followers"
    REACH = "reach"
    MENTIONS = "mentions"
    ENGAGEMENT = "engagement"
    FUNNEL = "funnel"


class Role(StrEnum):
    MAIN = "main"
    SECONDARY = "secondary"


@dataclass(frozen=True)
class Text:
    """A text in Russian and English."""

    ru: str
    en: str

    def __call__(self, language: Language | None = None) -> str:
        return self.ru if (language or current_language()) == "ru" else self.en


@dataclass(frozen=True)
class Total:
    """The KPI is one input."""

    input: str


@dataclass(frozen=True)
class Ratio:
    """The KPI is ``numerator / denominator × scale``; NULL when either is unknown or the
    denominator is 0."""

    numerator: str
    denominator: str
    scale: int = 1


Formula = Total | Ratio


@dataclass(frozen=True)
class Kpi:
    """One KPI, declared once: everything the product shows about it comes from here."""

    id: str
    section: Section
    level: Level
    unit: Unit
    label: Text
    description: Text
    formula_text: Text
    formula: Formula
    direction: Direction = Direction.HIGHER
    goals: dict[str, Role] = field(default_factory=dict)
    caveat: Text | None = None

    @property
    def inputs(self) -> tuple[str, ...]:
        if isinstance(self.formula, Total):
            return (self.formula.input,)
        return (self.formula.numerator, self.formula.denominator)


@dataclass(frozen=True)
class InputDef:
    """An input of the KPI formulas: an additive quantity per account (or client)."""

    id: str
    level: Level
    table: str
    description: Text
    rows: Text  # what the row count of this input counts ("posts with known likes")
