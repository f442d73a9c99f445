"""The web app's hold on the workspace database: one read-write connection for the server's
life, used by one request at a time (DuckDB allows one writing process; the requests of this
one take turns)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from smmkpi.store.database import Store
from smmkpi.workspace import Workspace


class Database:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._store: Store | None = None
        self._lock = threading.Lock()

    @contextmanager
    def store(self) -> Iterator[Store]:
        with self._lock:
            if self._store is None:
                self._store = self.workspace.open_store()
            yield self._store

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
