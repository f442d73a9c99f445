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

ACCOUNT, CLIENT = Level.ACCOUNT, Level.CLIENT
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


FOLLOWERS, REACH, MENTIONS, ENGAGEMENT, FUNNEL = (
    Section.FOLLOWERS,
    Section.REACH,
    Section.MENTIONS,
    Section.ENGAGEMENT,
    Section.FUNNEL,
)
COUNT, NUMBER, PERCENT, MONEY = Unit.COUNT, Unit.NUMBER, Unit.PERCENT, Unit.MONEY

KPIS: tuple[Kpi, ...] = (
    # -- Followers -------------------------------------------------------------------------------
    Kpi(
        id="followers",
        section=FOLLOWERS,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Подписчики", "Followers"),
        description=Text(
            "Число подписчиков на конец периода.", "Followers at the end of the period."
        ),
        formula_text=Text(
            "подписчики в последний день периода с известным значением",
            "followers on the latest day of the period with a known value",
        ),
        formula=Total("followers_end"),
        goals={AWARENESS: MAIN},
    ),
    Kpi(
        id="followers_start",
        section=FOLLOWERS,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Подписчики на начало", "Followers at start"),
        description=Text(
            "Число подписчиков перед началом периода: база для темпа роста и оттока.",
            "Followers just before the period: the base of growth and churn rates.",
        ),
        formula_text=Text(
            "подписчики в последний известный день до периода (не дальше 31 дня); если такого "
            "нет — в первый известный день периода",
            "followers on the latest day before the period with a known value, looking back at "
            "most 31 days; if none, the earliest known value inside the period",
        ),
        formula=Total("followers_start"),
    ),
    Kpi(
        id="followers_avg",
        section=FOLLOWERS,
        level=ACCOUNT,
        unit=NUMBER,
        label=Text("Подписчики в среднем", "Average followers"),
        description=Text(
            "Среднее число подписчиков за дни периода; с ним сравниваются взаимодействия (ER).",
            "Mean follower count over the period; the base interactions are measured against (ER).",
        ),
        formula_text=Text(
            "среднее известных дневных значений подписчиков за период",
            "mean of the known daily follower counts of the period",
        ),
        formula=Total("followers_avg"),
    ),
    Kpi(
        id="followers_gained",
        section=FOLLOWERS,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Новые подписчики", "Followers gained"),
        description=Text(
            "Сколько человек подписалось за период.", "How many people followed during the period."
        ),
        formula_text=Text(
            "Σ followers_gained за дни периода", "Σ followers_gained over the period's days"
        ),
        formula=Total("followers_gained"),
    ),
    Kpi(
        # spec/metrics.md lists only churn_rate, cpl and cost_per_sale as lower-is-better; losing
        # fewer followers is better too (docs/concepts.md, "Readings of the spec").
        id="followers_lost",
        section=FOLLOWERS,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Отписки", "Followers lost"),
        description=Text(
            "Сколько человек отписалось за период.", "How many people unfollowed during the period."
        ),
        formula_text=Text(
            "Σ followers_lost за дни периода", "Σ followers_lost over the period's days"
        ),
        formula=Total("followers_lost"),
        direction=Direction.LOWER,
    ),
    Kpi(
        id="net_follower_growth",
        section=FOLLOWERS,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Чистый прирост подписчиков", "Net follower growth"),
        description=Text(
            "Подписки минус отписки за период.", "Follows minus unfollows during the period."
        ),
        formula_text=Text(
            "новые − отписки, если оба известны; иначе подписчики − подписчики на начало",
            "followers_gained − followers_lost when both are known; otherwise followers − "
            "followers_start",
        ),
        formula=Total("net_follower_growth"),
        goals={AWARENESS: MAIN},
    ),
    Kpi(
        id="follower_growth_rate",
        section=FOLLOWERS,
        level=ACCOUNT,
        unit=PERCENT,
        label=Text("Темп роста подписчиков", "Follower growth rate"),
        description=Text(
            "На сколько процентов выросло число подписчиков за период.",
            "By how many percent the follower count grew in the period.",
        ),
        formula_text=Text(
            "(подписчики − подписчики на начало) / подписчики на начало × 100",
            "(followers − followers_start) / followers_start × 100",
        ),
        formula=Ratio("followers_change", "followers_start", 100),
        goals={AWARENESS: MAIN},
    ),
    Kpi(
        id="churn_rate",
        section=FOLLOWERS,
        level=ACCOUNT,
        unit=PERCENT,
        label=Text("Отток подписчиков", "Churn rate"),
        description=Text(
            "Доля аудитории, отписавшейся за период; чем ниже, тем лучше.",
            "The share of the audience that unfollowed in the period; lower is better.",
        ),
        formula_text=Text(
            "отписки / подписчики на начало × 100", "followers_lost / followers_start × 100"
        ),
        formula=Ratio("followers_lost", "followers_start", 100),
        direction=Direction.LOWER,
        goals={AWARENESS: SECONDARY},
    ),
    Kpi(
        id="audience_renewal_rate",
        section=FOLLOWERS,
        level=ACCOUNT,
        unit=PERCENT,
        label=Text("Обновляемость аудитории", "Audience renewal rate"),
        description=Text(
            "Доля аудитории, которая новая в этом периоде.",
            "The share of the audience that is new this period.",
        ),
        formula_text=Text(
            "новые подписчики / подписчики на начало × 100",
            "followers_gained / followers_start × 100",
        ),
        formula=Ratio("followers_gained", "followers_start", 100),
        goals={AWARENESS: MAIN},
    ),
    # -- Reach -----------------------------------------------------------------------------------
    Kpi(
        id="reach",
        section=REACH,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Охват (сумма дневных)", "Reach (sum of daily)"),
        description=Text(
            "Сумма дневного уникального охвата аккаунта за период.",
            "The sum of the account's daily unique reach over the period.",
        ),
        formula_text=Text(
            "Σ дневного reach за дни периода", "Σ daily reach over the period's days"
        ),
        formula=Total("reach"),
        goals={AWARENESS: MAIN},
        caveat=Text(
            "Это сумма дневного уникального охвата, а не число разных людей за период.",
            "This sums daily unique reach; it is not the number of different people reached.",
        ),
    ),
    Kpi(
        id="impressions",
        section=REACH,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Показы", "Impressions"),
        description=Text(
            "Сколько раз контент аккаунта был показан.",
            "How many times the account's content was shown.",
        ),
        formula_text=Text(
            "Σ дневных impressions за дни периода", "Σ daily impressions over the period's days"
        ),
        formula=Total("impressions"),
        goals={AWARENESS: SECONDARY},
    ),
    Kpi(
        id="post_reach",
        section=REACH,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Охват публикаций", "Post reach"),
        description=Text(
            "Суммарный охват публикаций периода.", "The total reach of the period's posts."
        ),
        formula_text=Text("Σ reach публикаций периода", "Σ reach of posts in P"),
        formula=Total("post_reach"),
    ),
    Kpi(
        id="avg_post_reach",
        section=REACH,
        level=ACCOUNT,
        unit=NUMBER,
        label=Text("Средний охват публикации", "Average post reach"),
        description=Text("Охват одной публикации в среднем.", "The reach of one post on average."),
        formula_text=Text(
            "охват публикаций / число публикаций с известным охватом",
            "post_reach / number of posts in P with known reach",
        ),
        formula=Ratio("post_reach", "posts_with_reach"),
        goals={AWARENESS: SECONDARY},
    ),
    Kpi(
        id="post_reach_organic",
        section=REACH,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Органический охват", "Organic post reach"),
        description=Text(
            "Охват публикаций без рекламы и репостов.",
            "Post reach without ads and without reposts.",
        ),
        formula_text=Text("Σ reach_organic публикаций периода", "Σ reach_organic over P"),
        formula=Total("post_reach_organic"),
        goals={AWARENESS: MAIN},
    ),
    Kpi(
        id="post_reach_viral",
        section=REACH,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Вирусный охват", "Viral post reach"),
        description=Text(
            "Охват через репосты среди тех, кто не подписан.",
            "Reach through reposts among people who don't follow the account.",
        ),
        formula_text=Text("Σ reach_viral публикаций периода", "Σ reach_viral over P"),
        formula=Total("post_reach_viral"),
        goals={AWARENESS: MAIN},
    ),
    Kpi(
        id="post_reach_paid",
        section=REACH,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Рекламный охват", "Paid post reach"),
        description=Text("Охват публикаций через рекламу.", "Post reach through advertising."),
        formula_text=Text("Σ reach_paid публикаций периода", "Σ reach_paid over P"),
        formula=Total("post_reach_paid"),
        goals={AWARENESS: MAIN},
    ),
    Kpi(
        id="organic_reach_share",
        section=REACH,
        level=ACCOUNT,
        unit=PERCENT,
        label=Text("Доля органического охвата", "Organic reach share"),
        description=Text(
            "Какая часть охвата публикаций органическая.", "The organic part of post reach."
        ),
        formula_text=Text(
            "органический / (органический + вирусный + рекламный) × 100 по публикациям, где "
            "известны все три",
            "organic / (organic + viral + paid) × 100, over posts in P where all three are known",
        ),
        formula=Ratio("split_organic", "split_total", 100),
        goals={AWARENESS: SECONDARY},
    ),
    Kpi(
        id="viral_reach_share",
        section=REACH,
        level=ACCOUNT,
        unit=PERCENT,
        label=Text("Доля вирусного охвата", "Viral reach share"),
        description=Text(
            "Какая часть охвата публикаций пришла через репосты.", "The viral part of post reach."
        ),
        formula_text=Text(
            "вирусный / (органический + вирусный + рекламный) × 100 по публикациям, где "
            "известны все три",
            "viral / (organic + viral + paid) × 100, over posts in P where all three are known",
        ),
        formula=Ratio("split_viral", "split_total", 100),
        goals={AWARENESS: SECONDARY},
    ),
    Kpi(
        id="paid_reach_share",
        section=REACH,
        level=ACCOUNT,
        unit=PERCENT,
        label=Text("Доля рекламного охвата", "Paid reach share"),
        description=Text(
            "Какая часть охвата публикаций куплена рекламой.", "The paid part of post reach."
        ),
        formula_text=Text(
            "рекламный / (органический + вирусный + рекламный) × 100 по публикациям, где известны "
            "все три",
            "paid / (organic + viral + paid) × 100, over posts in P where all three are known",
        ),
        formula=Ratio("split_paid", "split_total", 100),
        goals={AWARENESS: SECONDARY},
    ),
    # -- Mentions --------------------------------------------------------------------------------
    Kpi(
        id="mentions",
        section=MENTIONS,
        level=CLIENT,
        unit=COUNT,
        label=Text("Упоминания", "Mentions"),
        description=Text(
            "Публикации других людей о бренде за период.",
            "Publications by others about the brand in the period.",
        ),
        formula_text=Text(
            "число упоминаний, опубликованных в периоде",
            "number of mentions published in the period",
        ),
        formula=Total("mentions"),
        goals={AWARENESS: MAIN},
    ),
    Kpi(
        id="branded_hashtag_posts",
        section=MENTIONS,
        level=CLIENT,
        unit=COUNT,
        label=Text("Публикации с брендовыми хештегами", "Branded hashtag posts"),
        description=Text(
            "Упоминания, в которых есть хештег бренда: насколько глубоко отношения с аудиторией.",
            "Mentions that carry a brand hashtag: how deep the relationship with the audience "
            "goes.",
        ),
        formula_text=Text(
            "число упоминаний периода, в тексте которых есть хотя бы один хештег бренда (NFKC, без "
            "учёта регистра, тег целиком)",
            "number of mentions in the period whose text carries at "
            "least one brand hashtag (NFKC, case-folded, whole tag)",
        ),
        formula=Total("branded_hashtag_posts"),
        goals={AWARENESS: MAIN},
    ),
    # -- Engagement ------------------------------------------------------------------------------
    Kpi(
        id="posts",
        section=ENGAGEMENT,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Публикации", "Posts"),
        description=Text(
            "Сколько публикаций вышло за период.", "How many posts were published in the period."
        ),
        formula_text=Text("число публикаций периода", "number of posts in P"),
        formula=Total("posts"),
        goals={COMMUNITY: SECONDARY},
    ),
    Kpi(
        id="interactions",
        section=ENGAGEMENT,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Взаимодействия", "Interactions"),
        description=Text(
            "Лайки, комментарии, репосты и сохранения публикаций периода.",
            "Likes, comments, shares and saves of the period's posts.",
        ),
        formula_text=Text(
            "Σ (лайки + комментарии + репосты + сохранения) публикаций периода; неизвестная часть "
            "считается 0, публикация без всех четырёх — неизвестна",
            "Σ interactions(p) over P, interactions(p) = likes + comments + shares + saves, an "
            "unknown part counting 0, NULL when all four are unknown",
        ),
        formula=Total("interactions"),
        goals={COMMUNITY: SECONDARY},
    ),
    Kpi(
        id="er",
        section=ENGAGEMENT,
        level=ACCOUNT,
        unit=PERCENT,
        label=Text("ER (по подписчикам)", "ER (by followers)"),
        description=Text(
            "Какой процент подписчиков в среднем взаимодействует с публикацией.",
            "What percentage of followers interacts with a post on average.",
        ),
        formula_text=Text(
            "Σ взаимодействий / Σ F(p) × 100 по публикациям с известными взаимодействиями и F; "
            "F(p) — среднее число подписчиков аккаунта за период",
            "Σ interactions(p) / Σ F(p) × 100, over posts in P with known interactions and F; "
            "F(p) = followers_avg of the post's account",
        ),
        formula=Ratio("interactions", "er_base", 100),
        goals={COMMUNITY: MAIN},
    ),
    Kpi(
        id="like_rate",
        section=ENGAGEMENT,
        level=ACCOUNT,
        unit=PERCENT,
        label=Text("Like Rate", "Like rate"),
        description=Text(
            "Какой процент подписчиков в среднем ставит лайк публикации.",
            "What percentage of followers likes a post on average.",
        ),
        formula_text=Text(
            "Σ лайков / Σ F(p) × 100 по публикациям с известными лайками и F",
            "Σ likes / Σ F(p) × 100 (posts with known likes and F)",
        ),
        formula=Ratio("likes", "likes_base", 100),
        goals={COMMUNITY: MAIN},
        caveat=HARD_TO_MOVE,
    ),
    Kpi(
        id="talk_rate",
        section=ENGAGEMENT,
        level=ACCOUNT,
        unit=PERCENT,
        label=Text("Talk Rate", "Talk rate"),
        description=Text(
            "Какой процент подписчиков в среднем комментирует публикацию.",
            "What percentage of followers comments on a post on average.",
        ),
        formula_text=Text(
            "Σ комментариев / Σ F(p) × 100 по публикациям с известными комментариями и F",
            "Σ comments / Σ F(p) × 100 (posts with known comments and F)",
        ),
        formula=Ratio("comments", "comments_base", 100),
        goals={COMMUNITY: MAIN},
        caveat=HARD_TO_MOVE,
    ),
    Kpi(
        id="amplification_rate",
        section=ENGAGEMENT,
        level=ACCOUNT,
        unit=PERCENT,
        label=Text("Amplification Rate (репосты)", "Amplification rate"),
        description=Text(
            "Какой процент подписчиков в среднем делится публикацией.",
            "What percentage of followers shares a post on average.",
        ),
        formula_text=Text(
            "Σ репостов / Σ F(p) × 100 по публикациям с известными репостами и F",
            "Σ shares / Σ F(p) × 100 (posts with known shares and F)",
        ),
        formula=Ratio("shares", "shares_base", 100),
        goals={COMMUNITY: SECONDARY},
    ),
    Kpi(
        id="er_day",
        section=ENGAGEMENT,
        level=ACCOUNT,
        unit=PERCENT,
        label=Text("ER day (в день)", "ER day"),
        description=Text(
            "Вовлечённость в среднем за день периода, включая дни без публикаций.",
            "Engagement per day of the period, days without posts included.",
        ),
        formula_text=Text(
            "Σ по аккаунтам взаимодействий / Σ по аккаунтам (дней в периоде × подписчики в "
            "среднем) × 100",
            "Σ over accounts of interactions in P / Σ over accounts of (days in D × "
            "followers_avg) × 100, over accounts with known followers_avg and interactions",
        ),
        formula=Ratio("interactions", "er_day_base", 100),
        goals={COMMUNITY: SECONDARY},
    ),
    Kpi(
        id="err",
        section=ENGAGEMENT,
        level=ACCOUNT,
        unit=PERCENT,
        label=Text("ERR (по охвату)", "ERR (by reach)"),
        description=Text(
            "Какой процент увидевших публикацию взаимодействовал с ней.",
            "What percentage of the people reached interacted with a post.",
        ),
        formula_text=Text(
            "Σ взаимодействий / Σ охвата × 100 по публикациям с известными взаимодействиями и "
            "охватом > 0",
            "Σ interactions(p) / Σ reach(p) × 100, over posts in P with known "
            "interactions and reach > 0",
        ),
        formula=Ratio("err_interactions", "err_reach", 100),
        goals={COMMUNITY: MAIN},
    ),
    Kpi(
        id="view_rate",
        section=ENGAGEMENT,
        level=ACCOUNT,
        unit=PERCENT,
        label=Text("Просмотры на подписчика (View Rate)", "View rate"),
        description=Text(
            "Просмотры публикации на подписчика; TGStat называет это ERR.",
            "Post views per follower; TGStat calls this ERR.",
        ),
        formula_text=Text(
            "Σ просмотров / Σ F(p) × 100 по публикациям с известными просмотрами и F",
            "Σ views(p) / Σ F(p) × 100 (posts with known views and F)",
        ),
        formula=Ratio("views", "views_base", 100),
        caveat=Text(
            "В TGStat этот показатель называется ERR; здесь ERR — взаимодействия на охват.",
            "TGStat calls this ERR; here ERR is interactions per reach.",
        ),
    ),
    # -- Sales funnel ----------------------------------------------------------------------------
    Kpi(
        id="link_clicks",
        section=FUNNEL,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Клики по ссылке в профиле", "Profile link clicks"),
        description=Text(
            "Клики по ссылке на сайт в профиле или сообществе.",
            "Clicks on the website link of the profile or community.",
        ),
        formula_text=Text("Σ дневных link_clicks", "Σ daily link_clicks"),
        formula=Total("link_clicks"),
        goals={SALES: MAIN},
    ),
    Kpi(
        id="post_link_clicks",
        section=FUNNEL,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Клики по ссылкам в публикациях", "Post link clicks"),
        description=Text(
            "Клики по ссылкам внутри публикаций периода.", "Clicks on links in the period's posts."
        ),
        formula_text=Text("Σ link_clicks публикаций периода", "Σ link_clicks of posts in P"),
        formula=Total("post_link_clicks"),
        goals={SALES: SECONDARY},
    ),
    Kpi(
        id="profile_visits",
        section=FUNNEL,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Посещения профиля", "Profile visits"),
        description=Text(
            "Визиты на страницу профиля или сообщества.", "Visits to the profile or community page."
        ),
        formula_text=Text("Σ дневных profile_visits", "Σ daily profile_visits"),
        formula=Total("profile_visits"),
        goals={SALES: SECONDARY},
    ),
    Kpi(
        id="contact_clicks",
        section=FUNNEL,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Клики по контактам", "Contact clicks"),
        description=Text(
            "Клики по телефону, почте, «написать» — человек готовится купить.",
            "Clicks on phone, e-mail, message buttons — a person getting ready to buy.",
        ),
        formula_text=Text("Σ дневных contact_clicks", "Σ daily contact_clicks"),
        formula=Total("contact_clicks"),
        goals={SALES: MAIN},
    ),
    Kpi(
        id="location_clicks",
        section=FUNNEL,
        level=ACCOUNT,
        unit=COUNT,
        label=Text("Клики по адресу", "Location clicks"),
        description=Text(
            "Клики по адресу и «как добраться».", "Clicks on the address and directions."
        ),
        formula_text=Text("Σ дневных location_clicks", "Σ daily location_clicks"),
        formula=Total("location_clicks"),
        goals={SALES: MAIN},
    ),
    Kpi(
        id="site_sessions",
        section=FUNNEL,
        level=CLIENT,
        unit=COUNT,
        label=Text("Переходы на сайт из соцсетей", "Site sessions from social"),
        description=Text(
            "Визиты на сайт, пришедшие из соцсетей (по UTM-меткам).",
            "Site visits that came from social media (by UTM tags).",
        ),
        formula_text=Text(
            "Σ sessions социальных визитов (см. атрибуцию соцсетей)",
            "Σ sessions of social web sessions (see social attribution)",
        ),
        formula=Total("site_sessions"),
        goals={SALES: MAIN},
    ),
    Kpi(
        id="site_goal_completions",
        section=FUNNEL,
        level=CLIENT,
        unit=COUNT,
        label=Text("Цели на сайте из соцсетей", "Site goals from social"),
        description=Text(
            "Заявки, заказы и другие цели сайта из соцсетей.",
            "Forms, orders and other site goals reached from social media.",
        ),
        formula_text=Text(
            "Σ goal_completions социальных визитов", "Σ goal_completions of social web sessions"
        ),
        formula=Total("site_goal_completions"),
    ),
    Kpi(
        id="leads",
        section=FUNNEL,
        level=CLIENT,
        unit=COUNT,
        label=Text("Лиды из соцсетей", "Leads from social"),
        description=Text(
            "Люди, оставившие контакты или заявку, пришедшие из соцсетей.",
            "People from social media who left their contacts or applied.",
        ),
        formula_text=Text(
            "число социальных лидов, созданных в периоде",
            "number of social leads created in the period",
        ),
        formula=Total("leads"),
        goals={SALES: MAIN},
    ),
    Kpi(
        id="sales",
        section=FUNNEL,
        level=CLIENT,
        unit=COUNT,
        label=Text("Продажи из соцсетей", "Sales from social"),
        description=Text(
            "Продажи, закрытые в периоде, пришедшие из соцсетей.",
            "Sales closed in the period that came from social media.",
        ),
        formula_text=Text(
            "число социальных продаж, закрытых в периоде; продажа без своих UTM берёт их у лида",
            "number of social sales closed in the period; a sale without UTM values takes its "
            "lead's",
        ),
        formula=Total("sales"),
        goals={SALES: MAIN},
        caveat=SALES_TEAM,
    ),
    Kpi(
        id="revenue",
        section=FUNNEL,
        level=CLIENT,
        unit=MONEY,
        label=Text("Выручка из соцсетей", "Revenue from social"),
        description=Text(
            "Сумма продаж из соцсетей, закрытых в периоде.",
            "The amount of social sales closed in the period.",
        ),
        formula_text=Text("Σ amount социальных продаж периода", "Σ amount of those sales"),
        formula=Total("revenue"),
        goals={SALES: SECONDARY},
        caveat=SALES_TEAM,
    ),
    Kpi(
        id="ad_spend",
        section=FUNNEL,
        level=CLIENT,
        unit=MONEY,
        label=Text("Рекламный бюджет", "Ad spend"),
        description=Text("Рекламные расходы за период.", "Advertising spend in the period."),
        formula_text=Text(
            "Σ ad_spend.amount за дни периода", "Σ ad_spend.amount over the period's days"
        ),
        formula=Total("ad_spend"),
    ),
    Kpi(
        id="cpl",
        section=FUNNEL,
        level=CLIENT,
        unit=MONEY,
        label=Text("CPL (стоимость лида)", "CPL (cost per lead)"),
        description=Text(
            "Сколько стоил один лид из соцсетей; чем ниже, тем лучше.",
            "What one lead from social media cost; lower is better.",
        ),
        formula_text=Text("рекламный бюджет / лиды", "ad_spend / leads"),
        formula=Ratio("ad_spend", "leads"),
        direction=Direction.LOWER,
        goals={SALES: SECONDARY},
        caveat=SPEND_SCOPE,
    ),
    Kpi(
        id="cost_per_sale",
        section=FUNNEL,
        level=CLIENT,
        unit=MONEY,
        label=Text("Стоимость продажи", "Cost per sale"),
        description=Text(
            "Сколько стоила одна продажа из соцсетей; чем ниже, тем лучше.",
            "What one sale from social media cost; lower is better.",
        ),
        formula_text=Text("рекламный бюджет / продажи", "ad_spend / sales"),
        formula=Ratio("ad_spend", "sales"),
        direction=Direction.LOWER,
        goals={SALES: SECONDARY},
        caveat=SPEND_SCOPE,
    ),
    Kpi(
        id="romi",
        section=FUNNEL,
        level=CLIENT,
        unit=PERCENT,
        label=Text("ROMI", "ROMI"),
        description=Text("Окупаемость рекламных вложений.", "Return on marketing investment."),
        formula_text=Text(
            "(выручка − рекламный бюджет) / рекламный бюджет × 100",
            "(revenue − ad_spend) / ad_spend × 100",
        ),
        formula=Ratio("revenue_minus_spend", "ad_spend", 100),
        goals={SALES: SECONDARY},
        caveat=SPEND_SCOPE,
    ),
    Kpi(
        id="lead_conversion_rate",
        section=FUNNEL,
        level=CLIENT,
        unit=PERCENT,
        label=Text("Конверсия визита в лид", "Lead conversion rate"),
        description=Text(
            "Какая доля переходов из соцсетей стала лидами.",
            "What share of social site sessions became leads.",
        ),
        formula_text=Text("лиды / переходы на сайт × 100", "leads / site_sessions × 100"),
        formula=Ratio("leads", "site_sessions", 100),
        goals={SALES: SECONDARY},
    ),
    Kpi(
        id="lead_to_sale_rate",
        section=FUNNEL,
        level=CLIENT,
        unit=PERCENT,
        label=Text("Конверсия лида в продажу", "Lead-to-sale rate"),
        description=Text(
            "Какая доля лидов стала продажами (оба — в одном периоде).",
            "What share of leads became sales (both counted in the same period).",
        ),
        formula_text=Text("продажи / лиды × 100", "sales / leads × 100"),
        formula=Ratio("sales", "leads", 100),
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
