"""The inputs of the KPI formulas: documented, additive quantities per account or client.

Each input is declared here once (what it is, which table it comes from, what its row count
counts) and computed by a pure function from the raw aggregates of ``queries.py``, applying the
NULL rules of spec/metrics.md:

- a source that does not cover the account or client gives NULL inputs, never 0;
- with coverage, a count is a number and a sum over zero matching rows is 0;
- a sum over matching rows whose values are all unknown is NULL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from smmkpi.metrics.model import InputDef, Level, Text

Number = int | float | Decimal
"""Counts are ints, averages floats, money exact Decimals (converted only for output)."""


@dataclass(frozen=True)
class Measure:
    """The value of an input for one account or client, and how many source rows it rests on."""

    value: Number | None
    rows: int = 0

    @property
    def known(self) -> bool:
        return self.value is not None


UNKNOWN = Measure(None, 0)

A, C = Level.ACCOUNT, Level.CLIENT


def _daily(id_: str, ru: str, en: str) -> InputDef:
    return InputDef(
        id_,
        A,
        "account_daily",
        Text(ru, en),
        Text("дней с известным значением", "days with a known value"),
    )


def _posts(id_: str, ru: str, en: str, rows_ru: str, rows_en: str) -> InputDef:
    return InputDef(id_, A, "posts", Text(ru, en), Text(rows_ru, rows_en))


INPUTS: tuple[InputDef, ...] = (
    _daily(
        "followers_end",
        "подписчики в последний день периода с известным числом",
        "followers on the latest day of the period with a known count",
    ),
    InputDef(
        "followers_start",
        A,
        "account_daily",
        Text(
            "подписчики в последний известный день до периода (не дальше 31 дня), иначе в первый "
            "известный день периода",
            "followers on the latest known day before the period (at most 31 days back), else on "
            "the first known day of the period",
        ),
        Text("день", "day"),
    ),
    _daily(
        "followers_avg",
        "среднее известных дневных значений подписчиков за период",
        "mean of the known daily follower counts of the period",
    ),
    _daily(
        "followers_gained",
        "Σ новых подписчиков за дни периода",
        "Σ followers gained over the period's days",
    ),
    _daily("followers_lost", "Σ отписок за дни периода", "Σ followers lost over the period's days"),
    _daily(
        "net_follower_growth",
        "новые − отписки, если оба известны; иначе подписчики на конец − на начало",
        "gained − lost when both are known; otherwise followers at the end − at the start",
    ),
    _daily(
        "followers_change",
        "подписчики на конец − подписчики на начало",
        "followers at the end − followers at the start",
    ),
    _daily("reach", "Σ дневного охвата", "Σ daily reach"),
    _daily("impressions", "Σ дневных показов", "Σ daily impressions"),
    _daily("profile_visits", "Σ посещений профиля", "Σ profile visits"),
    _daily("link_clicks", "Σ кликов по ссылке профиля", "Σ clicks on the profile's link"),
    _daily("contact_clicks", "Σ кликов по контактам", "Σ contact clicks"),
    _daily("location_clicks", "Σ кликов по адресу", "Σ location clicks"),
    _daily(
        "er_day_base",
        "дней в периоде × среднее число подписчиков",
        "days in the period × average followers",
    ),
    _posts(
        "posts", "число публикаций периода", "number of posts in the period", "публикаций", "posts"
    ),
    _posts(
        "interactions",
        "Σ взаимодействий (лайки + комментарии + репосты + сохранения)",
        "Σ interactions (likes + comments + shares + saves)",
        "публикаций с известными взаимодействиями",
        "posts with known interactions",
    ),
    _posts(
        "er_base",
        "Σ F(p): среднее число подписчиков аккаунта за каждую публикацию с известными "
        "взаимодействиями",
        "Σ F(p): the account's average followers for each post with known interactions",
        "публикаций с известными взаимодействиями",
        "posts with known interactions",
    ),
    _posts(
        "likes", "Σ лайков", "Σ likes", "публикаций с известными лайками", "posts with known likes"
    ),
    _posts(
        "likes_base",
        "Σ F(p) по публикациям с известными лайками",
        "Σ F(p) over posts with known likes",
        "публикаций с известными лайками",
        "posts with known likes",
    ),
    _posts(
        "comments",
        "Σ комментариев",
        "Σ comments",
        "публикаций с известными комментариями",
        "posts with known comments",
    ),
    _posts(
        "comments_base",
        "Σ F(p) по публикациям с известными комментариями",
        "Σ F(p) over posts with known comments",
        "публикаций с известными комментариями",
        "posts with known comments",
    ),
    _posts(
        "shares",
        "Σ репостов",
        "Σ shares",
        "публикаций с известными репостами",
        "posts with known shares",
    ),
    _posts(
        "shares_base",
        "Σ F(p) по публикациям с известными репостами",
        "Σ F(p) over posts with known shares",
        "публикаций с известными репостами",
        "posts with known shares",
    ),
    _posts(
        "views",
        "Σ просмотров публикаций",
        "Σ post views",
        "публикаций с известными просмотрами",
        "posts with known views",
    ),
    _posts(
        "views_base",
        "Σ F(p) по публикациям с известными просмотрами",
        "Σ F(p) over posts with known views",
        "публикаций с известными просмотрами",
        "posts with known views",
    ),
    _posts(
        "post_reach",
        "Σ охвата публикаций",
        "Σ post reach",
        "публикаций с известным охватом",
        "posts with known reach",
    ),
    _posts(
        "posts_with_reach",
        "число публикаций с известным охватом",
        "number of posts with known reach",
        "публикаций с известным охватом",
        "posts with known reach",
    ),
    _posts(
        "post_reach_organic",
        "Σ органического охвата",
        "Σ organic reach",
        "публикаций с известным органическим охватом",
        "posts with known organic reach",
    ),
    _posts(
        "post_reach_viral",
        "Σ вирусного охвата",
        "Σ viral reach",
        "публикаций с известным вирусным охватом",
        "posts with known viral reach",
    ),
    _posts(
        "post_reach_paid",
        "Σ рекламного охвата",
        "Σ paid reach",
        "публикаций с известным рекламным охватом",
        "posts with known paid reach",
    ),
    _posts(
        "split_organic",
        "Σ органического охвата по публикациям, где известны все три части",
        "Σ organic reach over posts where all three parts are known",
        "публикаций с известными тремя частями охвата",
        "posts with all three reach parts known",
    ),
    _posts(
        "split_viral",
        "Σ вирусного охвата по публикациям, где известны все три части",
        "Σ viral reach over posts where all three parts are known",
        "публикаций с известными тремя частями охвата",
        "posts with all three reach parts known",
    ),
    _posts(
        "split_paid",
        "Σ рекламного охвата по публикациям, где известны все три части",
        "Σ paid reach over posts where all three parts are known",
        "публикаций с известными тремя частями охвата",
        "posts with all three reach parts known",
    ),
    _posts(
        "split_total",
        "Σ (органический + вирусный + рекламный) по тем же публикациям",
        "Σ (organic + viral + paid) over the same posts",
        "публикаций с известными тремя частями охвата",
        "posts with all three reach parts known",
    ),
    _posts(
        "err_interactions",
        "Σ взаимодействий по публикациям с известными взаимодействиями и охватом > 0",
        "Σ interactions over posts with known interactions and reach > 0",
        "публикаций с охватом > 0",
        "posts with reach > 0",
    ),
    _posts(
        "err_reach",
        "Σ охвата тех же публикаций",
        "Σ reach of the same posts",
        "публикаций с охватом > 0",
        "posts with reach > 0",
    ),
    _posts(
        "post_link_clicks",
        "Σ кликов по ссылкам в публикациях",
        "Σ clicks on links in posts",
        "публикаций с известными кликами",
        "posts with known clicks",
    ),
    InputDef(
        "mentions",
        C,
        "mentions",
        Text("число упоминаний за период", "number of mentions in the period"),
        Text("упоминаний", "mentions"),
    ),
    InputDef(
        "branded_hashtag_posts",
        C,
        "mentions",
        Text("упоминания с брендовым хештегом", "mentions carrying a brand hashtag"),
        Text("упоминаний", "mentions"),
    ),
    InputDef(
        "site_sessions",
        C,
        "web_sessions",
        Text("Σ визитов с социальными UTM", "Σ sessions with social UTM"),
        Text("строк трафика из соцсетей", "social traffic rows"),
    ),
    InputDef(
        "site_goal_completions",
        C,
        "web_sessions",
        Text("Σ достижений целей с социальными UTM", "Σ goal completions with social UTM"),
        Text("строк трафика из соцсетей", "social traffic rows"),
    ),
    InputDef(
        "leads",
        C,
        "leads",
        Text(
            "число лидов из соцсетей, созданных в периоде",
            "number of social leads created in the period",
        ),
        Text("лидов", "leads"),
    ),
    InputDef(
        "sales",
        C,
        "sales",
        Text(
            "число продаж из соцсетей, закрытых в периоде",
            "number of social sales closed in the period",
        ),
        Text("продаж", "sales"),
    ),
    InputDef(
        "revenue",
        C,
        "sales",
        Text("Σ сумм этих продаж", "Σ amounts of those sales"),
        Text("продаж с известной суммой", "sales with a known amount"),
    ),
    InputDef(
        "ad_spend",
        C,
        "ad_spend",
        Text("Σ рекламных расходов за дни периода", "Σ ad spend over the period's days"),
        Text("строк расходов", "spend rows"),
    ),
    InputDef(
        "revenue_minus_spend",
        C,
        "sales",
        Text("выручка − рекламный бюджет", "revenue − ad spend"),
        Text("продаж и строк расходов", "sales and spend rows"),
    ),
)

INPUTS_BY_ID: dict[str, InputDef] = {i.id: i for i in INPUTS}

POST_INPUTS = tuple(i.id for i in INPUTS if i.table == "posts")


def _num(value: Any) -> Number | None:
    """A database number as a Python int, float or (money) Decimal."""
    if value is None or isinstance(value, int | float | Decimal):
        return value
    raise TypeError(f"not a number: {value!r}")


def _difference(left: Number, right: Number) -> Number:
    """``left − right``, exact when either is money."""
    if isinstance(left, Decimal) or isinstance(right, Decimal):
        return Decimal(left) - Decimal(right)
    return left - right


def _sum_over(value: Any, matching_rows: int) -> Number | None:
    """A sum over rows with coverage: 0 over no rows, NULL when all values were unknown."""
    if matching_rows == 0:
        return 0
    return _num(value)


def _base(followers_avg: Number | None, posts: int) -> Number | None:
    """Σ F(p) over ``posts`` posts of one account: F is the account's average followers."""
    return None if followers_avg is None else followers_avg * posts


