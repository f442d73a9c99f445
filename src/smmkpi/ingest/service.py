"""Importing paths into a workspace store: what the CLI and the web app call.

Each path becomes one import or more (a folder that no importer claims as a whole is one import
per file); each import is atomic on its own, so one failing file does not stop the others and
leaves nothing of itself behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.ingest.context import ImportContext
from smmkpi.ingest.pipeline import IMPORT_MEMORY_LIMIT, ImportOutcome, ImportSource, run_import
from smmkpi.ingest.registry import Importer, detect, importer_named
from smmkpi.store.database import Store
from smmkpi.store.directory import load_directory


@dataclass
class ImportReport:
    """One import: what was read as what, and what came of it."""

    path: Path
    importer: Importer | None
    outcome: ImportOutcome | None = None
    error: UserError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


Progress = Callable[[Path, int], Callable[[int], None]]
"""Given a path and its size in bytes, a callback to advance a progress bar."""


def plan(
    paths: list[Path], file_format: str | None, encoding: str | None
) -> Iterator[ImportReport]:
    """The imports ``paths`` make, with the importer of each (or the error that stops one)."""
    for path in paths:
        try:
            if file_format:
                if not path.exists():
                    raise UserError(_("{path} does not exist.").format(path=path))
                yield ImportReport(path, importer_named(file_format))
            else:
                for found, importer in detect(path, encoding):
                    yield ImportReport(found, importer)
        except UserError as error:
            yield ImportReport(path, None, error=error)


def import_paths(
    store: Store,
    paths: list[Path],
    context: ImportContext,
    *,
    file_format: str | None = None,
    max_errors: int = 20,
    memory_limit: str = IMPORT_MEMORY_LIMIT,
    progress: Progress | None = None,
) -> Iterator[ImportReport]:
    """Import every path; yields a report per import as it finishes."""
    for report in plan(paths, file_format, context.encoding):
        if report.importer is None:
            yield report
            continue
        try:
            directory = load_directory(store.con)  # earlier imports may have added accounts
            source: ImportSource = report.importer.open(
                report.path, replace(context, directory=directory)
            )
            total = sum(f.size for f in source.files)
            callback = progress(report.path, total) if progress else None
            report.outcome = run_import(
                store,
                source,
                source_zone=context.source_zone,
                max_errors=max_errors,
                on_progress=callback,
                memory_limit=memory_limit,
            )
        except UserError as error:
            report.error = error
        yield report
