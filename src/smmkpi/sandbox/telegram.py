"""Telegram in the sandbox: a stand-in for a Telethon session behind
:class:`~smmkpi.sync.telegram.TelegramClient` (MTProto is not HTTP, so there is no port),
answering from a channel's recorded ``messages.json`` and ``broadcast_stats.json``: a session it
does not know is revoked, statistics only for the channel's admins, flood waits when asked."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from smmkpi.sandbox.faults import Faults
from smmkpi.settings import SyncSection
from smmkpi.sync.errors import CredentialRefusedError, PermissionDeniedError, RateLimitedError
from smmkpi.sync.telegram import Channel


@dataclass
class RecordedChannel:
    channel: Channel
    stats: dict[str, Any] | None
    messages: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_folder(cls, folder: Path, channel: Channel) -> RecordedChannel:
        stats = folder / "broadcast_stats.json"
        return cls(
            channel,
            json.loads(stats.read_text(encoding="utf-8")) if stats.exists() else None,
            json.loads((folder / "messages.json").read_text(encoding="utf-8")),
        )


class SandboxTelegram:
    """The channels given; ``sessions`` maps a session to the channel ids its user administers
    (an empty set: a subscriber, refused the statistics)."""

    def __init__(self, channels: list[RecordedChannel], sessions: dict[str, set[int]]) -> None:
        self.channels = {c.channel.channel_id: c for c in channels}
        self.sessions = sessions
        self.faults = Faults()
        self.flood_seconds = 0.01
        self.calls: list[str] = []

    def client(self, session: str, _settings: SyncSection) -> SandboxSession:
        """The factory :func:`smmkpi.sync.telegram.using` takes."""
        return SandboxSession(self, session)


class SandboxSession:
    def __init__(self, telegram: SandboxTelegram, session: str) -> None:
        self.telegram, self.session = telegram, session

    def _enter(self, method: str) -> set[int]:
        self.telegram.calls.append(method)
        if self.session not in self.telegram.sessions:
            raise CredentialRefusedError("Telegram refused the session (revoked).")
        fault = self.telegram.faults.next(method)
        if fault == "rate_limited":
            seconds = self.telegram.flood_seconds
            raise RateLimitedError(
                f"Telegram asked to wait {seconds:g} s (flood wait).",
                transient=True,
                retry_after=seconds,
            )
        return self.telegram.sessions[self.session]

    def _recorded(self, channel_id: int) -> RecordedChannel:
        return self.telegram.channels[channel_id]

    def channel(self, handle: str) -> Channel:
        admin = self._enter("channel")
        wanted = handle.lstrip("@").lower()
        for found in self.telegram.channels.values():
            if wanted in (found.channel.username.lower(), str(found.channel.channel_id)):
                channel = found.channel
                return Channel(
                    channel.channel_id, channel.username, channel.title, channel.subscribers,
                    channel.channel_id in admin,
                )  # fmt: skip
        raise PermissionDeniedError(f"No channel {handle} is visible to this session.")

    def broadcast_stats(self, channel_id: int) -> dict[str, Any] | None:
        if channel_id not in self._enter("broadcast_stats"):
            raise PermissionDeniedError(
                "The session's user is not an admin of the channel: no statistics."
            )
        return self._recorded(channel_id).stats

    def messages(self, channel_id: int, since: datetime) -> list[dict[str, Any]]:
        self._enter("messages")
        found = []
        for message in self._recorded(channel_id).messages:
            if datetime.fromisoformat(str(message["date"])) < since:
                break
            found.append(message)
        return found

    def close(self) -> None:
        pass
