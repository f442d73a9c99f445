"""What the root command and every subcommand share, and nothing heavy: the root options and the
consoles. ``smmkpi --help`` imports this and no command's module (cli/lazy.py)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from smmkpi.i18n import Language

# Markup is off: texts from users' files (a post, a file name) may hold "[…]", which must show
# as written. Styling goes through rich.text.Text.
console = Console(highlight=False, markup=False)
errors = Console(stderr=True, highlight=False, markup=False)


class State:
    """Options of the root command, shared with subcommands."""

    workspace: Path | None = None
    language: Language | None = None


state = State()
