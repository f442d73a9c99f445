"""The architecture of DESIGN.md holds: nothing imports upward (import-linter's layers contract
in pyproject.toml), and SQL is written in store/ only (the KPI queries are compiled by Ibis in
metrics/)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = Path(__file__).parent.parent / "src" / "smmkpi"
SQL = re.compile(
    r"\b(SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|CREATE\s+(TEMP\s+)?(TABLE|INDEX|VIEW)|"
    r"DROP\s+TABLE|ALTER\s+TABLE)\b[\s\S]*\b(FROM|INTO|SET|TABLE|VALUES|INDEX|VIEW|AS)\b"
)


def sql_outside_store(root: Path) -> list[str]:
    """Where a module outside store/ holds a string (or an f-string's text) that is SQL."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.relative_to(root).parts[0] == "store":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                text = "".join(
                    v.value if isinstance(v, ast.Constant) else "{}" for v in node.values
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            else:
                continue
            place = f"{path.relative_to(root)}:{node.lineno}"
            if SQL.search(text) and place not in found:  # an f-string's parts are strings too
                found.append(place)
    return found


def test_nothing_imports_upward() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=SOURCE.parent.parent,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    """The contract can fail: a copy of the package in which store/ imports web/ breaks it."""
    import shutil

    copy = tmp_path / "src" / "smmkpi"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__", "locale"))
    (copy / "store" / "upward.py").write_text("from smmkpi.web import app\n", encoding="utf-8")
    shutil.copy(SOURCE.parent.parent / "pyproject.toml", tmp_path / "pyproject.toml")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "smmkpi.store.upward -> smmkpi.web.app" in result.stdout


def test_sql_is_written_in_store_only() -> None:
    assert sql_outside_store(SOURCE) == []


def test_the_sql_check_finds_sql_in_an_f_string(tmp_path: Path) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "page.py").write_text(
        'def rows(con, t):\n    return con.execute(f"SELECT count(*) FROM {t}")\n',
        encoding="utf-8",
    )
    (tmp_path / "web" / "text.py").write_text('HINT = "Select the client from the list."\n')
    assert sql_outside_store(tmp_path) == ["web/page.py:2"]


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_the_test_run_reaches_no_network() -> None:
    """pytest-socket allows connections to this machine only (pyproject's addopts)."""
    import socket

    from pytest_socket import SocketConnectBlockedError

    with pytest.raises(SocketConnectBlockedError), socket.socket() as outside:
        outside.connect(("93.184.216.34", 80))  # any address off this machine
