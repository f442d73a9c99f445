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


def data_version(store: Store) -> tuple[Any, ...]:
    """What computed pages depend on besides the day: the last import, the last plan change
    and the last brief change (the goals)."""
    return versions.data_version(store.con)


class VersionedCache:
    """Values by key, each valid for one data version; the oldest go beyond MAX_ENTRIES."""

    def __init__(self) -> None:
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
            while len(self._values) > MAX_ENTRIES:
                self._values.pop(next(iter(self._values)))
        return value
