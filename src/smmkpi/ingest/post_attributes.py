"""A post's attributes: what its canonical kind has no room for — a carousel of several photos
or videos, a link, a poll — as each platform's data tells it (``posts.attributes``: the words,
space-separated, in this order)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

ATTRIBUTES = ("carousel", "link", "poll")


def written(found: Iterable[str]) -> str | None:
    """The attributes found, as stored: known words, each once, in :data:`ATTRIBUTES`' order;
    None when there are none."""
    present = set(found)
    words = [a for a in ATTRIBUTES if a in present]
    return " ".join(words) or None


def vk(attachments: Iterable[Any]) -> str | None:
    """A VK wall post's attachments: two photos or videos or more make a carousel; a ``link``
    or ``poll`` attachment is one."""
    types = [a.get("type") for a in attachments if isinstance(a, Mapping)]
    media = sum(1 for t in types if t in ("photo", "video"))
    return written(
        [*(["carousel"] if media >= 2 else []), *(t for t in types if t in ("link", "poll"))]
    )


def telegram_export(message: Mapping[str, Any]) -> str | None:
    """A message of a Telegram Desktop export: a ``poll``; a ``link`` or ``text_link`` text
    entity. (The export does not mark albums: each photo of one is a message of its own.)"""
    entities = message.get("text_entities") or []
    links = any(isinstance(e, Mapping) and e.get("type") in ("link", "text_link") for e in entities)
    return written([*(["poll"] if message.get("poll") else []), *(["link"] if links else [])])


def telethon(message: Mapping[str, Any]) -> str | None:
    """A Telethon message: a poll or a web page preview by its media, a link by its entities,
    a carousel by its album (``grouped_id``)."""
    media = message.get("media") if isinstance(message.get("media"), Mapping) else {}
    kind = str((media or {}).get("_") or "")
    entities = message.get("entities") or []
    links = any(
        isinstance(e, Mapping) and e.get("_") in ("MessageEntityUrl", "MessageEntityTextUrl")
        for e in entities
    )
    found = []
    if message.get("grouped_id"):
        found.append("carousel")
    if kind == "MessageMediaPoll":
        found.append("poll")
    if kind == "MessageMediaWebPage" or links:
        found.append("link")
    return written(found)


def instagram(media_type: Any) -> str | None:
    """An Instagram media's ``media_type`` (``CAROUSEL_ALBUM``) or an export's post type
    (``IG carousel``)."""
    return "carousel" if "carousel" in str(media_type or "").lower() else None


def meta_post_type(value: Any) -> str | None:
    """A Meta Business Suite export's post type: ``IG carousel``, ``Links`` (Facebook)."""
    text = str(value or "").lower()
    return written(
        [*(["carousel"] if "carousel" in text else []), *(["link"] if "link" in text else [])]
    )
