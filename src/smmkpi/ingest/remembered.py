"""Reading each distinct cell of an export once.

An export's columns repeat their values: a million rows of a Metrica report hold 730 days, a few
thousand distinct visit counts, a handful of UTM sources. The lenient readers (``lenient.py``)
are pure functions of a cell's text and the column's conventions, so what they make of a text —
a value, or the problem they find with it — is remembered and given again for the next cell
that holds the same text. A problem is raised anew each time (a copy), so every row it is on is
told, with its own row number; it is remembered per language, as its words are.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from smmkpi.i18n import current_language
from smmkpi.ingest.cell_errors import CellError, NoDataMarker

REMEMBERED = 50_000
"""Distinct calls a reader remembers; past that it starts again (a column of distinct values,
such as times to the second, gains nothing and must not grow without bound)."""

F = TypeVar("F", bound=Callable[..., Any])


def remembered(function: F) -> F:
    """``function`` (of a cell first, then hashable conventions), each distinct call of a text
    cell computed once."""
    found: dict[tuple[Any, ...], tuple[Any, BaseException | None, str]] = {}

    @wraps(function)
    def reader(*args: Any, **kwargs: Any) -> Any:
        if kwargs or not args or type(args[0]) is not str:
            return function(*args, **kwargs)
        try:
            result = found.get(args)
        except TypeError:  # a convention that cannot be a key
            return function(*args)
        if result is None or (result[1] is not None and result[2] != current_language()):
            try:
                result = (function(*args), None, "")
            except (CellError, NoDataMarker) as error:
                result = (None, error, current_language())
            if len(found) >= REMEMBERED:
                found.clear()
            found[args] = result
        value, problem, _language = result
        if problem is not None:
            raise copy.copy(problem)
        return value

    return reader  # type: ignore[return-value]
