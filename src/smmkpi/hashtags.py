"""Hashtags as spec/metrics.md defines them.

A ``#`` starts a tag wherever it stands; the tag runs over letters, digits, combining marks and
``_``. The text is NFKC-normalised, split into tags, and each tag case-folded, so ``#CoffeeLab!``
carries the tag ``coffeelab`` and ``#coffeelabs`` does not. Precisely, a tag character is one of
the Unicode categories L* (letters), Nd (decimal digits), M* (combining marks), or ``_``.

>>> extract_hashtags("Утро с #КофеЛаб! #coffeelab_2025 и ##bonus")
['кофелаб', 'coffeelab_2025', 'bonus']
>>> brand_tags("#coffeelab кофелаб")
['coffeelab', 'кофелаб']
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s,;]+")


def is_tag_character(char: str) -> bool:
    """True for a character that continues a hashtag: a letter, a digit, a mark or ``_``."""
    if char == "_":
        return True
    category = unicodedata.category(char)
    return category[0] in ("L", "M") or category == "Nd"


def extract_hashtags(text: str) -> list[str]:
    """The tags of ``text``, normalised (NFKC, case-folded), without ``#``, in order."""
    normalised = unicodedata.normalize("NFKC", text)
    tags: list[str] = []
    index = normalised.find("#")
    while index != -1:
        end = index + 1
        while end < len(normalised) and is_tag_character(normalised[end]):
            end += 1
        if end > index + 1:
            tags.append(normalised[index + 1 : end].casefold())
        index = normalised.find("#", end if end > index + 1 else index + 1)
    return tags


def tags_field(text: str | None) -> str | None:
    """The stored form of a text's tags: `` tag1 tag2 `` (spaces at both ends), so that a query
    matches a whole tag by looking for `` tag `` in it; ``""`` for a text without tags."""
    if text is None:
        return None
    tags = list(dict.fromkeys(extract_hashtags(text)))
    return f" {' '.join(tags)} " if tags else ""


def split_brand_hashtags(value: str) -> list[str]:
    """The entries of a ``brand_hashtags`` setting as written (split on spaces or commas)."""
    return [token for token in _SEPARATORS.split(value.strip()) if token]


def brand_tag(token: str) -> str | None:
    """One brand hashtag (with or without ``#``) as a normalised tag; None if it is not one
    whole tag (``#coffee-lab`` is two words, not a tag)."""
    normalised = unicodedata.normalize("NFKC", token.strip())
    if normalised.startswith("#"):
        normalised = normalised[1:]
    if not normalised or not all(is_tag_character(c) for c in normalised):
        return None
    return normalised.casefold()


def brand_tags(value: str | None) -> list[str]:
    """The normalised tags of a ``brand_hashtags`` setting; entries that are not tags are
    skipped (the import refuses them, so stored values have none)."""
    if not value:
        return []
    tags = (brand_tag(token) for token in split_brand_hashtags(value))
    return list(dict.fromkeys(tag for tag in tags if tag))
