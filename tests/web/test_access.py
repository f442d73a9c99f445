"""Access hygiene: API tokens that expire, say when they were last used and are revoked; users
removed and signed out (each test on its own copy of the web tests' agency)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from smmkpi.cli.app import app as cli
from smmkpi.store import users
from smmkpi.web.app import create_app
from smmkpi.web.auth import token_hash
from smmkpi.workspace import Workspace
from tests.conftest import copy_workspace
from tests.web.test_api import auth, token_for


def test_tokens_expire_say_when_they_were_last_used_and_are_revoked(
    agency: Path, tmp_path: Path
) -> None:
    folder = copy_workspace(agency, tmp_path / "ws")
    runner = CliRunner()

    def smmkpi(*args: str) -> str:
        result = runner.invoke(cli, ["-w", str(folder), "--lang", "en", *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    made = smmkpi("user", "token", "anna", "--days", "30", "--name", "sheets").splitlines()
    token = made[-1]
    token_id = made[0].split()[2]
    assert made[0].startswith(f"API token {token_id} for anna, valid until ")
    listed = smmkpi("user", "token", "list", "anna")
    row = next(line for line in listed.splitlines() if token_id in line)
    assert "sheets" in row and "never" in row and "active" in row  # not used yet
    app = create_app(Workspace.open(folder), today=lambda: date(2026, 3, 20))
    with TestClient(app) as client:
        assert client.get("/api/clients", headers=auth(token)).status_code == 200
        with app.state.db.store() as store:
            (found,) = [t for t in users.tokens(store.con, "anna") if t.token_id == token_id]
            assert found.last_used_at is not None and found.last_used_at >= found.created_at
            assert found.expires_at is not None
            assert timedelta(days=29) < found.expires_at - found.created_at <= timedelta(days=30)
            later = found.expires_at + timedelta(seconds=1)  # a second after it runs out
            assert users.token_user(store.con, token_hash(token), later) is None
            assert users.token_user(store.con, token_hash(token), datetime.now(UTC)) is not None
    assert smmkpi("user", "token", "revoke", token_id).strip() == "Revoked 1 API token(s)."
    assert "revoked" in smmkpi("user", "token", "list", "anna")
    with TestClient(create_app(Workspace.open(folder))) as client:
        refused = client.get("/api/clients", headers=auth(token))
        assert refused.status_code == 401
        assert refused.json()["detail"] == "unknown, revoked or expired API token"


def test_a_removed_user_is_signed_out_and_their_tokens_revoked(
    agency: Path, tmp_path: Path
) -> None:
    folder = copy_workspace(agency, tmp_path / "ws")
    token = token_for(folder, "anna")
    app = create_app(Workspace.open(folder), today=lambda: date(2026, 3, 20))
    with TestClient(app) as client:
        form = client.get("/signin").text
        csrf = form.split('name="csrf" value="')[1].split('"')[0]
        client.post("/signin", data={"username": "anna", "password": "correct horse battery",
                                     "csrf": csrf})  # fmt: skip
        assert client.get("/clients/bakery", follow_redirects=False).status_code == 200
        assert client.get("/api/clients", headers=auth(token)).status_code == 200
    runner = CliRunner()
    signed_out = runner.invoke(cli, ["-w", str(folder), "--lang", "en", "user", "signout", "anna"])
    assert signed_out.exit_code == 0, signed_out.output
    assert "anna is signed out (1 session(s) ended)." in signed_out.stdout
    removed = runner.invoke(cli, ["-w", str(folder), "--lang", "en", "user", "remove", "anna"])
    assert removed.exit_code == 0, removed.output
    assert "User anna removed: signed out, API tokens revoked." in removed.stdout
    again = runner.invoke(cli, ["-w", str(folder), "--lang", "en", "user", "remove", "anna"])
    assert again.exit_code == 1 and "There is no user anna." in again.output
    app = create_app(Workspace.open(folder), today=lambda: date(2026, 3, 20))
    with TestClient(app) as client:
        assert client.get("/api/clients", headers=auth(token)).status_code == 401
    listed = runner.invoke(cli, ["-w", str(folder), "--lang", "en", "user", "list"])
    assert "anna" not in listed.stdout and "boss" in listed.stdout
