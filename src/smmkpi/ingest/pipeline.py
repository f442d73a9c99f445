"""The one write path of every import: read, check everything, then merge in one transaction.

1. The reader hands rows to a :class:`RowSink`, which checks each cell and stages valid rows.
2. Checks over the whole import: keys repeated with different values, clients and accounts that
   exist neither in the import nor the workspace, accounts moved to another client.
3. Any problem: the transaction is rolled back (nothing written), a ``failed`` row goes to the
   import log, and :class:`ImportRejectedError` lists the problems.
4. Otherwise each table is merged by its key (``store/writer.py``) and an ``ok`` row is logged,
   all in the same transaction. An identical re-import merges nothing and says so.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Protocol

from smmkpi.errors import ImportRejectedError, InputProblem, UserError
from smmkpi.i18n import _, ngettext
from smmkpi.ingest.files import sha256_of
from smmkpi.ingest.problems import Problems
from smmkpi.ingest.rows import RowSink
from smmkpi.store.connection import disk_full
from smmkpi.store.database import Store
from smmkpi.store.import_log import FileRecord, ImportRecord, next_import_id, write_record
from smmkpi.store.staging import DuplicateKey, Staging
from smmkpi.store.tables import Table
from smmkpi.store.writer import MergeCounts, merge

Clock = Callable[[], datetime]


class EmptyImportError(UserError):
    """An import that read no row at all."""


ProgressCallback = Callable[[int], None]


class SourceFile(Protocol):
    """A file an import reads."""

    @property
    def name(self) -> str: ...

    @property
    def size(self) -> int: ...

    def sha256(self) -> str: ...


@dataclass(frozen=True)
class PathFile:
    """A file on disk, for readers that need nothing more about it."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    def sha256(self) -> str:
        return sha256_of(self.path)


class ImportSource(Protocol):
    """What a reader offers the pipeline: its files, and a way to read them into a sink."""

    format: str
    version: str
    label: str

    @property
    def files(self) -> Sequence[SourceFile]: ...

    def read(
        self, file: SourceFile, sink: RowSink, on_progress: ProgressCallback | None
    ) -> None: ...


@dataclass
class ImportOutcome:
    """What an import did."""

    record: ImportRecord
    tables: dict[str, MergeCounts] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(counts.changed for counts in self.tables.values())

    @property
    def totals(self) -> MergeCounts:
        total = MergeCounts()
        for counts in self.tables.values():
            total += counts
        return total


IMPORT_MEMORY_LIMIT = "128MB"
"""What DuckDB may hold during an import; it spills the staged rows to disk beyond, so that an
export of millions of rows imports in under 0.5 GB (docs/benchmarks.md)."""


def run_import(
    store: Store,
    source: ImportSource,
    *,
    source_zone: tzinfo | None = None,
    client_scope: str | None = None,
    allow_empty: bool = False,
    max_errors: int = 20,
    on_progress: ProgressCallback | None = None,
    clock: Clock = lambda: datetime.now(UTC),
    memory_limit: str = IMPORT_MEMORY_LIMIT,
) -> ImportOutcome:
    """Import ``source`` into ``store`` atomically; see the module docstring.

    ``client_scope``: the client the import was made for (``--client``, a client's upload
    page); a row of another client, or of another client's account, rejects the import.
    ``allow_empty``: an import that reads no row at all is not an error (``--allow-empty``).
    """
    files = list(source.files)
    hashes = {f.name: f.sha256() for f in files}
    record = ImportRecord(
        import_id=0,
        source=source.label,
        format=source.format,
        importer_version=source.version,
        file_name=files[0].name if len(files) == 1 else Path(source.label).name,
        sha256=_combined_hash(hashes),
        started_at=clock(),
    )
    problems = Problems(max_errors)
    con = store.con
    try:
        with store.memory_limited(memory_limit), store.transaction():
            store.lock_imports()  # PostgreSQL: a second import waits here for the first
            record.import_id = next_import_id(con)
            staging = Staging(con)
            sink = RowSink(staging, problems, source_zone)
            for file in files:
                source.read(file, sink, on_progress)
            sink.flush()
            if not allow_empty and not problems and not any(sink.rows_read.values()):
                raise EmptyImportError(
                    _(
                        "{source} holds no rows of data (a header only, or nothing this importer "
                        "reads): nothing was imported. Export the period again, or pass "
                        "--allow-empty if it is empty on purpose."
                    ).format(source=source.label)
                )
            ignored = {} if problems else _check_whole_import(staging, problems, client_scope)
            if problems:
                raise ImportRejectedError(
                    source.label, problems.shown, problems.total, problems.repeated
                )
            outcome = ImportOutcome(record)
            for table in staging.tables():
                counts = merge(con, table, record.import_id)
                counts.ignored += ignored.get(table.name, 0)
                outcome.tables[table.name] = counts
            staging.drop()
            _fill_record(record, outcome, files, hashes, sink, problems, clock)
            write_record(con, record)
        return outcome
    except ImportRejectedError as error:
        _log_failure(store, record, files, hashes, problems, str(error), clock)
        raise
    except Exception as error:
        _log_failure(
            store, record, files, hashes, problems, f"{type(error).__name__}: {error}", clock
        )
        raise


