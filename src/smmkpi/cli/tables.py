"""The CLI's tables: every cell kept whole.

Rich ends a cell that does not fit with "…" — in a narrow terminal, and always when the output
is not a terminal (a pipe, a file, cron's mail: 80 columns). An id cut to ``coffeelab-202…``
cannot be copied into the next command, so here a long value wraps onto the next line instead.
"""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from rich.table import Table as RichTable


class Table(RichTable):
    """A Rich table whose columns wrap long values rather than cut them."""

    def add_column(
        self,
        header: RenderableType = "",
        footer: RenderableType = "",
        *,
        overflow: Any = "fold",
        **options: Any,
    ) -> None:
        super().add_column(header, footer, overflow=overflow, **options)
