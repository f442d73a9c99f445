"""Instagram and Facebook: Meta Business Suite exports and Graph API insights JSON.

Three kinds of files (docs/importers.md):

- **Post exports** (CSV, UTF-8 with BOM) → ``posts``: one row per post with lifetime totals as
  of the export (``captured_at`` is when the file was saved, or ``--as-of``). The columns drift
  between months and follow the language of the exporting user: they are found by name, never by
  position. ``Publish time`` has no offset: it is read in ``--timezone``, else the client's
  zone, and the import says which. ``Post type`` gives the kind (reel, story, video, else
  post) and the attributes (``IG carousel``: carousel; Facebook's ``Links``: link). The "daily
  breakdown" variant (a row per post and day) is refused: it would count each post's totals
  once per day.
- **Page-level daily series** (``Follows.csv``, ``Views.csv``, ``Visits.csv``…; UTF-16 LE, a
  ``sep=,`` line, a line naming the metric, then ``Date,Primary``) → one column of
  ``account_daily`` each, chosen by the metric name. A folder of them is one import: each file
  fills its column of the same days.
- **Graph API media** (an Instagram account's ``/media``, a Page's ``/posts``, with the
  insights asked for by field expansion) → ``posts`` with their lifetime counters as read:
  ``like_count`` / ``reactions.summary.total_count`` → likes, ``comments_count`` → comments,
  ``shares`` → shares, the insights ``reach``, ``saved``, ``shares``, ``views`` (Facebook:
  ``post_impressions_unique`` → reach, ``post_clicks`` → link clicks); ``REELS`` → reel,
  ``STORY`` → story, a ``VIDEO`` → video; a ``CAROUSEL_ALBUM`` has the attribute carousel. A
  folder may hold insights and media together.
- **Graph API insights** (``{"data": [{"name", "period", "values": [{"value", "end_time"}]}]}``;
  a file, or a folder of them — the API gives 30 days a request) → ``account_daily``. A daily
  value's ``end_time`` is the end of a Pacific day (07:00 or 08:00 UTC): the value belongs to
  the Pacific calendar day before it. A metric with no values is
  unknown, not 0. From 2025-04-21 Instagram reports ``views`` where it reported
  ``impressions``; a day's ``views`` fill ``impressions`` when present.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.ingest import lenient, post_attributes, values
from smmkpi.ingest.cells import Cells
from smmkpi.ingest.fields import Field, Layout, Located, normalise
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sheets import csv_sheet, read_text
from smmkpi.ingest.sniff import Sniffed
from smmkpi.ingest.source import PlatformSource
from smmkpi.ingest.values import CellError
from smmkpi.store.directory import KnownAccount

NAME = "meta"
PACIFIC = ZoneInfo("America/Los_Angeles")

POSTS = Layout(
    [
        Field("post_id", ("Post ID", "ID публикации", "Publicerings-id"), required=True),
        Field(
            "publish_time", ("Publish time", "Время публикации", "Publiceringstid"), required=True
        ),
        Field("instagram_account", ("Account ID", "ID аккаунта", "Konto-id")),
        Field("facebook_page", ("Page ID", "ID страницы")),
        Field("username", ("Account username", "Имя пользователя аккаунта")),
        Field(
            "account_name",
            ("Account name", "Page name", "Имя аккаунта", "Название страницы", "Kontonamn"),
        ),
        Field("description", ("Description", "Описание", "Beskrivning")),
        Field("title", ("Title", "Заголовок")),
        Field("permalink", ("Permalink", "Постоянная ссылка", "Permalänk")),
        Field("post_type", ("Post type", "Тип публикации", "Inläggstyp")),
        Field("date", ("Date", "Дата", "Datum")),
        Field("views", ("Views", "Просмотры", "Visningar")),
        Field("reach", ("Reach", "Охват", "Räckvidd")),
        Field(
            "likes", ("Likes", "Reactions", "Отметки «Нравится»", "Реакции", "Gilla-markeringar")
        ),
        Field("comments", ("Comments", "Комментарии", "Kommentarer")),
        Field("shares", ("Shares", "Поделились", "Репосты", "Delningar")),
        Field("saves", ("Saves", "Сохранения", "Sparade objekt")),
        Field("link_clicks", ("Link clicks", "Клики по ссылке")),
        Field("reach_organic", ("Reach from Organic posts", "Охват органических публикаций")),
        Field("reach_paid", ("Reach from Boosted posts", "Охват продвигаемых публикаций")),
    ]
)
POST_COUNTS = (
    "views",
    "reach",
    "likes",
    "comments",
    "shares",
    "saves",
    "link_clicks",
    "reach_organic",
    "reach_paid",
)
LIFETIME = {"lifetime", "весь период", "livstid", "за все время"}

SERIES = Layout(
    [
        Field("date", ("Date", "Дата", "Datum"), required=True),
        Field("value", ("Primary", "Основное", "Основной", "Primär"), required=True),
    ]
)
# metric name (normalised) → (platform or None, account_daily column or None to leave out)
SERIES_METRICS: dict[str, tuple[str | None, str | None]] = {
    "follows": (None, "followers_gained"),  # Meta Business Suite titles some series plainly
    "unfollows": (None, "followers_lost"),
    "visits": (None, "profile_visits"),
    "link clicks": (None, "link_clicks"),
    "подписки": (None, "followers_gained"),
    "отмены подписки": (None, "followers_lost"),
    "facebook follows": ("facebook", "followers_gained"),
    "подписки на facebook": ("facebook", "followers_gained"),
    "facebook unfollows": ("facebook", "followers_lost"),
    "instagram follows": ("instagram", "followers_gained"),
    "подписки в instagram": ("instagram", "followers_gained"),
    "instagram unfollows": ("instagram", "followers_lost"),
    "views": (None, "impressions"),
    "просмотры": (None, "impressions"),
    "facebook views": ("facebook", "impressions"),
    "instagram views": ("instagram", "impressions"),
    "viewers": (None, "reach"),
    "зрители": (None, "reach"),
    "reach": (None, "reach"),
    "охват": (None, "reach"),
    "facebook reach": ("facebook", "reach"),
    "instagram reach": ("instagram", "reach"),
    "охват instagram": ("instagram", "reach"),
    "facebook visits": ("facebook", "profile_visits"),
    "посещения facebook": ("facebook", "profile_visits"),
    "instagram profile visits": ("instagram", "profile_visits"),
    "посещения профиля instagram": ("instagram", "profile_visits"),
    "facebook link clicks": ("facebook", "link_clicks"),
    "клики по ссылке на facebook": ("facebook", "link_clicks"),
    "instagram link clicks": ("instagram", "link_clicks"),
    "клики по ссылке в instagram": ("instagram", "link_clicks"),
    "content interactions": (None, None),
    "взаимодействия с контентом": (None, None),
}

# Graph API metric → account_daily column; several metrics of one column are summed per day.
INSIGHTS: dict[str, str] = {
    "follower_count": "followers_gained",
    "reach": "reach",
    "impressions": "impressions",
    "views": "impressions",
    "profile_views": "profile_visits",
    "website_clicks": "link_clicks",
    "email_contacts": "contact_clicks",
    "phone_call_clicks": "contact_clicks",
    "text_message_clicks": "contact_clicks",
    "get_directions_clicks": "location_clicks",
    "page_daily_follows_unique": "followers_gained",
    "page_fan_adds_unique": "followers_gained",
    "page_daily_unfollows_unique": "followers_lost",
    "page_fan_removes_unique": "followers_lost",
    "page_follows": "followers",
    "page_fans": "followers",
    "page_impressions_unique": "reach",
    "page_total_media_view_unique": "reach",
    "page_impressions": "impressions",
    "page_media_view": "impressions",
    "page_views_total": "profile_visits",
}


def graph_kind(data: Any) -> str | None:
    """What a Graph API answer is: ``insights`` (an account's or page's daily metrics),
    ``media`` (an Instagram account's ``/media``, a Page's ``/posts``), or neither."""
    if not isinstance(data, dict) or not isinstance(data.get("data"), list) or not data["data"]:
        return None
    items = data["data"]
    if not all(isinstance(m, dict) for m in items):
        return None
    if all("name" in m and "period" in m for m in items):
        return "insights"
    if all("id" in m and ("timestamp" in m or "created_time" in m) for m in items):
        return "media"
    return None


def classify(sniffed: Sniffed) -> str | None:
    if sniffed.kind == "json":
        return "graph" if graph_kind(sniffed.json) else None
    if sniffed.kind == "text":
        # Excel's sep= line, or a title row alone above the Date / Primary header
        preamble = any(row[:1] in (["sep=,"], ["sep=;"]) for row in sniffed.rows[:1]) or any(
            len([c for c in row if c]) == 1 for row in sniffed.rows[:3]
        )
        series_header = any(
            {"date", "primary"} <= set(row) or {"дата", "основное"} <= set(row)
            for row in sniffed.rows
        )
        if preamble and series_header:
            return "series"
        if POSTS.score(next((r for r in sniffed.rows if POSTS.score(r)), [])):
            return "posts"
    if sniffed.kind == "folder":
        kinds = {classify(c) for c in sniffed.children}
        if kinds in ({"series"}, {"graph"}):
            return kinds.pop()
    return None


def detect(sniffed: Sniffed) -> bool:
    return classify(sniffed) is not None


# a media's insight → posts column (Instagram, then Facebook's post_* metrics)
MEDIA_INSIGHTS = {
    "reach": "reach",
    "saved": "saves",
    "shares": "shares",
    "views": "views",
    "post_impressions_unique": "reach",
    "post_clicks": "link_clicks",
}


def graph_time(value: Any) -> datetime:
    """A Graph API time (``2025-03-01T10:00:00+0000``) as a UTC instant."""
    return datetime.fromisoformat(str(value)).astimezone(UTC)


def media_kind(item: dict[str, Any]) -> str:
    product = str(item.get("media_product_type") or "").upper()
    if product == "REELS":
        return "reel"
    if product == "STORY":
        return "story"
    if str(item.get("media_type") or "").upper() == "VIDEO":
        return "video"
    return "post"


def _count_of(value: Any) -> Any:
    """``{"count": n}`` or ``{"summary": {"total_count": n}}`` → n."""
    if isinstance(value, dict):
        if "summary" in value and isinstance(value["summary"], dict):
            return value["summary"].get("total_count")
        return value.get("count")
    return value


def _media_values(item: dict[str, Any]) -> dict[str, Any]:
    """The counters a media or post carries, by posts column."""
    values: dict[str, Any] = {}
    for column, keys in (
        ("likes", ("like_count", "reactions")),
        ("comments", ("comments_count", "comments")),
        ("shares", ("shares",)),
    ):
        for key in keys:
            if key in item:
                values[column] = _count_of(item[key])
                break
    insights = item.get("insights")
    for metric in insights.get("data", []) if isinstance(insights, dict) else []:
        target = MEDIA_INSIGHTS.get(str(metric.get("name")))
        found = metric.get("values") or [{}]
        if target is not None:
            values[target] = found[0].get("value")
    return values


def post_kind(value: str | None) -> str:
    text = (value or "").lower()
    if "reel" in text:
        return "reel"
    if "stor" in text or "истори" in text:
        return "story"
    if "video" in text or "видео" in text:
        return "video"
    return "post"


class MetaSource(PlatformSource):
    """A Meta export: a post export, a page-level series (or a folder of them), insights JSON."""

    format = NAME

    def __init__(self, path: Path, context: Any) -> None:
        super().__init__(path, context)
        self.kind = classify(Sniffed(path, context.encoding))

    def read_all(self, sink: RowSink) -> None:
        if self.kind == "posts":
            self._posts(sink)
        elif self.kind == "series":
            self._series(sink)
        elif self.kind == "graph":
            self._graph(sink)
        else:
            raise UserError(
                _(
                    "{source} is not a Meta export this importer reads (post export, page-level "
                    "series, Graph API insights)."
                ).format(source=self.label)
            )

    # -- post exports ------------------------------------------------------------------------

    def _posts(self, sink: RowSink) -> None:
        located = POSTS.locate_or_fail(self.tables(self.path), _("a Meta post export"))
        rows = list(located.rows)
        platform = "facebook" if located.has("facebook_page") else "instagram"
        hints = set()
        for sample in rows[:50]:
            for name in ("instagram_account", "facebook_page", "username", "account_name"):
                value = located.value(sample, name)
                if value is not None:
                    hints.add(str(values.parse_id(value)))
        account = self.context.account(self.label, platform, sorted(hints))
        client = self.context.directory.clients[account.client_id]
        zone = self.context.zone(client)
        self._refuse_daily_breakdown(located, rows)
        try:
            fmt = lenient.date_format(located.value(r, "publish_time") for r in rows)
        except CellError:  # a column mixing formats: each row reports its own problem below
            fmt = None
        captured = self.context.captured_at(self.path)
        for raw in rows:
            row = Cells(sink, located.sheet.label, raw.number, raw.line)
            row.put("account_id", account.account_id)
            row.put(
                "post_id",
                located.value(raw, "post_id"),
                values.parse_id,
                header=located.header_of("post_id"),
            )
            row.put(
                "published_at",
                located.value(raw, "publish_time"),
                lambda v: lenient.in_zone(lenient.parse_date_time(v, fmt), zone),
                header=located.header_of("publish_time"),
            )
            row.put("kind", post_kind(located.value(raw, "post_type")))
            if located.has("post_type"):
                row.put(
                    "attributes", post_attributes.meta_post_type(located.value(raw, "post_type"))
                )
            text = located.value(raw, "description") or located.value(raw, "title")
            row.put("text", None if text is None else str(text))
            if located.has("permalink"):
                row.put("url", located.value(raw, "permalink"))
            row.take(located, raw, POST_COUNTS, lenient.count)
            row.put("captured_at", captured)
            row.add("posts")
        sink.problems.note(
            _(
                "{file}: publish times have no offset and were read in {zone}; pass --timezone if "
                "the export was made in another zone."
            ).format(file=self.path.name, zone=str(zone))
        )
        if located.ignored:
            sink.problems.note(
                _("{file}: columns not used: {columns}.").format(
                    file=self.path.name, columns=", ".join(located.ignored)
                )
            )

    def _refuse_daily_breakdown(self, located: Located, rows: list[Any]) -> None:
        if not located.has("date"):
            return
        values = {normalise(str(located.value(r, "date") or "")) for r in rows}
        ids = [located.value(r, "post_id") for r in rows]
        if values - LIFETIME - {""} and len(ids) != len(set(ids)):
            raise UserError(
                _(
                    "{file} is the 'daily breakdown' post export (a row per post and day); its "
                    "totals would count each post once a day. Export the posts with lifetime "
                    "values instead."
                ).format(file=self.path.name)
            )

    # -- page-level daily series -------------------------------------------------------------

    def _series(self, sink: RowSink) -> None:
        files = []
        for path in self.paths():
            sheet = csv_sheet(path, self.context.encoding)
            located = SERIES.locate_or_fail([sheet], _("a Meta daily series"))
            metric = _metric_name(located)
            if metric not in SERIES_METRICS:  # one unknown file does not fail its neighbours
                problem = _(
                    "{file}: the title '{metric}' is not a Meta series this importer knows "
                    "(known: {known}); the file was left out."
                ).format(file=path.name, metric=metric, known=", ".join(sorted(SERIES_METRICS)))
                if len(self.paths()) == 1:
                    raise UserError(problem)
                sink.problems.note(problem)
                continue
            files.append((path, located, SERIES_METRICS[metric], metric))
        platforms = {p for _path, _l, (p, _c), _m in files if p}
        if len(platforms) > 1:
            raise UserError(
                _(
                    "{source} mixes Facebook and Instagram series; import each account's files "
                    "separately."
                ).format(source=self.label)
            )
        account = self.context.account(
            self.label, platforms.pop() if platforms else _platform_of(self.context)
        )
        for path, located, (_platform, column), metric in files:
            if column is None:
                sink.problems.note(
                    _(
                        "{file}: '{metric}' has no place in daily statistics and was left out."
                    ).format(file=path.name, metric=metric)
                )
                continue
            rows = list(located.rows)
            fmt = lenient.date_format(located.value(r, "date") for r in rows)
            for raw in rows:
                row = Cells(sink, path.name, raw.number, raw.line)
                row.put("account_id", account.account_id)
                row.put(
                    "date",
                    located.value(raw, "date"),
                    day_of(fmt),
                    header=located.header_of("date"),
                )
                row.put(column, located.value(raw, "value"), lenient.count, header=metric)
                row.add("account_daily")

    # -- Graph API insights ------------------------------------------------------------------

    def _graph(self, sink: RowSink) -> None:
        """Graph API answers — insights and media — of one account, one file or a folder."""
        found: dict[str, list[tuple[Path, Any]]] = defaultdict(list)
        for path in self.paths():
            data = json.loads(read_text(path, self.context.encoding))
            found[graph_kind(data) or ""].append((path, data))
        if found.get(""):
            raise UserError(
                _("{file} is not a Graph API insights or media answer.").format(
                    file=found[""][0][0].name
                )
            )
        if found.get("insights"):
            self._insights(sink, [m for _p, d in found["insights"] for m in d["data"]])
        if found.get("media"):
            self._media(sink, found["media"])

    def _media(self, sink: RowSink, pages: list[tuple[Path, Any]]) -> None:
        """Instagram ``/media`` and Facebook Page ``/posts`` with their lifetime counters and
        insights (``insights.metric(…)``) as read → ``posts``."""
        items = [(path, item) for path, page in pages for item in page["data"]]
        platform = "facebook" if any("created_time" in i for _p, i in items) else "instagram"
        owners = {str(i.get("owner", {}).get("id", "")) for _p, i in items} - {""}
        account = self.context.account(self.label, platform, sorted(owners))
        for index, (path, item) in enumerate(items, start=1):
            row = Cells(sink, path.name, index)
            row.put("account_id", account.account_id)
            row.put("post_id", str(item["id"]))
            moment = item.get("timestamp") or item.get("created_time")
            row.put("published_at", moment, graph_time, header="timestamp")
            row.put("kind", media_kind(item))
            row.put("attributes", post_attributes.instagram(item.get("media_type")))
            row.put("text", item.get("caption") or item.get("message") or None)
            row.put("url", item.get("permalink") or item.get("permalink_url") or None)
            values = _media_values(item)
            for column, value in values.items():
                row.put(column, value, lenient.count, header=column)
            row.put("captured_at", self.context.captured_at(path))
            row.add("posts")

    def _insights(self, sink: RowSink, data: list[Any]) -> None:
        objects = {str(m.get("id", "")).split("/insights")[0] for m in data} - {""}
        platform = (
            "facebook" if any(str(m["name"]).startswith("page_") for m in data) else "instagram"
        )
        account = self.context.account(self.label, platform, sorted(objects))
        daily: dict[date, dict[str, int]] = defaultdict(dict)
        skipped: set[str] = set()
        empty: set[str] = set()
        for metric in data:
            name = str(metric["name"])
            if name not in INSIGHTS or metric.get("period") != "day" or "values" not in metric:
                skipped.add(name)
                continue
            if not metric["values"]:
                empty.add(name)
                continue
            for value in metric["values"]:
                if not isinstance(value.get("value"), int | float) or "end_time" not in value:
                    skipped.add(name)
                    continue
                daily[pacific_day(str(value["end_time"]))][name] = int(value["value"])
        replaced = False
        for index, day in enumerate(sorted(daily), start=1):
            metrics = dict(daily[day])
            if "views" in metrics and "impressions" in metrics:
                del metrics["impressions"]  # from 2025-04-21 views replace impressions
            replaced |= "views" in metrics
            columns: dict[str, list[str]] = defaultdict(list)
            for name in metrics:
                columns[INSIGHTS[name]].append(name)
            row = Cells(sink, self.path.name, index)
            row.put("account_id", account.account_id)
            row.put("date", day)
            for column, names in columns.items():
                row.put(column, sum(metrics[n] for n in names), header=", ".join(sorted(names)))
            row.add("account_daily")
        if skipped:
            sink.problems.note(
                _(
                    "{file}: left out (not daily, or no place in daily statistics): {metrics}."
                ).format(file=self.path.name, metrics=", ".join(sorted(skipped)))
            )
        if empty:
            sink.problems.note(
                _("{file}: no values for {metrics}: unknown, not 0; stored values stay.").format(
                    file=self.path.name, metrics=", ".join(sorted(empty))
                )
            )
        if replaced:
            sink.problems.note(
                _(
                    "{file}: from 2025-04-21 Instagram reports views instead of impressions; those "
                    "days' impressions are the views."
                ).format(file=self.path.name)
            )


def day_of(fmt: lenient.DateFormat | None) -> Any:
    """A converter of a column's cells (in ``fmt``) to calendar days."""

    def convert(value: Any) -> date | None:
        return lenient.as_date(lenient.parse_date_time(value, fmt))

    return convert


def pacific_day(end_time: str) -> date:
    """The calendar day a daily Graph API value belongs to: its ``end_time`` is the end of a
    Pacific day (``2025-06-06T07:00:00+0000`` ends 2025-06-05)."""
    moment = lenient.parse_date_time(end_time, lenient.ISO)
    assert isinstance(moment, datetime)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment.astimezone(PACIFIC) - timedelta(seconds=1)).date()


def _metric_name(located: Located) -> str:
    """The metric a series names on the line above its header."""
    for row in reversed(located.preamble):
        text = " ".join(c for c in row if c).strip()
        if text and not text.lower().startswith("sep="):
            return normalise(text)
    return ""


def _platform_of(context: Any) -> str:
    account: KnownAccount | None = context.directory.accounts.get(context.account_id or "")
    return account.platform if account else "instagram"
