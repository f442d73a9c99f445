"""Mentions of the brand exported by social-listening tools (Brand Analytics, YouScan, IQBuzz
and the like; CSV or XLSX) → ``mentions``.

Mapping:

- ``Дата`` (with ``Время`` when the time is a column of its own) → published_at, read in
  ``--timezone`` or the client's zone when it has no offset; ``Ссылка`` → url, ``Автор`` →
  author, ``Текст`` → text.
- ``Площадка`` / ``Источник`` / ``Source`` → platform: social networks by the names accounts
  use (``ВКонтакте`` and ``vk.com`` are ``vk``, ``Одноклассники`` is ``ok``…), a site by its
  domain; without such a column, the link's domain decides.
- ``ID`` → mention_id when the tool gives one; otherwise the id is made from the link, time,
  author and text (``m`` + 16 hex digits of their SHA-256), so that the same export imported
  again is the same mentions.
- Sentiment, audience and the like are the tool's estimates and are left out.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time
from typing import Any
from urllib.parse import urlsplit

from smmkpi.i18n import _
from smmkpi.ingest import lenient, values
from smmkpi.ingest.cells import Cells
from smmkpi.ingest.fields import Field, Layout, normalise
from smmkpi.ingest.remembered import remembered
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sniff import Sniffed
from smmkpi.ingest.source import PlatformSource
from smmkpi.ingest.values import CellError

NAME = "mentions"

MENTIONS = Layout(
    [
        Field("mention_id", ("ID", "ID упоминания", "Mention ID", "Id")),
        Field(
            "date",
            ("Дата", "Дата публикации", "Date", "Published", "Publication date", "Дата и время"),
            required=True,
        ),
        Field("time", ("Время", "Time")),
        Field("url", ("Ссылка", "URL", "Link", "Ссылка на публикацию", "Ссылка на сообщение")),
        Field("author", ("Автор", "Author", "Имя автора", "Author name")),
        Field(
            "text",
            ("Текст", "Text", "Текст упоминания", "Текст сообщения", "Content", "Message"),
            required=True,
        ),
        Field(
            "platform",
            ("Площадка", "Источник", "Ресурс", "Социальная сеть", "Source", "Resource", "Platform"),
        ),
        Field("sentiment", ("Тональность", "Sentiment", "Tone")),
        Field("audience", ("Аудитория", "Audience", "Охват автора")),
    ]
)
SIGNATURE = ("sentiment", "audience", "platform")

PLATFORMS = {
    "vk": "vk",
    "вконтакте": "vk",
    "vkontakte": "vk",
    "vk.com": "vk",
    "m.vk.com": "vk",
    "vk.ru": "vk",
    "telegram": "telegram",
    "телеграм": "telegram",
    "t.me": "telegram",
    "instagram": "instagram",
    "инстаграм": "instagram",
    "instagram.com": "instagram",
    "facebook": "facebook",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "youtube": "youtube",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "tiktok": "tiktok",
    "tiktok.com": "tiktok",
    "одноклассники": "ok",
    "ok": "ok",
    "ok.ru": "ok",
    "дзен": "dzen",
    "яндекс дзен": "dzen",
    "dzen": "dzen",
    "dzen.ru": "dzen",
    "zen.yandex.ru": "dzen",
    "twitter": "x",
    "x": "x",
    "x.com": "x",
    "twitter.com": "x",
}


def detect(sniffed: Sniffed) -> bool:
    if sniffed.kind not in ("text", "xlsx", "xls", "html"):
        return False
    for row in sniffed.rows:
        if MENTIONS.score(row):
            columns = {f.name for f in MENTIONS.fields if any(f.matches(normalise(c)) for c in row)}
            if columns & set(SIGNATURE) and columns & {"url", "author"}:
                return True
    return False


def domain_of(url: Any) -> str | None:
    if not url:
        return None
    host = urlsplit(str(url) if "//" in str(url) else f"//{url}").hostname or ""
    return host.removeprefix("www.") or None


def platform_of(name: Any, url: Any) -> str | None:
    """``vk`` from ``ВКонтакте``, ``vk.com`` or a vk.com link; a site's domain otherwise."""
    if name:
        known = _platform_named(str(name))
        if known is not None:
            return known
    domain = domain_of(url)
    if domain and domain in PLATFORMS:
        return PLATFORMS[domain]
    if name and "." in str(name):
        return normalise(str(name)).removeprefix("www.")
    return domain or (normalise(str(name)) if name else None)


@remembered
def _platform_named(name: str) -> str | None:
    """The platform a column of platform names calls ``name`` (a few names, a row each)."""
    return PLATFORMS.get(normalise(name).removeprefix("www."))


def made_id(url: Any, published: Any, author: Any, text: Any) -> str:
    parts = "\x1f".join(str(p or "") for p in (url, published, author, text))
    return "m" + hashlib.sha256(parts.encode()).hexdigest()[:16]


class MentionsSource(PlatformSource):
    """A listening tool's export of one client's mentions."""

    format = NAME

    def read_all(self, sink: RowSink) -> None:
        client = self.context.client(self.label)
        zone = self.context.zone(client)
        located = MENTIONS.locate_or_fail(self.tables(self.path), _("a mentions export"))
        fmt = lenient.date_format(located.value(r, "date") for r in located.sample())
        made = 0
        for raw in located.rows:
            row = Cells(sink, located.sheet.label, raw.number, raw.line)
            row.put("client_id", client.client_id)
            when = row.put(
                "published_at",
                located.value(raw, "date"),
                lambda v: lenient.parse_date_time(v, fmt),
                header=located.header_of("date"),
            )
            if located.has("time") and when is not None and not isinstance(when, datetime):
                clock = row.put(
                    "published_at",
                    located.value(raw, "time"),
                    _clock,
                    header=located.header_of("time"),
                )
                when = datetime.combine(when, clock or time())
            published = lenient.in_zone(when, zone) if row.ok else None
            row.cells["published_at"] = published
            url, author, text = (located.value(raw, n) for n in ("url", "author", "text"))
            row.put("url", url)
            row.put("author", None if author is None else str(author))
            row.put("text", None if text is None else str(text))
            row.put("platform", platform_of(located.value(raw, "platform"), url))
            given = located.value(raw, "mention_id")
            if given is None:
                made += 1
                given = made_id(url, published and published.isoformat(), author, text)
            row.put("mention_id", given, values.parse_id, header="ID")
            row.add("mentions")
        if made:
            sink.problems.note(
                _(
                    "{file}: the export has no mention ids; {n} were made from each mention's "
                    "link, time, author and text."
                ).format(file=self.path.name, n=made)
            )


def _clock(value: Any) -> time | None:
    if value is None:
        return None
    if isinstance(value, time):
        return value
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, float):  # a spreadsheet's fraction of a day
        seconds = round(value * 86_400)
        return time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60)
    text = str(value).strip()
    for pattern in ("%H:%M:%S", "%H:%M"):
        try:
            return datetime.strptime(text, pattern).time()
        except ValueError:
            continue
    raise CellError(_("is not a time of day (14:05)."))
