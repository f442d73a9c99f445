"""Syncing GA4 from the sandbox through the real CLI, on both engines: the refresh token is
exchanged for an access token at Google's token endpoint (the app's id and secret from the
settings and the environment), runReport's rows equal a file import of the same answer, and a
revoked refresh token needs re-authorisation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smmkpi.sandbox.google import Ga4Platform, GoogleTokens
from smmkpi.sandbox.server import Sandbox
from smmkpi.workspace import Workspace
from tests.support.sandbox import GA4_DATA, GA4_PROPERTY, google_sandbox
from tests.sync.conftest import smmkpi

GOOGLE = tuple[Sandbox, GoogleTokens, Ga4Platform]


@pytest.fixture
def google(monkeypatch: pytest.MonkeyPatch) -> Iterator[GOOGLE]:
    with google_sandbox(monkeypatch) as found:
        yield found


def connect(workspace: Workspace, token: str = "google-refresh") -> tuple[int, str]:
    code, output = smmkpi(workspace, "connect", "ga4", "coffeelab", "--property", GA4_PROPERTY,
                          "--key-event", "generate_lead", "--token-env", "G",
                          env={"G": token})  # fmt: skip
    return code, " ".join(output.split())


def sessions(workspace: Workspace) -> list[tuple[Any, ...]]:
    with workspace.open_store(read_only=True) as store:
        return store.con.execute(
            "SELECT date, utm_source, utm_medium, utm_campaign, utm_content, utm_term, sessions, "
            "users, goal_completions FROM web_sessions ORDER BY 1, 2"
        ).fetchall()


def test_ga4_syncs_run_report_as_a_file_import_of_it(
    agency: Workspace, google: GOOGLE, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    sandbox, _tokens, _ga4 = google
    assert connect(agency) == (
        0, "Connected coffeelab: GA4 property 345678901 (key event generate_lead).",
    )  # fmt: skip
    code, output = smmkpi(agency, "sync", "--source", "ga4", "--format", "json",
                          "--as-of", "2025-03-10", "--from", "2025-03-01")  # fmt: skip
    (result,) = json.loads(output)
    assert (code, result["status"]) == (0, "ok"), output
    assert [c.method for c in sandbox.calls] == [
        "google:token", "ga4:metadata", "google:token", "ga4:runReport",
    ]  # fmt: skip
    assert all("google-refresh" not in json.dumps(c.params) for c in sandbox.calls)
    found = sessions(agency)
    assert sum(r[6] for r in found) == 70 + 190 + 52 + 33  # by hand from run_report.json
    assert sum(r[8] for r in found) == 2 + 3 + 1 + 0
    url = agency.settings.store.url
    if url:
        url = request.getfixturevalue("postgres_server").new_database(
            "ga" + agency.path.parent.name[-8:]
        )
    by_hand = Workspace.init(tmp_path / "by-hand", "By hand", url)[0]
    assert smmkpi(by_hand, "import", str(tmp_path / "data"))[0] == 0
    code, output = smmkpi(by_hand, "import", str(GA4_DATA), "--client", "coffeelab")
    assert code == 0, output
    assert sessions(by_hand) == found


def test_a_revoked_refresh_token_or_a_missing_app_is_said(
    agency: Workspace, google: GOOGLE, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sandbox, tokens, ga4 = google
    assert connect(agency, "stolen") == (
        1, "Error: Google refused the refresh token (revoked or expired). Nothing was saved.",
    )  # fmt: skip
    assert connect(agency)[0] == 0
    ga4.faults.add("runReport", "rate_limited")  # 429 RESOURCE_EXHAUSTED: retried
    code, output = smmkpi(agency, "sync", "--source", "ga4", "--format", "json",
                          "--as-of", "2025-03-10", "--from", "2025-03-01")  # fmt: skip
    assert (code, json.loads(output)[0]["status"]) == (0, "ok")
    tokens.refresh_tokens.clear()
    code, output = smmkpi(agency, "sync", "--source", "ga4", "--format", "json")
    (result,) = json.loads(output)
    assert (code, result["status"]) == (1, "needs_reauth")
    assert result["error"] == (
        "Google refused the refresh token (revoked or expired). Connect it again: smmkpi "
        "connect ga4 coffeelab."
    )
    monkeypatch.delenv("SMMKPI_GOOGLE_CLIENT_SECRET")
    code, text = connect(agency)
    assert code == 1 and "Google needs the agency's OAuth app: set sync.google.client_id" in text
