"""The workspace database — an embedded DuckDB file, or a PostgreSQL database shared by a team
— its schema version and transactions.

Opening a database applies any migrations it lacks, so a workspace made by an older smmkpi
upgrades itself. The DuckDB connection is locked down: DuckDB cannot read or write files or URLs
on its own (``enable_external_access=false``); data comes in and goes out through Arrow, so no
user string ever becomes a path DuckDB opens. On PostgreSQL the same SQL runs through
:class:`~smmkpi.store.pg_connection.PgConnection`; imports take a lock on the database for their
transaction, so a second import at the same time waits for the first.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import duckdb

from smmkpi.errors import SchemaTooNewError, UnavailableError, UserError, WorkspaceBusyError
from smmkpi.extras import require
from smmkpi.i18n import _
from smmkpi.store.connection import Backend
from smmkpi.store.migrations import MIGRATIONS, SCHEMA_TABLE, Migration, latest_version

_LOCK_HOLDER = re.compile(r"PID (\d+)")


IMPORT_LOCK = 0x736D6D6B  # the PostgreSQL advisory lock imports hold ("smmk")
REVISION_LOCK = 0x736D6D72  # … and the saves of plan, brief and commentary revisions ("smmr")


class Store:
    """An open workspace database."""

    def __init__(
        self,
        connection: Any,
        path: Path | str,
        read_only: bool,
        engine: Literal["duckdb", "postgresql"] = "duckdb",
    ) -> None:
        self.con = connection  # duckdb.DuckDBPyConnection or PgConnection
        self.path = path  # the DuckDB file, or the PostgreSQL URL without its password
        self.read_only = read_only
        self.engine = engine

    @classmethod
    def open_url(
        cls,
        url: str,
        *,
        read_only: bool = False,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> Store:
        """Open the PostgreSQL database at ``url``, upgraded to the latest schema (made in an
        empty database)."""
        require("postgresql")
        from smmkpi.store.pg_connection import PgConnection
        from smmkpi.store.postgres import connect
        from smmkpi.store.urls import safe_url

        con = PgConnection(connect(url))
        store = cls(con, safe_url(url), read_only, "postgresql")  # UTC, set by connect()
        try:
            store.migrate(migrations)
        except BaseException:
            con.close()
            raise
        return store  # read_only is kept by the code (the KPI queries need temporary tables)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        read_only: bool = False,
        threads: int = 0,
        memory_limit: str = "",
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> Store:
        """Open (and create, unless ``read_only``) the database at ``path``, upgraded to the
        latest schema.

        A read-only open of a database that needs an upgrade upgrades it first with a short
        read-write open.
        """
        if read_only:
            if not path.exists():
                raise UserError(
                    _("The workspace database {path} is missing. Run `smmkpi init`.").format(
                        path=path
                    )
                )
            store = cls(_connect(path, read_only=True), path, read_only=True)
            version = store.schema_version()
            if version == latest_version(migrations):
                store._configure(threads, memory_limit)
                return store
            store.close()
            cls.open(
                path, threads=threads, memory_limit=memory_limit, migrations=migrations
            ).close()
            store = cls(_connect(path, read_only=True), path, read_only=True)
            store._configure(threads, memory_limit)
            return store
        store = cls(_connect(path, read_only=False), path, read_only=False)
        store.migrate(migrations)
        store._configure(threads, memory_limit)
        return store

    def _configure(self, threads: int, memory_limit: str) -> None:
        self.con.execute("SET TimeZone = 'UTC'")
        # our own progress is Rich's; in a Jupyter kernel without ipywidgets DuckDB refuses any
        # change of its bar, which stays off there
        with contextlib.suppress(duckdb.InvalidInputException):
            self.con.execute("SET enable_progress_bar = false")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            self.con.execute("SET memory_limit = $1", [memory_limit])
        self.con.execute("SET enable_external_access = false")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema -----------------------------------------------------------------------------

    def schema_version(self) -> int:
        """The version of the schema this database holds (0 for an empty database)."""
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = $1",
            [SCHEMA_TABLE],
        ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = self.con.execute(f"SELECT max(version) FROM {SCHEMA_TABLE}").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def migrate(self, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
        """Apply the migrations this database lacks, each in its own transaction."""
        current = self.schema_version()
        newest = latest_version(migrations)
        if current > newest:
            raise SchemaTooNewError(
                _(
                    "The workspace database {path} has schema version {found}, newer than this "
                    "smmkpi knows ({known}). Upgrade smmkpi to open it."
                ).format(path=self.path, found=current, known=newest)
            )
        applied: list[int] = []
        for migration in migrations:
            if migration.version <= current:
                continue
            with self.transaction():
                if migration.version == 1:
                    self.con.execute(
                        f"CREATE TABLE {SCHEMA_TABLE} (version INTEGER NOT NULL, "
                        "description VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
                    )
                for statement in migration.statements if self.engine in migration.engines else ():
                    self.con.execute(statement)
                self.con.execute(
                    f"INSERT INTO {SCHEMA_TABLE} VALUES ($1, $2, $3)",
                    [migration.version, migration.description, datetime.now(UTC)],
                )
            applied.append(migration.version)
        return applied

    # -- access -----------------------------------------------------------------------------

    @contextmanager
    def memory_limited(self, limit: str) -> Iterator[None]:
        """Hold DuckDB to ``limit`` (such as ``512MB``) inside the block — beyond it DuckDB
        spills to disk — unless the workspace's own limit is lower already. (PostgreSQL keeps
        to its server's own memory settings.)"""
        if self.engine != "duckdb":
            yield
            return
        previous = self._memory_limit()
        self.con.execute("SET memory_limit = $1", [limit])
        if _bytes(self._memory_limit()) > _bytes(previous):
            self.con.execute("SET memory_limit = $1", [previous])
        try:
            yield
        finally:
            self.con.execute("SET memory_limit = $1", [previous])

    def _memory_limit(self) -> str:
        row = self.con.execute("SELECT current_setting('memory_limit')").fetchone()
        return str(row[0]) if row else ""

    def lock_imports(self) -> None:
        """Inside a transaction: wait until no other import runs on this database (PostgreSQL;
        a DuckDB file has one writing process at a time anyway)."""
        self._wait_for(IMPORT_LOCK)

    @contextmanager
    def revision_transaction(self) -> Iterator[Any]:
        """A transaction that saves a revision of a plan, a brief or a commentary. On
        PostgreSQL it first waits for any other such save to commit, so that what it reads is
        the latest revision: two people saving at once get revisions N and N + 1, the second
        built on the first, never two N's or one lost."""
        with self.transaction() as con:
            self._wait_for(REVISION_LOCK)
            yield con

    def _wait_for(self, lock: int) -> None:
        """Take PostgreSQL's advisory ``lock`` until the transaction ends (waiting while another
        session holds it); nothing on DuckDB, whose file has one writing process."""
        if self.engine == "postgresql":
            self.con.execute("SELECT pg_advisory_xact_lock($1)", [lock])

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    @cached_property
    def backend(self) -> Backend:
        """The database for running compiled SQL (the KPI queries), without Ibis."""
        if self.engine == "postgresql":
            return Backend("postgres", self.con.raw)
        return Backend("duckdb", self.con)

    def count_rows(self, table: str) -> int:
        row = self.con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        return int(row[0]) if row else 0


