"""Results kept until what they were computed from changes: the day, the imports (the last
import id), the plans and the briefs (their revisions)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from smmkpi.store import versions
from smmkpi.store.database import Store

T = TypeVar("T")
MAX_ENTRIES = 256
PAGE_ENTRIES = 4096
"""The clients' pages' parts (plan against fact, charts, history) kept: two or three a client and
language, so that computing every client's page ahead (``Site.compute_pages``) for an agency of
a thousand clients does not push out what it computed first."""


def data_version(store: Store) -> tuple[Any, ...]:
    """What computed pages depend on besides the day: the last import, the last plan change
    and the last brief change (the goals)."""
    return versions.data_version(store.con)


class VersionedCache:
    """Values by key, each valid for one data version; the oldest go beyond ``max_entries``."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._values: dict[Hashable, tuple[tuple[Any, ...], Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: tuple[Any, ...], compute: Callable[[], T]) -> T:
        with self._lock:
            found = self._values.get(key)
            if found is not None and found[0] == version:
                value: T = found[1]
                return value
        value = compute()
        with self._lock:
            self._values[key] = (version, value)
            while len(self._values) > self.max_entries:
                self._values.pop(next(iter(self._values)))
        return value
