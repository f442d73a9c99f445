"""From goals to a KPI set (spec/metrics.md, "Goals and their default KPI sets"): the main goal's
main and secondary KPIs, and the main KPIs of the secondary goals as secondary ones — each with
the reason it is there and its caveat. The specialist adds and removes KPIs; two warnings keep
useless numbers out of the report: a KPI that serves none of the client's goals, and a main KPI
the data imported so far cannot compute (with what to import).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from smmkpi.errors import UnknownChoiceError
from smmkpi.i18n import _
from smmkpi.metrics.catalogue import KPIS_BY_ID, goal_kpis
from smmkpi.metrics.goals import goal_list
from smmkpi.metrics.inputs import INPUTS_BY_ID
from smmkpi.metrics.model import Kpi, Role, Text

MAIN, SECONDARY, ADDED = "main", "secondary", "added"

# Why a KPI answers its goal, in the words of the founding article where it has them.
REASONS: dict[str, Text] = {
    "followers": Text(
        "Размер аудитории, до которой бренд может достучаться без рекламы.",
        "The size of the audience the brand reaches without ads.",
    ),
    "net_follower_growth": Text(
        "Чистый прирост: сколько людей за месяц стали следить за брендом.",
        "Net growth: how many more people follow the brand this month.",
    ),
    "follower_growth_rate": Text(
        "Темп роста — прирост относительно размера аккаунта, сравним между месяцами.",
        "The growth rate — growth relative to the account's size, comparable month to month.",
    ),
    "audience_renewal_rate": Text(
        "Обновляемость: приходит ли к бренду новая аудитория.",
        "Renewal: whether new people come to the brand.",
    ),
    "reach": Text(
        "Охват — сколько людей увидели контент; ядро узнаваемости.",
        "Reach — how many people saw the content; the core of awareness.",
    ),
    "post_reach_organic": Text(
        "Органический охват — сколько людей видят контент без рекламы.",
        "Organic reach — people who see the content without ads.",
    ),
    "post_reach_viral": Text(
        "Вирусный охват — контент, которым делятся, уводит бренд за пределы подписчиков.",
        "Viral reach — shared content takes the brand beyond its followers.",
    ),
    "post_reach_paid": Text(
        "Рекламный охват — что даёт бюджет; отделяет купленное от заработанного.",
        "Paid reach — what the budget buys; separates bought from earned.",
    ),
    "mentions": Text(
        "Упоминания — как часто о бренде говорят сами люди.",
        "Mentions — how often people talk about the brand on their own.",
    ),
    "branded_hashtag_posts": Text(
        "Публикации с брендовыми хештегами — насколько глубоки отношения с аудиторией.",
        "Posts with the brand's hashtags — how deep the relationship with the audience goes.",
    ),
    "churn_rate": Text(
        "Отток — не теряет ли аккаунт тех, кого уже привлёк.",
        "Churn — whether the account keeps the people it has won.",
    ),
    "impressions": Text(
        "Показы — сколько раз контент был показан, вместе с повторами.",
        "Impressions — how many times the content was shown, repeats included.",
    ),
    "avg_post_reach": Text(
        "Средний охват публикации — качество контента без влияния частоты постинга.",
        "Average post reach — content quality regardless of how often it is posted.",
    ),
    "organic_reach_share": Text(
        "Доля органики в охвате публикаций.", "The organic share of post reach."
    ),
    "viral_reach_share": Text(
        "Доля вирусного охвата в охвате публикаций.", "The viral share of post reach."
    ),
    "paid_reach_share": Text("Доля рекламы в охвате публикаций.", "The paid share of post reach."),
    "er": Text(
        "ER — какая доля подписчиков взаимодействует с публикациями: живое ли сообщество.",
        "ER — what share of followers interacts with the posts: whether the community is alive.",
    ),
    "err": Text(
        "ERR — какая доля увидевших публикацию на неё отреагировала.",
        "ERR — what share of the people who saw a post reacted to it.",
    ),
    "like_rate": Text(
        "Like Rate — какая доля подписчиков ставит лайки.",
        "Like Rate — what share of followers likes the posts.",
    ),
    "talk_rate": Text(
        "Talk Rate — какая доля подписчиков комментирует: разговор, а не просмотр.",
        "Talk Rate — what share of followers comments: conversation, not just viewing.",
    ),
    "amplification_rate": Text(
        "Amplification Rate — готовы ли подписчики делиться контентом.",
        "Amplification Rate — whether followers are willing to share the content.",
    ),
    "er_day": Text(
        "ER в день — вовлечённость с поправкой на длину периода.",
        "ER per day — engagement adjusted for the period's length.",
    ),
    "interactions": Text(
        "Взаимодействия — абсолютное число реакций на контент.",
        "Interactions — the absolute number of reactions to the content.",
    ),
    "posts": Text(
        "Публикации — сколько контента вышло; объясняет остальные цифры.",
        "Posts — how much content went out; explains the other figures.",
    ),
    "site_sessions": Text(
        "Переходы на сайт из соцсетей (по UTM-меткам) — первый шаг к покупке.",
        "Site visits from social media (by UTM tags) — the first step to a purchase.",
    ),
    "link_clicks": Text(
        "Клики по ссылке в профиле — интерес к предложению.",
        "Clicks on the profile's link — interest in the offer.",
    ),
    "contact_clicks": Text(
        "Клики по контактам — человек готовится позвонить или написать.",
        "Clicks on contacts — the person is about to call or write.",
    ),
    "location_clicks": Text(
        "Клики по адресу — человек собирается прийти.",
        "Clicks on the address — the person is about to come.",
    ),
    "leads": Text(
        "Лиды — люди, оставившие контакты или заявку.",
        "Leads — people who left their contacts or applied.",
    ),
    "sales": Text("Продажи — итог воронки.", "Sales — the end of the funnel."),
    "post_link_clicks": Text(
        "Клики по ссылкам в публикациях — какой контент ведёт на сайт.",
        "Clicks on links in posts — which content leads to the site.",
    ),
    "profile_visits": Text(
        "Посещения профиля — интерес после контента.",
        "Profile visits — interest after the content.",
    ),
    "revenue": Text("Выручка из соцсетей.", "Revenue from social media."),
    "cpl": Text(
        "CPL — во сколько обходится лид; сравним с другими каналами.",
        "CPL — what a lead costs; comparable with other channels.",
    ),
    "cost_per_sale": Text("Стоимость продажи.", "The cost of a sale."),
    "romi": Text("ROMI — окупаемость рекламы.", "ROMI — the return on ad spend."),
    "lead_conversion_rate": Text(
        "Конверсия визита в лид — работает ли сайт с трафиком из соцсетей.",
        "Visit-to-lead conversion — whether the site converts social traffic.",
    ),
    "lead_to_sale_rate": Text(
        "Конверсия лида в продажу — качество лидов (и работа продажников).",
        "Lead-to-sale conversion — lead quality (and the sales team's work).",
    ),
}

# What to import for the data a table holds.
IMPORT_HINTS: dict[str, Text] = {
    "account_daily": Text(
        "дневную статистику аккаунтов (stats.get ВКонтакте, статистику Telegram, insights Meta)",
        "the accounts' daily statistics (VK stats.get, Telegram statistics, Meta insights)",
    ),
    "posts": Text(
        "публикации со счётчиками (wall.get, выгрузку Telegram Desktop, выгрузку публикаций Meta)",
        "the posts with their counters (wall.get, the Telegram Desktop export, Meta post exports)",
    ),
    "mentions": Text(
        "упоминания из системы мониторинга (Brand Analytics, YouScan)",
        "mentions from a listening tool (Brand Analytics, YouScan)",
    ),
    "web_sessions": Text(
        "визиты по UTM-меткам из Яндекс Метрики или GA4",
        "visits by UTM tags from Yandex Metrica or GA4",
    ),
    "leads": Text("сделки из CRM (amoCRM, Битрикс24)", "deals from the CRM (amoCRM, Bitrix24)"),
    "sales": Text("сделки из CRM (amoCRM, Битрикс24)", "deals from the CRM (amoCRM, Bitrix24)"),
    "ad_spend": Text(
        "расходы на рекламу (VK Реклама, Яндекс Директ, Meta Ads)",
        "ad spend (VK Ads, Yandex Direct, Meta Ads)",
    ),
}


@dataclass(frozen=True)
class KpiChoice:
    """A KPI of a client's set: its role, the goals it serves, why it is there."""

    kpi: Kpi
    role: str  # main, secondary, or added by the specialist
    goals: tuple[str, ...]  # the client's goals it serves

    def reason(self) -> str:
        """Why the KPI is in the set, in the current language — without the KPI's name again
        when the reason starts with it ("CPL — what a lead costs" beside "CPL (cost per
        lead)" says "what a lead costs")."""
        text = REASONS.get(self.kpi.id, self.kpi.description)()
        head, dash, rest = text.partition(" — ")
        if dash and self.kpi.label().lower().startswith(head.split(" (")[0].lower()):
            return rest[:1].upper() + rest[1:]
        return text

    @property
    def caveat(self) -> Text | None:
        return self.kpi.caveat


