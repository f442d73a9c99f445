"""The staging area of one import: temporary tables that hold validated rows until the merge.

Rows arrive in Arrow batches with their origin (file, spreadsheet row, file line). Checks that
need the whole import at once — keys repeated inside the import, references to clients and
accounts — run here as SQL, so an import of millions of rows never holds them all in Python.
Everything lives inside the import's transaction: a rejected import rolls it back and the
temporary tables vanish with it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from smmkpi.store.arrow import staging_schema
from smmkpi.store.connection import Connection, insert_arrow
from smmkpi.store.tables import TABLES, TABLES_BY_NAME, Table


@dataclass(frozen=True)
class Origin:
    """Where a staged row came from."""

    file: str
    row: int
    line: int


@dataclass(frozen=True)
class DuplicateKey:
    """A key that appears more than once in the import with different values."""

    table: str
    key: dict[str, Any]
    origins: list[Origin]


@dataclass(frozen=True)
class MissingReference:
    """A row that names a client or account that exists neither in the import nor the store."""

    table: str
    column: str
    value: str
    target: str
    origin: Origin


@dataclass(frozen=True)
class OutsideClient:
    """A row of an import confined to one client that names another client or its account."""

    table: str
    column: str
    value: str
    owner: str
    origin: Origin


@dataclass(frozen=True)
class OwnerConflict:
    """An account imported with another client than the one that owns it in the store."""

    account_id: str
    client_id: str
    stored_client_id: str
    origin: Origin


def stage_name(table: Table) -> str:
    return f"stage_{table.name}"


def key_match(table: Table, left: str, right: str) -> str:
    """SQL that matches the key of ``left`` and ``right`` (NULL parts of a key are equal)."""
    parts = []
    for name in table.key:
        column = table.column(name)
        op = "=" if column.required else "IS NOT DISTINCT FROM"
        parts.append(f'{left}."{name}" {op} {right}."{name}"')
    return " AND ".join(parts)


def first(column: str, where: str = "") -> str:
    """SQL of the first value of ``column`` in staging order (of the rows ``where`` holds):
    ``array_agg`` with an order, which both engines have (DuckDB's ``first`` is its own)."""
    chosen = f" FILTER (WHERE {where})" if where else ""
    name = column if column.startswith("_") else f'"{column}"'
    return f"(array_agg({name} ORDER BY _seq){chosen})[1]"


def _cols(names: tuple[str, ...], alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(f'{prefix}"{n}"' for n in names)


class Staging:
    """Temporary tables for the rows of one import, one per canonical table."""

    def __init__(self, con: Connection) -> None:
        self.con = con
        self._staged: dict[str, Table] = {}
        self._seq = 0

    def next_seq(self) -> int:
        """A number that orders staged rows across all files of the import."""
        return self.reserve(1)

    def reserve(self, n: int) -> int:
        """The first of ``n`` consecutive order numbers, for a batch of rows."""
        first = self._seq
        self._seq += n
        return first

    def append(self, table: Table, batch: pa.Table) -> None:
        """Add validated rows (with their origin columns) to ``table``'s staging table."""
        name = stage_name(table)
        if table.name not in self._staged:
            columns = ", ".join(f'"{c.name}" {c.sql_type}' for c in table.stored_columns)
            self.con.execute(
                f"CREATE TEMP TABLE {name} ({columns}, _provided BIGINT, _seq BIGINT, "
                "_file VARCHAR, _row BIGINT, _line BIGINT)"
            )
            self._staged[table.name] = table
        insert_arrow(self.con, name, batch.cast(staging_schema(table)))

    def tables(self) -> Iterator[Table]:
        """The staged tables, in dependency order."""
        return (t for t in TABLES if t.name in self._staged)

    def has(self, table_name: str) -> bool:
        return table_name in self._staged

    def drop(self) -> None:
        """Remove the staging tables (a rolled-back transaction removes them by itself)."""
        for table in list(self.tables()):
            self.con.execute(f"DROP TABLE IF EXISTS {stage_name(table)}")
            self.con.execute(f"DROP TABLE IF EXISTS {stage_name(table)}_repeated")
        self._staged.clear()

    def count(self, table: Table) -> int:
        row = self.con.execute(f"SELECT count(*) FROM {stage_name(table)}").fetchone()
        return int(row[0]) if row else 0

    # -- repeated keys --------------------------------------------------------------------------

    def repeated_keys(self, table: Table) -> int:
        """How many keys the import holds more than once. Collects them in a temporary table so
        that the checks below look at those rows only — usually none, whatever the file size."""
        name = stage_name(table)
        keys = _cols(table.key)
        self.con.execute(f"DROP TABLE IF EXISTS {name}_repeated")
        self.con.execute(
            f"CREATE TEMP TABLE {name}_repeated AS "
            f"SELECT {keys} FROM {name} GROUP BY {keys} HAVING count(*) > 1"
        )
        row = self.con.execute(f"SELECT count(*) FROM {name}_repeated").fetchone()
        return int(row[0]) if row else 0

    def _repeated_rows(self, table: Table) -> str:
        """SQL of the staged rows whose key is repeated (after :meth:`repeated_keys`), as a
        subquery named ``repeated``."""
        name = stage_name(table)
        match = key_match(table, "s", "r")
        return (
            f"(SELECT s.* FROM {name} s WHERE EXISTS "
            f"(SELECT 1 FROM {name}_repeated r WHERE {match})) AS repeated"
        )

    def drop_older_snapshots(self, table: Table) -> int:
        """Snapshot tables: of each repeated key keep only the latest ``captured_at``. Returns
        how many older snapshots were dropped."""
        name = stage_name(table)
        keys = _cols(table.key)
        before = self.count(table)
        self.con.execute(
            f"""DELETE FROM {name} WHERE _seq IN (
                SELECT _seq FROM (
                    SELECT _seq, captured_at,
                           max(captured_at) OVER (PARTITION BY {keys}) AS latest
                    FROM {self._repeated_rows(table)}) AS ranked
                WHERE captured_at < latest)"""
        )
        return before - self.count(table)

    def _provided_by(self, table: Table, column: str) -> str:
        return f"_provided & {1 << table.stored_columns.index(table.column(column))} <> 0"

    def conflicting_keys(self, table: Table, limit: int) -> tuple[list[DuplicateKey], int]:
        """Repeated keys whose rows give different values for a column they both provide: the
        first ``limit`` and how many there are."""
        keys = _cols(table.key)
        disagree = " OR ".join(
            f'count(DISTINCT row("{c}")) FILTER (WHERE {self._provided_by(table, c)}) > 1'
            for c in table.value_columns
        )
        groups = f"""
            SELECT {keys}, array_agg(_file ORDER BY _seq) AS files,
                   array_agg(_row ORDER BY _seq) AS rows_, array_agg(_line ORDER BY _seq) AS lines
            FROM {self._repeated_rows(table)}
            GROUP BY {keys}
            HAVING {disagree}"""
        total_row = self.con.execute(f"SELECT count(*) FROM ({groups}) AS g").fetchone()
        total = int(total_row[0]) if total_row else 0
        rows = self.con.execute(f"{groups} ORDER BY min(_seq) LIMIT {int(limit)}").fetchall()
        found = []
        for row in rows:
            size = len(table.key)
            key = dict(zip(table.key, row[:size], strict=True))
            files, numbers, lines = row[size], row[size + 1], row[size + 2]
            origins = [Origin(f, r, line) for f, r, line in zip(files, numbers, lines, strict=True)]
            found.append(DuplicateKey(table.name, key, origins))
        return found, total

    def combine_repeated_rows(self, table: Table, summed: Sequence[str] = ()) -> int:
        """Make one row of the rows that share a key (and agree, see :meth:`conflicting_keys`):
        each column from the rows that provide it. Columns in ``summed`` are added up instead
        (unknown when a row that provides one leaves it unknown): rows of an analytics report
        that meet on one day and set of tags once read. Returns how many rows were folded in."""
        name = stage_name(table)
        keys = _cols(table.key)
        before = self.count(table)

        def folded(column: str) -> str:
            provided = self._provided_by(table, column)
            if column in summed:
                return (
                    f'CASE WHEN count(*) FILTER (WHERE {provided} AND "{column}" IS NULL) = 0 '
                    f'THEN sum("{column}") FILTER (WHERE {provided}) END AS "{column}"'
                )
            return f'{first(column, provided)} AS "{column}"'

        columns = ", ".join(folded(c) for c in table.value_columns)
        self.con.execute(f"DROP TABLE IF EXISTS {name}_combined")
        self.con.execute(
            f"""CREATE TEMP TABLE {name}_combined AS
                SELECT {keys}, {columns}, bit_or(_provided) AS _provided, min(_seq) AS _seq,
                       {first("_file")} AS _file, {first("_row")} AS _row,
                       {first("_line")} AS _line
                FROM {self._repeated_rows(table)} GROUP BY {keys}"""
        )
        match = key_match(table, "s", "r")
        self.con.execute(f"DELETE FROM {name} s USING {name}_repeated r WHERE {match}")
        staged = _cols(
            (*table.key, *table.value_columns, "_provided", "_seq", "_file", "_row", "_line")
        )
        self.con.execute(f"INSERT INTO {name} ({staged}) SELECT {staged} FROM {name}_combined")
        self.con.execute(f"DROP TABLE {name}_combined")
        return before - self.count(table)

    # -- references -----------------------------------------------------------------------------

    def missing_references(self, table: Table, limit: int) -> tuple[list[MissingReference], int]:
        """Rows whose client or account exists neither in the store nor in this import."""
        found: list[MissingReference] = []
        total = 0
        name = stage_name(table)
        for column, target_name in table.references.items():
            target = TABLES_BY_NAME[target_name]
            (target_key,) = target.key
            known = f'SELECT "{target_key}" FROM {target.name}'
            if target_name in self._staged:
                known += f' UNION ALL SELECT "{target_key}" FROM {stage_name(target)}'
            missing = f"""
                SELECT "{column}", _file, _row, _line, _seq FROM {name}
                WHERE "{column}" IS NOT NULL AND "{column}" NOT IN ({known})"""
            counted = self.con.execute(f"SELECT count(*) FROM ({missing}) AS m").fetchone()
            total += int(counted[0]) if counted else 0
            for value, file, row, line, _seq in self.con.execute(
                f"{missing} ORDER BY _seq LIMIT {int(limit)}"
            ).fetchall():
                found.append(
                    MissingReference(
                        table.name, column, value, target_name, Origin(file, row, line)
                    )
                )
        return found[:limit], total

    def owner_conflicts(self, limit: int) -> tuple[list[OwnerConflict], int]:
        """Accounts staged with a client other than the one that owns them in the store."""
        if "accounts" not in self._staged:
            return [], 0
        query = """
            SELECT s.account_id, s.client_id, a.client_id, s._file, s._row, s._line, s._seq
            FROM stage_accounts s JOIN accounts a ON a.account_id = s.account_id
            WHERE s.client_id <> a.client_id"""
        counted = self.con.execute(f"SELECT count(*) FROM ({query}) AS q").fetchone()
        rows = self.con.execute(f"{query} ORDER BY s._seq LIMIT {int(limit)}").fetchall()
        conflicts = [
            OwnerConflict(account, client, stored, Origin(file, row, line))
            for account, client, stored, file, row, line, _seq in rows
        ]
        return conflicts, int(counted[0]) if counted else 0

    def outside_client(self, client_id: str, limit: int) -> tuple[list[OutsideClient], int]:
        """Rows that belong to a client other than ``client_id``: a client row or a
        ``client_id`` naming another client, an ``account_id`` of another client's account
        (owned in this import or in the store)."""
        parts = []
        for table in self.tables():
            name = stage_name(table)
            if table.name in ("clients", "accounts") or "client_id" in table.references:
                parts.append(
                    f"SELECT '{table.name}' AS t, 'client_id' AS c, client_id AS v, "
                    f"client_id AS owner, _file, _row, _line, _seq FROM {name} "
                    "WHERE client_id <> $1"
                )
            elif "account_id" in table.references:
                owners = "SELECT account_id, client_id FROM accounts"
                if "accounts" in self._staged:
                    owners = (
                        "SELECT account_id, client_id FROM stage_accounts UNION ALL SELECT "
                        "account_id, client_id FROM accounts WHERE account_id NOT IN "
                        "(SELECT account_id FROM stage_accounts)"
                    )
                parts.append(
                    f"SELECT '{table.name}' AS t, 'account_id' AS c, s.account_id AS v, "
                    f"o.client_id AS owner, s._file, s._row, s._line, s._seq FROM {name} s "
                    f"JOIN ({owners}) o ON o.account_id = s.account_id WHERE o.client_id <> $1"
                )
        if not parts:
            return [], 0
        query = " UNION ALL ".join(f"({part})" for part in parts)
        params = [client_id]
        counted = self.con.execute(f"SELECT count(*) FROM ({query}) AS q", params).fetchone()
        rows = self.con.execute(
            f"SELECT * FROM ({query}) AS q ORDER BY _seq LIMIT {int(limit)}", params
        ).fetchall()
        found = [
            OutsideClient(t, c, str(v), str(owner), Origin(file, row, line))
            for t, c, v, owner, file, row, line, _seq in rows
        ]
        return found, int(counted[0]) if counted else 0