def account_inputs(
    daily: Mapping[str, Any] | None,
    posts: Mapping[str, Any] | None,
    has_posts: bool,
    days_in_period: int,
) -> dict[str, Measure]:
    """The inputs of one account from its raw daily and post aggregates.

    ``daily`` is None when the account has no daily rows in the period or the lookback;
    ``posts`` is None when none of its posts falls in the period; ``has_posts`` says whether
    the posts table covers the account at all.
    """
    d = daily or {}
    result: dict[str, Measure] = {}
    follower_days = int(d.get("followers_days") or 0)
    end = _num(d.get("followers_end"))
    before = _num(d.get("followers_before"))
    start = before if before is not None else _num(d.get("followers_first"))
    average = _num(d.get("followers_avg"))
    result["followers_end"] = Measure(end, follower_days)
    result["followers_start"] = Measure(start, 1 if start is not None else 0)
    result["followers_avg"] = Measure(average, follower_days)
    for column in (
        "followers_gained",
        "followers_lost",
        "reach",
        "impressions",
        "profile_visits",
        "link_clicks",
        "contact_clicks",
        "location_clicks",
    ):
        result[column] = Measure(_num(d.get(column)), int(d.get(f"{column}_days") or 0))
    gained, lost = result["followers_gained"], result["followers_lost"]
    change = _difference(end, start) if end is not None and start is not None else None
    result["followers_change"] = Measure(change, 2 if change is not None else 0)
    if gained.value is not None and lost.value is not None:
        result["net_follower_growth"] = Measure(
            _difference(gained.value, lost.value), max(gained.rows, lost.rows)
        )
    else:
        result["net_follower_growth"] = result["followers_change"]
    result["er_day_base"] = Measure(
        None if average is None else days_in_period * average, follower_days
    )

    if not has_posts:
        result.update(dict.fromkeys(POST_INPUTS, UNKNOWN))
        return result
    p = posts or {}
    count = int(p.get("posts") or 0)
    result["posts"] = Measure(count, count)

    def counted(column: str) -> int:
        return int(p.get(f"{column}_n") or 0)

    interactions_n = counted("interactions")
    result["interactions"] = Measure(_sum_over(p.get("interactions"), count), interactions_n)
    result["er_base"] = Measure(_base(average, interactions_n), interactions_n)
    for column in ("likes", "comments", "shares", "views"):
        n = counted(column)
        result[column] = Measure(_sum_over(p.get(column), count), n)
        result[f"{column}_base"] = Measure(_base(average, n), n)
    reach_n = counted("reach")
    result["post_reach"] = Measure(_sum_over(p.get("reach"), count), reach_n)
    result["posts_with_reach"] = Measure(reach_n, reach_n)
    for part in ("organic", "viral", "paid"):
        column = f"reach_{part}"
        result[f"post_reach_{part}"] = Measure(_sum_over(p.get(column), count), counted(column))
    split_n = int(p.get("split_n") or 0)
    parts = [_sum_over(p.get(f"split_{part}"), split_n) for part in ("organic", "viral", "paid")]
    for part, value in zip(("organic", "viral", "paid"), parts, strict=True):
        result[f"split_{part}"] = Measure(value, split_n)
    result["split_total"] = Measure(sum(v for v in parts if v is not None), split_n)
    err_n = int(p.get("err_n") or 0)
    result["err_interactions"] = Measure(_sum_over(p.get("err_interactions"), err_n), err_n)
    result["err_reach"] = Measure(_sum_over(p.get("err_reach"), err_n), err_n)
    result["post_link_clicks"] = Measure(
        _sum_over(p.get("link_clicks"), count), counted("link_clicks")
    )
    return result


