"""Collecting what is wrong with an import, so that one run lists many problems at once."""

from __future__ import annotations

from collections import Counter

from smmkpi.errors import InputProblem


class Problems:
    """The problems and repairs of one import.

    Keeps the first ``limit`` problems for the message, counts all of them and the distinct rows
    they are on, and counts repairs (such as a "no data" marker read as unknown) as
    warnings for the import log.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.shown: list[InputProblem] = []
        self.total = 0
        self._rows: set[tuple[str, int | None]] = set()
        self.repairs: Counter[tuple[str, str, str]] = Counter()
        self.notes: list[str] = []

    def add(self, problem: InputProblem) -> None:
        self.total += 1
        self._rows.add((problem.file, problem.row))
        if len(self.shown) < self.limit:
            self.shown.append(problem)

    def repaired(self, file: str, column: str, what: str) -> None:
        """Count one repair of ``what`` in ``column`` of ``file``."""
        self.repairs[(file, column, what)] += 1

    def note(self, text: str) -> None:
        """A warning that is not a repair of a cell (collapsed duplicates, older snapshots)."""
        self.notes.append(text)

    @property
    def rows_rejected(self) -> int:
        return len({row for row in self._rows if row[1] is not None})

    def __bool__(self) -> bool:
        return self.total > 0

    @property
    def full(self) -> bool:
        return len(self.shown) >= self.limit
