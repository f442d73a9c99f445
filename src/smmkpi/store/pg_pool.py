"""A pool of PostgreSQL connections for a long-running process (the web server), each handed out
as a :class:`Store`.

psycopg-pool checks a connection before handing it out and replaces one that the server closed,
so a PostgreSQL restart costs the requests nothing once the server is back (before the pool, every
request failed until the app was restarted). Connections are opened as they are needed, up to
``max_size``, and set up as ``postgres.connect`` sets one up (``configure_session``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from psycopg_pool import ConnectionPool, PoolTimeout

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.store.database import Store
from smmkpi.store.pg_connection import PgConnection
from smmkpi.store.postgres import configure_session
from smmkpi.store.urls import safe_url

WAIT_SECONDS = 30.0  # how long a request waits for a connection before it is refused


class PgPool:
    """Up to ``max_size`` connections to the database at ``url`` (migrated when opened)."""

    def __init__(self, url: str, max_size: int) -> None:
        Store.open_url(url).close()  # the schema up to date (and a clear error when unreachable)
        self.url = url
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max_size,
            kwargs={"autocommit": True},
            configure=configure_session,
            check=ConnectionPool.check_connection,
            timeout=WAIT_SECONDS,
            name="smmkpi",
            open=True,
        )

    @contextmanager
    def store(self) -> Iterator[Store]:
        """A checked connection of the pool as a store, for the block."""
        try:
            with self._pool.connection() as raw:
                yield Store(PgConnection(raw), safe_url(self.url), False, "postgresql")
        except PoolTimeout:
            raise UserError(
                _(
                    "The PostgreSQL database {url} did not answer within {seconds} s. Check that "
                    "the server runs."
                ).format(url=safe_url(self.url), seconds=int(WAIT_SECONDS))
            ) from None

    def close(self) -> None:
        self._pool.close()
