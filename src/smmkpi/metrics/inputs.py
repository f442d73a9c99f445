"""The inputs of the KPI formulas: documented, additive quantities per account or client.

Each input is declared here once — what it is, which table it comes from, what its row count
counts — with the Ibis expression that computes it from the raw aggregates of ``queries.py``,
applying the NULL rules of spec/metrics.md:

- a source that does not cover the account or client gives NULL inputs, never 0;
- with coverage, a count is a number and a sum over zero matching rows is 0;
- a sum over matching rows whose values are all unknown is NULL.

Every input comes with its row count (``rows``): how many source rows it rests on, which
``smmkpi kpi --explain`` shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from smmkpi.metrics.model import InputDef, Level, Text

Number = int | float | Decimal
"""Counts are ints, averages and ratios floats, money exact Decimals (converted for output)."""


class Measure(NamedTuple):
    """The value of an input (or a sum of inputs) and how many source rows it rests on."""

    value: Any
    rows: int = 0

    @property
    def known(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Built:
    """An input's value and row-count expressions."""

    value: Any
    rows: Any


A, C = Level.ACCOUNT, Level.CLIENT
KNOWN_DAYS = Text("дней с известным значением", "days with a known value")


def _null_like(expr: Any) -> Any:
    import ibis

    return ibis.null(expr.type())


def _zero_like(expr: Any) -> Any:
    import ibis

    return ibis.literal(0).cast(expr.type())


def sum_over(value: Any, matching_rows: Any) -> Any:
    """A sum with coverage: 0 over no matching rows, NULL when all values were unknown."""
    import ibis

    return ibis.ifelse(matching_rows.fill_null(0) == 0, _zero_like(value), value)


def _rows(count: Any) -> Any:
    return count.fill_null(0).cast("int64")


def _when(condition: Any, built: Built) -> Built:
    """``built`` where ``condition`` holds (the source covers the entity), else unknown."""
    import ibis

    return Built(
        ibis.ifelse(condition, built.value, _null_like(built.value)),
        ibis.ifelse(condition, built.rows, 0),
    )


# -- account inputs: raw columns of the joined daily/post aggregates (d_*, p_*, has_posts) ------


def _daily_sum(column: str) -> Callable[[Any], Built]:
    return lambda r: Built(r[f"d_{column}"], _rows(r[f"d_{column}_n"]))


def _followers_start(r: Any) -> Built:
    import ibis

    start = r.d_followers_before.coalesce(r.d_followers_first)
    return Built(start, ibis.ifelse(start.notnull(), 1, 0))


def _followers_change(r: Any) -> Built:
    import ibis

    change = r.d_followers_end - _followers_start(r).value
    return Built(change, ibis.ifelse(change.notnull(), 2, 0))


def _net_growth(r: Any) -> Built:
    import ibis

    both = r.d_followers_gained.notnull() & r.d_followers_lost.notnull()
    change = _followers_change(r)
    return Built(
        ibis.ifelse(both, r.d_followers_gained - r.d_followers_lost, change.value),
        ibis.ifelse(
            both,
            ibis.greatest(_rows(r.d_followers_gained_n), _rows(r.d_followers_lost_n)),
            change.rows,
        ),
    )


def _posts(build: Callable[[Any], Built]) -> Callable[[Any], Built]:
    """An input from the posts table: unknown for an account the posts table does not cover."""
    return lambda r: _when(r.has_posts.fill_null(False), build(r))


def _post_sum(column: str) -> Callable[[Any], Built]:
    return _posts(lambda r: Built(sum_over(r[f"p_{column}"], r.p_posts), _rows(r[f"p_{column}_n"])))


def _base(count_column: str) -> Callable[[Any], Built]:
    """Σ F(p) over the posts with a known value: the account's average followers × their
    number (F is constant per account)."""
    return _posts(
        lambda r: Built(
            r.d_followers_avg * _rows(r[count_column]).cast("float64"), _rows(r[count_column])
        )
    )


def _split(part: str) -> Callable[[Any], Built]:
    return _posts(lambda r: Built(sum_over(r[f"p_split_{part}"], r.p_split_n), _rows(r.p_split_n)))


def _split_total(r: Any) -> Built:
    parts = [sum_over(r[f"p_split_{p}"], r.p_split_n) for p in ("organic", "viral", "paid")]
    return _when(
        r.has_posts.fill_null(False),
        Built(
            parts[0].fill_null(0) + parts[1].fill_null(0) + parts[2].fill_null(0),
            _rows(r.p_split_n),
        ),
    )


