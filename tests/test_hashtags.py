"""Hashtag matching as spec/metrics.md defines it (NFKC, case folding, whole tags)."""

from __future__ import annotations

import pytest

from smmkpi.hashtags import brand_tag, brand_tags, extract_hashtags, tags_field


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("#CoffeeLab!", ["coffeelab"]),  # punctuation ends a tag
        ("#coffeelabs", ["coffeelabs"]),  # a longer tag is another tag
        ("Утро в #КОФЕЛАБ.", ["кофелаб"]),  # Cyrillic is case-folded
        ("ｃｏｆｆｅｅ #ｃｏｆｆｅｅｌａｂ", ["coffeelab"]),  # fullwidth letters after NFKC
        ("#Straße", ["strasse"]),  # case folding, not lower-casing
        ("a#tag b", ["tag"]),  # a # starts a tag wherever it stands
        ("##double", ["double"]),
        ("# alone and #", []),
        ("#coffee_lab #coffee-lab", ["coffee_lab", "coffee"]),  # _ continues, - ends
        ("#кофе\u0301", ["кофе\u0301"]),  # a combining mark continues the tag
        ("#2025год", ["2025год"]),
        ("#tag1#tag2", ["tag1", "tag2"]),
    ],
)
def test_extract_hashtags(text: str, tags: list[str]) -> None:
    assert extract_hashtags(text) == tags


def test_tags_field_pads_with_spaces_for_whole_tag_matching() -> None:
    assert tags_field("#A #b #a") == " a b "
    assert tags_field("no tags") == ""
    assert tags_field(None) is None


def test_brand_tags_accept_entries_with_or_without_hash() -> None:
    assert brand_tags("#coffeelab кофелаб, #CoffeeLab") == ["coffeelab", "кофелаб"]
    assert brand_tags(None) == []
    assert brand_tag("#coffee-lab") is None
    assert brand_tag("#") is None
