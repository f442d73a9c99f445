"""TikTok: the Studio / analytics exports (``Overview``, ``FollowerHistory``, ``Viewers``…), as
CSV files, a folder of them or the sheets of one workbook.

Mapping:

- ``Overview`` → ``account_daily``: ``Video Views`` → impressions (the times videos were
  watched), ``Profile Views`` → profile_visits. Its daily likes, comments and shares have no
  place in daily statistics (they are the posts') and are left out.
- ``FollowerHistory`` → followers. ``Difference in followers from previous day`` is a net
  change and cannot be split into gained and lost; it is left out.
- ``Viewers`` → ``Total Viewers`` as reach.
- ``FollowerGender``, ``FollowerTopTerritories`` and other breakdowns are audience shares, not
  daily figures: recognised and left out.

Dates have no year (``December 30``) and follow the language of the account (``31 de julho``,
``30 декабря``): each is the latest such day on or before the day the file was saved
(``--as-of`` to say otherwise), so a range crossing New Year keeps its order. ``undefined`` is
unknown, never 0. The export does not name the account: the account is the client's one TikTok
account, or ``--account``.

TikTok's API v2 answers (what ``smmkpi sync`` keeps): ``/v2/user/info/`` → the followers of the
day it was read (``follower_count``: TikTok keeps no daily history, so only a daily read makes
one); ``/v2/video/list/`` → ``posts`` with lifetime ``view_count``, ``like_count``,
``comment_count`` and ``share_count`` as read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.ingest import lenient
from smmkpi.ingest.cells import Cells
from smmkpi.ingest.fields import Field, Layout, Located
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sheets import RawRow, Sheet, read_text
from smmkpi.ingest.sniff import Sniffed
from smmkpi.ingest.source import PlatformSource
from smmkpi.ingest.values import CellError, NoDataMarker

NAME = "tiktok"

_DATE = Field("date", ("Date", "Data", "Дата"), required=True)
_VIEWS = ("Video Views", "Visualizações de vídeo", "Просмотры видео")
_PROFILE = ("Profile Views", "Visualizações do perfil", "Просмотры профиля")
_ENGAGEMENT = (  # daily likes, comments, shares: the posts', left out of daily statistics
    Field("likes", ("Likes", "Curtidas", "Лайки", "Отметки «Нравится»")),
    Field("comments", ("Comments", "Comentários", "Комментарии")),
    Field("shares", ("Shares", "Compartilhamentos", "Репосты", "Поделились")),
)
LAYOUTS: dict[str, Layout] = {  # the 2025 Overview first: it has the older one's columns too
    "overview_2025": Layout(
        [
            _DATE,
            Field("impressions", _VIEWS),
            Field(
                "reach", ("Reached audience", "Público alcançado", "Охват аудитории"), required=True
            ),
            Field("profile_visits", _PROFILE),
            Field(
                "followers_gained",
                ("New followers", "Novos seguidores", "Новые подписчики"),
                required=True,
            ),
            Field(
                "followers_lost",
                ("Lost followers", "Seguidores perdidos", "Потерянные подписчики"),
                required=True,
            ),
            Field("net", ("Net growth", "Crescimento líquido", "Чистый прирост")),
            *_ENGAGEMENT,
        ]
    ),
    "overview": Layout(
        [
            _DATE,
            Field("impressions", _VIEWS, required=True),
            Field("profile_visits", _PROFILE, required=True),
            *_ENGAGEMENT,
        ]
    ),
    "followers": Layout(
        [
            _DATE,
            Field("followers", ("Followers", "Seguidores", "Подписчики"), required=True),
            Field(
                "difference",
                (
                    "Difference in followers from previous day",
                    "Diferença de seguidores em relação ao dia anterior",
                    "Разница в количестве подписчиков по сравнению с предыдущим днем",
                ),
                required=True,
            ),
        ]
    ),
    "viewers": Layout(
        [
            _DATE,
            Field(
                "reach",
                ("Total Viewers", "Total de espectadores", "Всего зрителей"),
                required=True,
            ),
            Field("new", ("New Viewers", "Novos espectadores", "Новые зрители")),
            Field("returning", ("Returning Viewers", "Espectadores recorrentes", "Вернувшиеся")),
        ]
    ),
    "breakdown": Layout(
        [
            Field(
                "share",
                ("Distribution", "Distribuição", "Распределение"),
                required=True,
            ),
            Field(
                "group",
                (
                    "Gender",
                    "Top territories",
                    "Gênero",
                    "Principais territórios",
                    "Пол",
                    "Основные территории",
                ),
                required=True,
            ),
        ]
    ),
}
STORED = {
    "overview": ("impressions", "profile_visits"),
    "overview_2025": (
        "impressions",
        "reach",
        "profile_visits",
        "followers_gained",
        "followers_lost",
    ),
    "followers": ("followers",),
    "viewers": ("reach",),
}
LEFT_OUT = {
    "overview": ("likes", "comments", "shares"),
    "overview_2025": ("net", "likes", "comments", "shares"),
    "followers": ("difference",),
}


def classify_rows(rows: Iterable[list[str]]) -> str | None:
    for row in rows:
        for kind, layout in LAYOUTS.items():
            if layout.score(row):
                return kind
    return None


COUNTERS = (
    ("view_count", "views"),
    ("like_count", "likes"),
    ("comment_count", "comments"),
    ("share_count", "shares"),
)


def api_kind(data: Any) -> str | None:
    """A TikTok API v2 answer: ``user`` (``/v2/user/info/``), ``videos``
    (``/v2/video/list/``), or neither."""
    inner = data.get("data") if isinstance(data, dict) else None
    if not isinstance(inner, dict) or not isinstance(data.get("error"), dict):
        return None
    if isinstance(inner.get("user"), dict):
        return "user"
    if isinstance(inner.get("videos"), list):
        return "videos"
    return None


def detect(sniffed: Sniffed) -> bool:
    if sniffed.kind in ("json",) or (
        sniffed.kind == "folder" and all(c.kind == "json" for c in sniffed.children)
    ):
        return sniffed.json_claims(lambda data: api_kind(data) is not None)
    if sniffed.kind in ("text", "xlsx", "xls"):
        return classify_rows(sniffed.rows) is not None
    if sniffed.kind == "folder":
        tables = [c for c in sniffed.children if c.kind in ("text", "xlsx", "xls")]
        return (
            bool(tables)
            and len(tables) == len(sniffed.children)
            and all(classify_rows(c.rows) for c in tables)
            and any(classify_rows(c.rows) != "breakdown" for c in tables)
        )
    return False


class TikTokSource(PlatformSource):
    """One TikTok export file or workbook, or a folder of them, for one account."""

    format = NAME

    def read_all(self, sink: RowSink) -> None:
        account = self.context.account(self.label, "tiktok")
        client = self.context.directory.clients[account.client_id]
        saved = self.context.as_of or self.context.captured_at(self.path)
        year_for = saved.astimezone(self.context.zone(client)).date()
        zone = self.context.zone(client)
        for path in self.paths():
            if path.suffix.lower() == ".json":
                self._api(path, account.account_id, zone, sink)
                continue
            for sheet in self.tables(path):
                self._sheet(sheet, account.account_id, year_for, sink)

    def _api(self, path: Path, account_id: str, zone: tzinfo, sink: RowSink) -> None:
        """TikTok API v2: ``user/info`` → the followers of the day it was read, ``video/list``
        → posts with their lifetime views, likes, comments and shares as read."""
        data = json.loads(read_text(path, self.context.encoding))
        kind = api_kind(data)
        captured = self.context.captured_at(path)
        if kind == "user":
            user = data["data"]["user"]
            row = Cells(sink, path.name, 1)
            row.put("account_id", account_id)
            row.put("date", captured.astimezone(zone).date())
            row.put("followers", user.get("follower_count"), lenient.count,
                    header="follower_count")  # fmt: skip
            row.add("account_daily")
            return
        if kind != "videos":
            raise UserError(
                _("{file} is not a TikTok API answer this importer reads (user/info, "
                  "video/list).").format(file=path.name)
            )  # fmt: skip
        for index, video in enumerate(data["data"]["videos"], start=1):
            row = Cells(sink, path.name, index)
            row.put("account_id", account_id)
            row.put("post_id", str(video.get("id")))
            row.put(
                "published_at",
                video.get("create_time"),
                lambda v: datetime.fromtimestamp(int(v), UTC),
                header="create_time",
            )
            row.put("kind", "video")
            row.put("text", video.get("video_description") or video.get("title") or None)
            row.put("url", video.get("share_url") or None)
            for key, column in COUNTERS:
                if key in video:
                    row.put(column, video[key], lenient.count, header=key)
            row.put("captured_at", captured)
            row.add("posts")

    def _sheet(self, sheet: Sheet, account_id: str, year_for: date, sink: RowSink) -> None:
        buffered = list(sheet.rows)  # small files: each layout looks from the first row
        found = [
            (kind, located)
            for kind, layout in LAYOUTS.items()
            if (located := layout.locate(replace(sheet, rows=iter(buffered)))) is not None
        ]
        if not found or found[0][0] == "breakdown":
            sink.problems.note(
                (
                    _("{file}: an audience breakdown (shares, not daily figures); left out.")
                    if found
                    else _("{file}: not a TikTok table; left out.")
                ).format(file=sheet.label)
            )
            return
        kind, located = found[0]
        rows = list(located.rows)
        fmt = lenient.date_format(located.value(r, "date") for r in rows)
        walked = _walk_back(located, rows, fmt, year_for) if fmt is lenient.WORDS else {}
        days: list[date] = []
        for raw in rows:
            row = Cells(sink, sheet.label, raw.number, raw.line)
            row.put("account_id", account_id)

            def day_of(value: object, number: int = raw.number) -> date | None:
                found = walked.get(number)
                if found is not None:
                    return found
                return lenient.as_date(lenient.parse_date_time(value, fmt, year_for))

            day = row.put(
                "date", located.value(raw, "date"), day_of, header=located.header_of("date")
            )
            row.take(located, raw, STORED[kind], lenient.count)
            if row.add("account_daily") and day is not None:
                days.append(day)
        self._explain(located, kind, fmt, days, year_for, sink)

    @staticmethod
    def _explain(
        located: Located,
        kind: str,
        fmt: lenient.DateFormat | None,
        days: list[date],
        year_for: date,
        sink: RowSink,
    ) -> None:
        label = located.sheet.label
        left_out = [located.header_of(n) for n in LEFT_OUT.get(kind, ()) if located.has(n)]
        mapped = set(located.columns.values())
        left_out += [h for i, h in enumerate(located.headers) if i not in mapped and h.strip()]
        if left_out:
            sink.problems.note(
                _("{file}: left out (no place in daily statistics): {columns}.").format(
                    file=label, columns=", ".join(left_out)
                )
            )
        if fmt is lenient.WORDS and days:
            sink.problems.note(
                _(
                    "{file}: dates without a year were read as {first} to {last}: the last row is "
                    "the latest such day on or before {day} (when the file was saved; --as-of to "
                    "say otherwise), each row before it the day before the next."
                ).format(file=label, first=min(days), last=max(days), day=year_for)
            )


def _walk_back(
    located: Located, rows: list[RawRow], fmt: lenient.DateFormat | None, year_for: date
) -> dict[int, date]:
    """Dates without a year, by the file's order: the last row is the latest such day on or
    before the day the file was saved, and each row before it the latest such day before the
    row after it — so a 365-day export's first row ("February 28") is a year before its last,
    not the save day itself. Rows out of date order (a step back of more than 31 days) are
    refused: without years, the order is what tells them."""
    parsed: list[tuple[RawRow, date]] = []
    for raw in rows:
        try:
            day = lenient.as_date(
                lenient.parse_date_time(located.value(raw, "date"), fmt, year_for)
            )
        except (CellError, NoDataMarker):
            continue  # the row reports its own problem when it is read
        if day is not None:
            parsed.append((raw, day))
    walked: dict[int, date] = {}
    after: tuple[RawRow, date] | None = None
    for raw, day in reversed(parsed):
        if after is not None:
            day = _latest_before(day.month, day.day, after[1])
            if (after[1] - day).days > 31:
                raise UserError(
                    _(
                        "{file}: row {row} ({value}) does not come right before row {next} "
                        "({next_value}): the dates have no year, so their order tells it. Export "
                        "the days in date order, oldest first."
                    ).format(
                        file=located.sheet.label,
                        row=raw.number,
                        value=located.value(raw, "date"),
                        next=after[0].number,
                        next_value=located.value(after[0], "date"),
                    )
                )
        walked[raw.number] = day
        after = (raw, day)
    return walked


def _latest_before(month: int, day: int, before: date) -> date:
    """The latest ``day`` of ``month`` strictly before ``before`` (29 February: a leap year)."""
    year = before.year
    while True:
        try:
            found = date(year, month, day)
        except ValueError:
            year -= 1
            continue
        if found < before:
            return found
        year -= 1
