"""Commands load when used (cli/lazy.py): ``smmkpi --help`` imports no command and nothing heavy,
and its table of commands says what the commands themselves say."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from smmkpi.cli.lazy import COMMANDS, load

HEAVY = (
    "duckdb",
    "ibis",
    "sqlglot",
    "pandas",
    "pyarrow",
    "psycopg",
    "pyspark",
    "weasyprint",
    "fastapi",
    "xlsxwriter",
    "altair",
    "babel.messages",
    "pydantic",
    "smmkpi.store",
    "smmkpi.workspace",
    "smmkpi.metrics.compute",
)


def first_paragraph(text: str | None) -> str:
    return " ".join((text or "").strip().split("\n\n")[0].split())


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_listed_command_is_the_command_it_names(name: str) -> None:
    command = load(name)
    assert command.name == name
    assert first_paragraph(command.help) == COMMANDS[name][1]


def test_the_table_lists_every_command_of_every_module() -> None:
    """Every module's commands are in the table (a new command cannot be forgotten there)."""
    import importlib

    import typer

    found = set()
    for module_name in {module for module, _help in COMMANDS.values()}:
        module = importlib.import_module(f"smmkpi.cli.{module_name}")
        if hasattr(module, "register"):
            holder = typer.Typer()
            holder.callback()(lambda: None)
            module.register(holder)
            found |= set(typer.main.get_group(holder).commands)
        else:
            found.add(module_name)
    assert found == set(COMMANDS)


def test_help_imports_no_command_and_nothing_heavy() -> None:
    """``smmkpi --help`` in a fresh interpreter: the root and its table only."""
    script = (
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "from smmkpi.cli.app import app\n"
        "result = CliRunner().invoke(app, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    modules = json.loads(done.stdout.splitlines()[-1])
    loaded = [m for m in modules if m.startswith(HEAVY)]
    assert loaded == []
    commands = {f"smmkpi.cli.{module}" for module, _help in COMMANDS.values()}
    assert not commands & set(modules)
