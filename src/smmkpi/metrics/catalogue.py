"""The KPI catalogue of spec/metrics.md v1: every KPI declared once.

`smmkpi kpi list`, `smmkpi kpi show ID`, the JSON output, the docs page
``docs/kpi-catalogue.md`` and the reports' methodology appendix are all generated from these
declarations. A variant of a KPI (another denominator, another interaction set) is a new entry
with its own id, never a change of an existing one.
"""

from __future__ import annotations

from smmkpi.errors import UnknownChoiceError
from smmkpi.i18n import _
from smmkpi.metrics.model import (
    Direction,
    Kpi,
    Level,
    Ratio,
    Role,
    Section,
    Text,
    Total,
    Unit,
)

A, C = Level.ACCOUNT, Level.CLIENT
MAIN, SECONDARY = Role.MAIN, Role.SECONDARY
AWARENESS, COMMUNITY, SALES = "awareness", "community", "sales"

HARD_TO_MOVE = Text(
    "Like Rate и Talk Rate трудно сдвинуть одним контентом.",
    "Like rate and talk rate are hard to move by content alone.",
)
SALES_TEAM = Text(
    "Продажи и выручка зависят от отдела продаж не меньше, чем от SMM.",
    "Sales and revenue depend on the sales team as much as on SMM.",
)
SPEND_SCOPE = Text(
    "Считается по всем рекламным расходам клиента за период; чтобы получить показатель именно "
    "для соцсетей, загружайте расходы только социальных кампаний.",
    "Uses all ad spend imported for the client in the period; import only the social "
    "campaigns' spend to get a social-only figure.",
)


def _kpi(
    id_: str,
    section: Section,
    level: Level,
    unit: Unit,
    label: tuple[str, str],
    description: tuple[str, str],
    formula_text: tuple[str, str],
    formula: Total | Ratio,
    *,
    direction: Direction = Direction.HIGHER,
    goals: dict[str, Role] | None = None,
    caveat: Text | None = None,
) -> Kpi:
    return Kpi(
        id=id_,
        section=section,
        level=level,
        unit=unit,
        label=Text(*label),
        description=Text(*description),
        formula_text=Text(*formula_text),
        formula=formula,
        direction=direction,
        goals=goals or {},
        caveat=caveat,
    )


F, R, M, E, S = (
    Section.FOLLOWERS,
    Section.REACH,
    Section.MENTIONS,
    Section.ENGAGEMENT,
    Section.FUNNEL,
)
COUNT, NUMBER, PERCENT, MONEY = Unit.COUNT, Unit.NUMBER, Unit.PERCENT, Unit.MONEY

