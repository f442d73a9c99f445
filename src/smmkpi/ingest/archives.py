"""Zip archives of exports (YouTube Studio's "Export current view"): their table files unpacked
into a temporary folder, with limits against archives that expand without end."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from smmkpi.errors import UnreadableFileError
from smmkpi.i18n import _

MEMBER_LIMIT = 2 << 30  # bytes one unpacked file may take
RATIO_LIMIT = 200  # unpacked / packed size above which a member is a zip bomb, not an export
TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xls", ".json")


@contextmanager
def unpacked(path: Path) -> Iterator[dict[str, Path]]:
    """The table files of the zip ``path`` by their name inside it (without folders), unpacked
    into a folder that is removed afterwards."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise UnreadableFileError(
            _("{file} is not a readable zip archive: {error}").format(file=path.name, error=error)
        ) from error
    with archive, tempfile.TemporaryDirectory(prefix="smmkpi-zip-") as folder:
        found: dict[str, Path] = {}
        for info in archive.infolist():
            name = PurePosixPath(info.filename).name
            if info.is_dir() or name.startswith((".", "__")) or "__MACOSX" in info.filename:
                continue
            if not name.lower().endswith(TABLE_SUFFIXES):
                continue
            too_big = info.file_size > MEMBER_LIMIT
            if too_big or info.file_size > RATIO_LIMIT * max(info.compress_size, 1) + (1 << 20):
                raise UnreadableFileError(
                    _(
                        "{file}: '{member}' would unpack to {size} bytes; that is not an export. "
                        "Unpack the archive yourself and import its table files."
                    ).format(file=path.name, member=info.filename, size=info.file_size)
                )
            target = Path(folder) / f"{len(found)}-{name}"
            with archive.open(info) as source, target.open("wb") as sink:
                while chunk := source.read(1 << 20):
                    sink.write(chunk)
            found[name] = target
        yield found
