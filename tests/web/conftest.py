"""The web tests use the bakery's workspace of the report tests, with a rival client and users."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app as cli
from tests.conftest import copy_workspace, write_table
from tests.report.conftest import bakery

__all__ = ["PASSWORD", "agency", "bakery"]

PASSWORD = "correct horse battery"


def run(folder: Path, *args: object, input: str | None = None) -> str:
    result = CliRunner().invoke(
        cli, ["-w", str(folder), "--lang", "en", *(str(a) for a in args)], input=input
    )
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def agency(bakery: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bakery plus a rival client, and three users: an admin, the bakery's specialist and
    the rival's client viewer."""
    folder = copy_workspace(bakery, tmp_path_factory.mktemp("web") / "ws")
    data = folder.parent / "rival"
    write_table(
        data,
        "clients",
        [{"client_id": "rival", "name": "Rival <b>Bakery</b>", "goal": "sales"}],
    )
    run(folder, "import", data)
    for user, role, clients in (
        ("boss", "admin", []),
        ("anna", "specialist", ["bakery"]),
        ("rita", "viewer", ["rival"]),
    ):
        options = [f"--client={c}" for c in clients]
        run(
            folder,
            "user",
            "add",
            user,
            "--role",
            role,
            *options,
            "--password-stdin",
            input=PASSWORD + "\n",
        )
    return folder
