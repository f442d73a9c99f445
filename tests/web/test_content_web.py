"""The client page's content section: the posting heatmap of the last three full months and the
rubrics, added and removed by the bakery's specialist with the command's checks and words; no
one else's client touched."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from smmkpi.web.app import create_app
from smmkpi.workspace import Workspace
from tests.web.test_web import csrf_of, sign_in

TODAY = date(2026, 4, 10)  # the last full month: March 2026


@pytest.fixture
def client(agency: Path) -> Iterator[TestClient]:
    app = create_app(Workspace.open(agency), today=lambda: TODAY)
    with TestClient(app) as test_client:
        yield test_client


def section(html: str) -> str:
    found = re.search(r'<section class="card" id="content_section">.*?</section>', html, re.S)
    assert found is not None
    return found.group(0)


def test_the_heatmap_places_each_post_in_its_local_weekday_and_hour(client: TestClient) -> None:
    """The bakery's posts of January to March, all at 10:00 Moscow time: P1 Monday, F1
    (February) Tuesday, P5 Wednesday, P2 Thursday, P4 Friday, P3 Sunday; one post each, too
    few to colour as more or less engaging."""
    assert sign_in(client, "anna") == 303
    html = section(client.get("/clients/bakery?lang=en").text)
    assert "When posts engage: 6 posts since January 1, 2026" in html
    cells = re.findall(r'<td class="([^"]+)" title="([^"]+)">(\d+)</td>', html)
    assert [(title.split(" — ")[0], count) for _c, title, count in cells] == [
        ("Mon 10:00", "1"), ("Tue 10:00", "1"), ("Wed 10:00", "1"), ("Thu 10:00", "1"),
        ("Fri 10:00", "1"), ("Sun 10:00", "1"),
    ]  # fmt: skip
    # P1: 50 + 10 + 5 + 5 interactions, 1,000 followers: 2.15 times the 195 / 6,000 of all six
    assert ("high few", "Mon 10:00 — 1 post, ER 7.00\u00a0%", "1") in cells
    assert html.count('<td class="none">') == 7 * 24 - 6
    assert "Best slots" not in html  # no slot has 5 posts


def test_a_specialist_adds_and_removes_a_rubric(client: TestClient) -> None:
    assert sign_in(client, "anna") == 303
    csrf = csrf_of(client, "/clients/bakery")
    added = client.post(
        "/clients/bakery/rubrics?lang=en",
        data={"csrf": csrf, "name": "Торты", "hashtags": "#торт, #праздник",
              "contains": "на заказ\nторт", "posts": "P1"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert added.status_code == 200
    assert added.text.count('id="content_section"') == 1
    assert 'id="plan"' not in added.text  # htmx gets the section and the headline only
    assert "Rubric Торты of bakery: 5 rules added." in added.text
    rubrics = section(added.text)
    assert "<tr><td>Торты</td><td>" in rubrics
    rules = re.findall(r'<span class="rule">([^<]+)</span>', rubrics)
    assert rules == ["#праздник", "#торт", "«на заказ»", "«торт»", "P1"]
    refused = client.post(
        "/clients/bakery/rubrics?lang=en",
        data={"csrf": csrf, "name": "Акции", "hashtags": "#coffee-lab"},
    )
    assert refused.status_code == 422
    assert "&#39;#coffee-lab&#39; is not one hashtag: a # and letters, digits or _" in refused.text
    empty = client.post("/clients/bakery/rubrics?lang=en", data={"csrf": csrf, "name": "Пусто"})
    assert empty.status_code == 422
    assert "A rubric needs a rule: a hashtag, a text its posts hold or a post id." in empty.text
    removed = client.post(
        "/clients/bakery/rubrics/remove?lang=en", data={"csrf": csrf, "name": "Торты"}
    )
    assert removed.status_code == 200
    assert "Removed the rubric Торты of bakery." in removed.text
    assert "No rubrics yet" in section(removed.text)
    # refused with the command's words: a rubric no more there, a rubric without a name
    again = client.post(
        "/clients/bakery/rubrics/remove?lang=en", data={"csrf": csrf, "name": "Торты"}
    )
    assert again.status_code == 422
    assert "bakery has no rubric Торты (see `smmkpi rubric list`)." in again.text
    nameless = client.post(
        "/clients/bakery/rubrics?lang=en", data={"csrf": csrf, "name": " ", "posts": "P1"}
    )
    assert nameless.status_code == 422 and "A rubric needs a name." in nameless.text
    one = client.post(
        "/clients/bakery/rubrics?lang=en", data={"csrf": csrf, "name": "Торты", "posts": "P1"}
    )
    assert "Rubric Торты of bakery: 1 rule added." in one.text
    client.post("/clients/bakery/rubrics/remove", data={"csrf": csrf, "name": "Торты"})


def test_nobody_changes_another_clients_rubrics(client: TestClient) -> None:
    """Rita sees only the rival: the bakery's rubrics are not hers to add, even with a valid
    form token of her own."""
    assert sign_in(client, "rita") == 303
    csrf = csrf_of(client, "/clients/rival")
    answer = client.post("/clients/bakery/rubrics", data={"csrf": csrf, "name": "X", "posts": "P1"})
    assert answer.status_code in (403, 404)
    viewer = client.post("/clients/rival/rubrics", data={"csrf": csrf, "name": "X", "posts": "1"})
    assert viewer.status_code == 403  # a client viewer edits nothing
    assert sign_in(client, "boss") == 303
    for client_id in ("bakery", "rival"):
        assert "No rubrics yet" in section(client.get(f"/clients/{client_id}?lang=en").text)
