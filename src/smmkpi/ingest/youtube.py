"""YouTube: the Studio export ("Advanced mode → Export current view"), as the zip Studio gives or
its ``Table data.csv``, and YouTube Analytics API ``reports.query`` responses by day.

Mapping:

- Table data **by content** (a ``Content`` column: video ids) → ``posts``: ``Views`` → views,
  ``Unique viewers`` → reach, ``Likes``, ``Comments added``, ``Shares``. ``Video publish time``
  is a date without a time: the post is placed at midnight of that day in ``--timezone`` or
  the client's zone. The counters cover the exported period: a video published before the
  period's start (read from the zip's name, ``Content 2025-01-01_2025-03-31 Channel.zip``) would
  get only part of its lifetime counters, so it is left out and the import says how many.
  ``captured_at`` is the end of that period, else ``--as-of``, else the file's time.
- Table data **by date** → ``account_daily``: ``Subscribers gained`` / ``Subscribers lost`` →
  followers_gained / followers_lost, ``Unique viewers`` → reach, ``Impressions`` (thumbnail
  impressions, the times YouTube showed the video to someone) → impressions. Net
  ``Subscribers`` alone cannot be split into gained and lost and is left out, with a note.
  Days are YouTube's days (Pacific time).
- The ``Total`` row under the header is left out; columns are found by name (English or
  Russian Studio), whichever metrics were ticked.
- API ``youtubeAnalytics#resultTable`` with the ``day`` dimension → ``account_daily``
  (``subscribersGained``, ``subscribersLost``); the Data API's ``youtube#videoListResponse``
  (``part=snippet,statistics``) → ``posts`` with lifetime views, likes and comments as read. A
  folder of such answers (what ``smmkpi sync`` keeps) is one import.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

from smmkpi.errors import UserError
from smmkpi.i18n import _, ngettext
from smmkpi.ingest import lenient, values
from smmkpi.ingest.archives import unpacked
from smmkpi.ingest.cells import Cells
from smmkpi.ingest.fields import Field, Layout, Located
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sheets import read_text
from smmkpi.ingest.sniff import Sniffed
from smmkpi.ingest.source import PlatformSource

NAME = "youtube"

_VIEWS = Field("views", ("Views", "Просмотры"))
_REACH = Field("reach", ("Unique viewers", "Уникальные зрители"))
_WATCH = Field("watch_time", ("Watch time (hours)", "Время просмотра (часы)"))
_IMPRESSIONS = Field("impressions", ("Impressions", "Показы"))
_GAINED = Field(
    "followers_gained", ("Subscribers gained", "Новые подписчики", "Подписчиков получено")
)
_LOST = Field("followers_lost", ("Subscribers lost", "Отказались от подписки", "Отписки"))
_NET = Field("subscribers", ("Subscribers", "Подписчики"))

BY_CONTENT = Layout(
    [
        Field("content", ("Content", "Video", "Контент", "Видео"), required=True),
        Field("title", ("Video title", "Название видео"), required=True),
        Field("publish_time", ("Video publish time", "Время публикации видео")),
        Field("content_type", ("Content type", "Тип контента")),
        _VIEWS,
        _REACH,
        _WATCH,
        _IMPRESSIONS,
        Field("likes", ("Likes", "Отметки «Нравится»", 'Отметки "Нравится"', "Лайки")),
        Field("comments", ("Comments added", "Добавленные комментарии", "Комментарии")),
        Field("shares", ("Shares", "Поделились", "Репосты")),
        _GAINED,
        _LOST,
        _NET,
    ]
)
BY_DATE = Layout(
    [
        Field("date", ("Date", "Дата"), required=True),
        _VIEWS,
        _REACH,
        _WATCH,
        _IMPRESSIONS,
        _GAINED,
        _LOST,
        _NET,
    ]
)
DAILY_COLUMNS = ("followers_gained", "followers_lost", "reach", "impressions")
POST_COUNTS = ("views", "reach", "likes", "comments", "shares")
TABLE_NAMES = ("table data.csv", "данные таблицы.csv")
API_DAILY = {"subscribersGained": "followers_gained", "subscribersLost": "followers_lost"}
RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})\s*(.*)$")


def _is_studio_table(sniffed: Sniffed) -> bool:
    for row in sniffed.rows:
        if BY_CONTENT.score(row):
            return True
        # "Subscribers" alone is in any hand-made daily table: what is YouTube's own is watch
        # time and the gained / lost pair
        if BY_DATE.score(row) and any(f.matches(c) for c in row for f in (_WATCH, _GAINED, _LOST)):
            return True
    return False


def _is_result_table(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and data.get("kind") == "youtubeAnalytics#resultTable"
        and isinstance(data.get("columnHeaders"), list)
    )


def _is_video_list(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and data.get("kind") == "youtube#videoListResponse"
        and isinstance(data.get("items"), list)
    )


def _is_api(data: Any) -> bool:
    return _is_result_table(data) or _is_video_list(data)


def detect(sniffed: Sniffed) -> bool:
    if sniffed.kind == "zip":
        return any(m.rsplit("/", 1)[-1].lower() in TABLE_NAMES for m in sniffed.members)
    if sniffed.kind in ("json", "folder"):
        return sniffed.json_claims(_is_api)
    if sniffed.kind in ("text", "xlsx", "xls"):
        return _is_studio_table(sniffed)
    return False


def kind_of(value: Any) -> str:
    text = str(value or "").strip().lower()
    if "short" in text:
        return "short"
    if "live" in text or "трансляц" in text:
        return "live"
    return "video"


def period_of(name: str) -> tuple[date, date, str] | None:
    """The exported period and channel name in a Studio file name, if it has them."""
    match = RANGE.search(Path(name).stem)
    if match is None:
        return None
    start, end = (date.fromisoformat(match.group(i)) for i in (1, 2))
    return start, end, match.group(3).strip()


class YouTubeSource(PlatformSource):
    """A Studio zip, its ``Table data.csv`` (or the same as XLSX), or an API result table."""

    format = NAME

    def read_all(self, sink: RowSink) -> None:
        sniffed = Sniffed(self.path, self.context.encoding)
        if sniffed.kind in ("json", "folder"):
            self._api(sink)
        elif sniffed.kind == "zip":
            with unpacked(self.path) as members:
                table = next((p for n, p in members.items() if n.lower() in TABLE_NAMES), None)
                if table is None:
                    raise UserError(
                        _(
                            "{file} has no 'Table data.csv'; it is not a YouTube Studio export."
                        ).format(file=self.path.name)
                    )
                self._table(table, sink)
        else:
            self._table(self.path, sink)

    def _table(self, path: Path, sink: RowSink) -> None:
        found = self.tables(path)
        period = period_of(self.path.name)
        hints = [period[2]] if period else []
        for sheet in found:
            located = BY_CONTENT.locate(sheet)
            if located is not None:
                self._posts(located, sink, period, hints)
                return
        located = BY_DATE.locate_or_fail(self.tables(path), _("a YouTube Studio table"))
        self._daily(located, sink, hints)

    def _posts(
        self,
        located: Located,
        sink: RowSink,
        period: tuple[date, date, str] | None,
        hints: list[str],
    ) -> None:
        account = self.context.account(self.label, "youtube", hints)
        zone = self.context.zone(self.context.directory.clients[account.client_id])
        rows = located.sample()
        if period and self.context.as_of is None:
            captured = _midnight(period[1] + timedelta(days=1), zone)
        else:
            captured = self.context.captured_at(self.path)
        fmt = lenient.date_format(located.value(r, "publish_time") for r in rows)
        before = 0
        unpublished: list[str] = []
        for raw in located.rows:
            if located.has("publish_time") and located.value(raw, "publish_time") is None:
                # unlisted, private or scheduled: Studio leaves the publish time empty
                title = located.value(raw, "title")
                content = located.value(raw, "content")
                unpublished.append(f"{content} «{title}»" if title else str(content))
                continue
            row = Cells(sink, located.sheet.label, raw.number, raw.line)
            row.put("account_id", account.account_id)
            row.put(
                "post_id",
                located.value(raw, "content"),
                values.parse_id,
                header=located.header_of("content"),
            )
            published = row.put(
                "published_at",
                located.value(raw, "publish_time"),
                lambda v: lenient.in_zone(lenient.parse_date_time(v, fmt), zone),
                header=located.header_of("publish_time") if located.has("publish_time") else None,
            )
            if published is None and row.ok:
                row.fail(
                    located.header_of("publish_time") if located.has("publish_time") else None,
                    None,
                    _("has no publish time."),
                    _("Tick 'Video publish time' in Studio's columns and export again."),
                )
            if period and published is not None and published.date() < period[0]:
                before += 1
                continue
            row.put("kind", kind_of(located.value(raw, "content_type")))
            row.put("text", located.value(raw, "title"))
            row.put("url", f"https://www.youtube.com/watch?v={located.value(raw, 'content')}")
            row.take(located, raw, POST_COUNTS, lenient.count)
            row.put("captured_at", captured)
            row.add("posts")
        if unpublished:
            shown = ", ".join(unpublished[:10]) + (" …" if len(unpublished) > 10 else "")
            sink.problems.note(
                ngettext(
                    "{file}: {n} video has no publish time (unlisted, private or scheduled) and "
                    "was left out: {videos}.",
                    "{file}: {n} videos have no publish time (unlisted, private or scheduled) "
                    "and were left out: {videos}.",
                    len(unpublished),
                ).format(file=self.path.name, n=len(unpublished), videos=shown)
            )
        if before and period:
            sink.problems.note(
                ngettext(
                    "{file}: {n} video was published before the exported period ({start} to "
                    "{end}); its counters cover only that period, so it was left out. Export "
                    "'Lifetime' to import every video.",
                    "{file}: {n} videos were published before the exported period ({start} to "
                    "{end}); their counters cover only that period, so they were left out. Export "
                    "'Lifetime' to import every video.",
                    before,
                ).format(file=self.path.name, n=before, start=period[0], end=period[1])
            )
        if period is None:
            sink.problems.note(
                _(
                    "{file}: the exported period is unknown (the zip's name has it); the counters "
                    "are taken as lifetime totals as of {captured}."
                ).format(file=self.path.name, captured=captured.date())
            )

    def _daily(self, located: Located, sink: RowSink, hints: list[str]) -> None:
        account = self.context.account(self.label, "youtube", hints)
        rows = located.sample()
        fmt = lenient.date_format(located.value(r, "date") for r in rows)
        for raw in located.rows:
            row = Cells(sink, located.sheet.label, raw.number, raw.line)
            row.put("account_id", account.account_id)
            row.put(
                "date",
                located.value(raw, "date"),
                lambda v: lenient.as_date(lenient.parse_date_time(v, fmt)),
                header=located.header_of("date"),
            )
            row.take(located, raw, DAILY_COLUMNS, lenient.count)
            row.add("account_daily")
        if located.has("subscribers") and not (
            located.has("followers_gained") and located.has("followers_lost")
        ):
            sink.problems.note(
                _(
                    "{file}: net 'Subscribers' cannot be split into gained and lost and was left "
                    "out; tick 'Subscribers gained' and 'Subscribers lost' in Studio."
                ).format(file=self.path.name)
            )

    def paths(self) -> list[Path]:
        if self.path.is_dir():
            return sorted(p for p in self.path.iterdir() if p.suffix.lower() == ".json")
        return [self.path]

    def _api(self, sink: RowSink) -> None:
        """API answers, one file or a folder: report tables by day, ``videos.list``."""
        account = self.context.account(self.label, "youtube")
        for path in self.paths():
            data = json.loads(read_text(path, self.context.encoding))
            if _is_video_list(data):
                self._videos(path, data, account.account_id, sink)
            elif _is_result_table(data):
                self._days(path, data, account.account_id, sink)
            else:
                raise UserError(
                    _(
                        "{file} is not a YouTube API answer this importer reads (a reports "
                        "table by day, videos.list)."
                    ).format(file=path.name)
                )

    def _days(self, path: Path, data: Any, account: str, sink: RowSink) -> None:
        names = [str(h.get("name")) for h in data["columnHeaders"]]
        if "day" not in names:
            raise UserError(
                _(
                    "{file}: only reports by day are read (dimensions=day); for videos, export the "
                    "Studio table by content."
                ).format(file=path.name)
            )
        for index, cells in enumerate(data.get("rows") or [], start=1):
            record = dict(zip(names, cells, strict=False))
            row = Cells(sink, path.name, index)
            row.put("account_id", account)
            row.put("date", record["day"], lambda v: date.fromisoformat(str(v)), header="day")
            for metric, column in API_DAILY.items():
                if metric in record:
                    row.put(column, record[metric], lenient.count, header=metric)
            row.add("account_daily")

    def _videos(self, path: Path, data: Any, account: str, sink: RowSink) -> None:
        """The Data API's ``videos.list`` (``part=snippet,statistics``): each video with its
        lifetime views, likes and comments as read (statistics are strings)."""
        captured = self.context.captured_at(path)
        for index, item in enumerate(data["items"], start=1):
            snippet = item.get("snippet") or {}
            stats = item.get("statistics") or {}
            row = Cells(sink, path.name, index)
            row.put("account_id", account)
            row.put("post_id", str(item.get("id")))
            row.put(
                "published_at",
                snippet.get("publishedAt"),
                lambda v: datetime.fromisoformat(str(v)).astimezone(UTC),
                header="snippet.publishedAt",
            )
            live = snippet.get("liveBroadcastContent") in ("live", "upcoming")
            row.put("kind", "live" if live else "video")
            row.put("text", snippet.get("title") or None)
            row.put("url", f"https://www.youtube.com/watch?v={item.get('id')}")
            for key, column in (("viewCount", "views"), ("likeCount", "likes"),
                                ("commentCount", "comments")):  # fmt: skip
                if key in stats:
                    row.put(column, stats[key], lenient.count, header=f"statistics.{key}")
            row.put("captured_at", captured)
            row.add("posts")


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(), zone)
