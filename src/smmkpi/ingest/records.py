"""Rows typed on the command line (``smmkpi client add``, ``smmkpi account add``) as an import
of their own: validated, logged and merged like any file, under the format ``cli``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from smmkpi.ingest.pipeline import SourceFile
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.source import ProgressCallback
from smmkpi.store.tables import TABLES_BY_NAME

FILE_NAME = "command line"


@dataclass(frozen=True)
class TypedRows:
    """The rows of one command, as the file the import log names."""

    rows: str  # the rows as JSON: what the hash is taken of

    @property
    def name(self) -> str:
        return FILE_NAME

    @property
    def size(self) -> int:
        return len(self.rows.encode())

    def sha256(self) -> str:
        return hashlib.sha256(self.rows.encode()).hexdigest()


class RecordsSource:
    """Rows of one table given as values; only the columns a row has are provided (a client
    updated with ``--goal`` keeps its other values)."""

    format = "cli"
    version = "1"

    def __init__(self, table: str, rows: Sequence[Mapping[str, Any]], label: str) -> None:
        self.table = TABLES_BY_NAME[table]
        self.rows = [dict(r) for r in rows]
        self.label = label
        self._file = TypedRows(json.dumps(self.rows, ensure_ascii=False, sort_keys=True))

    @property
    def files(self) -> Sequence[SourceFile]:
        return [self._file]

    def read(self, file: SourceFile, sink: RowSink, on_progress: ProgressCallback | None) -> None:
        for number, row in enumerate(self.rows, start=1):
            sink.add(self.table, row, file=FILE_NAME, row=number)
