"""The demo agency's briefs, plans and report commentary: each client's brief as the specialist
filled it in; a plan for the last full month and the two after it, its targets recommended from
the client's history before it — so that ``smmkpi demo`` shows plan against fact this month and
renders the last full month's reports with targets; and the specialist's commentary of those
reports."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.periods import Period
from smmkpi.planning import service
from smmkpi.planning.brief import Brief
from smmkpi.planning.plans import Plan
from smmkpi.planning.series import monthly_values, months_back
from smmkpi.planning.status import KpiStatus
from smmkpi.report.commentary import save_commentary
from smmkpi.report.model import Commentary
from smmkpi.store import revisions, rubrics
from smmkpi.store.database import Store

AUTHOR = "demo"
PLAN_MONTHS = 3

BRIEFS: dict[str, dict[str, Any]] = {
    "coffeelab": {
        "business": "Кофейня спешелти-кофе на Покровке: эспрессо, альтернатива, зерно с собой.",
        "audience": "Москвичи 22–40 лет, работают рядом, любят пробовать новое; студенты.",
        "real_goal": "«Хочу, чтобы про нас знали в районе: к весне откроем вторую точку.»",
        "main_goal": "awareness",
        "secondary_goals": ["community"],
        "accounts": ["coffeelab-vk", "coffeelab-tg", "coffeelab-ig"],
        "monthly_budget": "60000",
        "sales_closed_by": "Бариста в кофейне; онлайн-продаж нет.",
        "success_criteria": "Охват и упоминания растут, о кофейне пишут сами гости.",
        "notes": "Розыгрыш в июле дал всплеск подписчиков — не считать его нормой.",
    },
    "fitnest": {
        "business": "Фитнес-студия в Екатеринбурге: групповые тренировки, абонементы.",
        "audience": "Женщины 25–45 лет, живут или работают рядом.",
        "real_goal": "«Чтобы люди оставались с нами и приводили друзей.»",
        "main_goal": "community",
        "accounts": ["fitnest-vk", "fitnest-tg", "fitnest-ig"],
        "monthly_budget": "25000",
        "success_criteria": "Активный чат, комментарии под постами, отзывы.",
    },
    "homedecor": {
        "business": "Мебель и декор с доставкой по Санкт-Петербургу, средний чек 55 000 ₽.",
        "audience": "Пары 28–45 лет после покупки квартиры или ремонта.",
        "real_goal": "«Нужны заявки из соцсетей, а не лайки.»",
        "main_goal": "sales",
        "accounts": ["homedecor-vk", "homedecor-ig"],
        "monthly_budget": "150000",
        "sales_cycle_days": 14,
        "sales_closed_by": "Отдел продаж (два менеджера в amoCRM).",
        "success_criteria": "Лиды из соцсетей и их стоимость; продажи — вместе с отделом продаж.",
    },
    "pacificbrew": {
        "business": "Coffee roastery in Los Angeles with a café and an online shop.",
        "audience": "Coffee lovers in LA, 25–45; home brewers who buy beans online.",
        "real_goal": '"We want regulars who talk to us and to each other."',
        "main_goal": "community",
        "accounts": ["pacificbrew-ig", "pacificbrew-fb", "pacificbrew-yt"],
        "monthly_budget": "2500",
        "success_criteria": "Comments and shares on Instagram; questions under the videos.",
    },
}


COMMENTS: dict[str, Commentary] = {
    "coffeelab": Commentary(
        "Охват вырос за счёт серии роликов о зерне недели; упоминаний больше — гости стали "
        "отмечать кофейню сами. Отписки в норме: всплеск после июльского розыгрыша прошёл.",
        "Две серии роликов в неделю; конкурс фото с #кофелаб к открытию второй точки; посевы в "
        "районных каналах Покровки.",
    ),
    "fitnest": Commentary(
        "Комментарии держатся на уровне плана благодаря рубрике «вопрос тренеру»; репостов меньше "
        "— в октябре не было челленджа.",
        "Запустить ноябрьский челлендж с отчётами участниц в чате; опросы в Telegram раз в неделю.",
    ),
    "homedecor": Commentary(
        "Заявок из соцсетей больше, чем в сентябре, и дешевле; продажи зависят от скорости ответа "
        "менеджеров — в среднем 3 часа, цель — 30 минут.",
        "Перенести бюджет из охватных кампаний в ретаргетинг на посетителей каталога; договориться "
        "с отделом продаж о времени ответа.",
    ),
    "pacificbrew": Commentary(
        "Comments grew with the brew-guide series; shares dipped without a giveaway.",
        "Two brew guides a week and a Q&A live with the roaster.",
    ),
}


RUBRICS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "fitnest": {
        "Тренировки": [("contains", "тренировк"), ("contains", "технику")],
        "Челленджи": [("contains", "челлендж")],
        "Истории клиентов": [("contains", "история участницы")],
        "Вовлекающие": [("contains", "голосование"), ("contains", "вопрос тренеру")],
    },
    "pacificbrew": {
        "Coffee": [("contains", "single origin"), ("contains", "green coffee")],
        "Brewing": [("contains", "cold brew"), ("contains", "recipe")],
        "Events": [("contains", "cupping")],
        "Behind the scenes": [("contains", "roaster"), ("contains", "behind the label")],
    },
}
"""The content rubrics of the demo's community clients (``smmkpi rubric``)."""


def brief_and_plan(
    store: Store, as_of: date, rules: SocialRules | None = None
) -> tuple[dict[str, Plan], dict[str, list[KpiStatus]]]:
    """Save each client's brief and, unless it has one, a plan from the last full month (the
    plan of an existing demo workspace stays as it was); the commentary of the last full
    month's report; then each plan against fact this month as of ``as_of``."""
    current = Period.of_month(as_of)
    start = current.previous_month()
    # the history before the plan, and the last full month the status looks back on too
    months = months_back(start, service.DEFAULT_HISTORY_MONTHS + 1)
    monthly = monthly_values(store, list(BRIEFS), months, rules)
    now = datetime.now(UTC)
    plans = {}
    for client_id, answers in BRIEFS.items():
        with store.transaction():
            revisions.save_brief(
                store.con, client_id, Brief.model_validate(answers).answers(), AUTHOR, None, now
            )
        if client_id in COMMENTS:
            save_commentary(store, client_id, start, COMMENTS[client_id], AUTHOR)
        with store.transaction():
            for rubric, rules_of in RUBRICS.get(client_id, {}).items():
                rubrics.add_rules(store.con, client_id, rubric, rules_of, now)
        plan_id = f"{client_id}-{start.label()}"
        if plan_id in revisions.plan_ids(store.con, client_id):
            plans[client_id] = service.load(store, plan_id)
            continue
        plan, _history, _warnings, _notes = service.new_plan(
            store,
            client_id,
            start,
            PLAN_MONTHS,
            plan_id=plan_id,
            rules=rules,
            monthly={k: v[:-1] for k, v in monthly[client_id].items()},
        )
        service.save(store, plan, AUTHOR, "demo: targets recommended from the history")
        plans[client_id] = plan
    statuses = service.statuses(store, list(plans.values()), current, as_of, rules, monthly)
    return plans, statuses
