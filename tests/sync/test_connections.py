"""Connecting VK: the token checked with one call before it is saved, kept encrypted, listed
with the contract's fields and forgotten on disconnect — against the sandbox's VK on loopback,
on both engines."""

from __future__ import annotations

import json

import pytest

from smmkpi.sandbox.server import Sandbox
from smmkpi.workspace import Workspace
from tests.sync.conftest import smmkpi


def stored_credentials(workspace: Workspace) -> list[str]:
    with workspace.open_store(read_only=True) as store:
        return [r[0] for r in store.con.execute("SELECT credential FROM connections").fetchall()]


def test_a_checked_token_is_saved_encrypted_and_listed(agency: Workspace, vk: Sandbox) -> None:
    code, output = smmkpi(
        agency, "connect", "vk", "coffeelab-vk", "--token-env", "VK_TOKEN",
        env={"VK_TOKEN": "admin-token"},
    )  # fmt: skip
    assert code == 0, output
    assert (
        "Connected coffeelab-vk: VK community club21890451 «Кофелаб | кофейня», 14,230 members; "
        "stats: yes." in " ".join(output.split())
    )
    assert vk.methods() == ["groups.getById", "stats.get"]
    assert vk.calls[0].params["group_id"] == "21890451"
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


def test_a_member_token_connects_without_statistics(agency: Workspace, vk: Sandbox) -> None:
    code, output = smmkpi(
        agency, "connect", "vk", "coffeelab-vk", "--token-env", "VK_TOKEN",
        env={"VK_TOKEN": "member-token"},
    )  # fmt: skip
    assert code == 0, output
    assert "stats: no (the token's user is not an admin)." in " ".join(output.split())


def test_a_refused_token_is_not_saved(agency: Workspace, vk: Sandbox) -> None:
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
    agency: Workspace, vk: Sandbox, monkeypatch: pytest.MonkeyPatch
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
