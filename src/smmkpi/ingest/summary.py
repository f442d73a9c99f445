"""What an import did, in words: "posts: 12 new, 3 replaced; account_daily: 31 unchanged" — the
same line for the command line and the web app."""

from __future__ import annotations

from smmkpi.formatting import format_count
from smmkpi.i18n import _, current_language, ngettext
from smmkpi.ingest.pipeline import ImportOutcome
from smmkpi.store.writer import MergeCounts


def counts_text(counts: MergeCounts) -> str:
    language = current_language()
    parts = []
    for n, text in (
        (counts.inserted, ngettext("{n} new", "{n} new", counts.inserted)),
        (counts.replaced, ngettext("{n} replaced", "{n} replaced", counts.replaced)),
        (counts.unchanged, ngettext("{n} unchanged", "{n} unchanged", counts.unchanged)),
        (counts.ignored, ngettext("{n} older, ignored", "{n} older, ignored", counts.ignored)),
    ):  # one word in English; Russian agrees with the number ("1 новая, 5 новых")
        if n:
            parts.append(text.format(n=format_count(n, language)))
    return ", ".join(parts) or "0"


def outcome_text(outcome: ImportOutcome) -> str:
    """Per table, how many rows were new, replaced, unchanged or older; or that nothing
    changed."""
    if not outcome.changed:
        return _("no changes ({n} rows already in the workspace)").format(
            n=format_count(outcome.totals.total, current_language())
        )
    return "; ".join(f"{table}: {counts_text(c)}" for table, c in outcome.tables.items())
