"""The base of the platform importers: one path (a file, or a folder of one export), read into
a :class:`RowSink` through the shared write path."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from smmkpi.ingest.context import ImportContext
from smmkpi.ingest.pipeline import PathFile, SourceFile
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sheets import RawRow, Sheet, sheets

ProgressCallback = Callable[[int], None]
PROGRESS_EVERY = 5_000  # rows between two updates of the progress bar


class PlatformSource(ABC):
    """An import of one path by a platform importer.

    Subclasses set ``format`` and implement :meth:`read_all`; a folder import lists its files in
    :meth:`paths`. Everything a file holds is read in one go, so that rows can be combined across
    the files of one export (posts from ``wall.get`` with their reach from ``getPostReach``).
    """

    format = "platform"
    version = "1"

    def __init__(self, path: Path, context: ImportContext) -> None:
        self.path = path
        self.context = context
        self.label = str(path)
        self._read = False
        self._notes: list[str] = []
        self._on_progress: ProgressCallback | None = None
        self._ticked = 0

    def paths(self) -> list[Path]:
        """The files of the import: the path, or the visible files of a folder."""
        if self.path.is_dir():
            return sorted(
                p for p in self.path.iterdir() if p.is_file() and not p.name.startswith(".")
            )
        return [self.path]

    @property
    def files(self) -> Sequence[SourceFile]:
        return [PathFile(p) for p in self.paths()]

    def read(self, file: SourceFile, sink: RowSink, on_progress: ProgressCallback | None) -> None:
        if self._read:
            return
        self._read = True
        self._on_progress = on_progress
        self._ticked = 0
        self.read_all(sink)
        if on_progress is not None:  # JSON and workbooks are read whole: the rest at once
            total = sum(p.stat().st_size for p in self.paths())
            on_progress(max(0, total - self._ticked))
        for note in dict.fromkeys(self._notes):
            sink.problems.note(note)

    def tables(self, path: Path) -> list[Sheet]:
        """The tables of a file of the import (``sheets``), keeping what reading them noticed
        (an HTML page saved as .xls, a hidden sheet) for the import's warnings; a CSV's rows
        advance the progress bar as they are read."""
        found = sheets(path, self.context.encoding)
        for sheet in found:
            self._notes.extend(sheet.notes)
            sheet.rows = self._ticking(sheet, sheet.rows)
        return found

    def _ticking(self, sheet: Sheet, rows: Iterator[RawRow]) -> Iterator[RawRow]:
        last = 0
        for number, row in enumerate(rows):
            if number % PROGRESS_EVERY == 0 and self._on_progress and sheet.bytes_read > last:
                self._on_progress(sheet.bytes_read - last)
                self._ticked += sheet.bytes_read - last
                last = sheet.bytes_read
            yield row

    @abstractmethod
    def read_all(self, sink: RowSink) -> None:
        """Read every file of the path into ``sink``."""
