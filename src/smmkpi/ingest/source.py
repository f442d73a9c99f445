"""The base of the platform importers: one path (a file, or a folder of one export), read into
a :class:`RowSink` through the shared write path."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path

from smmkpi.ingest.context import ImportContext
from smmkpi.ingest.pipeline import PathFile, SourceFile
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sheets import Sheet, sheets

ProgressCallback = Callable[[int], None]


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
        if not self._read:
            self._read = True
            self.read_all(sink, on_progress)
            for note in dict.fromkeys(self._notes):
                sink.problems.note(note)

    def tables(self, path: Path) -> list[Sheet]:
        """The tables of a file of the import (``sheets``), keeping what reading them noticed
        (an HTML page saved as .xls, a hidden sheet) for the import's warnings."""
        found = sheets(path, self.context.encoding)
        for sheet in found:
            self._notes.extend(sheet.notes)
        return found

    @abstractmethod
    def read_all(self, sink: RowSink, on_progress: ProgressCallback | None) -> None:
        """Read every file of the path into ``sink``."""

    @staticmethod
    def progress_of(sheet: Sheet, on_progress: ProgressCallback | None) -> Callable[[], None]:
        """A function to call now and then while reading ``sheet``: advances the bar by the
        bytes read since the last call."""
        last = [0]

        def tick() -> None:
            if on_progress is not None and sheet.bytes_read > last[0]:
                on_progress(sheet.bytes_read - last[0])
                last[0] = sheet.bytes_read

        return tick
