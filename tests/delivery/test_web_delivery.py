"""Delivery in the web app, on both engines: the client page lists the reports held and why,
an editor approves one (only for a client of theirs), and the server's background run sends
what is due — into a real SMTP server on loopback."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from smmkpi.cli.app import app as cli
from smmkpi.sandbox.mail import MailSink
from smmkpi.store import deliveries
from smmkpi.web.app import create_app
from smmkpi.web.background_delivery import BackgroundDelivery
from smmkpi.workspace import Workspace
from tests.conftest import add_user, write_table
from tests.delivery.test_deliver import deliver, schedule
from tests.web.test_web import sign_in


def test_held_reports_are_listed_with_why_and_approved(agency: Path, sink: MailSink) -> None:
    write_table(agency.parent / "rival", "clients", [{"client_id": "rival", "name": "Rival"}])
    CliRunner().invoke(cli, ["-w", str(agency), "import", str(agency.parent / "rival")])
    add_user(agency, "anna", "specialist", "bakery")
    schedule(agency, "--to", "email:anna@kolos.ru", "--review", "--format", "pdf")
    code, rows = deliver(agency, "--due", "--now", "2026-04-03T07:00:00Z")
    assert (code, [(r["month"], r["status"]) for r in rows]) == (0, [("2026-03", "held")])

    web = TestClient(create_app(Workspace.open(agency)))
    assert sign_in(web, "anna") == 303
    page = web.get("/clients/bakery").text
    section = page[page.index('id="deliveries"') :]
    assert "waiting for approval (smmkpi delivery approve bakery --month 2026-03)" in section
    assert "email:anna@kolos.ru" in section and "(after approval)" in section
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None
    answer = web.post("/clients/rival/deliveries/approve",
                      data={"month": "2026-03", "csrf": csrf[1]})  # fmt: skip
    assert answer.status_code in (403, 404)  # not anna's client
    answer = web.post("/clients/bakery/deliveries/approve",
                      data={"month": "2026-03", "csrf": csrf[1]})  # fmt: skip
    assert answer.status_code == 200
    assert (
        "Approved bakery's report for March 2026: it goes out with the next due run."
        in html.unescape(answer.text)
    )
    site = web.app.state.site  # type: ignore[attr-defined]
    with site.db.store() as store:
        assert deliveries.approved(store.con, "bakery", "2026-03")
        assert not deliveries.approved(store.con, "rival", "2026-03")

    # the server's own run sends it, as deliver --due would
    done = BackgroundDelivery(site).run_once(datetime(2026, 4, 3, 8, 0, tzinfo=UTC))
    assert done is not None
    assert [(o.month, o.destination, o.status) for o in done.reports] == [
        ("2026-03", "email:anna@kolos.ru", "sent")
    ]
    assert [m.recipients for m in sink.received] == [("anna@kolos.ru",)]
    page = web.get("/clients/bakery").text
    section = page[page.index('id="deliveries"') :]
    assert '<span class="status delivery-sent">sent</span>' in section
    assert "waiting for approval" not in section
