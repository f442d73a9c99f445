"""The promotion's goals by name, in the interface's language: the ids (``awareness``,
``community``, ``sales``) are what files and commands take; people read these."""

from __future__ import annotations

from collections.abc import Iterable

from smmkpi.i18n import _


def goal_title(goal: str) -> str:
    """``Brand awareness`` / ``Узнаваемость бренда``."""
    return {
        "awareness": _("Brand awareness"),
        "community": _("Community"),
        "sales": _("Sales"),
    }[goal]


def goal_list(goals: Iterable[str]) -> str:
    """Goals in a sentence: ``sales, brand awareness`` / ``продажи, узнаваемость бренда``."""
    return ", ".join(goal_title(g).lower() for g in goals)