KPIS: tuple[Kpi, ...] = (
    # -- Followers -------------------------------------------------------------------------------
    _kpi(
        "followers",
        F,
        A,
        COUNT,
        ("Подписчики", "Followers"),
        ("Число подписчиков на конец периода.", "Followers at the end of the period."),
        (
            "подписчики в последний день периода с известным значением",
            "followers on the latest day of the period with a known value",
        ),
        Total("followers_end"),
        goals={AWARENESS: MAIN},
    ),
    _kpi(
        "followers_start",
        F,
        A,
        COUNT,
        ("Подписчики на начало", "Followers at start"),
        (
            "Число подписчиков перед началом периода: база для темпа роста и оттока.",
            "Followers just before the period: the base of growth and churn rates.",
        ),
        (
            "подписчики в последний известный день до периода (не дальше 31 дня); если такого "
            "нет — в первый известный день периода",
            "followers on the latest day before the period with a known value, looking back at "
            "most 31 days; if none, the earliest known value inside the period",
        ),
        Total("followers_start"),
    ),
    _kpi(
        "followers_avg",
        F,
        A,
        NUMBER,
        ("Подписчики в среднем", "Average followers"),
        (
            "Среднее число подписчиков за дни периода; с ним сравниваются взаимодействия (ER).",
            "Mean follower count over the period; the base interactions are measured against (ER).",
        ),
        (
            "среднее известных дневных значений подписчиков за период",
            "mean of the known daily follower counts of the period",
        ),
        Total("followers_avg"),
    ),
    _kpi(
        "followers_gained",
        F,
        A,
        COUNT,
        ("Новые подписчики", "Followers gained"),
        ("Сколько человек подписалось за период.", "How many people followed during the period."),
        ("Σ followers_gained за дни периода", "Σ followers_gained over the period's days"),
        Total("followers_gained"),
    ),
    _kpi(
        "followers_lost",
        F,
        A,
        COUNT,
        ("Отписки", "Followers lost"),
        ("Сколько человек отписалось за период.", "How many people unfollowed during the period."),
        ("Σ followers_lost за дни периода", "Σ followers_lost over the period's days"),
        Total("followers_lost"),
        # spec/metrics.md lists only churn_rate, cpl and cost_per_sale as lower-is-better; losing
        # fewer followers is better too (docs/concepts.md, "Readings of the spec").
        direction=Direction.LOWER,
    ),
    _kpi(
        "net_follower_growth",
        F,
        A,
        COUNT,
        ("Чистый прирост подписчиков", "Net follower growth"),
        ("Подписки минус отписки за период.", "Follows minus unfollows during the period."),
        (
            "новые − отписки, если оба известны; иначе подписчики − подписчики на начало",
            "followers_gained − followers_lost when both are known; otherwise followers − "
            "followers_start",
        ),
        Total("net_follower_growth"),
        goals={AWARENESS: MAIN},
    ),
    _kpi(
        "follower_growth_rate",
        F,
        A,
        PERCENT,
        ("Темп роста подписчиков", "Follower growth rate"),
        (
            "На сколько процентов выросло число подписчиков за период.",
            "By how many percent the follower count grew in the period.",
        ),
        (
            "(подписчики − подписчики на начало) / подписчики на начало × 100",
            "(followers − followers_start) / followers_start × 100",
        ),
        Ratio("followers_change", "followers_start", 100),
        goals={AWARENESS: MAIN},
    ),
    _kpi(
        "churn_rate",
        F,
        A,
        PERCENT,
        ("Отток подписчиков", "Churn rate"),
        (
            "Доля аудитории, отписавшейся за период; чем ниже, тем лучше.",
            "The share of the audience that unfollowed in the period; lower is better.",
        ),
        ("отписки / подписчики на начало × 100", "followers_lost / followers_start × 100"),
        Ratio("followers_lost", "followers_start", 100),
        direction=Direction.LOWER,
        goals={AWARENESS: SECONDARY},
    ),
    _kpi(
        "audience_renewal_rate",
        F,
        A,
        PERCENT,
        ("Обновляемость аудитории", "Audience renewal rate"),
        (
            "Доля аудитории, которая новая в этом периоде.",
            "The share of the audience that is new this period.",
        ),
        (
            "новые подписчики / подписчики на начало × 100",
            "followers_gained / followers_start × 100",
        ),
        Ratio("followers_gained", "followers_start", 100),
        goals={AWARENESS: MAIN},
    ),
    # -- Reach -----------------------------------------------------------------------------------
    _kpi(
        "reach",
        R,
        A,
        COUNT,
        ("Охват (сумма дневных)", "Reach (sum of daily)"),
        (
            "Сумма дневного уникального охвата аккаунта за период.",
            "The sum of the account's daily unique reach over the period.",
        ),
        ("Σ дневного reach за дни периода", "Σ daily reach over the period's days"),
        Total("reach"),
        goals={AWARENESS: MAIN},
        caveat=Text(
            "Это сумма дневного уникального охвата, а не число разных людей за период.",
            "This sums daily unique reach; it is not the number of different people reached.",
        ),
    ),
    _kpi(
        "impressions",
        R,
        A,
        COUNT,
        ("Показы", "Impressions"),
        (
            "Сколько раз контент аккаунта был показан.",
            "How many times the account's content was shown.",
        ),
        ("Σ дневных impressions за дни периода", "Σ daily impressions over the period's days"),
        Total("impressions"),
        goals={AWARENESS: SECONDARY},
    ),
    _kpi(
        "post_reach",
        R,
        A,
        COUNT,
        ("Охват публикаций", "Post reach"),
        ("Суммарный охват публикаций периода.", "The total reach of the period's posts."),
        ("Σ reach публикаций периода", "Σ reach of posts in P"),
        Total("post_reach"),
    ),
    _kpi(
        "avg_post_reach",
        R,
        A,
        NUMBER,
        ("Средний охват публикации", "Average post reach"),
        ("Охват одной публикации в среднем.", "The reach of one post on average."),
        (
            "охват публикаций / число публикаций с известным охватом",
            "post_reach / number of posts in P with known reach",
        ),
        Ratio("post_reach", "posts_with_reach"),
        goals={AWARENESS: SECONDARY},
    ),
    _kpi(
        "post_reach_organic",
        R,
        A,
        COUNT,
        ("Органический охват", "Organic post reach"),
        ("Охват публикаций без рекламы и репостов.", "Post reach without ads and without reposts."),
        ("Σ reach_organic публикаций периода", "Σ reach_organic over P"),
        Total("post_reach_organic"),
        goals={AWARENESS: MAIN},
    ),
    _kpi(
        "post_reach_viral",
        R,
        A,
        COUNT,
        ("Вирусный охват", "Viral post reach"),
        (
            "Охват через репосты среди тех, кто не подписан.",
            "Reach through reposts among people who don't follow the account.",
        ),
        ("Σ reach_viral публикаций периода", "Σ reach_viral over P"),
        Total("post_reach_viral"),
        goals={AWARENESS: MAIN},
    ),
    _kpi(
        "post_reach_paid",
        R,
        A,
        COUNT,
        ("Рекламный охват", "Paid post reach"),
        ("Охват публикаций через рекламу.", "Post reach through advertising."),
        ("Σ reach_paid публикаций периода", "Σ reach_paid over P"),
        Total("post_reach_paid"),
        goals={AWARENESS: MAIN},
    ),
    _kpi(
        "organic_reach_share",
        R,
        A,
        PERCENT,
        ("Доля органического охвата", "Organic reach share"),
        ("Какая часть охвата публикаций органическая.", "The organic part of post reach."),
        (
            "органический / (органический + вирусный + рекламный) × 100 по публикациям, где "
            "известны все три",
            "organic / (organic + viral + paid) × 100, over posts in P where all three are known",
        ),
        Ratio("split_organic", "split_total", 100),
        goals={AWARENESS: SECONDARY},
    ),
    _kpi(
        "viral_reach_share",
        R,
        A,
        PERCENT,
        ("Доля вирусного охвата", "Viral reach share"),
        ("Какая часть охвата публикаций пришла через репосты.", "The viral part of post reach."),
        (
            "вирусный / (органический + вирусный + рекламный) × 100 по публикациям, где "
            "известны все три",
            "viral / (organic + viral + paid) × 100, over posts in P where all three are known",
        ),
        Ratio("split_viral", "split_total", 100),
        goals={AWARENESS: SECONDARY},
    ),
    _kpi(
        "paid_reach_share",
        R,
        A,
        PERCENT,
        ("Доля рекламного охвата", "Paid reach share"),
        ("Какая часть охвата публикаций куплена рекламой.", "The paid part of post reach."),
        (
            "рекламный / (органический + вирусный + рекламный) × 100 по публикациям, где известны "
            "все три",
            "paid / (organic + viral + paid) × 100, over posts in P where all three are known",
        ),
        Ratio("split_paid", "split_total", 100),
        goals={AWARENESS: SECONDARY},
    ),
    # -- Mentions --------------------------------------------------------------------------------
    _kpi(
        "mentions",
        M,
        C,
        COUNT,
        ("Упоминания", "Mentions"),
        (
            "Публикации других людей о бренде за период.",
            "Publications by others about the brand in the period.",
        ),
        (
            "число упоминаний, опубликованных в периоде",
            "number of mentions published in the period",
        ),
        Total("mentions"),
        goals={AWARENESS: MAIN},
    ),
    _kpi(
        "branded_hashtag_posts",
        M,
        C,
        COUNT,
        ("Публикации с брендовыми хештегами", "Branded hashtag posts"),
        (
            "Упоминания, в которых есть хештег бренда: насколько глубоко отношения с аудиторией.",
            "Mentions that carry a brand hashtag: how deep the relationship with the audience "
            "goes.",
        ),
        (
            "число упоминаний периода, в тексте которых есть хотя бы один хештег бренда (NFKC, без "
            "учёта регистра, тег целиком)",
            "number of mentions in the period whose text carries at "
            "least one brand hashtag (NFKC, case-folded, whole tag)",
        ),
        Total("branded_hashtag_posts"),
        goals={AWARENESS: MAIN},
    ),
    # -- Engagement ------------------------------------------------------------------------------
    _kpi(
        "posts",
        E,
        A,
        COUNT,
        ("Публикации", "Posts"),
        ("Сколько публикаций вышло за период.", "How many posts were published in the period."),
        ("число публикаций периода", "number of posts in P"),
        Total("posts"),
        goals={COMMUNITY: SECONDARY},
    ),
    _kpi(
        "interactions",
        E,
        A,
        COUNT,
        ("Взаимодействия", "Interactions"),
        (
            "Лайки, комментарии, репосты и сохранения публикаций периода.",
            "Likes, comments, shares and saves of the period's posts.",
        ),
        (
            "Σ (лайки + комментарии + репосты + сохранения) публикаций периода; неизвестная часть "
            "считается 0, публикация без всех четырёх — неизвестна",
            "Σ interactions(p) over P, interactions(p) = likes + comments + shares + saves, an "
            "unknown part counting 0, NULL when all four are unknown",
        ),
        Total("interactions"),
        goals={COMMUNITY: SECONDARY},
    ),
    _kpi(
        "er",
        E,
        A,
        PERCENT,
        ("ER (по подписчикам)", "ER (by followers)"),
        (
            "Какой процент подписчиков в среднем взаимодействует с публикацией.",
            "What percentage of followers interacts with a post on average.",
        ),
        (
            "Σ взаимодействий / Σ F(p) × 100 по публикациям с известными взаимодействиями и F; "
            "F(p) — среднее число подписчиков аккаунта за период",
            "Σ interactions(p) / Σ F(p) × 100, over posts in P with known interactions and F; "
            "F(p) = followers_avg of the post's account",
        ),
        Ratio("interactions", "er_base", 100),
        goals={COMMUNITY: MAIN},
    ),
    _kpi(
        "like_rate",
        E,
        A,
        PERCENT,
        ("Like Rate", "Like rate"),
        (
            "Какой процент подписчиков в среднем ставит лайк публикации.",
            "What percentage of followers likes a post on average.",
        ),
        (
            "Σ лайков / Σ F(p) × 100 по публикациям с известными лайками и F",
            "Σ likes / Σ F(p) × 100 (posts with known likes and F)",
        ),
        Ratio("likes", "likes_base", 100),
        goals={COMMUNITY: MAIN},
        caveat=HARD_TO_MOVE,
    ),
    _kpi(
        "talk_rate",
        E,
        A,
        PERCENT,
        ("Talk Rate", "Talk rate"),
        (
            "Какой процент подписчиков в среднем комментирует публикацию.",
            "What percentage of followers comments on a post on average.",
        ),
        (
            "Σ комментариев / Σ F(p) × 100 по публикациям с известными комментариями и F",
            "Σ comments / Σ F(p) × 100 (posts with known comments and F)",
        ),
        Ratio("comments", "comments_base", 100),
        goals={COMMUNITY: MAIN},
        caveat=HARD_TO_MOVE,
    ),
    _kpi(
        "amplification_rate",
        E,
        A,
        PERCENT,
        ("Amplification Rate (репосты)", "Amplification rate"),
        (
            "Какой процент подписчиков в среднем делится публикацией.",
            "What percentage of followers shares a post on average.",
        ),
        (
            "Σ репостов / Σ F(p) × 100 по публикациям с известными репостами и F",
            "Σ shares / Σ F(p) × 100 (posts with known shares and F)",
        ),
        Ratio("shares", "shares_base", 100),
        goals={COMMUNITY: SECONDARY},
    ),
    _kpi(
        "er_day",
        E,
        A,
        PERCENT,
        ("ER day (в день)", "ER day"),
        (
            "Вовлечённость в среднем за день периода, включая дни без публикаций.",
            "Engagement per day of the period, days without posts included.",
        ),
        (
            "Σ по аккаунтам взаимодействий / Σ по аккаунтам (дней в периоде × подписчики в "
            "среднем) × 100",
            "Σ over accounts of interactions in P / Σ over accounts of (days in D × "
            "followers_avg) × 100, over accounts with known followers_avg and interactions",
        ),
        Ratio("interactions", "er_day_base", 100),
        goals={COMMUNITY: SECONDARY},
    ),
    _kpi(
        "err",
        E,
        A,
        PERCENT,
        ("ERR (по охвату)", "ERR (by reach)"),
        (
            "Какой процент увидевших публикацию взаимодействовал с ней.",
            "What percentage of the people reached interacted with a post.",
        ),
        (
            "Σ взаимодействий / Σ охвата × 100 по публикациям с известными взаимодействиями и "
            "охватом > 0",
            "Σ interactions(p) / Σ reach(p) × 100, over posts in P with known "
            "interactions and reach > 0",
        ),
        Ratio("err_interactions", "err_reach", 100),
        goals={COMMUNITY: MAIN},
    ),
    _kpi(
        "view_rate",
        E,
        A,
        PERCENT,
        ("Просмотры на подписчика (View Rate)", "View rate"),
        (
            "Просмотры публикации на подписчика; TGStat называет это ERR.",
            "Post views per follower; TGStat calls this ERR.",
        ),
        (
            "Σ просмотров / Σ F(p) × 100 по публикациям с известными просмотрами и F",
            "Σ views(p) / Σ F(p) × 100 (posts with known views and F)",
        ),
        Ratio("views", "views_base", 100),
        caveat=Text(
            "В TGStat этот показатель называется ERR; здесь ERR — взаимодействия на охват.",
            "TGStat calls this ERR; here ERR is interactions per reach.",
        ),
    ),
    # -- Sales funnel ----------------------------------------------------------------------------
    _kpi(
        "link_clicks",
        S,
        A,
        COUNT,
        ("Клики по ссылке в профиле", "Profile link clicks"),
        (
            "Клики по ссылке на сайт в профиле или сообществе.",
            "Clicks on the website link of the profile or community.",
        ),
        ("Σ дневных link_clicks", "Σ daily link_clicks"),
        Total("link_clicks"),
        goals={SALES: MAIN},
    ),
    _kpi(
        "post_link_clicks",
        S,
        A,
        COUNT,
        ("Клики по ссылкам в публикациях", "Post link clicks"),
        ("Клики по ссылкам внутри публикаций периода.", "Clicks on links in the period's posts."),
        ("Σ link_clicks публикаций периода", "Σ link_clicks of posts in P"),
        Total("post_link_clicks"),
        goals={SALES: SECONDARY},
    ),
    _kpi(
        "profile_visits",
        S,
        A,
        COUNT,
        ("Посещения профиля", "Profile visits"),
        ("Визиты на страницу профиля или сообщества.", "Visits to the profile or community page."),
        ("Σ дневных profile_visits", "Σ daily profile_visits"),
        Total("profile_visits"),
        goals={SALES: SECONDARY},
    ),
    _kpi(
        "contact_clicks",
        S,
        A,
        COUNT,
        ("Клики по контактам", "Contact clicks"),
        (
            "Клики по телефону, почте, «написать» — человек готовится купить.",
            "Clicks on phone, e-mail, message buttons — a person getting ready to buy.",
        ),
        ("Σ дневных contact_clicks", "Σ daily contact_clicks"),
        Total("contact_clicks"),
        goals={SALES: MAIN},
    ),
    _kpi(
        "location_clicks",
        S,
        A,
        COUNT,
        ("Клики по адресу", "Location clicks"),
        ("Клики по адресу и «как добраться».", "Clicks on the address and directions."),
        ("Σ дневных location_clicks", "Σ daily location_clicks"),
        Total("location_clicks"),
        goals={SALES: MAIN},
    ),
    _kpi(
        "site_sessions",
        S,
        C,
        COUNT,
        ("Переходы на сайт из соцсетей", "Site sessions from social"),
        (
            "Визиты на сайт, пришедшие из соцсетей (по UTM-меткам).",
            "Site visits that came from social media (by UTM tags).",
        ),
        (
            "Σ sessions социальных визитов (см. атрибуцию соцсетей)",
            "Σ sessions of social web sessions (see social attribution)",
        ),
        Total("site_sessions"),
        goals={SALES: MAIN},
    ),
    _kpi(
        "site_goal_completions",
        S,
        C,
        COUNT,
        ("Цели на сайте из соцсетей", "Site goals from social"),
        (
            "Заявки, заказы и другие цели сайта из соцсетей.",
            "Forms, orders and other site goals reached from social media.",
        ),
        ("Σ goal_completions социальных визитов", "Σ goal_completions of social web sessions"),
        Total("site_goal_completions"),
    ),
    _kpi(
        "leads",
        S,
        C,
        COUNT,
        ("Лиды из соцсетей", "Leads from social"),
        (
            "Люди, оставившие контакты или заявку, пришедшие из соцсетей.",
            "People from social media who left their contacts or applied.",
        ),
        (
            "число социальных лидов, созданных в периоде",
            "number of social leads created in the period",
        ),
        Total("leads"),
        goals={SALES: MAIN},
    ),
    _kpi(
        "sales",
        S,
        C,
        COUNT,
        ("Продажи из соцсетей", "Sales from social"),
        (
            "Продажи, закрытые в периоде, пришедшие из соцсетей.",
            "Sales closed in the period that came from social media.",
        ),
        (
            "число социальных продаж, закрытых в периоде; продажа без своих UTM берёт их у лида",
            "number of social sales closed in the period; a sale without UTM values takes its "
            "lead's",
        ),
        Total("sales"),
        goals={SALES: MAIN},
        caveat=SALES_TEAM,
    ),
    _kpi(
        "revenue",
        S,
        C,
        MONEY,
        ("Выручка из соцсетей", "Revenue from social"),
        (
            "Сумма продаж из соцсетей, закрытых в периоде.",
            "The amount of social sales closed in the period.",
        ),
        ("Σ amount социальных продаж периода", "Σ amount of those sales"),
        Total("revenue"),
        goals={SALES: SECONDARY},
        caveat=SALES_TEAM,
    ),
    _kpi(
        "ad_spend",
        S,
        C,
        MONEY,
        ("Рекламный бюджет", "Ad spend"),
        ("Рекламные расходы за период.", "Advertising spend in the period."),
        ("Σ ad_spend.amount за дни периода", "Σ ad_spend.amount over the period's days"),
        Total("ad_spend"),
    ),
    _kpi(
        "cpl",
        S,
        C,
        MONEY,
        ("CPL (стоимость лида)", "CPL (cost per lead)"),
        (
            "Сколько стоил один лид из соцсетей; чем ниже, тем лучше.",
            "What one lead from social media cost; lower is better.",
        ),
        ("рекламный бюджет / лиды", "ad_spend / leads"),
        Ratio("ad_spend", "leads"),
        direction=Direction.LOWER,
        goals={SALES: SECONDARY},
        caveat=SPEND_SCOPE,
    ),
    _kpi(
        "cost_per_sale",
        S,
        C,
        MONEY,
        ("Стоимость продажи", "Cost per sale"),
        (
            "Сколько стоила одна продажа из соцсетей; чем ниже, тем лучше.",
            "What one sale from social media cost; lower is better.",
        ),
        ("рекламный бюджет / продажи", "ad_spend / sales"),
        Ratio("ad_spend", "sales"),
        direction=Direction.LOWER,
        goals={SALES: SECONDARY},
        caveat=SPEND_SCOPE,
    ),
    _kpi(
        "romi",
        S,
        C,
        PERCENT,
        ("ROMI", "ROMI"),
        ("Окупаемость рекламных вложений.", "Return on marketing investment."),
        (
            "(выручка − рекламный бюджет) / рекламный бюджет × 100",
            "(revenue − ad_spend) / ad_spend × 100",
        ),
        Ratio("revenue_minus_spend", "ad_spend", 100),
        goals={SALES: SECONDARY},
        caveat=SPEND_SCOPE,
    ),
    _kpi(
        "lead_conversion_rate",
        S,
        C,
        PERCENT,
        ("Конверсия визита в лид", "Lead conversion rate"),
        (
            "Какая доля переходов из соцсетей стала лидами.",
            "What share of social site sessions became leads.",
        ),
        ("лиды / переходы на сайт × 100", "leads / site_sessions × 100"),
        Ratio("leads", "site_sessions", 100),
        goals={SALES: SECONDARY},
    ),
    _kpi(
        "lead_to_sale_rate",
        S,
        C,
        PERCENT,
        ("Конверсия лида в продажу", "Lead-to-sale rate"),
        (
            "Какая доля лидов стала продажами (оба — в одном периоде).",
            "What share of leads became sales (both counted in the same period).",
        ),
        ("продажи / лиды × 100", "sales / leads × 100"),
        Ratio("sales", "leads", 100),
        goals={SALES: SECONDARY},
        caveat=SALES_TEAM,
    ),
)

KPIS_BY_ID: dict[str, Kpi] = {k.id: k for k in KPIS}
ACCOUNT_KPIS: tuple[Kpi, ...] = tuple(k for k in KPIS if k.level is Level.ACCOUNT)
GOALS: tuple[str, ...] = (AWARENESS, COMMUNITY, SALES)


def kpi(kpi_id: str) -> Kpi:
    """The KPI with id ``kpi_id``; an unknown id is an error that lists the known ones."""
    found = KPIS_BY_ID.get(kpi_id.strip().lower())
    if found is None:
        raise UnknownChoiceError(_("KPI"), kpi_id, KPIS_BY_ID)
    return found


def goal_kpis(goal: str, roles: tuple[Role, ...] = (MAIN, SECONDARY)) -> list[Kpi]:
    """The KPIs of ``goal`` in catalogue order: main ones first, then secondary ones."""
    chosen = []
    for role in roles:
        chosen += [k for k in KPIS if k.goals.get(goal) is role]
    return chosen
