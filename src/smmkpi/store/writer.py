"""The merge of staged rows into the canonical tables: the only place data rows are written.

``replace`` tables: a staged row whose key is new is inserted; one whose key exists replaces the
stored row when any value differs, and is counted unchanged otherwise. ``snapshot`` tables
(posts): the row with the later ``captured_at`` wins; an earlier or equal snapshot is ignored
(counted unchanged when it is identical). Runs inside the import's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

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


def _differs(table: Table, left: str, right: str) -> str:
    return (
        "("
        + " OR ".join(f'{left}."{c}" IS DISTINCT FROM {right}."{c}"' for c in table.value_columns)
        + ")"
    )


def merge(con: duckdb.DuckDBPyConnection, table: Table, import_id: int) -> MergeCounts:
    """Merge ``table``'s staging table into the stored table; rows written carry ``import_id``."""
    stage = stage_name(table)
    match = key_match(table, "t", "s")
    differs = _differs(table, "s", "t")
    if table.write_mode == "snapshot":
        newer = "s.captured_at > t.captured_at"
        counts_sql = f"""
            SELECT count(*) FILTER (WHERE t._hit IS NULL),
                   count(*) FILTER (WHERE t._hit AND {newer}),
                   count(*) FILTER (WHERE t._hit AND NOT ({newer}) AND NOT {differs}),
                   count(*) FILTER (WHERE t._hit AND NOT ({newer}) AND {differs})
            FROM {stage} s LEFT JOIN (SELECT *, true AS _hit FROM {table.name}) t ON {match}"""
        replace_condition = newer
    else:
        counts_sql = f"""
            SELECT count(*) FILTER (WHERE t._hit IS NULL),
                   count(*) FILTER (WHERE t._hit AND {differs}),
                   count(*) FILTER (WHERE t._hit AND NOT {differs}),
                   0
            FROM {stage} s LEFT JOIN (SELECT *, true AS _hit FROM {table.name}) t ON {match}"""
        replace_condition = differs
    row = con.execute(counts_sql).fetchone()
    assert row is not None
    counts = MergeCounts(*(int(v) for v in row))
    if counts.replaced:
        con.execute(
            f"DELETE FROM {table.name} t USING {stage} s WHERE {match} AND {replace_condition}"
        )
    if counts.inserted or counts.replaced:
        columns = ", ".join(f'"{c.name}"' for c in table.stored_columns)
        con.execute(
            f"""INSERT INTO {table.name} ({columns}, import_id)
                SELECT {", ".join(f's."{c.name}"' for c in table.stored_columns)}, ?
                FROM {stage} s
                WHERE NOT EXISTS (SELECT 1 FROM {table.name} t WHERE {match})""",
            [import_id],
        )
    return counts