def _check_whole_import(
    staging: Staging, problems: Problems, client_scope: str | None = None
) -> dict[str, int]:
    """Checks that need every staged row: repeated keys, references, the client's bounds.

    Returns, per table, how many older snapshots repeated inside the import were dropped.
    """
    limit = problems.limit
    ignored: dict[str, int] = {}
    for table in staging.tables():
        if not staging.repeated_keys(table):
            continue
        if table.write_mode == "snapshot":
            dropped = staging.drop_older_snapshots(table)
            if dropped:
                ignored[table.name] = dropped
                problems.note(
                    ngettext(
                        "{table}: {n} older snapshot of a post repeated in the import was ignored "
                        "(the latest captured_at wins).",
                        "{table}: {n} older snapshots of posts repeated in the import were ignored "
                        "(the latest captured_at wins).",
                        dropped,
                    ).format(table=table.name, n=dropped)
                )
        conflicts, total = staging.conflicting_keys(table, limit)
        for conflict in conflicts:
            problems.add(_duplicate_problem(table, conflict))
        problems.total += total - len(conflicts)
        if not total:
            combined = staging.combine_repeated_rows(table)
            if combined:
                problems.note(
                    ngettext(
                        "{table}: {n} row repeated the key of another row with the same values and "
                        "was combined with it.",
                        "{table}: {n} rows repeated the key of another row with the same values "
                        "and were combined with it.",
                        combined,
                    ).format(table=table.name, n=combined)
                )
    for table in staging.tables():
        missing, total = staging.missing_references(table, limit)
        for ref in missing:
            what = _("client") if ref.target == "clients" else _("account")
            source_file = "clients.csv" if ref.target == "clients" else "accounts.csv"
            problems.add(
                InputProblem(
                    ref.origin.file,
                    ref.origin.row,
                    ref.column,
                    ref.value,
                    _("no such {what} in this import or in the workspace.").format(what=what),
                    _("Add it to {file} (or import that first), or correct the id.").format(
                        file=source_file
                    ),
                    ref.origin.line,
                )
            )
        problems.total += total - len(missing)
    conflicts_found, total = staging.owner_conflicts(limit)
    for owner in conflicts_found:
        problems.add(
            InputProblem(
                owner.origin.file,
                owner.origin.row,
                "client_id",
                owner.client_id,
                _(
                    "account '{account}' belongs to client '{stored}' in the workspace, and an "
                    "account belongs to one client."
                ).format(account=owner.account_id, stored=owner.stored_client_id),
                _("Give this account another account_id, or correct the client_id."),
                owner.origin.line,
            )
        )
    problems.total += total - len(conflicts_found)
    if client_scope is not None:
        outside, total = staging.outside_client(client_scope, limit)
        for row in outside:
            problems.add(
                InputProblem(
                    row.origin.file,
                    row.origin.row,
                    row.column,
                    row.value,
                    _(
                        "this row belongs to client '{owner}', and this import is for client "
                        "'{client}'."
                    ).format(owner=row.owner, client=client_scope),
                    _("Import it for '{owner}', or remove the row.").format(owner=row.owner),
                    row.origin.line,
                )
            )
        problems.total += total - len(outside)
    return ignored


