"""Signing in to Google from a client's Connections section, against the sandbox's consent page
and token endpoint: state and PKCE (S256) on the way out, the code exchanged with the verifier
on the way back, the refresh token checked and sealed; a state is good once and only for the
session that began it; a refusal at Google saves nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from smmkpi.formatting import format_day
from smmkpi.sandbox.google import GoogleSignin
from smmkpi.sandbox.oauth import YandexOAuth
from smmkpi.sandbox.server import Sandbox
from smmkpi.sync.oauth import challenge
from smmkpi.web.app import create_app
from smmkpi.workspace import Workspace
from tests.conftest import add_user, import_path, write_table
from tests.support.sandbox import (
    COUNTER_ID,
    GA4_PROPERTY,
    IG_ID,
    google_sandbox,
    meta_sandbox,
    metrica_sandbox,
)
from tests.sync.test_web_connections import PASSWORD, text_of
from tests.web.test_web import sign_in


@pytest.fixture
def web(agency: Workspace, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, Sandbox]]:
    for user, role, clients in (("anna", "specialist", ["coffeelab"]), ("boss", "admin", [])):
        add_user(agency.path, user, role, *clients)
    with (
        google_sandbox(monkeypatch) as (sandbox, _tokens, _ga4),
        TestClient(create_app(Workspace.open(agency.path))) as client,
    ):
        yield client, sandbox


def begin(client: TestClient) -> httpx.Response:
    page = client.get("/clients/coffeelab")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    return client.post(
        "/clients/coffeelab/connections/signin",
        data={"source": "ga4", "object_id": GA4_PROPERTY, "key_event": "generate_lead",
              "csrf": csrf.group(1)},
        follow_redirects=False,
    )  # fmt: skip


def consent(location: str) -> str:
    """What Google's consent page sends the browser back to."""
    answer = httpx.get(location, follow_redirects=False)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["location"])
    return f"{back.path}?{back.query}"


def test_signing_in_with_google_connects_ga4(web: tuple[TestClient, Sandbox]) -> None:
    client, sandbox = web
    sign_in(client, "anna", PASSWORD)
    out = begin(client)
    assert out.status_code == 303
    assert out.headers["referrer-policy"] == "no-referrer"
    sent = parse_qs(urlsplit(out.headers["location"]).query)
    assert sent["redirect_uri"] == ["http://testserver/oauth/callback/ga4"]
    assert sent["code_challenge_method"] == ["S256"] and sent["access_type"] == ["offline"]
    assert sent["scope"] == ["https://www.googleapis.com/auth/analytics.readonly"]
    assert len(sent["state"][0]) >= 40
    back = consent(out.headers["location"])
    page = client.get(back)
    assert page.status_code == 200, text_of(page.text)
    assert "Connected coffeelab: GA4 property 345678901." in text_of(page.text)
    assert "ga4 coffeelab not synced yet" in text_of(page.text)
    (exchange,) = [
        c.params
        for c in sandbox.calls
        if c.method == "google:token" and c.params.get("grant_type") == "authorization_code"
    ]
    # the verifier sent with the code is the one whose challenge went out
    assert challenge(exchange["code_verifier"]) == sent["code_challenge"][0]
    assert client.get(back).status_code == 403  # a state is good once
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    page = client.post(
        "/clients/coffeelab/connections/sync",
        data={"source": "ga4", "target": "coffeelab", "csrf": csrf.group(1)},
    )
    assert page.status_code == 200, text_of(page.text)
    assert "Synced ga4 coffeelab:" in text_of(page.text)


def test_a_state_is_only_for_the_session_that_began_it(web: tuple[TestClient, Sandbox]) -> None:
    client, _sandbox = web
    sign_in(client, "anna", PASSWORD)
    back = consent(begin(client).headers["location"])
    other = TestClient(client.app)  # the same server, another browser
    sign_in(other, "boss", PASSWORD)
    assert other.get(back).status_code == 403  # boss cannot finish anna's sign-in
    assert client.get(back).status_code == 403  # and it is spent
    with client.app.state.db.store() as store:  # type: ignore[attr-defined]
        assert store.con.execute("SELECT count(*) FROM connections").fetchone() == (0,)


