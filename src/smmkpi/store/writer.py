"""The merge of staged rows into the canonical tables: the only place data rows are written.

``replace`` tables: a staged row whose key is new is inserted; one whose key exists replaces the
stored row when any value differs, and is counted unchanged otherwise. ``snapshot`` tables
(posts): the row with the later ``captured_at`` wins; an earlier or equal snapshot is ignored
(counted unchanged when it is identical). A later snapshot of the same values only moves the
stored ``captured_at`` on (the post is known to have ripened) and counts as unchanged, so a
second sync on the same day says it changed nothing. Runs inside the import's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from smmkpi.store.connection import Connection
from smmkpi.store.staging import key_match, stage_name
from smmkpi.store.tables import Table


@dataclass
class MergeCounts:
    """What a merge did to one table."""

    inserted: int = 0
    replaced: int = 0
    unchanged: int = 0
    ignored: int = 0

    def __iadd__(self, other: MergeCounts) -> MergeCounts:
        self.inserted += other.inserted
        self.replaced += other.replaced
        self.unchanged += other.unchanged
        self.ignored += other.ignored
        return self

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.replaced)

    @property
    def total(self) -> int:
        return self.inserted + self.replaced + self.unchanged + self.ignored


def provided_bit(table: Table, column: str) -> int:
    """The bit of ``column`` in a staged row's ``_provided`` mask."""
    return 1 << table.stored_columns.index(table.column(column))


def merge(con: Connection, table: Table, import_id: int) -> MergeCounts:
    """Merge ``table``'s staging table into the stored table; rows written carry ``import_id``.

    A staged row carries the columns its source provided (``_provided``); a column it did not
    provide keeps the stored value, so a file of follows and a file of views fill the same daily
    rows without erasing each other. A provided empty cell does replace: it says "unknown".
    """
    stage = stage_name(table)
    match = key_match(table, "t", "s")
    flags = f"{stage}_flags"
    changed = []
    updates = []
    for column in table.value_columns:
        bit = provided_bit(table, column)
        if column != "captured_at":  # a later read of the same values is no change
            changed.append(
                f'(s._provided & {bit}) <> 0 AND s."{column}" IS DISTINCT FROM t."{column}"'
            )
        updates.append(
            f'"{column}" = CASE WHEN (s._provided & {bit}) = 0 THEN t."{column}" '
            f'ELSE s."{column}" END'
        )
    newer = "s.captured_at > t.captured_at" if table.write_mode == "snapshot" else "false"
    # One small row of flags per staged row: the rows themselves are not copied again, so a
    # million-row import holds its rows twice at most (staged, and stored).
    con.execute(f"DROP TABLE IF EXISTS {flags}")
    con.execute(
        f"""CREATE TEMP TABLE {flags} AS
            SELECT s._seq,
                   t._hit IS NOT NULL AS _hit,
                   coalesce({" OR ".join(f"({c})" for c in changed)}, false) AS _changed,
                   coalesce({newer}, false) AS _newer
            FROM {stage} s LEFT JOIN (SELECT *, true AS _hit FROM {table.name}) t ON {match}"""
    )
    if table.write_mode == "snapshot":
        replace = "f._hit AND f._newer"
        counts_sql = f"""
            SELECT count(*) FILTER (WHERE NOT _hit),
                   count(*) FILTER (WHERE _hit AND _newer AND _changed),
                   count(*) FILTER (WHERE _hit AND NOT _changed),
                   count(*) FILTER (WHERE _hit AND NOT _newer AND _changed)
            FROM {flags}"""
    else:
        replace = "f._hit AND f._changed"
        counts_sql = f"""
            SELECT count(*) FILTER (WHERE NOT _hit), count(*) FILTER (WHERE _hit AND _changed),
                   count(*) FILTER (WHERE _hit AND NOT _changed), 0
            FROM {flags}"""
    row = con.execute(counts_sql).fetchone()
    assert row is not None
    counts = MergeCounts(*(int(v) for v in row))
    if counts.replaced or (table.write_mode == "snapshot" and counts.unchanged):
        con.execute(
            f"""UPDATE {table.name} AS t SET {", ".join(updates)}, import_id = $1
                FROM {stage} AS s JOIN {flags} AS f ON f._seq = s._seq
                WHERE {match} AND {replace}""",
            [import_id],
        )
    if counts.inserted:
        columns = ", ".join(f'"{c.name}"' for c in table.stored_columns)
        selected = ", ".join(f's."{c.name}"' for c in table.stored_columns)
        con.execute(
            f"""INSERT INTO {table.name} ({columns}, import_id)
                SELECT {selected}, $1 FROM {stage} s JOIN {flags} f ON f._seq = s._seq
                WHERE NOT f._hit""",
            [import_id],
        )
    con.execute(f"DROP TABLE {flags}")
    return counts