def default_set(goals: Sequence[str]) -> list[KpiChoice]:
    """The KPI set of ``goals`` (the main goal first): its main and secondary KPIs, and the
    main KPIs of the other goals as secondary ones."""
    chosen: dict[str, str] = {}
    main, *others = goals
    for kpi in goal_kpis(main, (Role.MAIN,)):
        chosen[kpi.id] = MAIN
    for kpi in goal_kpis(main, (Role.SECONDARY,)):
        chosen.setdefault(kpi.id, SECONDARY)
    for goal in others:
        for kpi in goal_kpis(goal, (Role.MAIN,)):
            chosen.setdefault(kpi.id, SECONDARY)
    return [choice(kpi_id, role, goals) for kpi_id, role in chosen.items()]


def choice(kpi_id: str, role: str, goals: Sequence[str]) -> KpiChoice:
    kpi = KPIS_BY_ID.get(kpi_id)
    if kpi is None:
        raise UnknownChoiceError(_("KPI"), kpi_id, KPIS_BY_ID)
    return KpiChoice(kpi, role, tuple(g for g in goals if g in kpi.goals))


def edited(
    current: Sequence[KpiChoice],
    goals: Sequence[str],
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
) -> list[KpiChoice]:
    """``current`` with KPIs added (role ``added``) and removed, by id."""
    removed = {k.strip().lower() for k in remove}
    for kpi_id in removed:
        if kpi_id not in KPIS_BY_ID:
            raise UnknownChoiceError(_("KPI"), kpi_id, KPIS_BY_ID)
    kept = [c for c in current if c.kpi.id not in removed]
    present = {c.kpi.id for c in kept}
    for kpi_id in (k.strip().lower() for k in add):
        if kpi_id not in present:
            kept.append(choice(kpi_id, ADDED, goals))
            present.add(kpi_id)
    return kept


