"""The package is typed (py.typed): a user's script checked by mypy sees the API's real types
through ``import smmkpi`` (which loads them lazily at run time), and a wrong argument is an
error before anything runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SCRIPT = """\
import smmkpi

ws = smmkpi.open("agency")
reveal_type(ws)
res = ws.kpis(client="coffeelab", month="2026-10")
reveal_type(res)
reveal_type(res.to_dict())
reveal_type(smmkpi.errors.NoPlanError)
ws.kpis(client=7, month="2026-10")
"""


def test_a_users_script_sees_the_apis_types(tmp_path: Path) -> None:
    (tmp_path / "user.py").write_text(SCRIPT, "utf-8")
    mypy = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / ".cache")]
    result = subprocess.run(
        [*mypy, "user.py"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        'user.py:4: note: Revealed type is "smmkpi.api.Workspace"',
        'user.py:6: note: Revealed type is "smmkpi.api.KpiResult"',
        'user.py:7: note: Revealed type is "dict[str, Any]"',
        'user.py:8: note: Revealed type is "def (*args: object) -> smmkpi.errors.NoPlanError"',
    ]
    assert lines[4].startswith(
        'user.py:9: error: Argument "client" to "kpis" of "Workspace" has incompatible type "int"'
    )
    assert lines[-1] == "Found 1 error in 1 file (checked 1 source file)"
