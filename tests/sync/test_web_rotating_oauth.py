"""Signing in with VK ID and amoCRM from the Connections section, against the sandbox: their
refresh tokens rotate, so what is kept is the refresh token with what its trades need (VK ID's
device, amoCRM's account), each sync trades it and saves the new one before using the access
token, and the old one is refused from then on."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from smmkpi.sandbox.crm import AmoPlatform, amo_leads
from smmkpi.sandbox.oauth import AmoOAuth, RotatingTokens, VkIdPlatform
from smmkpi.sandbox.server import Sandbox, serving
from smmkpi.sandbox.vk import Community, VkPlatform
from smmkpi.store import connections
from smmkpi.sync.credentials import credential_box
from smmkpi.web.app import create_app
from smmkpi.workspace import Workspace
from tests.conftest import add_user
from tests.support.sandbox import AMO_DATA, GROUP_ID, VK_DATA
from tests.sync.test_web_connections import PASSWORD, text_of
from tests.web.test_web import sign_in

Setup = tuple[TestClient, RotatingTokens, RotatingTokens]


@pytest.fixture
def web(agency: Workspace, monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:
    add_user(agency.path, "anna", "specialist", "coffeelab")
    sandbox = Sandbox()
    vk = VkPlatform(sandbox, [Community.from_folder(VK_DATA)], {})
    amo = AmoPlatform(sandbox, "homedecor", amo_leads(AMO_DATA), set())
    vkid = RotatingTokens("vkid-app", lambda token: vk.tokens.__setitem__(token, {GROUP_ID}))
    amo_tokens = RotatingTokens("amo-app", amo.tokens.add)
    sandbox.platforms += [vk, amo, VkIdPlatform(sandbox, vkid),
                          AmoOAuth(sandbox, amo_tokens, "homedecor")]  # fmt: skip
    with serving(sandbox):
        for name, value in {
            "SMMKPI__SYNC__VK__BASE_URL": sandbox.url,
            "SMMKPI__SYNC__VK__APP_ID": "vkid-app",
            "SMMKPI__SYNC__VK__AUTH_URL": f"{sandbox.url}/vkid/authorize",
            "SMMKPI__SYNC__VK__TOKEN_URL": f"{sandbox.url}/vkid/oauth2/auth",
            "SMMKPI_VK_CLIENT_SECRET": "vk-secret",
            "SMMKPI__SYNC__AMOCRM__BASE_URL": sandbox.url,
            "SMMKPI__SYNC__AMOCRM__CLIENT_ID": "amo-app",
            "SMMKPI__SYNC__AMOCRM__AUTH_URL": f"{sandbox.url}/amo-dialog",
            "SMMKPI_AMOCRM_CLIENT_SECRET": "amo-secret",
            "SMMKPI__SYNC__BACKOFF_SECONDS": "0.01",
            "SMMKPI_SECRET_KEY": "a long random text the team shares",
        }.items():
            monkeypatch.setenv(name, value)
        with TestClient(create_app(Workspace.open(agency.path))) as client:
            yield client, vkid, amo_tokens


def csrf_of(client: TestClient) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/clients/coffeelab").text)
    assert found is not None
    return found.group(1)


def sign_in_to(client: TestClient, source: str) -> str:
    out = client.post("/clients/coffeelab/connections/signin",
                      data={"source": source, "object_id": "", "csrf": csrf_of(client)},
                      follow_redirects=False)  # fmt: skip
    assert out.status_code == 303, text_of(out.text)
    back = urlsplit(httpx.get(out.headers["location"], follow_redirects=False).headers["location"])
    page = client.get(f"{back.path}?{back.query}")
    assert page.status_code == 200, text_of(page.text)
    return text_of(page.text)


def kept(client: TestClient, source: str) -> dict[str, str]:
    """The credential a connection keeps, unsealed (the key is the environment's)."""
    site = client.app.state.site  # type: ignore[attr-defined]
    with site.db.store() as store:
        (found,) = [c for c in connections.listed(store.con) if c.source == source]
    return dict(json.loads(credential_box(site.workspace.path, False).open(found.sealed)))


def sync_now(client: TestClient, source: str, target: str) -> str:
    page = client.post(
        "/clients/coffeelab/connections/sync",
        data={"source": source, "target": target, "csrf": csrf_of(client)},
    )
    assert page.status_code == 200, text_of(page.text)
    return text_of(page.text)


def test_vk_id_sign_in_keeps_a_rotating_refresh_token(web: Setup) -> None:
    client, vkid, _amo = web
    sign_in(client, "anna", PASSWORD)
    text = sign_in_to(client, "vk|coffeelab-vk")
    assert "Connected coffeelab-vk: VK community club21890451 «Кофелаб | кофейня»." in text
    first = kept(client, "vk")
    assert first["provider"] == "vkid" and first["device_id"] == "device-42"
    assert "Synced vk coffeelab-vk:" in sync_now(client, "vk", "coffeelab-vk")
    second = kept(client, "vk")
    assert second["refresh_token"] != first["refresh_token"]  # rotated, and saved
    assert first["refresh_token"] in vkid.used and second["refresh_token"] in vkid.refresh_tokens


def test_amocrm_sign_in_keeps_a_rotating_refresh_token(web: Setup) -> None:
    client, _vkid, amo = web
    sign_in(client, "anna", PASSWORD)
    text = sign_in_to(client, "amocrm")
    assert "Connected coffeelab: amoCRM account «Хоумдекор» (RUB)." in text
    first = kept(client, "amocrm")
    assert first["referer"] == "homedecor.amocrm.ru"
    assert "Synced amocrm coffeelab:" in sync_now(client, "amocrm", "coffeelab")
    second = kept(client, "amocrm")
    assert second["refresh_token"] != first["refresh_token"]
    assert first["refresh_token"] in amo.used