@dataclass(frozen=True)
class SetWarning:
    kpi_id: str
    text: str


def warnings(
    chosen: Sequence[KpiChoice], goals: Sequence[str], computable: set[str] | None
) -> list[SetWarning]:
    """What to tell the specialist about a set: KPIs that serve none of the client's goals
    ("no useless numbers"), and main KPIs the imported data cannot compute (``computable``:
    the KPIs that had a value over the history; None when unknown)."""
    found = []
    for item in chosen:
        if not item.goals:
            served = goal_list(sorted(item.kpi.goals)) or _("no goal")
            found.append(
                SetWarning(
                    item.kpi.id,
                    _(
                        "{kpi} serves none of the client's goals ({goals}; it serves {served}): a "
                        "number the report does not need."
                    ).format(kpi=item.kpi.label(), goals=goal_list(goals), served=served),
                )
            )
        if computable is not None and item.role == MAIN and item.kpi.id not in computable:
            tables = dict.fromkeys(INPUTS_BY_ID[i].table for i in item.kpi.inputs)
            hints = "; ".join(IMPORT_HINTS[t]() for t in tables if t in IMPORT_HINTS)
            found.append(
                SetWarning(
                    item.kpi.id,
                    _(
                        "{kpi} is a main KPI, but the data imported so far cannot compute it. "
                        "Import {what}."
                    ).format(kpi=item.kpi.label(), what=hints),
                )
            )
    return found