def test_a_refusal_at_google_saves_nothing(web: tuple[TestClient, Sandbox]) -> None:
    client, sandbox = web
    next(p for p in sandbox.platforms if isinstance(p, GoogleSignin)).deny = True
    sign_in(client, "anna", PASSWORD)
    page = client.get(consent(begin(client).headers["location"]))
    assert page.status_code == 422
    assert "Google did not grant access (access_denied); nothing was saved." in text_of(page.text)


@pytest.fixture
def meta_web(
    agency: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[TestClient, Sandbox]]:
    write_table(tmp_path / "ig", "accounts", [
        {"account_id": "coffeelab-ig", "client_id": "coffeelab", "platform": "instagram",
         "handle": "@coffeelab.msk"},
    ])  # fmt: skip
    import_path(agency, tmp_path / "ig")
    add_user(agency.path, "anna", "specialist", "coffeelab")
    with (
        meta_sandbox(monkeypatch) as (sandbox, _meta),
        TestClient(create_app(Workspace.open(agency.path))) as client,
    ):
        yield client, sandbox


def test_signing_in_with_facebook_connects_instagram_with_a_long_lived_token(
    meta_web: tuple[TestClient, Sandbox],
) -> None:
    client, sandbox = meta_web
    sign_in(client, "anna", PASSWORD)
    page = client.get("/clients/coffeelab")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None and 'value="instagram|coffeelab-ig"' in page.text
    out = client.post(
        "/clients/coffeelab/connections/signin",
        data={"source": "instagram|coffeelab-ig", "object_id": IG_ID, "csrf": csrf.group(1)},
        follow_redirects=False,
    )
    assert out.status_code == 303
    sent = parse_qs(urlsplit(out.headers["location"]).query)
    assert sent["redirect_uri"] == ["http://testserver/oauth/callback/instagram"]
    assert "instagram_manage_insights" in sent["scope"][0]
    page = client.get(consent(out.headers["location"]))
    assert page.status_code == 200, text_of(page.text)
    text = text_of(page.text)
    assert "Connected coffeelab-ig: instagram 17841400123456789 «coffeelab.msk»." in text
    # the short-lived token was traded for a long-lived one (60 days), whose expiry is shown
    grants = [c.params.get("grant_type") for c in sandbox.calls if c.method == "meta:oauth"]
    assert grants == ["authorization_code", "fb_exchange_token"]
    expires = (datetime.now(UTC) + timedelta(seconds=5_183_944)).date()
    assert format_day(expires, "en") in text


def test_signing_in_with_yandex_connects_metrica_with_the_tokens_expiry(
    agency: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(agency.path, "anna", "specialist", "coffeelab")
    with metrica_sandbox(monkeypatch) as (sandbox, metrica):
        sandbox.platforms.insert(0, YandexOAuth(
            sandbox, "yandex-app", lambda token: metrica.tokens.__setitem__(token, {COUNTER_ID})
        ))  # fmt: skip
        monkeypatch.setenv("SMMKPI__SYNC__METRICA__CLIENT_ID", "yandex-app")
        monkeypatch.setenv("SMMKPI__SYNC__METRICA__AUTH_URL", f"{sandbox.url}/yandex/authorize")
        monkeypatch.setenv("SMMKPI__SYNC__METRICA__TOKEN_URL", f"{sandbox.url}/yandex/token")
        monkeypatch.setenv("SMMKPI_YANDEX_CLIENT_SECRET", "yandex-secret")
        with TestClient(create_app(Workspace.open(agency.path))) as client:
            sign_in(client, "anna", PASSWORD)
            csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/clients/coffeelab").text)
            assert csrf is not None
            out = client.post(
                "/clients/coffeelab/connections/signin",
                data={"source": "metrica", "object_id": str(COUNTER_ID), "csrf": csrf.group(1)},
                follow_redirects=False,
            )
            sent = parse_qs(urlsplit(out.headers["location"]).query)
            assert sent["scope"] == ["metrika:read"] and sent["code_challenge_method"] == ["S256"]
            page = client.get(consent(out.headers["location"]))
    text = text_of(page.text)
    assert page.status_code == 200, text
    assert "Connected coffeelab: Yandex Metrica counter 98765432 «Кофелаб» (coffeelab.ru)." in text
    expires = (datetime.now(UTC) + timedelta(seconds=31_536_000)).date()
    assert format_day(expires, "en") in text  # the token's year, shown as when it expires