@dataclass(frozen=True)
class Input:
    """An input: its documentation and how it is built."""

    definition: InputDef
    build: Callable[[Any], Built]


def _daily(
    id_: str, ru: str, en: str, build: Callable[[Any], Built], rows: Text = KNOWN_DAYS
) -> Input:
    return Input(InputDef(id_, A, "account_daily", Text(ru, en), rows), build)


def _post(
    id_: str, ru: str, en: str, rows_ru: str, rows_en: str, build: Callable[[Any], Built]
) -> Input:
    return Input(InputDef(id_, A, "posts", Text(ru, en), Text(rows_ru, rows_en)), build)


ACCOUNT_INPUTS: tuple[Input, ...] = (
    _daily(
        "followers_end",
        "подписчики в последний день периода с известным числом",
        "followers on the latest day of the period with a known count",
        lambda r: Built(r.d_followers_end, _rows(r.d_followers_n)),
    ),
    _daily(
        "followers_start",
        "подписчики в последний известный день до периода (не дальше 31 дня), иначе в первый "
        "известный день периода",
        "followers on the latest known day before the period (at most 31 days back), else on "
        "the first known day of the period",
        _followers_start,
        Text("день", "day"),
    ),
    _daily(
        "followers_avg",
        "среднее известных дневных значений подписчиков за период",
        "mean of the known daily follower counts of the period",
        lambda r: Built(r.d_followers_avg, _rows(r.d_followers_n)),
    ),
    _daily(
        "followers_gained",
        "Σ новых подписчиков за дни периода",
        "Σ followers gained over the period's days",
        _daily_sum("followers_gained"),
    ),
    _daily(
        "followers_lost",
        "Σ отписок за дни периода",
        "Σ followers lost over the period's days",
        _daily_sum("followers_lost"),
    ),
    _daily(
        "net_follower_growth",
        "новые − отписки, если оба известны; иначе подписчики на конец − на начало",
        "gained − lost when both are known; otherwise followers at the end − at the start",
        _net_growth,
    ),
    _daily(
        "followers_change",
        "подписчики на конец − подписчики на начало",
        "followers at the end − followers at the start",
        _followers_change,
        Text("дня (начало и конец)", "days (start and end)"),
    ),
    _daily("reach", "Σ дневного охвата", "Σ daily reach", _daily_sum("reach")),
    _daily("impressions", "Σ дневных показов", "Σ daily impressions", _daily_sum("impressions")),
    _daily(
        "profile_visits", "Σ посещений профиля", "Σ profile visits", _daily_sum("profile_visits")
    ),
    _daily(
        "link_clicks",
        "Σ кликов по ссылке профиля",
        "Σ clicks on the profile's link",
        _daily_sum("link_clicks"),
    ),
    _daily(
        "contact_clicks", "Σ кликов по контактам", "Σ contact clicks", _daily_sum("contact_clicks")
    ),
    _daily(
        "location_clicks", "Σ кликов по адресу", "Σ location clicks", _daily_sum("location_clicks")
    ),
    _daily(
        "er_day_base",
        "дней в периоде × среднее число подписчиков",
        "days in the period × average followers",
        lambda r: Built(r.days.cast("float64") * r.d_followers_avg, _rows(r.d_followers_n)),
    ),
    _post(
        "posts",
        "число публикаций периода",
        "number of posts in the period",
        "публикаций",
        "posts",
        _posts(lambda r: Built(r.p_posts.fill_null(0), _rows(r.p_posts))),
    ),
    _post(
        "interactions",
        "Σ взаимодействий (лайки + комментарии + репосты + сохранения)",
        "Σ interactions (likes + comments + shares + saves)",
        "публикаций с известными взаимодействиями",
        "posts with known interactions",
        _post_sum("interactions"),
    ),
    _post(
        "er_base",
        "Σ F(p): среднее число подписчиков аккаунта за каждую публикацию с известными "
        "взаимодействиями",
        "Σ F(p): the account's average followers for each post with known interactions",
        "публикаций с известными взаимодействиями",
        "posts with known interactions",
        _base("p_interactions_n"),
    ),
    _post(
        "likes",
        "Σ лайков",
        "Σ likes",
        "публикаций с известными лайками",
        "posts with known likes",
        _post_sum("likes"),
    ),
    _post(
        "likes_base",
        "Σ F(p) по публикациям с известными лайками",
        "Σ F(p) over posts with known likes",
        "публикаций с известными лайками",
        "posts with known likes",
        _base("p_likes_n"),
    ),
    _post(
        "comments",
        "Σ комментариев",
        "Σ comments",
        "публикаций с известными комментариями",
        "posts with known comments",
        _post_sum("comments"),
    ),
    _post(
        "comments_base",
        "Σ F(p) по публикациям с известными комментариями",
        "Σ F(p) over posts with known comments",
        "публикаций с известными комментариями",
        "posts with known comments",
        _base("p_comments_n"),
    ),
    _post(
        "shares",
        "Σ репостов",
        "Σ shares",
        "публикаций с известными репостами",
        "posts with known shares",
        _post_sum("shares"),
    ),
    _post(
        "shares_base",
        "Σ F(p) по публикациям с известными репостами",
        "Σ F(p) over posts with known shares",
        "публикаций с известными репостами",
        "posts with known shares",
        _base("p_shares_n"),
    ),
    _post(
        "views",
        "Σ просмотров публикаций",
        "Σ post views",
        "публикаций с известными просмотрами",
        "posts with known views",
        _post_sum("views"),
    ),
    _post(
        "views_base",
        "Σ F(p) по публикациям с известными просмотрами",
        "Σ F(p) over posts with known views",
        "публикаций с известными просмотрами",
        "posts with known views",
        _base("p_views_n"),
    ),
    _post(
        "post_reach",
        "Σ охвата публикаций",
        "Σ post reach",
        "публикаций с известным охватом",
        "posts with known reach",
        _post_sum("reach"),
    ),
    _post(
        "posts_with_reach",
        "число публикаций с известным охватом",
        "number of posts with known reach",
        "публикаций с известным охватом",
        "posts with known reach",
        _posts(lambda r: Built(_rows(r.p_reach_n), _rows(r.p_reach_n))),
    ),
    _post(
        "post_reach_organic",
        "Σ органического охвата",
        "Σ organic reach",
        "публикаций с известным органическим охватом",
        "posts with known organic reach",
        _post_sum("reach_organic"),
    ),
    _post(
        "post_reach_viral",
        "Σ вирусного охвата",
        "Σ viral reach",
        "публикаций с известным вирусным охватом",
        "posts with known viral reach",
        _post_sum("reach_viral"),
    ),
    _post(
        "post_reach_paid",
        "Σ рекламного охвата",
        "Σ paid reach",
        "публикаций с известным рекламным охватом",
        "posts with known paid reach",
        _post_sum("reach_paid"),
    ),
    _post(
        "split_organic",
        "Σ органического охвата по публикациям, где известны все три части",
        "Σ organic reach over posts where all three parts are known",
        "публикаций с известными тремя частями охвата",
        "posts with all three reach parts known",
        _split("organic"),
    ),
    _post(
        "split_viral",
        "Σ вирусного охвата по публикациям, где известны все три части",
        "Σ viral reach over posts where all three parts are known",
        "публикаций с известными тремя частями охвата",
        "posts with all three reach parts known",
        _split("viral"),
    ),
    _post(
        "split_paid",
        "Σ рекламного охвата по публикациям, где известны все три части",
        "Σ paid reach over posts where all three parts are known",
        "публикаций с известными тремя частями охвата",
        "posts with all three reach parts known",
        _split("paid"),
    ),
    _post(
        "split_total",
        "Σ (органический + вирусный + рекламный) по тем же публикациям",
        "Σ (organic + viral + paid) over the same posts",
        "публикаций с известными тремя частями охвата",
        "posts with all three reach parts known",
        _split_total,
    ),
    _post(
        "err_interactions",
        "Σ взаимодействий по публикациям с известными взаимодействиями и охватом > 0",
        "Σ interactions over posts with known interactions and reach > 0",
        "публикаций с охватом > 0",
        "posts with reach > 0",
        _posts(lambda r: Built(sum_over(r.p_err_interactions, r.p_err_n), _rows(r.p_err_n))),
    ),
    _post(
        "err_reach",
        "Σ охвата тех же публикаций",
        "Σ reach of the same posts",
        "публикаций с охватом > 0",
        "posts with reach > 0",
        _posts(lambda r: Built(sum_over(r.p_err_reach, r.p_err_n), _rows(r.p_err_n))),
    ),
    _post(
        "post_link_clicks",
        "Σ кликов по ссылкам в публикациях",
        "Σ clicks on links in posts",
        "публикаций с известными кликами",
        "posts with known clicks",
        _post_sum("link_clicks"),
    ),
)


