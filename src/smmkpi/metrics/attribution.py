"""Social attribution (spec/canonical-data.md): which web sessions, leads and sales count as
coming from social media, as Ibis expressions that run on every engine.

After lower-casing and trimming, a row is **social** when ``utm_medium`` is one of the social
mediums, or ``utm_source`` (or, when ``utm_source`` is empty, ``channel``) names a platform. A
value that is one unexpanded ad macro (the whole trimmed value is ``{…}``) counts as empty. A
client may extend both lists in the settings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

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
    """The social mediums and sources, the built-in ones plus the settings' additions.

    ``per_client`` holds (client_id, extra mediums, extra sources) for clients with additions.
    Hashable, so compiled queries can be cached per set of rules.
    """

    mediums: tuple[str, ...] = SOCIAL_MEDIUMS
    sources: tuple[str, ...] = SOCIAL_SOURCES
    per_client: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()

    @classmethod
    def with_extras(
        cls,
        mediums: Iterable[str] = (),
        sources: Iterable[str] = (),
        per_client: Mapping[str, tuple[Iterable[str], Iterable[str]]] | None = None,
    ) -> SocialRules:
        clients = [
            (client, _normalised(m), _normalised(s))
            for client, (m, s) in sorted((per_client or {}).items())
        ]
        return cls(
            mediums=tuple(dict.fromkeys(SOCIAL_MEDIUMS + _normalised(mediums))),
            sources=tuple(dict.fromkeys(SOCIAL_SOURCES + _normalised(sources))),
            per_client=tuple(c for c in clients if c[1] or c[2]),
        )

    def counts_as_social(
        self, client_id: str, source: str | None, medium: str | None, channel: str | None = None
    ) -> bool:
        """The rule of :func:`is_social` for one row's values, in Python (for checking a link
        before it is used)."""

        def clean(value: str | None) -> str | None:
            text = (value or "").strip().lower()
            return None if not text or re.fullmatch(MACRO_PATTERN, text) else text

        medium_, origin = clean(medium), clean(source) or clean(channel)
        mediums, sources = set(self.mediums), set(self.sources)
        for client, extra_mediums, extra_sources in self.per_client:
            if client == client_id:
                mediums.update(extra_mediums)
                sources.update(extra_sources)
        return medium_ in mediums or origin in sources


def _normalised(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(v.strip().lower() for v in values if v.strip())


def is_macro(text: Any) -> Any:
    """``text`` (trimmed) is one unexpanded macro: ``{`` … ``}`` with no other brace inside.

    The same as matching ``MACRO_PATTERN``, written with plain string functions because they
    cost a fraction of a regular expression on millions of rows.
    """
    length = text.length()
    return (
        text.startswith("{")
        & text.endswith("}")
        & (text.replace("{", "").length() == length - 1)
        & (text.replace("}", "").length() == length - 1)
    )


def with_clean_utm(table: Any, columns: Mapping[str, str]) -> Any:
    """``table`` with ``columns`` (new name → source column) added: the UTM (or channel) values
    lower-cased and trimmed, NULL when empty or a macro.

    Two projections, so the database trims each value once and the macro test reads the result.
    """
    import ibis

    trimmed = table.mutate(
        **{new: table[source].cast("string").strip().lower() for new, source in columns.items()}
    )
    return trimmed.mutate(
        **{
            new: ibis.ifelse(
                (trimmed[new] == "") | is_macro(trimmed[new]), ibis.null("string"), trimmed[new]
            )
            for new in columns
        }
    )


def is_social(
    client_id: Any, source: Any, medium: Any, channel: Any | None, rules: SocialRules
) -> Any:
    """A boolean expression: the row's UTM values (already cleaned) count as social."""
    import ibis

    origin = source if channel is None else source.coalesce(channel)
    social = medium.isin(rules.mediums).fill_null(False) | origin.isin(rules.sources).fill_null(
        False
    )
    for client, mediums, sources in rules.per_client:
        extra = ibis.literal(False)
        if mediums:
            extra = extra | medium.isin(mediums).fill_null(False)
        if sources:
            extra = extra | origin.isin(sources).fill_null(False)
        social = social | ((client_id == client) & extra)
    return social
