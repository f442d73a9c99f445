"""A test agency with a VK community and a Telegram channel, the sandbox's VK, and the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.sandbox.server import Sandbox
from smmkpi.workspace import Workspace
from tests.conftest import import_path, write_table
from tests.support.sandbox import vk_sandbox


@pytest.fixture
def vk(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    with vk_sandbox(monkeypatch) as (sandbox, _vk):
        yield sandbox


@pytest.fixture
def agency(workspace: Workspace, tmp_path: Path) -> Workspace:
    data = tmp_path / "data"
    write_table(data, "clients", [{"client_id": "coffeelab", "name": "Кофелаб"}])
    write_table(
        data,
        "accounts",
        [
            {"account_id": "coffeelab-vk", "client_id": "coffeelab", "platform": "vk",
             "handle": "club21890451"},
            {"account_id": "coffeelab-tg", "client_id": "coffeelab", "platform": "telegram",
             "handle": "@coffeelab"},
        ],
    )  # fmt: skip
    import_path(workspace, data)
    return workspace


def smmkpi(workspace: Workspace, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["-w", str(workspace.path), "--lang", "en", *args], env=env)
    return result.exit_code, result.output
