"""Screenshots of the web app's main pages on the demo workspace, for docs/images (headless
Debian chromium driven by Playwright): the overview, a client, its connections and scheduled
reports, a shared report and the overview on a phone, the report section's period picker.

    .venv/bin/python scripts/web_screenshots.py [demo-workspace]     # make web-pages
"""

from __future__ import annotations

import shutil
import socket
import sys
import threading
import time
from datetime import date
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from smmkpi.web.app import create_app
from smmkpi.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images"
TODAY = date(2026, 11, 26)  # the demo's day (smmkpi demo --as-of 2026-11-26)


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "demo-workspace")
    app = create_app(Workspace.open(folder), today=lambda: TODAY)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    OUT.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.goto(f"{base}/signin?lang=ru")
        page.fill("input[name=username]", "anna")
        page.fill("input[name=password]", "demo-anna-2026")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        page.screenshot(path=str(OUT / "web-overview.png"), full_page=True)
        signed_in = page.context.storage_state()
        small = browser.new_context(viewport={"width": 390, "height": 844}, storage_state=signed_in)
        small.new_page().goto(f"{base}/")
        small.pages[0].screenshot(path=str(OUT / "web-overview-phone.png"), full_page=True)
        small.close()
        page.goto(f"{base}/clients/homedecor?period=2026-Q3")
        page.locator("#report").screenshot(path=str(OUT / "web-report-period.png"))
        page.goto(f"{base}/clients/homedecor")
        page.screenshot(path=str(OUT / "web-client.png"), full_page=True)
        page.goto(f"{base}/clients/coffeelab")
        page.locator("#connections").screenshot(path=str(OUT / "web-connections.png"))
        page.goto(f"{base}/clients/fitnest")  # its report waits for approval (smmkpi demo)
        page.locator("#deliveries").screenshot(path=str(OUT / "web-deliveries.png"))
        page.locator("#content_section").screenshot(path=str(OUT / "web-content.png"))
        page.locator("#competitors_section").screenshot(path=str(OUT / "web-competitors.png"))
        page.goto(f"{base}/clients/homedecor")
        page.click("text=Изменить бриф")
        page.locator("#brief").screenshot(path=str(OUT / "web-brief.png"))
        page.click("button:text('Создать ссылку')")
        link = page.locator("p.flash.ok code").inner_text()
        phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        phone.goto(link)
        phone.screenshot(path=str(OUT / "web-share-phone.png"))
        browser.close()
    server.should_exit = True
    print("\n".join(sorted(str(p.relative_to(ROOT)) for p in OUT.glob("web-*.png"))))


if __name__ == "__main__":
    main()