def _duplicate_problem(table: Table, conflict: DuplicateKey) -> InputProblem:
    first = conflict.origins[0]
    rows = ", ".join(str(o.row) for o in conflict.origins[:10])
    key = ", ".join(f"{k}={'' if v is None else v}" for k, v in conflict.key.items())
    if table.write_mode == "snapshot":
        fix = _("Keep one row per key and captured_at.")
    else:
        fix = _("Keep one row per key.")
    return InputProblem(
        first.file,
        first.row,
        None,
        None,
        _("rows {rows} have the same key ({key}) but different values.").format(rows=rows, key=key),
        fix,
        first.line,
    )


def _fill_record(
    record: ImportRecord,
    outcome: ImportOutcome,
    files: Sequence[SourceFile],
    hashes: dict[str, str],
    sink: RowSink,
    problems: Problems,
    clock: Clock,
) -> None:
    totals = outcome.totals
    record.rows_inserted = totals.inserted
    record.rows_replaced = totals.replaced
    record.rows_unchanged = totals.unchanged
    record.rows_ignored = totals.ignored
    record.status = "ok"
    record.finished_at = clock()
    record.warnings = _warnings(problems)
    record.files = []
    writers: dict[str, set[str]] = {}
    for reader_file, table_name in sink.rows_read:
        writers.setdefault(table_name, set()).add(reader_file.split(" [")[0])
    for file in files:
        filled = {t: n for (f, t), n in sink.rows_read.items() if f.split(" [")[0] == file.name}
        file_record = FileRecord(
            file.name, ",".join(sorted(filled)), hashes[file.name], sum(filled.values())
        )
        if len(filled) == 1 and writers[next(iter(filled))] == {file.name}:
            counts = outcome.tables.get(next(iter(filled)))
            if counts:
                file_record.rows_inserted = counts.inserted
                file_record.rows_replaced = counts.replaced
                file_record.rows_unchanged = counts.unchanged
                file_record.rows_ignored = counts.ignored
        record.files.append(file_record)


def _warnings(problems: Problems) -> list[str]:
    warnings = list(problems.notes)
    for (file, column, what), n in sorted(problems.repairs.items()):
        warnings.append(
            ngettext(
                "{file}, column '{column}': {n} cell held '{what}' and was read as unknown (no "
                "data), not as zero.",
                "{file}, column '{column}': {n} cells held '{what}' and were read as unknown (no "
                "data), not as zero.",
                n,
            ).format(file=file, column=column, n=n, what=what)
        )
    return warnings


def _log_failure(
    store: Store,
    record: ImportRecord,
    files: Sequence[SourceFile],
    hashes: dict[str, str],
    problems: Problems,
    error: str,
    clock: Clock,
) -> None:
    record.status = "failed"
    record.error = error
    record.finished_at = clock()
    record.rows_inserted = record.rows_replaced = record.rows_unchanged = record.rows_ignored = 0
    record.rows_rejected = problems.rows_rejected
    record.files = [FileRecord(f.name, "", hashes[f.name], 0) for f in files]
    try:
        with store.transaction():
            store.lock_imports()
            record.import_id = next_import_id(store.con)
            write_record(store.con, record)
    except Exception as failure:  # logging the failure must not hide the failure itself
        if not disk_full(failure):  # a full disk is said once, by the caller
            logging.getLogger(__name__).warning(
                "could not log the failed import of %s: %s", record.source, failure
            )


def _combined_hash(hashes: dict[str, str]) -> str:
    if len(hashes) == 1:
        return next(iter(hashes.values()))
    digest = hashlib.sha256()
    for name in sorted(hashes):
        digest.update(f"{name}:{hashes[name]}\n".encode())
    return digest.hexdigest()
