"""Each KPI's formula in the words a client reads (the client edition of the report): what is
divided by what, with no column names and no rules of unknown values — those stay in the
catalogue's formula (``Kpi.formula_text``) for the specialist. One entry per KPI of the
catalogue; a test holds them in step."""

from __future__ import annotations

from smmkpi.metrics.model import Text

PLAIN_FORMULAS: dict[str, Text] = {
    "followers": Text("подписчики на конец периода", "followers at the end of the period"),
    "followers_start": Text(
        "подписчики накануне первого дня периода", "followers on the eve of the period"
    ),
    "followers_avg": Text(
        "среднее число подписчиков за дни периода", "average followers over the period's days"
    ),
    "followers_gained": Text("сколько человек подписалось", "how many people followed"),
    "followers_lost": Text("сколько человек отписалось", "how many people unfollowed"),
    "net_follower_growth": Text("подписались − отписались", "followed − unfollowed"),
    "follower_growth_rate": Text(
        "(подписчики на конец − на начало) / подписчики на начало × 100 %",
        "(followers at the end − at the start) / followers at the start × 100%",
    ),
    "churn_rate": Text(
        "отписались / подписчики на начало × 100 %",
        "unfollowed / followers at the start × 100%",
    ),
    "audience_renewal_rate": Text(
        "подписались / подписчики на начало × 100 %",
        "followed / followers at the start × 100%",
    ),
    "reach": Text("сумма охвата за каждый день", "the sum of each day's reach"),
    "impressions": Text("сумма показов за каждый день", "the sum of each day's impressions"),
    "post_reach": Text("сумма охвата публикаций периода", "the sum of the period's posts' reach"),
    "avg_post_reach": Text("охват публикаций / число публикаций", "posts' reach / number of posts"),
    "post_reach_organic": Text(
        "охват публикаций среди подписчиков и в ленте без рекламы и репостов",
        "posts' reach among followers and in feeds, without ads or shares",
    ),
    "post_reach_viral": Text("охват публикаций благодаря репостам", "posts' reach through shares"),
    "post_reach_paid": Text("охват публикаций за счёт рекламы", "posts' reach through ads"),
    "organic_reach_share": Text(
        "органический охват / весь охват публикаций × 100 %",
        "organic reach / all reach of the posts × 100%",
    ),
    "viral_reach_share": Text(
        "вирусный охват / весь охват публикаций × 100 %",
        "viral reach / all reach of the posts × 100%",
    ),
    "paid_reach_share": Text(
        "рекламный охват / весь охват публикаций × 100 %",
        "paid reach / all reach of the posts × 100%",
    ),
    "mentions": Text(
        "сколько раз бренд упомянули в соцсетях", "how many times the brand was mentioned"
    ),
    "branded_hashtag_posts": Text(
        "упоминания с хештегом бренда", "mentions carrying a brand hashtag"
    ),
    "posts": Text("сколько публикаций вышло", "how many posts were published"),
    "interactions": Text(
        "лайки + комментарии + репосты + сохранения", "likes + comments + shares + saves"
    ),
    "er": Text(
        "(лайки + комментарии + репосты + сохранения) / подписчики × 100 % — в среднем на "
        "публикацию",
        "(likes + comments + shares + saves) / followers × 100% — per post on average",
    ),
    "like_rate": Text(
        "лайки / подписчики × 100 % — в среднем на публикацию",
        "likes / followers × 100% — per post on average",
    ),
    "talk_rate": Text(
        "комментарии / подписчики × 100 % — в среднем на публикацию",
        "comments / followers × 100% — per post on average",
    ),
    "amplification_rate": Text(
        "репосты / подписчики × 100 % — в среднем на публикацию",
        "shares / followers × 100% — per post on average",
    ),
    "er_day": Text(
        "взаимодействия / (подписчики × дни периода) × 100 % — в среднем за день",
        "interactions / (followers × days of the period) × 100% — per day on average",
    ),
    "err": Text(
        "(лайки + комментарии + репосты + сохранения) / охват публикаций × 100 %",
        "(likes + comments + shares + saves) / posts' reach × 100%",
    ),
    "view_rate": Text(
        "просмотры / подписчики × 100 % — в среднем на публикацию",
        "views / followers × 100% — per post on average",
    ),
    "link_clicks": Text("клики по ссылке в профиле", "clicks on the profile's link"),
    "post_link_clicks": Text("клики по ссылкам в публикациях", "clicks on links in posts"),
    "profile_visits": Text("сколько раз открыли профиль", "how many times the profile was opened"),
    "contact_clicks": Text(
        "нажатия на кнопки связи (позвонить, написать)",
        "taps on the contact buttons (call, message)",
    ),
    "location_clicks": Text("нажатия на адрес", "taps on the address"),
    "site_sessions": Text(
        "визиты на сайт по ссылкам из соцсетей (по меткам UTM)",
        "site visits from social links (by UTM tags)",
    ),
    "site_goal_completions": Text(
        "цели сайта, достигнутые в этих визитах", "site goals reached in those visits"
    ),
    "leads": Text(
        "заявки, пришедшие из соцсетей (по CRM)", "leads that came from social (by the CRM)"
    ),
    "sales": Text(
        "продажи по заявкам из соцсетей (по CRM)", "sales from social leads (by the CRM)"
    ),
    "revenue": Text("сумма этих продаж", "the amount of those sales"),
    "ad_spend": Text("расходы на рекламу в соцсетях", "the spend on social ads"),
    "cpl": Text("расходы на рекламу / заявки", "ad spend / leads"),
    "cost_per_sale": Text("расходы на рекламу / продажи", "ad spend / sales"),
    "romi": Text(
        "(выручка − расходы на рекламу) / расходы на рекламу × 100 %",
        "(revenue − ad spend) / ad spend × 100%",
    ),
    "lead_conversion_rate": Text("заявки / визиты на сайт × 100 %", "leads / site visits × 100%"),
    "lead_to_sale_rate": Text("продажи / заявки × 100 %", "sales / leads × 100%"),
}
