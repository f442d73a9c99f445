"""Telegram: the Desktop export of a channel, channel statistics as saved from Telethon, and the
TGStat API — one file, or a folder holding a channel's files.

Mapping:

- Desktop export ``result.json`` (one channel, or a full export's ``chats.list``) → ``posts``:
  messages of type ``message``; the time from ``date_unixtime`` (UTC) — old exports have only
  ``date``, the exporting computer's local time without an offset, so they need
  ``--timezone``; the text with its entities; the reactions' counts summed as likes; a video
  file, video message or animation makes the kind video (else post), a ``poll`` the attribute
  poll, a ``link`` or ``text_link`` entity the attribute link. The export has **no views and no
  forwards**: those stay as other sources left them, and the import says so.
- ``stats.getBroadcastStats`` saved from Telethon (``to_dict``/``to_json``) → ``account_daily``
  from the graphs, whose ``x`` are UTC days in milliseconds: ``growth_graph`` → followers,
  ``followers_graph`` → joined (followers_gained) and left (followers_lost),
  ``interactions_graph`` → views (impressions). Graphs by position, not by their localised
  names. ``recent_posts_interactions`` (``recent_message_interactions`` in older layers) add
  views and forwards (shares) to the posts of a Desktop export in the same folder.
- Telethon messages (``[m.to_dict() for m in client.iter_messages(channel)]`` saved as JSON, as
  ``smmkpi sync`` keeps them) → ``posts`` with their lifetime counters as read: ``views``,
  ``forwards`` (shares), ``replies.replies`` (comments), the reactions' counts summed as likes;
  an album's message (``grouped_id``) has the attribute carousel, a poll the attribute poll, a
  web page preview or a link entity the attribute link; service messages are left out.
- TGStat ``channels/stat`` → followers (``participants_count``) of the day the file was saved;
  ``channels/posts`` → posts with views, the message id taken from the post link so that they
  meet the Desktop export's posts.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.ingest import post_attributes
from smmkpi.ingest.cells import Cells
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sheets import read_text
from smmkpi.ingest.sniff import Sniffed
from smmkpi.ingest.source import PlatformSource

NAME = "telegram"
CHANNEL_TYPES = ("public_channel", "private_channel")
MESSAGE_TYPES = ("Message", "MessageService")
VIDEO_MEDIA = ("video/",)


def classify(data: Any) -> str | None:
    if (
        isinstance(data, list)
        and data
        and all(isinstance(m, dict) and m.get("_") in MESSAGE_TYPES for m in data)
    ):
        return "messages"
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("messages"), list) or isinstance(data.get("chats"), dict):
        return "desktop"
    if data.get("_") == "BroadcastStats" or (
        isinstance(data.get("followers"), dict) and "growth_graph" in data
    ):
        return "telethon"
    if data.get("status") == "ok" and isinstance(data.get("response"), dict):
        response = data["response"]
        if "participants_count" in response:
            return "tgstat_stat"
        if isinstance(response.get("items"), list):
            return "tgstat_posts"
    return None


def detect(sniffed: Sniffed) -> bool:
    return sniffed.json_claims(lambda data: classify(data) is not None)


def text_of(value: Any) -> str:
    """A message's text: a string, or a list of strings and entity objects."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", "")) for part in value
        )
    return ""


def graph_columns(graph: Any) -> list[list[Any]] | None:
    """The ``columns`` of a loaded Telegram chart (None for async or failed graphs)."""
    if not isinstance(graph, dict):
        return None
    payload = graph.get("json")
    if isinstance(payload, dict):
        payload = payload.get("data")
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except ValueError:
            return None
    if isinstance(payload, dict) and isinstance(payload.get("columns"), list):
        columns: list[list[Any]] = payload["columns"]
        return columns
    return None


def graph_series(graph: Any) -> dict[date, list[Any]]:
    """Day → the values of the graph's lines (y0, y1, …) on that day."""
    columns = graph_columns(graph)
    if not columns:
        return {}
    xs = next((c[1:] for c in columns if c and c[0] == "x"), [])
    lines = [c[1:] for c in columns if c and c[0] != "x"]
    series: dict[date, list[Any]] = {}
    for index, x in enumerate(xs):
        day = datetime.fromtimestamp(int(x) / 1000, UTC).date()
        series[day] = [line[index] if index < len(line) else None for line in lines]
    return series


