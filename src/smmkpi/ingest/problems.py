"""Collecting what is wrong with an import, so that one run lists many problems at once."""

from __future__ import annotations

from collections import Counter

from smmkpi.errors import InputProblem, RepeatedProblem

REPEATED = 3  # a problem on this many rows is said once, with its count
ROWS_NAMED = 5  # rows and values a repeated problem names


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
        self._kinds: dict[tuple[str, str | None, str, str], list[InputProblem]] = {}
        self._kind_counts: Counter[tuple[str, str | None, str, str]] = Counter()

    def add(self, problem: InputProblem) -> None:
        self.total += 1
        self._rows.add((problem.file, problem.row))
        kind = (problem.file, problem.column, problem.problem, problem.fix)
        self._kind_counts[kind] += 1
        examples = self._kinds.setdefault(kind, [])
        if len(examples) < ROWS_NAMED:
            examples.append(problem)
        if len(self.shown) < self.limit:
            self.shown.append(problem)

    @property
    def repeated(self) -> list[RepeatedProblem]:
        """The problems found on ``REPEATED`` rows or more, each said once with its count
        ("Date: 62 rows (2, 3, 4, 5, 6, …): not a date …") — among the kinds first shown."""
        found = []
        for kind, count in self._kind_counts.items():
            if count >= REPEATED:
                examples = self._kinds[kind]
                found.append(
                    RepeatedProblem(
                        kind,
                        count,
                        tuple(p.row for p in examples if p.row is not None),
                        tuple(p.value for p in examples if p.value is not None),
                    )
                )
        return found

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
