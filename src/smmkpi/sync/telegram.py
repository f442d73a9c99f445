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
from datetime import datetime, time
from typing import Any, Protocol

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.settings import SyncSection
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
        raise UserError(
            _(
                "Reading Telegram needs the telegram extra: pip install 'smmkpi[telegram]' "
                "(Telethon)."
            )
        ) from None
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
        return Fetched(2, job.window.days, sum(m.get("_") == "Message" for m in messages))