class TelegramSource(PlatformSource):
    """Telegram files of one channel."""

    format = NAME

    def paths(self) -> list[Path]:
        if self.path.is_dir():
            return sorted(p for p in self.path.iterdir() if p.suffix.lower() == ".json")
        return [self.path]

    def read_all(self, sink: RowSink) -> None:
        documents = []
        for path in self.paths():
            data = json.loads(read_text(path, self.context.encoding))
            kind = classify(data)
            if kind is None:
                raise UserError(
                    _("{file} is not a Telegram export this importer reads.").format(file=path.name)
                )
            documents.append((path, kind, data))
        hints: list[str] = []
        for _path, kind, data in documents:
            if kind == "desktop":
                for chat in _channels(data):
                    hints += [str(chat.get("name", "")), str(chat.get("id", ""))]
            if kind.startswith("tgstat"):
                response = data["response"]
                channel = (
                    response.get("channel")
                    if isinstance(response.get("channel"), dict)
                    else response
                )
                hints += [str(channel.get("username", "")), str(channel.get("title", ""))]
        account = self.context.account(self.label, "telegram", hints)
        client = self.context.directory.clients[account.client_id]
        self.account_id = account.account_id
        self.username = (account.handle or "").lstrip("@") or None
        self.client_zone = self.context.zone(client)
        counters: dict[str, dict[str, Any]] = {}
        for path, kind, data in documents:
            if kind == "telethon":
                counters.update(self._telethon(sink, path, data))
        for path, kind, data in documents:
            if kind == "messages":
                self._messages(sink, path, data, counters)
        for path, kind, data in documents:
            if kind == "desktop":
                self._desktop(sink, path, data, counters)
            elif kind == "tgstat_stat":
                self._tgstat_followers(sink, path, data["response"])
            elif kind == "tgstat_posts":
                self._tgstat_posts(sink, path, data["response"])
        if counters:
            sink.problems.note(
                _(
                    "{n} posts in the statistics' recent interactions are not in a Desktop export "
                    "of this import; their counters were left out."
                ).format(n=len(counters))
            )

    def _desktop(
        self, sink: RowSink, path: Path, data: dict[str, Any], counters: dict[str, dict[str, Any]]
    ) -> None:
        channels = _channels(data)
        if not channels:
            raise UserError(
                _(
                    "{file} holds no channel: export a channel (public or private), not a chat."
                ).format(file=path.name)
            )
        captured = self.context.captured_at(path)
        for chat in channels:
            messages = [m for m in chat.get("messages", []) if m.get("type") == "message"]
            has_reactions = any("reactions" in m for m in messages)
            for index, message in enumerate(messages, start=1):
                post_id = str(message["id"])
                row = Cells(sink, path.name, index)
                row.put("account_id", self.account_id)
                row.put("post_id", post_id)
                row.put("published_at", self._moment(message, row))
                video = message.get("media_type") in ("video_file", "video_message", "animation")
                row.put("kind", "video" if video else "post")
                row.put("attributes", post_attributes.telegram_export(message))
                row.put("text", text_of(message.get("text")) or None)
                if self.username:
                    row.put("url", f"https://t.me/{self.username}/{post_id}")
                if has_reactions:
                    row.put(
                        "likes", sum(int(r.get("count", 0)) for r in message.get("reactions", []))
                    )
                extra = counters.pop(post_id, None)
                if extra:
                    row.put("views", extra.get("views"))
                    row.put("shares", extra.get("forwards"))
                row.put("captured_at", captured)
                row.add("posts")
        sink.problems.note(
            _(
                "{file}: Telegram Desktop exports carry no views or forwards, so these posts have "
                "no reach, ERR or view rate from it; the statistics or TGStat files can add views."
            ).format(file=path.name)
        )

    def _messages(
        self,
        sink: RowSink,
        path: Path,
        messages: list[dict[str, Any]],
        counters: dict[str, dict[str, Any]],
    ) -> None:
        """Telethon's ``Message.to_dict()`` (or ``to_json()``) list: the channel's posts with
        their lifetime views, forwards, comments and reactions as read (``captured_at``)."""
        captured = self.context.captured_at(path)
        for index, message in enumerate(messages, start=1):
            if message.get("_") != "Message":
                continue  # a service message (a pinned post, a changed title): no post
            post_id = str(message["id"])
            counters.pop(post_id, None)  # the message carries the same, newer figures
            row = Cells(sink, path.name, index)
            row.put("account_id", self.account_id)
            row.put("post_id", post_id)
            row.put(
                "published_at",
                message.get("date"),
                lambda v: datetime.fromisoformat(str(v)).astimezone(UTC),
                header="date",
            )
            row.put("kind", "video" if _is_video(message.get("media")) else "post")
            row.put("attributes", post_attributes.telethon(message))
            row.put("text", message.get("message") or None)
            if self.username:
                row.put("url", f"https://t.me/{self.username}/{post_id}")
            row.put("views", message.get("views"), header="views")
            row.put("shares", message.get("forwards"), header="forwards")
            replies = message.get("replies")
            if isinstance(replies, dict):
                row.put("comments", replies.get("replies"), header="replies.replies")
            reactions = message.get("reactions")
            if isinstance(reactions, dict):
                row.put(
                    "likes",
                    sum(int(r.get("count") or 0) for r in reactions.get("results") or []),
                    header="reactions.results",
                )
            row.put("captured_at", captured)
            row.add("posts")

    def _moment(self, message: dict[str, Any], row: Cells) -> datetime | None:
        if message.get("date_unixtime"):
            return datetime.fromtimestamp(int(message["date_unixtime"]), UTC)
        zone: tzinfo | None = self.context.source_zone
        if zone is None:
            row.fail(
                "date",
                message.get("date"),
                _(
                    "is the exporting computer's local time without an offset (this export has no "
                    "date_unixtime)."
                ),
                _("Pass --timezone with the time zone of that computer."),
            )
            return None
        return datetime.fromisoformat(str(message["date"])).replace(tzinfo=zone).astimezone(UTC)

    def _telethon(
        self, sink: RowSink, path: Path, data: dict[str, Any]
    ) -> dict[str, dict[str, Any]]:
        followers = graph_series(data.get("growth_graph"))
        joined_left = graph_series(data.get("followers_graph"))
        interactions = graph_series(data.get("interactions_graph"))
        days = sorted(set(followers) | set(joined_left) | set(interactions))
        for index, day in enumerate(days, start=1):
            row = Cells(sink, path.name, index)
            row.put("account_id", self.account_id)
            row.put("date", day)
            if followers:
                row.put(
                    "followers", _whole((followers.get(day) or [None])[0]), header="growth_graph"
                )
            if joined_left:
                values = joined_left.get(day) or [None, None]
                row.put("followers_gained", _whole(values[0]), header="followers_graph")
                row.put(
                    "followers_lost",
                    _whole(values[1] if len(values) > 1 else None),
                    header="followers_graph",
                )
            if interactions:
                row.put(
                    "impressions",
                    _whole((interactions.get(day) or [None])[0]),
                    header="interactions_graph",
                )
            row.add("account_daily")
        skipped = [
            name
            for name in ("growth_graph", "followers_graph", "interactions_graph")
            if name in data and graph_columns(data[name]) is None
        ]
        if skipped:
            sink.problems.note(
                _(
                    "{file}: {graphs} not loaded in the saved statistics (async or 'not enough "
                    "data'); their days were left as they were."
                ).format(file=path.name, graphs=", ".join(skipped))
            )
        recent = (
            data.get("recent_posts_interactions") or data.get("recent_message_interactions") or []
        )
        return {
            str(item["msg_id"]): item
            for item in recent
            if isinstance(item, dict) and "msg_id" in item
        }

    def _tgstat_followers(self, sink: RowSink, path: Path, response: dict[str, Any]) -> None:
        day = self.context.captured_at(path).astimezone(self.client_zone).date()
        row = Cells(sink, path.name, 1)
        row.put("account_id", self.account_id)
        row.put("date", day)
        row.put("followers", response.get("participants_count"), header="participants_count")
        row.add("account_daily")
        sink.problems.note(
            _(
                "{file}: TGStat's subscriber count is recorded as the followers of {day} (when the "
                "file was saved; --as-of to say otherwise). TGStat's figures are its estimates."
            ).format(file=path.name, day=day.isoformat())
        )

    def _tgstat_posts(self, sink: RowSink, path: Path, response: dict[str, Any]) -> None:
        captured = self.context.captured_at(path)
        for index, item in enumerate(response["items"], start=1):
            row = Cells(sink, path.name, index)
            link = str(item.get("link") or "")
            message_id = link.rstrip("/").rsplit("/", 1)[-1] if link else ""
            if not message_id.isdigit():
                row.fail("link", link, _("does not end with the message number."))
                continue
            row.put("account_id", self.account_id)
            row.put("post_id", message_id)
            row.put("published_at", datetime.fromtimestamp(int(item["date"]), UTC))
            row.put("url", link if link.startswith("http") else f"https://{link}")
            if item.get("text"):
                row.put("text", item["text"])
            row.put("views", item.get("views"))
            row.put("captured_at", captured)
            row.add("posts")


def _is_video(media: Any) -> bool:
    """Whether a Telethon message's media is a video (a document of a video type)."""
    document = media.get("document") if isinstance(media, dict) else None
    mime = str(document.get("mime_type") or "") if isinstance(document, dict) else ""
    return mime.startswith(VIDEO_MEDIA)


def _channels(data: dict[str, Any]) -> list[dict[str, Any]]:
    if isinstance(data.get("messages"), list):
        return [data] if data.get("type", "public_channel") in CHANNEL_TYPES else []
    chats = data.get("chats", {}).get("list", [])
    return [c for c in chats if isinstance(c, dict) and c.get("type") in CHANNEL_TYPES]


def _whole(value: Any) -> int | None:
    if value is None:
        return None
    return round(float(value))
