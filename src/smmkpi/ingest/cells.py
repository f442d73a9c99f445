"""Building canonical rows from an export's rows, with problems located in the export's terms::

row = Cells(sink, "deals.xlsx [Сделки]", number=7)
row.put("amount", "1 500,50", lambda v: lenient.number(v, ","), header="Бюджет, ₽")
row.add("sales")                                             # staged, or reported
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from smmkpi.errors import InputProblem
from smmkpi.ingest.fields import Located
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sheets import RawRow
from smmkpi.ingest.values import CellError, NoDataMarker
from smmkpi.store.tables import TABLES_BY_NAME


class Cells:
    """The canonical cells of one row of an export, and whether they are all valid."""

    def __init__(self, sink: RowSink, file: str, number: int, line: int | None = None) -> None:
        self.sink = sink
        self.file = file
        self.number = number
        self.line = line
        self.cells: dict[str, Any] = {}
        self.ok = True

    def put(
        self,
        column: str,
        raw: Any,
        convert: Callable[[Any], Any] | None = None,
        *,
        header: str | None = None,
    ) -> Any:
        """Set ``column`` from the export's ``raw`` cell through ``convert``; a problem is
        reported with the export's header name, and the row is then left out."""
        try:
            value = raw if convert is None else convert(raw)
        except NoDataMarker:
            self.sink.problems.repaired(self.file, header or column, str(raw).strip())
            value = None
        except CellError as error:
            self.ok = False
            self.sink.check_gathered()
            self.sink.problems.add(
                InputProblem(
                    self.file,
                    self.number,
                    header or column,
                    None if raw is None else str(raw),
                    error.problem,
                    error.fix,
                    self.line,
                )
            )
            return None
        self.cells[column] = value
        return value

    def take(
        self,
        located: Located,
        raw: RawRow,
        names: Iterable[str],
        convert: Callable[[Any], Any] | None = None,
    ) -> None:
        """Set each of ``names`` that the export has from its column, through ``convert``."""
        for name in names:
            if located.has(name):
                self.put(name, located.value(raw, name), convert, header=located.header_of(name))

    def fail(self, header: str | None, raw: Any, problem: str, fix: str = "") -> None:
        """Report a problem the converters do not see (a value that is valid but wrong here)."""
        self.ok = False
        self.sink.check_gathered()
        self.sink.problems.add(
            InputProblem(
                self.file,
                self.number,
                header,
                None if raw is None else str(raw),
                problem,
                fix,
                self.line,
            )
        )

    def add(self, table: str) -> bool:
        """Stage the row into ``table``: checked there again as canonical cells, with other rows
        (``row_batches.py``). Returns whether the row was read without a problem so far."""
        if not self.ok:
            return False
        self.sink.add_later(
            TABLES_BY_NAME[table], self.cells, file=self.file, row=self.number, line=self.line
        )
        return True
