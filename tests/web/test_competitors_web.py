"""The client page's competitors section: the accounts the brief names as suggestions, following
and unfollowing a competitor with the command's words, and no one else's client touched."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from smmkpi.web.app import create_app
from smmkpi.workspace import Workspace
from tests.web.conftest import run
from tests.web.test_web import csrf_of, sign_in

BRIEF = {
    "main_goal": "community",
    "business": "Пекарня. Конкуренты: «Хлеб и Ко» (vk.com/hleb_i_ko, https://t.me/pekarnya_msk) "
    "и кондитерская instagram.com/tortiki.spb; пост о нас: https://vk.com/wall-1_5",
}


@pytest.fixture
def client(agency: Path, tmp_path: Path) -> Iterator[TestClient]:
    brief = tmp_path / "brief.yaml"
    brief.write_text(yaml.safe_dump(BRIEF, allow_unicode=True), encoding="utf-8")
    run(agency, "brief", "bakery", "--file", brief)
    app = create_app(Workspace.open(agency), today=lambda: date(2026, 4, 10))
    with TestClient(app) as test_client:
        yield test_client


def section(html: str) -> str:
    found = re.search(r'<section class="card" id="competitors_section">.*?</section>', html, re.S)
    assert found is not None
    return found.group(0)


def test_the_brief_suggests_competitors_and_a_specialist_follows_one(client: TestClient) -> None:
    assert sign_in(client, "anna") == 303
    page = section(client.get("/clients/bakery?lang=en").text)
    # the links to accounts, in the brief's order; not the link to a post
    assert re.findall(r"Follow (\S+) \((\w+)\)", page) == [
        ("hleb_i_ko", "vk"), ("pekarnya_msk", "telegram"), ("tortiki.spb", "instagram"),
    ]  # fmt: skip
    csrf = csrf_of(client, "/clients/bakery")
    followed = client.post(
        "/clients/bakery/competitors?lang=en",
        data={"csrf": csrf, "platform": "vk", "handle": "hleb_i_ko"},
        headers={"HX-Request": "true"},
    )
    assert followed.status_code == 200
    assert 'id="plan"' not in followed.text  # the section and the headline only
    page = section(followed.text)
    assert "bakery follows hleb_i_ko on vk." in page
    assert '<span class="rule">vk: hleb_i_ko</span>' in page
    assert re.findall(r"Follow (\S+) \((\w+)\)", page) == [
        ("pekarnya_msk", "telegram"), ("tortiki.spb", "instagram"),
    ]  # fmt: skip
    assert "ER by followers" not in page  # nothing read yet: no comparison to show
    again = client.post(
        "/clients/bakery/competitors?lang=en",
        data={"csrf": csrf, "platform": "vk", "handle": "https://hleb_i_ko/"},
    )
    assert again.status_code == 422
    assert "bakery follows hleb_i_ko on vk already." in again.text
    wrong = client.post(
        "/clients/bakery/competitors?lang=en",
        data={"csrf": csrf, "platform": "myspace", "handle": "x"},
    )
    assert wrong.status_code == 422  # the command's words
    assert "Unknown platform &#39;myspace&#39;. Known: facebook, instagram" in wrong.text
    removed = client.post(
        "/clients/bakery/competitors/remove?lang=en",
        data={"csrf": csrf, "platform": "vk", "handle": "hleb_i_ko"},
    )
    assert removed.status_code == 200
    assert "bakery no longer follows hleb_i_ko on vk." in removed.text


def test_nobody_follows_competitors_for_another_client(client: TestClient) -> None:
    assert sign_in(client, "rita") == 303
    csrf = csrf_of(client, "/clients/rival")
    answer = client.post(
        "/clients/bakery/competitors", data={"csrf": csrf, "platform": "vk", "handle": "x"}
    )
    assert answer.status_code in (403, 404)
    viewer = client.post(
        "/clients/rival/competitors", data={"csrf": csrf, "platform": "vk", "handle": "x"}
    )
    assert viewer.status_code == 403
    assert "competitors_section" not in client.get("/clients/rival").text  # nothing to show
