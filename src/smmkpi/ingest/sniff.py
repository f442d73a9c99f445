"""A first look at a path — its container, its JSON keys, its header rows — for importers to
recognise their files by content rather than by name."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

from smmkpi.errors import UnreadableFileError, UserError
from smmkpi.ingest import encodings
from smmkpi.ingest.fields import normalise
from smmkpi.ingest.sheets import HEADER_SCAN, kind_of, read_text, sheets, text_of

JSON_LIMIT = 200 << 20


class Sniffed:
    """What a path looks like: ``kind`` is ``folder``, ``json``, ``text`` (CSV), ``xlsx``,
    ``xls``, ``html`` or ``zip``."""

    def __init__(self, path: Path, encoding: str | None = None) -> None:
        self.path = path
        self.encoding = encoding
        self.kind = "folder" if path.is_dir() else kind_of(path)
        self.problem: UserError | None = None
        """Why the file could not be looked at (an encoding), to say when nothing claims it."""

    @cached_property
    def json(self) -> Any:
        """The parsed JSON (None when the path is not JSON or cannot be parsed)."""
        if self.kind != "json" or self.path.stat().st_size > JSON_LIMIT:
            return None
        try:
            return json.loads(read_text(self.path, self.encoding))
        except (UnreadableFileError, ValueError):
            return None

    @cached_property
    def rows(self) -> list[list[str]]:
        """The first rows of every sheet of a table file, as normalised text."""
        if self.kind not in ("text", "xlsx", "xls", "html"):
            return []
        if self.kind == "text":
            try:
                encodings.detect(self.path, self.encoding)
            except UnreadableFileError as problem:
                self.problem = problem
                return []
        try:
            found = []
            for sheet in sheets(self.path, self.encoding):
                for index, row in enumerate(sheet.rows):
                    if index >= HEADER_SCAN:
                        break
                    found.append([normalise(c) for c in text_of(row.cells)])
            return found
        except (UnreadableFileError, UnicodeDecodeError, OSError):
            return []

    def has_row_with(self, *names: str) -> bool:
        """Whether one of the first rows holds all of ``names`` as cells (normalised)."""
        wanted = {normalise(n) for n in names}
        return any(wanted <= set(row) for row in self.rows)

    def has_row_starting(self, *prefixes: str) -> bool:
        """Whether one row holds, for every prefix, a cell that starts with it."""
        wanted = [normalise(p) for p in prefixes]
        return any(all(any(c.startswith(p) for c in row) for p in wanted) for row in self.rows)

    def json_claims(self, recognise: Callable[[Any], bool]) -> bool:
        """Whether this is a JSON file ``recognise`` accepts, or a folder of nothing but such
        files (an API's pages, a channel's responses)."""
        if self.kind == "json":
            return recognise(self.json)
        if self.kind == "folder":
            return bool(self.children) and all(
                c.kind == "json" and recognise(c.json) for c in self.children
            )
        return False

    @cached_property
    def members(self) -> list[str]:
        """The file names inside a zip archive."""
        if self.kind != "zip":
            return []
        with zipfile.ZipFile(self.path) as archive:
            return archive.namelist()

    @cached_property
    def children(self) -> list[Sniffed]:
        """The visible files of a folder, sniffed."""
        if self.kind != "folder":
            return []
        return [
            Sniffed(p, self.encoding)
            for p in sorted(self.path.iterdir())
            if p.is_file() and not p.name.startswith(".")
        ]


def unwrap(data: Any, key: str = "response") -> Any:
    """``data[key]`` when ``data`` is an API envelope with that key, else ``data``."""
    if isinstance(data, dict) and key in data:
        return data[key]
    return data