StoreOpener = Callable[[], AbstractContextManager["Store"]]
"""Opens the store for one step (``Workspace.open_store``; in the web app, its shared store)."""


def lost_race(error: BaseException) -> bool:
    """Whether ``error`` says another transaction changed the same rows first: DuckDB finds it
    at commit (PostgreSQL makes the second transaction wait and see the first one's rows)."""
    return isinstance(error, duckdb.TransactionException | duckdb.ConstraintException)


def _connect(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        text = str(error)
        if "lock" in text.lower():
            holder = _LOCK_HOLDER.search(text)
            who = (
                _("another smmkpi process (PID {pid})").format(pid=holder.group(1))
                if holder
                else _("another process")
            )
            raise WorkspaceBusyError(
                _(
                    "The workspace is busy: {who} is using {path}. Wait until it finishes (or stop "
                    "it), then run the command again."
                ).format(who=who, path=path)
            ) from error
        raise UnavailableError(
            _("Cannot open the workspace database {path}: {error}").format(path=path, error=text)
        ) from error


_UNITS = {
    "b": 1,
    "bytes": 1,
    "kb": 1000,
    "kib": 1024,
    "mb": 1000**2,
    "mib": 1024**2,
    "gb": 1000**3,
    "gib": 1024**3,
    "tb": 1000**4,
    "tib": 1024**4,
}


def _bytes(setting: str) -> float:
    """``488.2 MiB`` (as DuckDB shows a memory setting) in bytes; unknown forms are infinite."""
    match = re.fullmatch(r"\s*([\d.]+)\s*([a-zA-Z]*)\s*", setting)
    if match is None or match.group(2).lower() not in _UNITS:
        return float("inf")
    return float(match.group(1)) * _UNITS[match.group(2).lower()]
