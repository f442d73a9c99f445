"""Social attribution (spec/canonical-data.md): which web sessions, leads and sales count as
coming from social media, as Ibis expressions that run on every engine.

After lower-casing and trimming, a row is **social** when ``utm_medium`` is one of the social
mediums, or ``utm_source`` (or, when ``utm_source`` is empty, ``channel``) names a platform. A
value that is one unexpanded ad macro (the whole trimmed value is ``{…}``) counts as empty. A
client may extend both lists in the settings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import ibis

SOCIAL_MEDIUMS: tuple[str, ...] = (
    "social",
    "smm",
    "social-media",
    "social_media",
    "paid_social",
    "paid-social",
    "socialmedia",
    "post",
    "stories",
    "reels",
)
SOCIAL_SOURCES: tuple[str, ...] = (
    "vk",
    "vkontakte",
    "vk.com",
    "telegram",
    "tg",
    "t.me",
    "instagram",
    "ig",
    "facebook",
    "fb",
    "youtube",
    "yt",
    "tiktok",
    "ok",
    "odnoklassniki",
    "dzen",
    "zen",
    "x",
    "twitter",
)
MACRO_PATTERN = r"^\{[^{}]*\}$"
"""An unexpanded macro: the whole trimmed value is one ``{…}`` (``{campaign_id}``)."""


@dataclass(frozen=True)
class SocialRules:
    """The social mediums and sources, the built-in ones plus the settings' additions."""

    mediums: tuple[str, ...] = SOCIAL_MEDIUMS
    sources: tuple[str, ...] = SOCIAL_SOURCES
    per_client: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def with_extras(
        cls,
        mediums: Iterable[str] = (),
        sources: Iterable[str] = (),
        per_client: Mapping[str, tuple[Iterable[str], Iterable[str]]] | None = None,
    ) -> SocialRules:
        clients = {
            client: (_normalised(m), _normalised(s))
            for client, (m, s) in (per_client or {}).items()
        }
        return cls(
            mediums=tuple(dict.fromkeys(SOCIAL_MEDIUMS + _normalised(mediums))),
            sources=tuple(dict.fromkeys(SOCIAL_SOURCES + _normalised(sources))),
            per_client={c: v for c, v in clients.items() if v[0] or v[1]},
        )


def _normalised(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(v.strip().lower() for v in values if v.strip())


def clean_utm(value: Any) -> Any:
    """A UTM (or channel) value lower-cased and trimmed; NULL when empty or a macro."""
    text = value.cast("string").strip().lower()
    return ibis.ifelse((text == "") | text.re_search(MACRO_PATTERN), ibis.null("string"), text)


def is_social(
    client_id: Any, source: Any, medium: Any, channel: Any | None, rules: SocialRules
) -> Any:
    """A boolean expression: the row's UTM values (already cleaned) count as social."""
    origin = source if channel is None else source.coalesce(channel)
    social = medium.isin(rules.mediums).fill_null(False) | origin.isin(rules.sources).fill_null(
        False
    )
    for client, (mediums, sources) in rules.per_client.items():
        extra = ibis.literal(False)
        if mediums:
            extra = extra | medium.isin(mediums).fill_null(False)
        if sources:
            extra = extra | origin.isin(sources).fill_null(False)
        social = social | ((client_id == client) & extra)
    return social
