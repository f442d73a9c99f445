"""Importing paths into a workspace store: what the CLI and the web app call.

Each path becomes one import or more (a folder that no importer claims as a whole is one import
per file); each import is atomic on its own, so one failing file does not stop the others and
leaves nothing of itself behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from tempfile import TemporaryDirectory

from smmkpi.crashlog import write_crash_log
from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.ingest.context import ImportContext
from smmkpi.ingest.pipeline import IMPORT_MEMORY_LIMIT, ImportOutcome, ImportSource, run_import
from smmkpi.ingest.registry import Importer, detect, importer_named
from smmkpi.store.connection import disk_full
from smmkpi.store.database import Store
from smmkpi.store.directory import load_directory, published_times


@dataclass
class ImportReport:
    """One import: what was read as what, and what came of it. ``path`` is the file or folder
    read; ``members`` the paths it was given as (the files of a batch given together, else
    ``path``); ``label`` names them for people."""

    path: Path
    importer: Importer | None
    outcome: ImportOutcome | None = None
    error: UserError | None = None
    members: tuple[Path, ...] = ()

    def __post_init__(self) -> None:
        self.members = self.members or (self.path,)

    @property
    def label(self) -> str:
        return ", ".join(str(p) for p in self.members)

    @property
    def ok(self) -> bool:
        return self.error is None


Progress = Callable[[str, int], Callable[[int], None]]
"""Given what is read (a file's or a folder's name, the files of a batch) and its size in bytes,
a callback to advance a progress bar."""


def plan(
    paths: list[Path],
    file_format: str | None,
    encoding: str | None,
    batches: ExitStack | None = None,
) -> Iterator[ImportReport]:
    """The imports ``paths`` make, with the importer of each (or the error that stops one).

    Files named together are grouped as a folder of them is: the files one importer reads as
    one export (``wall.get`` with its ``stats.getPostReach``, a CRM's pages, canonical tables)
    become one import of a batch folder, which lives as long as ``batches``.
    """
    found: list[ImportReport] = []
    for path in paths:
        try:
            if file_format:
                if not path.exists():
                    raise UserError(_("{path} does not exist.").format(path=path))
                found.append(ImportReport(path, importer_named(file_format)))
            else:
                found += [ImportReport(f, i) for f, i in detect(path, encoding)]
        except UserError as error:
            found.append(ImportReport(path, None, error=error))
    if batches is None:
        yield from found
        return
    grouped: dict[str, list[ImportReport]] = {}
    for report in found:
        if report.importer and report.importer.batches and report.path.is_file():
            grouped.setdefault(report.importer.name, []).append(report)
    done: set[str] = set()
    for report in found:
        group = grouped.get(report.importer.name, []) if report.importer else []
        names = {r.path.name for r in group}
        if len(group) < 2 or len(names) < len(group) or report not in group:
            yield report
        elif report.importer and report.importer.name not in done:
            done.add(report.importer.name)
            folder = Path(batches.enter_context(TemporaryDirectory(prefix="smmkpi-batch-")))
            for member in group:
                (folder / member.path.name).symlink_to(member.path.resolve())
            yield ImportReport(folder, report.importer, members=tuple(r.path for r in group))


def import_paths(
    store: Store,
    paths: list[Path],
    context: ImportContext,
    *,
    file_format: str | None = None,
    max_errors: int = 20,
    memory_limit: str = IMPORT_MEMORY_LIMIT,
    progress: Progress | None = None,
    crash_folder: Path | None = None,
) -> Iterator[ImportReport]:
    """Import every path; yields a report per import as it finishes. An import that fails for
    another reason than its data (a full disk, a bug) is reported like a refused one — the
    traceback of a bug goes to ``crash_folder`` — and the others go on."""
    with ExitStack() as batches:
        yield from _imported(
            store,
            plan(paths, file_format, context.encoding, batches),
            context,
            max_errors=max_errors,
            memory_limit=memory_limit,
            progress=progress,
            crash_folder=crash_folder,
        )


def _imported(
    store: Store,
    reports: Iterator[ImportReport],
    context: ImportContext,
    *,
    max_errors: int,
    memory_limit: str,
    progress: Progress | None,
    crash_folder: Path | None,
) -> Iterator[ImportReport]:
    for report in reports:
        if report.importer is None:
            yield report
            continue
        try:
            directory = load_directory(store.con)  # earlier imports may have added accounts
            scoped = replace(
                context,
                directory=directory,
                stored_posts=partial(published_times, store.con),
            )
            source: ImportSource = report.importer.open(report.path, scoped)
            source.label = report.label
            total = sum(f.size for f in source.files)
            name = report.path.name if len(report.members) == 1 else report.label
            callback = progress(name, total) if progress else None
            report.outcome = run_import(
                store,
                source,
                source_zone=context.source_zone,
                client_scope=_given_scope(scoped),
                allow_empty=context.allow_empty,
                max_errors=max_errors,
                on_progress=callback,
                memory_limit=memory_limit,
            )
        except UserError as error:
            report.error = error
        except Exception as error:  # this import failed as a whole; the others go on
            report.error = _unexpected(report, error, crash_folder)
        yield report


class ImportCrashedError(UserError):
    """An import stopped by something other than its data (a full disk, a bug); nothing of it
    was written."""


def _unexpected(
    report: ImportReport, error: Exception, crash_folder: Path | None
) -> ImportCrashedError:
    if disk_full(error):
        return ImportCrashedError(
            _(
                "The disk is full ({error}): nothing of {path} was imported. Free some space and "
                "import it again."
            ).format(error=str(error).splitlines()[0], path=report.label)
        )
    log = write_crash_log(crash_folder, error) if crash_folder else None
    where = _(" The details are in {log}.").format(log=log) if log else ""
    return ImportCrashedError(
        _(
            "Internal error ({kind}: {error}) while importing {path}; nothing of it was written. "
            "This is a bug in smmkpi: please report it.{where}"
        ).format(kind=type(error).__name__, error=error, path=report.label, where=where)
    )


def _given_scope(context: ImportContext) -> str | None:
    """The client an import was explicitly made for (``--client``, ``--account``, a client's
    page); a workspace's only client is not a bound for files that list their own clients."""
    if context.client_id or context.account_id:
        return context.scope()
    return None
