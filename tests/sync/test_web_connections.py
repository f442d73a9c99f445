"""The client page's Connections section, through the web app against the sandbox's VK, on both
engines: a token pasted is checked and kept encrypted, "Sync now" syncs, a connection that needs
a person shows on the agency overview, and a form never reaches another client's accounts or
connections — with the CLI's words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from smmkpi.sandbox.vk import VkPlatform
from smmkpi.web.app import create_app
from smmkpi.workspace import Workspace
from tests.conftest import USER_PASSWORD, add_user, import_path, write_table
from tests.support.sandbox import crm_sandbox, vk_sandbox
from tests.web.test_web import sign_in

PASSWORD = USER_PASSWORD


@pytest.fixture
def web(
    agency: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[TestClient, VkPlatform]]:
    write_table(tmp_path / "rival", "clients", [{"client_id": "rival", "name": "Rival"}])
    write_table(
        tmp_path / "rival",
        "accounts",
        [{"account_id": "rival-vk", "client_id": "rival", "platform": "vk", "handle": "club555"}],
    )
    import_path(agency, tmp_path / "rival")
    for user, role, clients in (("anna", "specialist", ["coffeelab"]), ("boss", "admin", [])):
        add_user(agency.path, user, role, *clients)
    with (
        vk_sandbox(monkeypatch) as (_sandbox, platform),
        TestClient(create_app(Workspace.open(agency.path))) as client,
    ):
        yield client, platform


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def post(client: TestClient, path: str, **data: str) -> tuple[int, str]:
    page = client.get("/clients/coffeelab")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    answer = client.post(path, data={"csrf": csrf.group(1), **data})
    return answer.status_code, answer.text


def test_a_pasted_token_connects_and_sync_now_reads_the_account(
    web: tuple[TestClient, VkPlatform],
) -> None:
    client, _platform = web
    assert sign_in(client, "anna", PASSWORD) == 303
    page = text_of(client.get("/clients/coffeelab").text)
    assert "Connections No platform is connected" in page
    code, html = post(client, "/clients/coffeelab/connections/connect",
                      target="vk|coffeelab-vk", token="admin-token")  # fmt: skip
    assert code == 200
    page = text_of(html)
    assert "Connected coffeelab-vk: VK community club21890451 «Кофелаб | кофейня»." in page
    assert "vk coffeelab-vk not synced yet" in page
    assert "admin-token" not in html
    code, html = post(client, "/clients/coffeelab/connections/sync",
                      source="vk", target="coffeelab-vk")  # fmt: skip
    assert code == 200, text_of(html)
    assert re.search(
        r"Synced vk coffeelab-vk: \S+ to \S+; \d+ new, 0 changed rows\.", text_of(html)
    )
    assert "vk coffeelab-vk syncing" in text_of(html)
    with client.app.state.db.store() as store:  # type: ignore[attr-defined]
        (sealed,) = store.con.execute("SELECT credential FROM connections").fetchone()
    assert "admin-token" not in sealed


def test_a_refused_token_says_what_the_cli_says_and_saves_nothing(
    web: tuple[TestClient, VkPlatform],
) -> None:
    client, _platform = web
    sign_in(client, "anna", PASSWORD)
    code, html = post(client, "/clients/coffeelab/connections/connect",
                      target="vk|coffeelab-vk", token="expired-token")  # fmt: skip
    assert code == 422
    assert (
        "VK refused the token for coffeelab-vk: User authorization failed: invalid access_token "
        "(4). (error 5). Nothing was saved." in text_of(html)
    )
    assert "expired-token" not in html
    assert "No platform is connected" in text_of(html)


def test_a_form_never_reaches_another_clients_account_or_connection(
    web: tuple[TestClient, VkPlatform],
) -> None:
    client, _platform = web
    sign_in(client, "anna", PASSWORD)
    code, html = post(client, "/clients/coffeelab/connections/connect",
                      target="vk|rival-vk", token="admin-token")  # fmt: skip
    assert code == 422
    assert "This client has no account 'rival-vk' to connect." in text_of(html)
    code, html = post(client, "/clients/coffeelab/connections/sync",
                      source="vk", target="rival-vk")  # fmt: skip
    assert code == 422
    assert "There is no vk connection for rival-vk (see `smmkpi connections`)." in text_of(html)
    code, _html = post(client, "/clients/rival/connections/connect",
                       target="vk|rival-vk", token="admin-token")  # fmt: skip
    assert code == 404  # anna does not see the rival
    with client.app.state.db.store() as store:  # type: ignore[attr-defined]
        assert store.con.execute("SELECT count(*) FROM connections").fetchone() == (0,)


def test_a_connection_that_needs_a_person_shows_on_the_overview(
    web: tuple[TestClient, VkPlatform],
) -> None:
    client, platform = web
    sign_in(client, "boss", PASSWORD)
    post(client, "/clients/coffeelab/connections/connect",
         target="vk|coffeelab-vk", token="admin-token")  # fmt: skip
    del platform.tokens["admin-token"]  # revoked
    code, html = post(client, "/clients/coffeelab/connections/sync",
                      source="vk", target="coffeelab-vk")  # fmt: skip
    assert code == 422
    page = text_of(html)
    assert "Connect it again: smmkpi connect vk coffeelab-vk." in page
    assert "vk coffeelab-vk needs reconnecting" in page
    assert "Last error: VK answered groups.getById with error 5" in page
    overview = client.get("/").text
    assert (
        'href="/clients/coffeelab#connections">vk coffeelab-vk: needs reconnecting</a>' in overview
    )
    code, html = post(client, "/clients/coffeelab/connections/disconnect",
                      source="vk", target="coffeelab-vk")  # fmt: skip
    assert code == 200
    assert "Disconnected vk for coffeelab-vk; its credential is forgotten." in text_of(html)
    assert "needs reconnecting" not in client.get("/").text


def test_a_crms_credential_is_pasted_with_the_clis_words(
    agency: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(agency.path, "anna", "specialist", "coffeelab")
    with (
        crm_sandbox(monkeypatch) as (sandbox, _amo, _bitrix),
        TestClient(create_app(Workspace.open(agency.path))) as client,
    ):
        sign_in(client, "anna", PASSWORD)
        code, html = post(client, "/clients/coffeelab/connections/connect", target="bitrix24",
                          token="http://evil.example/rest/1/topsecret/")  # fmt: skip
        flash = re.findall(r'class="flash error"[^>]*>([^<]*)<', html)
        assert code == 422, flash
        assert "That is not a Bitrix24 inbound webhook's address" in text_of(html), flash
        assert "topsecret" not in html
        code, html = post(client, "/clients/coffeelab/connections/connect", target="amocrm",
                          detail="homedecor", token="amo-token")  # fmt: skip
        assert code == 200, text_of(html)
        assert "Connected amocrm for coffeelab: checked, and kept encrypted." in text_of(html)
        code, html = post(client, "/clients/coffeelab/connections/connect", target="bitrix24",
                          token=f"{sandbox.url}/rest/1/abc123secret/")  # fmt: skip
        assert code == 200, text_of(html)
        assert "abc123secret" not in html
        assert "bitrix24 coffeelab not synced yet" in text_of(html)


def test_the_server_syncs_what_is_due_and_retries_a_failed_connection_hourly(
    web: tuple[TestClient, VkPlatform],
) -> None:
    from datetime import UTC, datetime, timedelta

    from smmkpi.web.background_sync import BackgroundSync

    client, platform = web
    sign_in(client, "boss", PASSWORD)
    post(client, "/clients/coffeelab/connections/connect",
         target="vk|coffeelab-vk", token="admin-token")  # fmt: skip
    server = BackgroundSync(client.app.state.site)  # type: ignore[attr-defined]
    start = datetime.now(UTC)
    first = server.run_once(start)
    assert [(r.connection.target, r.status) for r in first or []] == [("coffeelab-vk", "ok")]
    assert server.run_once(start + timedelta(hours=1)) == []  # synced an hour ago: not due
    del platform.tokens["admin-token"]  # revoked
    later = start + timedelta(hours=25)  # sync.every_hours (24) after the last success
    failed = server.run_once(later)
    assert [(r.connection.target, r.status) for r in failed or []] == [
        ("coffeelab-vk", "needs_reauth")
    ]
    assert server.run_once(later + timedelta(minutes=10)) == []  # a failed one: hourly
    again = server.run_once(later + timedelta(minutes=61))
    assert [r.status for r in again or []] == ["needs_reauth"]
