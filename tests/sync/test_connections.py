"""Connecting VK: the token checked with one call before it is saved, kept encrypted, listed
with the contract's fields and forgotten on disconnect — against a loopback fake of VK's API,
on both engines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.workspace import Workspace
from tests.conftest import import_path, write_table
from tests.support.fake_vk import FakeVk, serving

KEY = "a long random text the team shares"


@pytest.fixture
def vk(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeVk]:
    with serving() as fake:
        monkeypatch.setenv("SMMKPI__SYNC__VK__BASE_URL", fake.url)
        monkeypatch.setenv("SMMKPI_SECRET_KEY", KEY)
        yield fake


@pytest.fixture
def agency(workspace: Workspace, tmp_path: Path) -> Workspace:
    data = tmp_path / "data"
    write_table(data, "clients", [{"client_id": "coffeelab", "name": "Кофелаб"}])
    write_table(
        data,
        "accounts",
        [
            {"account_id": "coffeelab-vk", "client_id": "coffeelab", "platform": "vk",
             "handle": "club229187364"},
            {"account_id": "coffeelab-tg", "client_id": "coffeelab", "platform": "telegram"},
        ],
    )  # fmt: skip
    import_path(workspace, data)
    return workspace


def smmkpi(workspace: Workspace, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["-w", str(workspace.path), "--lang", "en", *args], env=env)
    return result.exit_code, result.output


def stored_credentials(workspace: Workspace) -> list[str]:
    with workspace.open_store(read_only=True) as store:
        return [r[0] for r in store.con.execute("SELECT credential FROM connections").fetchall()]


def test_a_checked_token_is_saved_encrypted_and_listed(agency: Workspace, vk: FakeVk) -> None:
    code, output = smmkpi(
        agency, "connect", "vk", "coffeelab-vk", "--token-env", "VK_TOKEN",
        env={"VK_TOKEN": "admin-token"},
    )  # fmt: skip
    assert code == 0, output
    assert (
        "Connected coffeelab-vk: VK community club229187364 «Кофелаб», 12,345 members; stats: yes."
        in " ".join(output.split())
    )
    assert [m for m, _p in vk.calls] == ["groups.getById", "stats.get"]
    assert vk.calls[0][1]["group_id"] == "229187364"
    (sealed,) = stored_credentials(agency)
    assert "admin-token" not in sealed  # encrypted at rest
    assert "admin-token" not in output
    code, output = smmkpi(agency, "connections", "--format", "json")
    assert code == 0, output
    assert json.loads(output) == [
        {
            "source": "vk",
            "client": "coffeelab",
            "account": "coffeelab-vk",
            "status": "never_synced",
            "last_success_at": None,
            "last_attempt_at": None,
            "synced_through": None,
            "token_expires_at": None,
            "last_error": None,
        }
    ]
    assert "admin-token" not in (agency.path / "smmkpi.toml").read_text(encoding="utf-8")
    code, output = smmkpi(agency, "disconnect", "vk", "coffeelab-vk")
    assert code == 0 and "its credential is forgotten" in output
    assert stored_credentials(agency) == []


def test_a_member_token_connects_without_statistics(agency: Workspace, vk: FakeVk) -> None:
    code, output = smmkpi(
        agency, "connect", "vk", "coffeelab-vk", "--token-env", "VK_TOKEN",
        env={"VK_TOKEN": "member-token"},
    )  # fmt: skip
    assert code == 0, output
    assert "stats: no (the token's user is not an admin)." in " ".join(output.split())


def test_a_refused_token_is_not_saved(agency: Workspace, vk: FakeVk) -> None:
    code, output = smmkpi(
        agency, "connect", "vk", "coffeelab-vk", "--token-env", "VK_TOKEN",
        env={"VK_TOKEN": "expired-token"},
    )  # fmt: skip
    assert code == 1
    assert (
        "VK refused the token for coffeelab-vk: User authorization failed: invalid access_token "
        "(4). (error 5). Nothing was saved." in " ".join(output.split())
    )
    assert "expired-token" not in output
    assert stored_credentials(agency) == []
    code, output = smmkpi(agency, "connect", "vk", "coffeelab-tg", "--token-env", "VK_TOKEN",
                          env={"VK_TOKEN": "admin-token"})  # fmt: skip
    assert code == 1 and "Account 'coffeelab-tg' is on telegram, not on VK." in output
    code, output = smmkpi(agency, "connect", "vk", "coffeelab-vk", "--token-env", "UNSET_VAR")
    assert code == 1 and "The environment variable UNSET_VAR is empty or not set." in output


def test_a_credential_needs_the_key_it_was_sealed_with(
    agency: Workspace, vk: FakeVk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smmkpi.store import connections
    from smmkpi.sync.credentials import credential_box

    smmkpi(agency, "connect", "vk", "coffeelab-vk", "--token-env", "VK_TOKEN",
           env={"VK_TOKEN": "admin-token"})  # fmt: skip
    with agency.open_store(read_only=True) as store:
        (found,) = connections.listed(store.con)
    box = credential_box(agency.path, on_postgresql=False)
    assert box.open(found.sealed) == "admin-token"
    assert "admin-token" not in repr(found)  # the dataclass never shows it
    monkeypatch.setenv("SMMKPI_SECRET_KEY", "another key")
    with pytest.raises(Exception, match="cannot be decrypted with this workspace's secret key"):
        credential_box(agency.path, on_postgresql=False).open(found.sealed)
    monkeypatch.delenv("SMMKPI_SECRET_KEY")
    with pytest.raises(Exception, match="A workspace in PostgreSQL keeps its connections"):
        credential_box(agency.path, on_postgresql=True)