# -- client inputs: raw columns of the joined client aggregates --------------------------------


def _client(
    id_: str,
    table: str,
    ru: str,
    en: str,
    rows_ru: str,
    rows_en: str,
    build: Callable[[Any], Built],
) -> Input:
    return Input(InputDef(id_, C, table, Text(ru, en), Text(rows_ru, rows_en)), build)


def _mentions(r: Any) -> Built:
    return _when(r.mentions_ever.notnull(), Built(r.mentions.fill_null(0), _rows(r.mentions)))


def _branded(r: Any) -> Built:
    covered = r.mentions_ever.notnull() & r.has_brand_tags
    return _when(covered, Built(r.branded.fill_null(0), _rows(r.mentions)))


def _web(value: str, known: str, count: str) -> Callable[[Any], Built]:
    def build(r: Any) -> Built:
        covered = r[known].fill_null(0) > 0
        return _when(covered, Built(sum_over(r[value], r.social_rows), _rows(r[count])))

    return build


def _revenue(r: Any) -> Built:
    return _when(r.sales_ever.notnull(), Built(sum_over(r.revenue, r.sales), _rows(r.revenue_n)))


def _ad_spend(r: Any) -> Built:
    return _when(r.ad_spend_n.fill_null(0) > 0, Built(r.ad_spend, _rows(r.ad_spend_n)))


