"""End to end in a real headless Chromium (Debian's `chromium`, driven by Playwright; no browser
is downloaded): sign in, see the plan, upload a file and see the fact move, edit a target,
write the commentary, download the report, share it, open the link signed out, revoke it and see it
refused."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, expect, sync_playwright

from smmkpi.web.app import create_app
from smmkpi.workspace import Workspace
from tests.conftest import copy_workspace
from tests.web.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


SWAP_MS = 60_000  # a save recomputes the page's charts and history: slow on a busy CI machine


@pytest.fixture(scope="module")
def server(agency: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web app on a loopback port, over a copy of the agency's workspace."""
    folder = copy_workspace(agency, tmp_path_factory.mktemp("e2e") / "ws")
    app = create_app(Workspace.open(folder), today=lambda: date(2026, 3, 20))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline, "the web app did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def test_a_specialist_shares_a_report_and_revokes_it(
    server: str, browser: Browser, tmp_path: Path
) -> None:
    context = browser.new_context(accept_downloads=True, locale="en-US")
    page = context.new_page()
    page.goto(f"{server}/")
    assert page.url == f"{server}/signin"
    page.goto(f"{server}/signin?lang=en")  # the language is kept in a cookie from here on
    page.fill("input[name=username]", "anna")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/")
    assert page.locator("table.list a").all_inner_texts() == ["Пекарня «Колос»"]

    page.click("text=Пекарня «Колос»")
    # 20 March: plan against fact for March; the report is February's, the last full month
    rows = page.locator("table.list").first.locator("tbody tr")
    assert rows.count() == 5  # the plan's KPIs: ER, ERR, leads, CPL, contact clicks
    assert page.input_value("input[name='target:er']") == "3.00%"  # the ER target, editable

    leads = rows.filter(has_text="Leads from social")
    assert leads.locator("td").nth(2).inner_text() == "10"  # the fact so far
    upload = tmp_path / "leads.csv"
    upload.write_text(
        "client_id,lead_id,created_at,utm_source\nbakery,L90,2026-03-15T12:00:00+03:00,vk\nbakery,L91,2026-03-16T12:00:00+03:00,vk\n",
        encoding="utf-8",
    )
    dropped = page.evaluate_handle(  # a file dragged from the desktop onto the upload zone
        """(text) => { const data = new DataTransfer();
           data.items.add(new File([text], "leads.csv", {type: "text/csv"})); return data; }""",
        upload.read_text(encoding="utf-8"),
    )
    page.dispatch_event("label.drop", "drop", {"dataTransfer": dropped})
    assert page.locator("label.drop .chosen").inner_text() == "leads.csv"
    page.click("button:text('Import')")
    assert "leads: 2 new" in page.locator("#upload .flash.ok").inner_text()
    leads = (
        page.locator("table.list").first.locator("tbody tr").filter(has_text="Leads from social")
    )
    assert leads.locator("td").nth(2).inner_text() == "12"  # the fact moved with the upload

    page.evaluate("window.stayed = true")  # gone if a form loads a whole new page
    page.fill("input[name='target:er']", "5%")
    page.fill("input[name=why]", "agreed with the bakery")
    page.click("button:text('Save the targets')")
    expect(page.locator("#plan .flash.ok")).to_have_text(
        "Saved revision 2 of plan bakery-2026-03.", timeout=SWAP_MS
    )
    er = page.locator("table.list").first.locator("tbody tr").filter(has_text="ER (by followers)")
    assert page.input_value("input[name='target:er']") == "5.00%"
    assert er.locator("td").nth(3).inner_text() == "83%"  # 4.17 % so far of a 5 % target

    page.click("text=Edit the brief")
    page.select_option("select[name=main_goal]", "sales")
    page.fill("textarea[name=success_criteria]", "Cake orders from VK")
    page.click("button:text('Save the brief')")
    expect(page.locator("#brief .flash.ok")).to_have_text(
        "Saved revision 2 of the brief.", timeout=SWAP_MS
    )
    assert "Cake orders from VK" in page.locator("#brief dl").inner_text()
    expect(page.locator("#headline")).to_contain_text(
        "The goal of the promotion: sales.", timeout=SWAP_MS
    )

    page.fill("textarea[name=conclusions]", "ER grew after the spring bread series")
    page.click("text=Save the commentary")
    expect(page.locator("#report .flash.ok")).to_have_text(
        "Saved revision 1 of the commentary.", timeout=SWAP_MS
    )
    assert page.input_value("textarea[name=conclusions]") == "ER grew after the spring bread series"
    assert page.evaluate("window.stayed") is True  # the three forms swapped their sections in

    with page.expect_download() as download:
        page.click("a.button:text('PDF')")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "bakery-2026-02-en.pdf" and saved.read_bytes().startswith(b"%PDF")

    page.select_option("select[name=language]", "en")
    page.click("button:text('Create a link')")
    link = page.locator("p.flash.ok code").inner_text()
    assert "/s/" in link

    outsider = browser.new_context(locale="en-US").new_page()  # signed out, another browser
    response = outsider.goto(link)
    assert response is not None and response.status == 200
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "ER grew after the spring bread series" in outsider.content()
    assert outsider.locator("h1").first.inner_text() == "Пекарня «Колос»"

    page.goto(f"{server}/clients/bakery")
    page.click("button:text('Revoke')")
    refused = outsider.goto(link)
    assert refused is not None and refused.status == 404
    assert "There is no such link, or it was revoked." in outsider.content()
    context.close()


def test_the_overview_filters_as_you_type(server: str, browser: Browser) -> None:
    page = browser.new_context(locale="en-US").new_page()
    page.goto(f"{server}/signin?lang=en")
    page.fill("input[name=username]", "boss")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/")
    names = page.locator("table.overview tbody td:first-child a")
    assert sorted(names.all_inner_texts()) == ["Rival <b>Bakery</b>", "Пекарня «Колос»"]
    page.wait_for_function("() => window.htmx !== undefined")  # the bundled htmx, no CDN
    page.fill("input[name=q]", "rival")  # no button pressed: htmx swaps the table in place
    page.wait_for_url("**/?q=rival**")
    page.wait_for_function(
        "() => document.querySelectorAll('table.overview tbody td:first-child a').length === 1"
    )
    assert names.all_inner_texts() == ["Rival <b>Bakery</b>"]
