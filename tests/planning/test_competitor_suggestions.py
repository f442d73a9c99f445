"""The brief's links to accounts as competitors to follow (planning/competitor_suggestions.py)."""

from __future__ import annotations

from smmkpi.planning.brief import Brief
from smmkpi.planning.competitors import Suggestion, suggestions


def test_links_to_accounts_are_suggested_once_and_in_the_briefs_order() -> None:
    brief = Brief(
        main_goal="awareness",
        business="Соседи: youtube.com/@CoffeeGuys, tiktok.com/@beanz, www.vk.com/club555 "
        "(и их пост vk.com/wall-555_10), снова VK.com/Club555.",
        notes="Наш канал t.me/our_channel; их — https://t.me/their_channel/123",
    )
    found = suggestions(brief, followed=[("youtube", "@coffeeguys")],
                        own=[("telegram", "@our_channel")])  # fmt: skip
    assert found == [
        Suggestion("tiktok", "@beanz"),
        Suggestion("vk", "club555"),
        Suggestion("telegram", "their_channel"),
    ]
    assert suggestions(None, [], []) == []