def _revenue_minus_spend(r: Any) -> Built:
    revenue, spend = _revenue(r), _ad_spend(r)
    return Built(revenue.value - spend.value, revenue.rows + spend.rows)


CLIENT_INPUTS: tuple[Input, ...] = (
    _client(
        "mentions",
        "mentions",
        "число упоминаний за период",
        "number of mentions in the period",
        "упоминаний",
        "mentions",
        _mentions,
    ),
    _client(
        "branded_hashtag_posts",
        "mentions",
        "упоминания с брендовым хештегом",
        "mentions carrying a brand hashtag",
        "упоминаний",
        "mentions",
        _branded,
    ),
    _client(
        "site_sessions",
        "web_sessions",
        "Σ визитов с социальными UTM",
        "Σ sessions with social UTM",
        "строк трафика из соцсетей",
        "social traffic rows",
        _web("social_sessions", "sessions_known", "social_sessions_n"),
    ),
    _client(
        "site_goal_completions",
        "web_sessions",
        "Σ достижений целей с социальными UTM",
        "Σ goal completions with social UTM",
        "строк трафика из соцсетей",
        "social traffic rows",
        _web("social_goals", "goals_known", "social_goals_n"),
    ),
    _client(
        "leads",
        "leads",
        "число лидов из соцсетей, созданных в периоде",
        "number of social leads created in the period",
        "лидов",
        "leads",
        lambda r: _when(r.leads_ever.notnull(), Built(r.leads.fill_null(0), _rows(r.leads))),
    ),
    _client(
        "sales",
        "sales",
        "число продаж из соцсетей, закрытых в периоде",
        "number of social sales closed in the period",
        "продаж",
        "sales",
        lambda r: _when(r.sales_ever.notnull(), Built(r.sales.fill_null(0), _rows(r.sales))),
    ),
    _client(
        "revenue",
        "sales",
        "Σ сумм этих продаж",
        "Σ amounts of those sales",
        "продаж с известной суммой",
        "sales with a known amount",
        _revenue,
    ),
    _client(
        "ad_spend",
        "ad_spend",
        "Σ рекламных расходов за дни периода",
        "Σ ad spend over the period's days",
        "строк расходов",
        "spend rows",
        _ad_spend,
    ),
    _client(
        "revenue_minus_spend",
        "sales",
        "выручка − рекламный бюджет",
        "revenue − ad spend",
        "продаж и строк расходов",
        "sales and spend rows",
        _revenue_minus_spend,
    ),
)

INPUTS: tuple[InputDef, ...] = tuple(i.definition for i in ACCOUNT_INPUTS + CLIENT_INPUTS)
INPUTS_BY_ID: dict[str, InputDef] = {i.id: i for i in INPUTS}


def value_column(input_id: str) -> str:
    return f"in__{input_id}"


def rows_column(input_id: str) -> str:
    return f"rows__{input_id}"


def input_columns(inputs: tuple[Input, ...], raw: Any) -> dict[str, Any]:
    """The value and row-count columns of ``inputs`` over the raw aggregates ``raw``."""
    columns: dict[str, Any] = {}
    for item in inputs:
        built = item.build(raw)
        columns[value_column(item.definition.id)] = built.value
        columns[rows_column(item.definition.id)] = built.rows.cast("int64")
    return columns
