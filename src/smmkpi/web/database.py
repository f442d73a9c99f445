"""The web app's hold on the workspace database.

On a DuckDB file: one read-write connection for the server's life, used by one request at a
time (DuckDB allows one writing process; the requests of this one take turns). On PostgreSQL:
a pool of up to ``POOL_SIZE`` connections (``store/pg_pool.py``), opened as requests need them,
checked before each use and replaced when the server closed them (a restart of PostgreSQL), so
that one person's slow page does not hold up another's.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from smmkpi.extras import require
from smmkpi.store.database import Store
from smmkpi.workspace import Workspace

if TYPE_CHECKING:
    from smmkpi.store.pg_pool import PgPool

POOL_SIZE = 8  # PostgreSQL connections one server opens at most


class Database:
    def __init__(self, workspace: Workspace, size: int = POOL_SIZE) -> None:
        self.workspace = workspace
        url = workspace.settings.store.url
        self.size = size if url else 1
        self._pool = _pool(url, size) if url else None
        self._idle: list[Store] = []
        self._opened = 0
        self._changed = threading.Condition()

    @contextmanager
    def store(self) -> Iterator[Store]:
        """A connection of this server's, for the block (waits while all are in use)."""
        if self._pool is not None:
            with self._pool.store() as pooled:
                yield pooled
            return
        store = self._take()
        try:
            yield store
        finally:
            with self._changed:
                self._idle.append(store)
                self._changed.notify()

    def _take(self) -> Store:
        with self._changed:
            while not self._idle and self._opened >= 1:
                self._changed.wait()
            if self._idle:
                return self._idle.pop()
            self._opened += 1
        try:
            return self.workspace.open_store()
        except BaseException:
            with self._changed:
                self._opened -= 1
                self._changed.notify()
            raise

    def close(self) -> None:
        """Close the connections (at the server's shutdown, when no request holds one)."""
        if self._pool is not None:
            self._pool.close()
        with self._changed:
            for store in self._idle:
                store.close()
            self._opened -= len(self._idle)
            self._idle.clear()


def _pool(url: str, size: int) -> PgPool:
    """A pool of connections to ``url`` (psycopg's pool: the ``postgresql`` extra)."""
    require("postgresql")
    from smmkpi.store.pg_pool import PgPool

    return PgPool(url, size)
