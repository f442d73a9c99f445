"""Commands load when used (cli/lazy.py): ``smmkpi --help`` imports no command and nothing heavy,
and its table of commands says what the commands themselves say."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from smmkpi.cli.lazy import COMMANDS, load
from tests.conftest import CANONICAL, import_path

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


ONLY_TO_COMPILE = ("ibis", "sqlglot")  # the KPI queries come from the plan cache
NOT_FOR_KPI = (
    *ONLY_TO_COMPILE,
    "pandas",  # pyarrow loads it when it builds arrays from Python values: kpi does not
    "pyarrow.dataset",
    "pyarrow.compute",  # DuckDB casts the results to their types
    "psycopg",  # a DuckDB workspace
    "pyspark",
    "weasyprint",
    "fastapi",
    "xlsxwriter",
    "altair",
    "vl_convert",
    "smmkpi.report.",
    "smmkpi.web",
    "smmkpi.planning",
)
WORDS_ONLY = ("smmkpi.report.wording",)  # a period's name in words: no renderer


def modules_of_kpi(workspace: str, *args: str) -> tuple[list[str], str]:
    """The modules a fresh interpreter has loaded after ``smmkpi kpi …``, and its output."""
    return modules_of(workspace, "kpi", *args)


def modules_of(workspace: str, *args: str) -> tuple[list[str], str]:
    """The modules a fresh interpreter has loaded after ``smmkpi …``, and its output."""
    script = (
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "from smmkpi.cli.app import app\n"
        f"result = CliRunner().invoke(app, ['-w', {workspace!r}, *{list(args)!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(json.dumps([sorted(sys.modules), result.output]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    modules, output = json.loads(done.stdout.splitlines()[-1])
    return modules, output


def test_kpi_loads_neither_ibis_nor_pandas_nor_psycopg(duckdb_workspace: Any) -> None:
    """A plain ``smmkpi kpi`` on a DuckDB workspace whose compiled queries are in the plan cache
    runs them without Ibis, sqlglot, pandas, psycopg, Arrow's datasets or the report and web
    stacks; the first run of a process without the cache compiles them (and loads Ibis)."""
    import_path(duckdb_workspace, CANONICAL / "agency")
    path = str(duckdb_workspace.path)
    args = ("--month", "2025-03", "--client", "la", "--format", "json")
    _modules, output = modules_of_kpi(path, *args)  # fills the plan cache if it was empty
    modules, again = modules_of_kpi(path, *args)
    assert again == output
    assert json.loads(again)["kpis"]["leads"] == 3  # the golden test's la: 3 social leads
    assert [m for m in modules if m.startswith(NOT_FOR_KPI) and m not in WORDS_ONLY] == []
    # the table and CSV outputs need nothing heavier either
    modules, table = modules_of_kpi(path, "--month", "2025-03", "--client", "la")
    assert "Leads" in table
    assert [m for m in modules if m.startswith(NOT_FOR_KPI) and m not in WORDS_ONLY] == []
    modules, csv = modules_of_kpi(path, "--month", "2025-03", "--format", "csv")
    assert "la,,leads,3," in csv
    assert [m for m in modules if m.startswith(NOT_FOR_KPI) and m not in WORDS_ONLY] == []


def test_a_report_loads_neither_ibis_nor_pandas(duckdb_workspace: Any) -> None:
    """``smmkpi report`` (PDF, XLSX and HTML, with plan against fact and the post ranking) on a
    DuckDB workspace whose compiled queries are cached reads its daily series and posts with
    plain SQL: neither Ibis and sqlglot (0.16 s) nor pandas (0.3 s, which pyarrow loads to turn
    an instant into Python or a Python list into an array) is imported."""
    import_path(duckdb_workspace, CANONICAL / "agency")
    path = str(duckdb_workspace.path)
    args = ("report", "la", "--month", "2025-03")
    modules_of(path, *args)  # fills the plan cache if it was empty
    for made in (duckdb_workspace.path / "reports" / "2025-03").iterdir():
        made.unlink()
    modules, _output = modules_of(path, *args)
    folder = duckdb_workspace.path / "reports" / "2025-03"
    assert sorted(p.name for p in folder.iterdir()) == [
        "la-2025-03-en.html",  # the tests' language
        "la-2025-03-en.pdf",
        "la-2025-03-en.xlsx",
    ]
    assert "weasyprint" in modules and "vl_convert" in modules  # rendered in this process
    assert [m for m in modules if m.startswith((*ONLY_TO_COMPILE, "pandas", "psycopg"))] == []
