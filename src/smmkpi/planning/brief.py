"""The brief: what the specialist learns from the client before choosing KPIs — the founding
article's "main secret": dig down to the real goal together with the client first.

Each question carries guidance (Russian and English) on what to dig for. The answers are a
:class:`Brief`; they are kept with the client, every change a new revision
(``store/revisions.py``). The same answers come from the interactive questionnaire or from a
YAML/JSON file (``smmkpi brief CLIENT --file brief.yaml``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.metrics.model import Text
from smmkpi.validation import problems

GoalName = Literal["awareness", "community", "sales"]  # store.tables.GOALS


class Brief(BaseModel):
    """A client's brief: the answers to :data:`QUESTIONS`."""

    model_config = ConfigDict(extra="forbid")

    business: str = ""
    audience: str = ""
    real_goal: str = ""
    main_goal: GoalName
    secondary_goals: list[GoalName] = Field(default_factory=list)
    accounts: list[str] = Field(default_factory=list)
    monthly_budget: Decimal | None = Field(default=None, ge=0)
    sales_cycle_days: int | None = Field(default=None, ge=0)
    sales_closed_by: str = ""
    success_criteria: str = ""
    notes: str = ""

    @field_validator("secondary_goals", mode="before")
    @classmethod
    def _goal_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [v.strip() for v in value.replace(",", " ").split() if v.strip()]
        return value

    @field_validator("accounts", mode="before")
    @classmethod
    def _account_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [v.strip() for v in value.replace(",", " ").split() if v.strip()]
        return value

    @model_validator(mode="after")
    def _secondary_differs(self) -> Brief:
        self.secondary_goals = [
            g for g in dict.fromkeys(self.secondary_goals) if g != self.main_goal
        ]
        return self

    @property
    def goals(self) -> list[str]:
        """The main goal first, then the secondary ones."""
        return [self.main_goal, *self.secondary_goals]

    def answers(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


@dataclass(frozen=True)
class Question:
    """One question of the brief: the field it fills, what it asks, what to dig for."""

    field: str
    ask: Text
    guidance: Text
    kind: Literal["text", "goal", "goals", "accounts", "money", "days"] = "text"
    title: Text | None = None  # a shorter heading for forms with choices (the web page)

    def label(self) -> str:
        """The question as a heading of a form field."""
        return (self.title or self.ask)()


QUESTIONS: tuple[Question, ...] = (
    Question(
        "business",
        Text("Чем занимается бизнес, что он продаёт?", "What does the business do and sell?"),
        Text(
            "Продукт, цены, средний чек, сезонность, конкуренты. Что отличает клиента — это "
            "будущие темы контента.",
            "Product, prices, average order, seasonality, competitors. What sets the client apart "
            "becomes the content's themes.",
        ),
    ),
    Question(
        "audience",
        Text("Кто покупатели?", "Who are the customers?"),
        Text(
            "Кто платит и кто решает: возраст, город, занятие, что их тревожит и радует. Где они "
            "проводят время — ВКонтакте, Telegram, Instagram?",
            "Who pays and who decides: age, city, occupation, what worries and pleases them. Where "
            "do they spend their time — VK, Telegram, Instagram?",
        ),
    ),
    Question(
        "real_goal",
        Text(
            "Зачем клиенту SMM — своими словами клиента?",
            "Why does the client want SMM — in the client's own words?",
        ),
        Text(
            "Копайте глубже «хочу больше подписчиков»: что должно измениться в бизнесе через "
            "полгода? Больше заявок, узнаваемость перед открытием, лояльные клиенты, которые "
            "возвращаются? Запишите ответ дословно.",
            'Dig beneath "I want more followers": what should change in the business in six '
            "months? More enquiries, being known before an opening, loyal customers who come back? "
            "Write the answer down word for word.",
        ),
    ),
    Question(
        "main_goal",
        Text(
            "Главная цель продвижения: awareness, community или sales",
            "The main goal of the promotion: awareness, community or sales",
        ),
        Text(
            "awareness — узнаваемость (охват, подписчики, упоминания); community — сообщество "
            "(вовлечённость, ER, ERR); sales — продажи (переходы, лиды, продажи). Одна главная "
            "цель: от неё зависят KPI и отчёт.",
            "awareness — being known (reach, followers, mentions); community — a community "
            "(engagement, ER, ERR); sales — sales (site visits, leads, sales). One main goal: the "
            "KPIs and the report follow from it.",
        ),
        kind="goal",
        title=Text("Главная цель продвижения", "The main goal of the promotion"),
    ),
    Question(
        "secondary_goals",
        Text(
            "Дополнительные цели (через пробел, можно пусто)",
            "Secondary goals (space-separated, may be empty)",
        ),
        Text(
            "Цели, за которыми стоит следить, но которые не решают, успешен ли месяц.",
            "Goals worth watching that do not decide whether a month went well.",
        ),
        kind="goals",
        title=Text("Дополнительные цели", "Secondary goals"),
    ),
    Question(
        "accounts",
        Text(
            "Площадки и аккаунты (id через пробел)", "Platforms and accounts (ids, space-separated)"
        ),
        Text(
            "Какие аккаунты ведём и какие статистики к ним есть. Аккаунт без данных — KPI без "
            "значения.",
            "Which accounts we run and which statistics exist for them. An account without data is "
            "a KPI without a value.",
        ),
        kind="accounts",
        title=Text("Площадки и аккаунты", "Platforms and accounts"),
    ),
    Question(
        "monthly_budget",
        Text(
            "Бюджет в месяц (контент и реклама), в валюте клиента",
            "Monthly budget (content and ads), in the client's currency",
        ),
        Text(
            "Без бюджета на рекламу охват растёт медленно — это ограничивает реалистичные цели.",
            "Without an ad budget reach grows slowly — which limits what targets are realistic.",
        ),
        kind="money",
    ),
    Question(
        "sales_cycle_days",
        Text(
            "Цикл сделки в днях (от первого контакта до покупки)",
            "Sales cycle in days (from first contact to purchase)",
        ),
        Text(
            "Долгий цикл — продажи этого месяца пришли из лидов прошлых месяцев: сравнивайте лиды, "
            "а не продажи.",
            "A long cycle means this month's sales come from earlier months' leads: compare leads, "
            "not sales.",
        ),
        kind="days",
    ),
    Question(
        "sales_closed_by",
        Text("Кто закрывает продажи?", "Who closes the sales?"),
        Text(
            "Отдел продаж, интернет-магазин, сам SMM-специалист в личных сообщениях? Продажи "
            "зависят от продажников не меньше, чем от SMM — договоритесь, за что отвечает SMM.",
            "A sales team, an online shop, the specialist in direct messages? Sales depend on the "
            "sales team as much as on SMM — agree on what SMM answers for.",
        ),
    ),
    Question(
        "success_criteria",
        Text("По чему клиент будет судить об успехе?", "What will the client judge success by?"),
        Text(
            "Что клиент посмотрит первым в отчёте? Если это не KPI цели — обсудите сейчас, а не в "
            "конце месяца.",
            "What will the client look at first in the report? If it is not a KPI of the goal, "
            "talk about it now, not at the end of the month.",
        ),
    ),
    Question(
        "notes",
        Text("Заметки (ограничения, договорённости)", "Notes (constraints, agreements)"),
        Text(
            "Сроки, согласования, запреты на темы, праздники и акции в плане.",
            "Deadlines, approvals, topics to avoid, holidays and promotions in the plan.",
        ),
    ),
)


def parse_brief(answers: dict[str, Any], source: str) -> Brief:
    """A brief from answers; an error names the question and says what is wrong."""
    try:
        return Brief.model_validate(answers)
    except ValidationError as error:
        found = problems(error, "brief")
        raise UserError(
            _("{source} is not a valid brief: {problems}").format(source=source, problems=found)
        ) from None


def read_brief_file(path: Path) -> Brief:
    """A brief from a YAML or JSON file of answers (the question fields as keys)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(
            _("{path} cannot be read: {error}").format(path=path, error=error)
        ) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:
        raise UserError(
            _("{path} is not valid YAML or JSON: {error}").format(path=path, error=error)
        ) from None
    if not isinstance(data, dict):
        raise UserError(
            _("{path} should hold the answers as keys and values (business: …).").format(path=path)
        )
    return parse_brief(data, str(path))
