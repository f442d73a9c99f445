"""The Telethon side of :class:`~smmkpi.sync.telegram.TelegramClient`, imported only when a
real session is used (the optional extra ``smmkpi[telegram]``). Telethon's flood waits become
transient rate limits carrying Telegram's seconds; a revoked session is ``needs_reauth``; a
channel whose statistics the user may not read is ``permission_denied``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from telethon.errors import (
    AuthKeyUnregisteredError,
    BroadcastForbiddenError,
    ChatAdminRequiredError,
    FloodWaitError,
    SessionRevokedError,
    StatsMigrateError,
    UserDeactivatedError,
)
from telethon.sessions import StringSession
from telethon.sync import TelegramClient as Telethon
from telethon.tl.functions.channels import GetFullChannelRequest
from telethon.tl.functions.stats import (
    GetBroadcastStatsRequest,
    LoadAsyncGraphRequest,
)

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.settings import SyncSection
from smmkpi.sync.errors import (
    CredentialRefusedError,
    PermissionDeniedError,
    RateLimitedError,
    SyncError,
)
from smmkpi.sync.telegram import Channel

GRAPHS = ("growth_graph", "followers_graph", "interactions_graph")


@contextmanager
def telegram_errors() -> Iterator[None]:
    """Telethon's errors as the connection statuses of the contract."""
    try:
        yield
    except FloodWaitError as error:
        raise RateLimitedError(
            _("Telegram asked to wait {seconds} s (flood wait).").format(seconds=error.seconds),
            transient=True,
            retry_after=float(error.seconds),
        ) from None
    except (AuthKeyUnregisteredError, SessionRevokedError, UserDeactivatedError):
        raise CredentialRefusedError(_("Telegram refused the session (revoked).")) from None
    except (ChatAdminRequiredError, BroadcastForbiddenError):
        raise PermissionDeniedError(
            _("The session's user is not an admin of the channel: no statistics.")
        ) from None
    except StatsMigrateError as error:
        raise SyncError(
            _("Telegram keeps this channel's statistics on data centre {dc}.").format(dc=error.dc)
        ) from None


class TelethonClient:
    def __init__(self, session: str, settings: SyncSection) -> None:
        api_hash = settings.telegram.api_hash()
        if not settings.telegram.api_id or not api_hash:
            raise UserError(
                _(
                    "Telegram needs the agency's app: set sync.telegram.api_id and "
                    "SMMKPI_TELEGRAM_API_HASH (from my.telegram.org → API development tools)."
                )
            )
        self._client = Telethon(
            StringSession(session), settings.telegram.api_id, api_hash,
            flood_sleep_threshold=0, request_retries=1,
        )  # fmt: skip
        with telegram_errors():
            self._client.connect()
            if not self._client.is_user_authorized():
                raise CredentialRefusedError(_("The Telegram session is no longer signed in."))

    def channel(self, handle: str) -> Channel:
        with telegram_errors():
            entity = self._client.get_entity(handle)
            full = self._client(GetFullChannelRequest(entity))
        return Channel(
            int(entity.id),
            str(getattr(entity, "username", "") or ""),
            str(getattr(entity, "title", "") or ""),
            getattr(full.full_chat, "participants_count", None),
            bool(getattr(full.full_chat, "can_view_stats", False)),
        )

    def broadcast_stats(self, channel_id: int) -> dict[str, Any] | None:
        with telegram_errors():
            entity = self._client.get_input_entity(channel_id)
            data = _plain(self._client(GetBroadcastStatsRequest(entity)).to_dict())
            for name in GRAPHS:
                graph = data.get(name)
                if isinstance(graph, dict) and graph.get("_") == "StatsGraphAsync":
                    loaded = self._client(LoadAsyncGraphRequest(graph["token"]))
                    data[name] = _plain(loaded.to_dict())
        return data

    def messages(self, channel_id: int, since: datetime) -> list[dict[str, Any]]:
        found = []
        with telegram_errors():
            for message in self._client.iter_messages(channel_id):
                if message.date < since and not message.pinned:
                    break
                found.append(_plain(message.to_dict()))
        return found

    def close(self) -> None:
        self._client.disconnect()


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    """``to_dict()`` in JSON types (datetimes as ISO text, bytes as hex)."""
    return dict(
        json.loads(
            json.dumps(
                value,
                default=lambda v: v.isoformat() if isinstance(v, datetime) else bytes(v).hex(),
            )
        )
    )
