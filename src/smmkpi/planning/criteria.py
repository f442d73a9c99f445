"""Numbers in the brief's success criteria: "100 заказов в месяц", "50 leads a month", "ER не
ниже 3 %", "CPL до 500 ₽", "+2 000 подписчиков за квартал" — each read as a KPI and a monthly
target, so the plan can propose what the client said it will judge success by.

A number belongs to the KPI named right after it ("100 заказов") or, failing that, right before
it in the same clause ("ER не ниже 3 %"); "в квартал", "a year", "в неделю" turn a total into its
monthly share; a number that names no KPI is left alone. Every reading keeps the words it came
from, so the plan can quote them.

>>> [(c.kpi, c.value) for c in success_targets("100 заказов в месяц и CPL до 500 ₽")]
[('sales', 100.0), ('cpl', 500.0)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from smmkpi.metrics.catalogue import KPIS_BY_ID
from smmkpi.metrics.model import Unit

DAYS_PER_MONTH = 365.25 / 12

# stems of the words that name a KPI, in Russian and English, checked in this order
KPI_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cpl", ("cpl", "стоимост заявк", "стоимост лид", "цен заявк", "цен лид", "cost per lead")),
    ("cost_per_sale", ("стоимост продаж", "стоимост заказ", "cost per sale", "cost per order")),
    ("romi", ("romi", "роми")),
    ("err", ("err",)),
    ("er", ("er", "вовлечённост", "вовлеченност", "engagement")),
    ("revenue", ("выручк", "оборот", "revenue")),
    ("sales", ("заказ", "продаж", "покуп", "клиент", "order", "sale", "purchase", "customer")),
    ("leads", ("заяв", "лид", "обращен", "lead", "enquir", "inquir", "request", "application")),
    ("followers", ("подписчик", "участник", "follower", "subscriber", "member")),
    ("reach", ("охват", "reach")),
    ("link_clicks", ("переход", "клик", "click")),
    ("site_sessions", ("визит", "посещен", "сесси", "visit", "session")),
    ("mentions", ("упоминан", "mention")),
)
GROWTH_WORDS = ("прирост", "нов", "рост", "+", "growth", "gain", "new", "more")
PER = (
    ("day", ("в день", "ежедневно", "per day", "a day", "daily")),
    ("week", ("в неделю", "еженедельно", "per week", "a week", "weekly")),
    ("month", ("в месяц", "за месяц", "ежемесячно", "/мес", "per month", "a month", "monthly")),
    ("quarter", ("в квартал", "за квартал", "per quarter", "a quarter", "quarterly")),
    ("year", ("в год", "за год", "per year", "a year", "annual", "yearly")),
)
MONTHS_IN = {"day": 1 / DAYS_PER_MONTH, "week": 7 / DAYS_PER_MONTH, "month": 1.0}
MONTHS_IN |= {"quarter": 3.0, "year": 12.0}

NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,](\d+))?"
    r"\s*(тыс\.?|млн|k|к|m|thousand|million)?(?![\w])(\s*%)?",
    re.IGNORECASE,
)
SCALES = {"тыс": 1e3, "тыс.": 1e3, "k": 1e3, "к": 1e3, "thousand": 1e3}
SCALES |= {"млн": 1e6, "m": 1e6, "million": 1e6}
CLAUSE = re.compile(r"[;\n]|\.(?=\s+[A-ZА-ЯЁ])|,(?=\s)|\s(?:и|and|а также)\s")
WORD = re.compile(r"[\w+]+", re.UNICODE)


@dataclass(frozen=True)
class Criterion:
    """A KPI the brief names with a number: ``value`` is its monthly target (a total's monthly
    share; a level or a rate as said), ``words`` the clause it was read from."""

    kpi: str
    value: float
    words: str
    per: str = "month"


def success_targets(text: str) -> list[Criterion]:
    """Every KPI the success criteria name with a number, in the order said (a KPI named twice
    keeps its first number)."""
    found: dict[str, Criterion] = {}
    for clause in _clauses(text):
        for match in NUMBER.finditer(clause):
            reading = _reading(clause, match)
            if reading is not None and reading.kpi not in found:
                found[reading.kpi] = reading
    return list(found.values())


def _clauses(text: str) -> list[str]:
    parts, start = [], 0
    for split in CLAUSE.finditer(text):
        parts.append(text[start : split.start()])
        start = split.end()
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _reading(clause: str, match: re.Match[str]) -> Criterion | None:
    before, after = clause[: match.start()].lower(), clause[match.end() :].lower()
    kpi = _kpi_in(_words(after)[:3]) or _kpi_in(_words(before)[-4:])
    if kpi is None:
        return None
    whole, fraction, scale, percent = match.groups()
    value = float(re.sub(r"\D", "", whole) + ("." + fraction if fraction else ""))
    value *= SCALES.get((scale or "").lower(), 1.0)
    unit = KPIS_BY_ID[kpi].unit
    if (unit is Unit.PERCENT) != bool(percent):
        return None  # "3 %" of a count, or an ER without a percent sign: not what was meant
    near = " ".join([*_words(before)[-3:], *_words(after)[:4]])
    if kpi == "followers" and (
        "+" in before[-3:] or any(w.startswith(GROWTH_WORDS) for w in near.split())
    ):
        kpi = "net_follower_growth"
    per = next((name for name, words in PER if any(w in after for w in words)), "month")
    if unit in (Unit.COUNT, Unit.MONEY) and kpi not in ("followers", "cpl", "cost_per_sale"):
        value /= MONTHS_IN[per]
    return Criterion(kpi, value, clause, per)


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def _kpi_in(words: list[str]) -> str | None:
    joined = " ".join(words)
    for kpi, stems in KPI_WORDS:
        for stem in stems:
            if " " in stem:
                if all(any(w.startswith(part) for w in words) for part in stem.split()):
                    return kpi
            elif stem in ("er", "err", "cpl", "romi"):
                if stem in words:
                    return kpi
            elif any(w.startswith(stem) for w in words) or stem == joined:
                return kpi
    return None
