"""What a cell parser raises: a value that cannot be stored, or a marker of "no data"."""

from __future__ import annotations


class CellError(ValueError):
    """A cell value that cannot be stored: what is wrong, and how to fix it."""

    def __init__(self, problem: str, fix: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


class NoDataMarker(Exception):  # noqa: N818 - a signal, not an error
    """The cell holds a "no data" marker; the caller stores NULL and counts a warning."""
