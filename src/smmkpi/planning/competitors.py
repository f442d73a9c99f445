"""Following a client's competitors — the one way the command and the web page do it — and the
competitors the brief names, as suggestions: the brief asks who the competitors are (its first
question's guidance), and a link to a competitor's account there says on which platform and by
which handle it can be followed (``smmkpi competitor add``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from smmkpi.errors import InvalidArgumentError, UnknownChoiceError, UserError
from smmkpi.i18n import _
from smmkpi.planning.brief import Brief
from smmkpi.store import competitors as stored
from smmkpi.store.database import Store

LINKS = (
    ("vk", re.compile(r"(?:https?://)?(?:www\.|m\.)?vk\.(?:com|ru)/([A-Za-z0-9_.]+)", re.I)),
    ("telegram", re.compile(r"(?:https?://)?(?:www\.)?t(?:elegram)?\.me/([A-Za-z0-9_]{4,})", re.I)),
    (
        "instagram",
        re.compile(r"(?:https?://)?(?:www\.)?instagram\.com/([A-Za-z0-9_.]+)", re.I),
    ),
    (
        "youtube",
        re.compile(
            r"(?:https?://)?(?:www\.|m\.)?youtube\.com/(@[A-Za-z0-9_.\-]+|channel/[\w\-]+)", re.I
        ),
    ),
    ("tiktok", re.compile(r"(?:https?://)?(?:www\.)?tiktok\.com/(@[A-Za-z0-9_.]+)", re.I)),
)
NOT_ACCOUNTS = frozenset({"wall", "feed", "p", "reel", "reels", "watch", "s", "share", "joinchat"})
"""Paths of these links that are a post or a page, not an account."""


def follow(
    store: Store, client_id: str, platform: str, handle: str, name: str | None, now: datetime
) -> stored.StoredCompetitor:
    """Follow ``handle`` on ``platform`` as a competitor of ``client_id``; refused with the
    words every door gives (an unknown platform, no handle, followed already)."""
    platform = platform.strip().lower()
    if platform not in stored.PLATFORMS:
        raise UnknownChoiceError(_("platform"), platform, stored.PLATFORMS)
    handle = stored.normal_handle(handle)
    if not handle:
        raise InvalidArgumentError(_("--handle needs the account's name, link or id."))
    found = stored.StoredCompetitor(
        stored.competitor_id(client_id, platform, handle), client_id, platform, handle,
        (name or "").strip() or None, now,
    )  # fmt: skip
    with store.transaction():
        if not stored.add(store.con, found):
            raise UserError(
                _("{client} follows {handle} on {platform} already.").format(
                    client=client_id, handle=handle, platform=platform
                )
            )
    return found


@dataclass(frozen=True)
class Suggestion:
    platform: str
    handle: str


def suggestions(
    brief: Brief | None, followed: Iterable[tuple[str, str]], own: Iterable[tuple[str, str]]
) -> list[Suggestion]:
    """The accounts the brief links to that are neither followed as competitors nor the
    client's own (``followed``, ``own``: (platform, handle) pairs), in the brief's order."""
    if brief is None:
        return []
    known = {(p, _key(h)) for p, h in [*followed, *own]}
    text = " ".join([brief.business, brief.audience, brief.success_criteria, brief.notes])
    found: list[Suggestion] = []
    for platform, pattern in LINKS:
        for match in pattern.finditer(text):
            handle = match.group(1).rstrip(".")
            if handle.lower() in NOT_ACCOUNTS or (platform, _key(handle)) in known:
                continue
            known.add((platform, _key(handle)))
            found.append(Suggestion(platform, handle))
    order = {s: text.lower().find(s.handle.lower()) for s in found}
    return sorted(found, key=lambda s: order[s])


def _key(handle: str) -> str:
    """A handle as compared: without the site, ``@`` and case."""
    text = handle.strip().lower()
    for prefix in ("https://", "http://", "www.", "vk.com/", "t.me/", "instagram.com/",
                   "youtube.com/", "tiktok.com/"):  # fmt: skip
        text = text.removeprefix(prefix)
    return text.lstrip("@").rstrip("/")