def client_inputs(
    mentions: Mapping[str, Any] | None,
    has_brand_hashtags: bool,
    web: Mapping[str, Any] | None,
    leads: Mapping[str, Any] | None,
    sales: Mapping[str, Any] | None,
    spend: Mapping[str, Any] | None,
) -> dict[str, Measure]:
    """The client-level inputs from the raw aggregates (None: no rows for the client)."""
    result: dict[str, Measure] = {}
    if mentions:
        count = int(mentions["mentions"])
        result["mentions"] = Measure(count, count)
        branded = int(mentions["branded"])
        result["branded_hashtag_posts"] = Measure(branded, count) if has_brand_hashtags else UNKNOWN
    else:
        result["mentions"] = result["branded_hashtag_posts"] = UNKNOWN

    w = web or {}
    social_rows = int(w.get("social_rows") or 0)
    for name, known, value, n in (
        ("site_sessions", "sessions_known", "social_sessions", "social_sessions_n"),
        ("site_goal_completions", "goals_known", "social_goals", "social_goals_n"),
    ):
        if int(w.get(known) or 0) == 0:
            result[name] = UNKNOWN
        else:
            result[name] = Measure(_sum_over(w.get(value), social_rows), int(w.get(n) or 0))

    if leads:
        result["leads"] = Measure(int(leads["leads"]), int(leads["leads"]))
    else:
        result["leads"] = UNKNOWN

    if sales:
        count = int(sales["sales"])
        result["sales"] = Measure(count, count)
        result["revenue"] = Measure(_sum_over(sales["revenue"], count), int(sales["revenue_n"]))
    else:
        result["sales"] = result["revenue"] = UNKNOWN

    if spend and int(spend.get("ad_spend_n") or 0):
        result["ad_spend"] = Measure(_num(spend["ad_spend"]), int(spend["ad_spend_n"]))
    else:
        result["ad_spend"] = UNKNOWN

    revenue, ad_spend = result["revenue"], result["ad_spend"]
    if revenue.value is not None and ad_spend.value is not None:
        result["revenue_minus_spend"] = Measure(
            _difference(revenue.value, ad_spend.value), revenue.rows + ad_spend.rows
        )
    else:
        result["revenue_minus_spend"] = UNKNOWN
    return result
