"""The specialist's commentary on a month's report: conclusions and the plan for the next
month. Kept in the store with every revision (who, when), like briefs and plans, and edited
as a small text with two headed parts:

    ## Conclusions
    Reach grew after the reels series; the giveaway brought followers who stayed.

    ## Next month
    Two reels a week; a UGC contest with the branded hashtag.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from smmkpi.errors import UserError
from smmkpi.i18n import _, ngettext
from smmkpi.metrics.periods import Period
from smmkpi.report.model import Commentary
from smmkpi.store import revisions
from smmkpi.store.database import Store

MAX_CHARS = 20_000
_HEADING = re.compile(r"^\s*##\s*(.+?)\s*$")
CONCLUSIONS = ("conclusions", "выводы")
NEXT_MONTH = ("next month", "план на следующий месяц", "следующий месяц")


def load_commentary(store: Store, client_id: str, month: Period) -> Commentary:
    found = revisions.comment_revisions(store.con, client_id, month.label())
    if not found:
        return Commentary()
    content = found[-1].content
    return Commentary(content.get("conclusions", ""), content.get("next_month", ""))


def save_commentary(
    store: Store, client_id: str, month: Period, commentary: Commentary, author: str | None
) -> tuple[int, bool]:
    """Save ``commentary`` as the next revision; returns its number and whether it changed."""
    for text in (commentary.conclusions, commentary.next_month):
        if len(text) > MAX_CHARS:
            raise UserError(
                ngettext(
                    "The commentary is longer than {limit} character; shorten it.",
                    "The commentary is longer than {limit} characters; shorten it.",
                    MAX_CHARS,
                ).format(limit=MAX_CHARS)
            )
    content = {
        "conclusions": commentary.conclusions.strip(),
        "next_month": commentary.next_month.strip(),
    }
    with store.revision_transaction():
        revision, changed = revisions.save_comment(
            store.con, client_id, month.label(), content, author, datetime.now(UTC)
        )
    return revision.revision, changed


def as_text(commentary: Commentary) -> str:
    """The commentary as the text the specialist edits."""
    return (
        f"## {_('Conclusions')}\n{commentary.conclusions.strip()}\n\n"
        f"## {_('Next month')}\n{commentary.next_month.strip()}\n"
    )


def parse_text(text: str, source: str) -> Commentary:
    """Read the edited text: the part under a "Conclusions" heading and the part under
    "Next month" (in Russian or English); text before any heading is the conclusions. A single
    ``#`` is text (hashtags)."""
    parts: dict[str, list[str]] = {"conclusions": [], "next_month": []}
    current = "conclusions"
    for number, line in enumerate(text.splitlines(), start=1):
        heading = _HEADING.match(line)
        if heading:
            name = heading.group(1).strip().lower().rstrip(":")
            if name in CONCLUSIONS or name == _("Conclusions").lower():
                current = "conclusions"
            elif name in NEXT_MONTH or name == _("Next month").lower():
                current = "next_month"
            else:
                raise UserError(
                    _(
                        "{source}, line {line}: unknown heading '{heading}'; the commentary has "
                        "two parts, '## {conclusions}' and '## {next}'."
                    ).format(
                        source=source,
                        line=number,
                        heading=heading.group(1),
                        conclusions=_("Conclusions"),
                        next=_("Next month"),
                    )
                )
            continue
        parts[current].append(line)
    return Commentary(
        "\n".join(parts["conclusions"]).strip(), "\n".join(parts["next_month"]).strip()
    )
