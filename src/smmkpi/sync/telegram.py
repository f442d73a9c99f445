"""Telegram for a connection (``shared/reference/platform-apis.md``: Telegram): a user's
session (Telethon's ``StringSession``; bots cannot read statistics) reads the channel's
statistics (``stats.getBroadcastStats``, admins only, its graphs loaded) and its posts with
their lifetime views, forwards, comments and reactions back to the posts to re-read.

Telethon is an optional extra (``pip install 'smmkpi[telegram]'``) and stays behind
:class:`TelegramClient`, a small interface: the sandbox and the tests stand in for it, and
Telethon is imported only when a real session is used."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any, Protocol

from smmkpi.extras import missing
from smmkpi.i18n import _
from smmkpi.settings import SyncSection
from smmkpi.store.competitors import CompetitorPost, Snapshot
from smmkpi.sync.errors import CredentialRefusedError, SyncError
from smmkpi.sync.fetcher import Fetched, FetchJob
from smmkpi.sync.retry import with_retries
from smmkpi.sync.shape import NUMBER, TEXT, ShapeCheck


@dataclass(frozen=True)
class Channel:
    channel_id: int
    username: str
    title: str
    subscribers: int | None
    stats: bool
    """Whether the session's user may read its statistics (an admin)."""


class TelegramClient(Protocol):
    """What smmkpi asks of Telegram. Errors are :class:`~smmkpi.sync.errors.SyncError`s: a
    flood wait is a transient rate limit carrying its seconds."""

    def channel(self, handle: str) -> Channel: ...

    def broadcast_stats(self, channel_id: int) -> dict[str, Any] | None:
        """``stats.getBroadcastStats`` as ``to_dict()`` (JSON types), graphs loaded; None when
        Telegram keeps no statistics for the channel (too few subscribers)."""
        ...

    def messages(self, channel_id: int, since: datetime) -> list[dict[str, Any]]:
        """The channel's messages newest first, back to ``since``, as ``to_dict()``."""
        ...

    def close(self) -> None: ...


ClientFactory = Callable[[str, SyncSection], TelegramClient]
_factory: ClientFactory | None = None


@contextmanager
def using(factory: ClientFactory) -> Iterator[None]:
    """Use ``factory`` for Telegram sessions inside the block (the sandbox, the tests)."""
    global _factory
    previous, _factory = _factory, factory
    try:
        yield
    finally:
        _factory = previous


def open_client(session: str, settings: SyncSection) -> TelegramClient:
    """A client for ``session``: the one :func:`using` set, else Telethon."""
    if _factory is not None:
        return _factory(session, settings)
    try:
        from smmkpi.sync.telethon_client import TelethonClient
    except ImportError:
        raise missing("telegram") from None
    return TelethonClient(session, settings)


class TelegramFetcher:
    source = "telegram"
    importer = "telegram"

    def fetch(self, job: FetchJob) -> Fetched:
        client = open_client(job.secret, job.settings)
        channel = int(job.connection.options["channel_id"])
        attempts, backoff = job.settings.attempts, job.settings.backoff_seconds
        try:
            stats = with_retries(
                lambda: client.broadcast_stats(channel), attempts=attempts, backoff=backoff
            )
            job.on_request()
            since = datetime.combine(job.window.posts_since, time(), job.zone)
            messages = with_retries(
                lambda: client.messages(channel, since), attempts=attempts, backoff=backoff
            )
            job.on_request()
            fetched = Fetched(2, job.window.days, sum(m.get("_") == "Message" for m in messages))
            if job.competitors:
                public_channels(client, job, fetched)
        finally:
            client.close()
        shape = ShapeCheck("Telegram", "messages")
        for index, message in enumerate(messages):
            where = f"[{index}]."
            shape.field(message, "id", NUMBER, where=where)
            if message.get("_") == "Message":
                shape.field(message, "date", TEXT, where=where)
                shape.field(message, "views", NUMBER, where=where, required=False)
        if stats is not None:
            job.save("broadcast_stats.json", stats)
        if messages:
            job.save("messages.json", messages)
        return fetched


COMPETITOR_DAYS = 35
"""How far back a competitor's messages are read at each sync: a month and its edges."""


def public_channels(client: TelegramClient, job: FetchJob, fetched: Fetched) -> None:
    """Each Telegram competitor — a public channel — with the client's session: its
    subscribers (``GetFullChannel``) and its messages of the last :data:`COMPETITOR_DAYS`
    days with their views, forwards, replies and reactions. A channel the session cannot see
    (private, or not there) is told and skipped."""
    since = job.now - timedelta(days=COMPETITOR_DAYS)
    for competitor in job.competitors:
        handle = competitor.handle.strip()
        for prefix in ("https://", "http://", "t.me/", "telegram.me/"):
            handle = handle.removeprefix(prefix)
        try:
            found = client.channel(handle if handle.startswith("@") else f"@{handle}")
            messages = client.messages(found.channel_id, since)
        except SyncError as error:
            if error.status == CredentialRefusedError.status:
                raise
            fetched.competitor_problems.append(
                _("Telegram does not show the channel {handle}: {error}").format(
                    handle=competitor.handle, error=error
                )
            )
            continue
        fetched.requests += 2
        job.save_competitor(f"messages-{found.channel_id}.json", messages)
        fetched.snapshots.append(
            Snapshot(competitor.competitor_id, job.now, found.subscribers, found.title or None)
        )
        for message in messages:
            if message.get("_") != "Message":
                continue
            replies = message.get("replies") if isinstance(message.get("replies"), dict) else {}
            reactions = message.get("reactions")
            likes = (
                sum(int(r.get("count") or 0) for r in reactions.get("results") or [])
                if isinstance(reactions, dict)
                else None
            )
            fetched.competitor_posts.append(
                CompetitorPost(
                    competitor.competitor_id,
                    str(message["id"]),
                    datetime.fromisoformat(str(message["date"])).astimezone(UTC),
                    likes,
                    (replies or {}).get("replies"),
                    message.get("forwards"),
                    message.get("views"),
                    job.now,
                )
            )
