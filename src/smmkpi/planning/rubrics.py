"""A client's rubrics as every door edits them (``smmkpi rubric``, the client page): the same
checks, the same words. The rules are matched by ``metrics.content``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from smmkpi.errors import InvalidArgumentError, NotFoundError
from smmkpi.i18n import _, ngettext
from smmkpi.metrics.content import parse_rules
from smmkpi.store import rubrics as stored
from smmkpi.store.database import Store


def add_rubric(
    store: Store,
    client_id: str,
    name: str,
    hashtags: Iterable[str],
    fragments: Iterable[str],
    posts: Iterable[str],
    now: datetime,
) -> str:
    """Add the rules to the rubric ``name`` of ``client_id`` (made by its first rule), refused
    with the words every door gives (no name, no rule, a word that is not one hashtag); what to
    tell the user."""
    name = name.strip()
    if not name:
        raise InvalidArgumentError(_("A rubric needs a name."))
    rules = parse_rules(hashtags, fragments, posts)
    with store.transaction():
        added = stored.add_rules(store.con, client_id, name, rules, now)
    return ngettext(
        "Rubric {name} of {client}: {n} rule added.",
        "Rubric {name} of {client}: {n} rules added.",
        added,
    ).format(name=name, client=client_id, n=added)


def remove_rubric(store: Store, client_id: str, name: str) -> str:
    """Remove the rubric ``name`` of ``client_id`` with its rules (its posts stay); what to tell
    the user."""
    with store.transaction():
        removed = stored.remove(store.con, client_id, name)
    if not removed:
        raise NotFoundError(
            _("{client} has no rubric {name} (see `smmkpi rubric list`).").format(
                client=client_id, name=name
            )
        )
    return _("Removed the rubric {name} of {client}.").format(name=name, client=client_id)
