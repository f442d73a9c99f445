"""Where a report goes (``shared/spec/sync-and-delivery.md`` §3): ``email:ADDRESS``,
``telegram:CHAT_ID`` (a chat, group or channel id such as ``-100123…``, or ``@channel``) or
``webhook:URL`` (HTTPS, or HTTP to this machine only)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from smmkpi.errors import InvalidArgumentError
from smmkpi.i18n import _

KINDS = ("email", "telegram", "webhook")
EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")
CHAT = re.compile(r"-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31}")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Destination:
    kind: str
    address: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.address}"


def parse_destination(text: str) -> Destination:
    """``text`` as a destination, else an error that says which forms are taken."""
    kind, _sep, address = text.strip().partition(":")
    kind, address = kind.strip().lower(), address.strip()
    ok = (
        (kind == "email" and EMAIL.fullmatch(address) is not None)
        or (kind == "telegram" and CHAT.fullmatch(address) is not None)
        or (kind == "webhook" and _webhook_ok(address))
    )
    if not ok:
        raise InvalidArgumentError(
            _(
                "--to '{value}' is not a destination: write email:ADDRESS, telegram:CHAT_ID "
                "(-100123… or @channel) or webhook:URL (HTTPS, or HTTP to this machine)."
            ).format(value=text)
        )
    return Destination(kind, address)


def _webhook_ok(address: str) -> bool:
    parts = urlsplit(address)
    if not parts.hostname:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)
