"""The web app on the bakery's workspace (tests/report/conftest.py) with a second client: sign-in,
CSRF, rate limit, isolation between clients, reports, share links."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from smmkpi.metrics.periods import Period
from smmkpi.planning.plans import with_target
from smmkpi.store import shares
from smmkpi.web.app import create_app
from smmkpi.web.auth import SignInLimiter
from smmkpi.workspace import Workspace
from tests.conftest import copy_workspace
from tests.web.conftest import PASSWORD, run

TODAY = date(2026, 4, 10)


@pytest.fixture
def client(agency: Path) -> Iterator[TestClient]:
    app = create_app(Workspace.open(agency), today=lambda: TODAY, limiter=SignInLimiter(3, 60))
    with TestClient(app) as test_client:
        yield test_client


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> int:
    form = client.get("/signin")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    response = client.post(
        "/signin",
        data={"username": username, "password": password, "csrf": csrf.group(1)},
        follow_redirects=False,
    )
    return response.status_code


def csrf_of(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def test_signing_in_sets_a_protected_session_cookie(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/signin"
    form = client.get("/signin")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/signin",
        data={"username": "anna", "password": PASSWORD, "csrf": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = next(h for h in response.headers.get_list("set-cookie") if "smmkpi_session=" in h)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert len(cookie.split("=", 1)[1].split(";")[0]) >= 43  # 256 bits, URL-safe
    page = client.get("/")
    assert page.status_code == 200 and "Пекарня «Колос»" in page.text


def test_a_wrong_password_and_a_forged_form_are_refused_and_limited(client: TestClient) -> None:
    assert sign_in(client, "anna", "wrong password!") == 401
    response = client.post(
        "/signin", data={"username": "anna", "password": PASSWORD, "csrf": "forged"}
    )
    assert response.status_code == 400
    assert sign_in(client, "anna", "wrong again!!") == 401
    assert sign_in(client, "nobody", "whatever!!") == 401
    form = client.get("/signin")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    blocked = client.post(  # the right password, but after 3 failures from this address
        "/signin", data={"username": "anna", "password": PASSWORD, "csrf": csrf}
    )
    assert blocked.status_code == 429 and "Too many failed attempts" in blocked.text
    assert "smmkpi_session" not in blocked.headers.get("set-cookie", "")


def test_each_user_sees_only_their_clients(client: TestClient) -> None:
    assert sign_in(client, "anna") == 303
    page = client.get("/").text
    assert "Пекарня «Колос»" in page and "Rival" not in page
    client.cookies.clear()
    assert sign_in(client, "boss") == 303
    page = client.get("/").text
    assert "Пекарня «Колос»" in page and "Rival &lt;b&gt;Bakery&lt;/b&gt;" in page


def test_another_clients_ids_answer_404_everywhere(client: TestClient) -> None:
    assert sign_in(client, "anna") == 303
    csrf = csrf_of(client, "/clients/bakery")
    for method, path, data in (
        ("get", "/clients/rival", None),
        ("get", "/clients/rival/report/2026-03.pdf", None),
        ("get", "/clients/nosuch", None),
        ("post", "/clients/rival/commentary", {"csrf": csrf, "month": "2026-03"}),
        ("post", "/clients/rival/shares", {"csrf": csrf, "month": "2026-03", "days": "3"}),
        ("post", "/clients/rival/shares/abc/revoke", {"csrf": csrf}),
    ):
        response = getattr(client, method)(path, data=data) if data else client.get(path)
        assert response.status_code == 404, (method, path)
        assert "Rival" not in response.text


def test_a_client_viewer_reads_but_does_not_change(client: TestClient) -> None:
    assert sign_in(client, "rita") == 303
    page = client.get("/clients/rival")
    assert page.status_code == 200 and "Rival &lt;b&gt;Bakery&lt;/b&gt;" in page.text
    assert "Save the commentary" not in page.text and "Share links" not in page.text
    response = client.post(
        "/clients/rival/commentary",
        data={"csrf": csrf_of(client, "/clients/rival"), "month": "2026-03", "conclusions": "x"},
    )
    assert response.status_code == 403


def test_forms_without_the_csrf_token_are_refused(client: TestClient) -> None:
    assert sign_in(client, "anna") == 303
    response = client.post(
        "/clients/bakery/commentary", data={"month": "2026-03", "conclusions": "hacked"}
    )
    assert response.status_code == 403


def test_the_commentary_and_the_report_files(client: TestClient) -> None:
    assert sign_in(client, "anna") == 303
    csrf = csrf_of(client, "/clients/bakery")
    response = client.post(
        "/clients/bakery/commentary",
        data={
            "csrf": csrf,
            "month": "2026-03",
            "conclusions": "<script>alert(1)</script> рост",
            "next_month": "Две рубрики",
        },
    )
    assert response.status_code == 200
    saved = re.search(r'<section class="card" id="report">.*?</section>', response.text, re.S)
    assert saved is not None and "Saved revision 1 of the commentary." in saved.group(0)
    again = client.post(
        "/clients/bakery/commentary",
        data={
            "csrf": csrf,
            "month": "2026-03",
            "conclusions": "<script>alert(1)</script> рост ",  # the same, but for a space
            "next_month": "Две рубрики",
        },
    )
    assert "The commentary is unchanged." in again.text
    page = client.get("/clients/bakery").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; рост" in page and "<script>" not in page
    pdf = client.get("/clients/bakery/report/2026-03.pdf?lang=en")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"] == 'attachment; filename="bakery-2026-03-en.pdf"'
    xlsx = client.get("/clients/bakery/report/2026-03.xlsx")
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as archive:
        assert "xl/workbook.xml" in archive.namelist()
    html = client.get("/clients/bakery/report/2026-03.html").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; рост" in html  # the commentary, escaped


def test_a_share_link_opens_signed_out_until_revoked(client: TestClient, agency: Path) -> None:
    assert sign_in(client, "anna") == 303
    csrf = csrf_of(client, "/clients/bakery")
    created = client.post(
        "/clients/bakery/shares",
        data={"csrf": csrf, "month": "2026-03", "language": "en", "days": "7"},
    )
    url = re.search(r"<code>(http[^<]+/s/([^<]+))</code>", created.text)
    assert url is not None
    token = url.group(2)
    assert len(token) >= 43  # 256 bits
    client.cookies.clear()  # signed out
    shared = client.get(f"/s/{token}")
    assert shared.status_code == 200
    assert shared.headers["referrer-policy"] == "no-referrer"
    assert shared.headers["x-robots-tag"] == "noindex, nofollow"
    assert "Пекарня «Колос»" in shared.text and "Rival" not in shared.text
    # a client opens the client edition: no import files, not the product's name
    assert "Data sources" not in shared.text and "Prepared with smmkpi" not in shared.text
    assert client.get(f"/s/{token[:-1]}x").status_code == 404
    assert sign_in(client, "anna") == 303
    internal = client.get("/clients/bakery/report/2026-03.html?lang=en&edition=internal")
    assert "Data sources" in internal.text and "Prepared with smmkpi" in internal.text
    assert internal.headers["content-disposition"] == (
        'attachment; filename="bakery-2026-03-en-internal.html"'
    )
    default = client.get("/clients/bakery/report/2026-03.html?lang=en").text  # report.edition
    assert "Data sources" not in default
    page = client.get("/clients/bakery").text
    link_id = re.search(r"<td><code>([^<]+)</code></td><td>2026-03</td>", page).group(1)  # type: ignore[union-attr]
    revoked = client.post(
        f"/clients/bakery/shares/{link_id}/revoke",
        data={"csrf": csrf_of(client, "/clients/bakery")},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    client.cookies.clear()
    assert client.get(f"/s/{token}").status_code == 404
    with client.app.state.db.store() as store:  # type: ignore[attr-defined]
        assert [o for _t, o in shares.views_of(store.con, link_id)] == ["active", "revoked"]


def test_the_report_section_picks_any_period_and_shares_it(client: TestClient) -> None:
    assert sign_in(client, "anna") == 303
    page = client.get("/clients/bakery?period=2026-Q1", headers={"accept-language": "en"}).text
    section = re.search(r'<section class="card" id="report">.*?</section>', page, re.S)
    assert section is not None
    assert "Report for Q1 2026" in section.group(0)
    assert '<option value="2026-Q1" selected>Q1 2026</option>' in section.group(0)
    assert "/clients/bakery/report/2026-Q1.pdf" in section.group(0)
    pdf = client.get("/clients/bakery/report/2026-Q1.pdf?lang=en")
    assert pdf.headers["content-disposition"] == 'attachment; filename="bakery-2026-Q1-en.pdf"'
    ranged = client.get("/clients/bakery?from=2026-03-01&to=2026-03-15").text
    assert "/clients/bakery/report/2026-03-01_2026-03-15.html" in ranged
    html = client.get("/clients/bakery/report/2026-03-01_2026-03-15.html?lang=en").text
    # the first half of March: 12 link clicks on 12 days (10–12 March missing)
    assert "March 1–15, 2026" in html and ">144<" in html
    wrong = client.get("/clients/bakery?from=2026-03-15&to=2026-03-01").text
    assert "The period ends (2026-03-01) before it starts (2026-03-15)." in wrong
    assert client.get("/clients/bakery/report/2026-Q5.pdf").status_code == 404
    created = client.post(
        "/clients/bakery/shares",
        data={
            "csrf": csrf_of(client, "/clients/bakery"),
            "month": "2026-Q1",
            "language": "en",
            "days": "7",
        },
    )
    token = re.search(r"<code>http[^<]+/s/([^<]+)</code>", created.text).group(1)  # type: ignore[union-attr]
    client.cookies.clear()
    shared = client.get(f"/s/{token}")
    assert shared.status_code == 200 and "Q1 2026" in shared.text
    xlsx = client.get(f"/s/{token}?format=xlsx")
    assert xlsx.headers["content-disposition"] == 'attachment; filename="bakery-2026-Q1-en.xlsx"'


def test_an_expired_share_link_answers_410(client: TestClient) -> None:
    now = datetime.now(UTC)
    link = shares.ShareLink(
        "old-link",
        "bakery",
        "report",
        "2026-03",
        "ru",
        "anna",
        now - timedelta(days=40),
        now - timedelta(days=10),
        None,
    )
    from smmkpi.web.auth import token_hash

    with client.app.state.db.store() as store, store.transaction():  # type: ignore[attr-defined]
        shares.add_link(store.con, link, token_hash("expired-token"))
    response = client.get("/s/expired-token")
    assert response.status_code == 410 and "Срок действия ссылки истёк" in response.text  # ru link
    assert response.headers["x-robots-tag"] == "noindex, nofollow"


def test_pages_send_security_headers(client: TestClient) -> None:
    response = client.get("/signin")
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_the_overview_shows_each_clients_month_and_alerts(agency: Path) -> None:
    app = create_app(Workspace.open(agency), today=lambda: date(2026, 3, 20))
    with TestClient(app) as client:
        assert sign_in(client, "boss") == 303
        page = client.get("/?lang=en").text
        rows = re.findall(r"<tr><td><a href=\"/clients/(\w+)\">.*?</tr>", page, re.S)
        assert rows == ["rival", "bakery"] or rows == ["bakery", "rival"]
        bakery = re.search(r'href="/clients/bakery".*?</tr>', page, re.S).group(0)  # type: ignore[union-attr]
        # as of 20 March: ERR off track, ER and CPL on track, leads achieved, contact clicks unknown
        assert '<span class="status off_track">off track</span>' in bakery
        assert "off track: 1 · on track: 2 · achieved: 1 · no data: 1" in bakery
        assert "KPIs off track" in bakery and "no plan this month" not in bakery
        rival = re.search(r'href="/clients/rival".*?</tr>', page, re.S).group(0)  # type: ignore[union-attr]
        assert "no plan this month" in rival and "data older than 3 days" in rival
        only = client.get("/?status=none&sort=status").text
        assert "/clients/rival" in only and "/clients/bakery" not in only
        found = client.get("/?q=колос").text
        assert "/clients/bakery" in found and "/clients/rival" not in found
        assert "1 of 2 clients" in found


def test_an_upload_imports_a_file_and_a_bad_one_writes_nothing(
    client: TestClient, tmp_path: Path
) -> None:
    assert sign_in(client, "anna") == 303
    csrf = csrf_of(client, "/clients/bakery")
    good = b"account_id,date,reach\nbakery-vk,2026-04-01,150\nbakery-vk,2026-04-02,170\n"
    response = client.post(
        "/clients/bakery/imports",
        data={"csrf": csrf},
        files=[("files", ("account_daily.csv", good, "text/csv"))],  # canonical, by its name
    )
    assert response.status_code == 200
    assert "account_daily.csv</strong> (canonical)" in response.text
    assert "account_daily: 2 new" in response.text
    bad = b"account_id,date,reach\nbakery-vk,2026-04-03,many\n"
    response = client.post(
        "/clients/bakery/imports",
        data={"csrf": csrf_of(client, "/clients/bakery")},
        files=[("files", ("account_daily.csv", bad, "text/csv"))],
    )
    assert response.status_code == 422
    error = re.findall(r'flash error">(.*?)</div>', response.text, re.S)[0]
    assert "nothing was written" in error
    assert "account_daily.csv, row 2, column &#39;reach&#39;, value &#39;many&#39;" in error
    response = client.post(
        "/clients/bakery/imports",
        data={"csrf": csrf_of(client, "/clients/bakery")},
        files=[("files", ("../../апрель <b>.csv", good, "text/csv"))],
    )
    assert response.status_code == 422  # not recognised: a canonical file is named after its table
    assert "../../апрель &lt;b&gt;.csv" in response.text and "<b>.csv" not in response.text
    with client.app.state.db.store() as store:  # type: ignore[attr-defined]
        rows = store.con.execute(
            "SELECT date, reach FROM account_daily WHERE date >= DATE '2026-04-01' ORDER BY date"
        ).fetchall()
    assert [r[1] for r in rows] == [150, 170]  # the bad file added nothing
    uploads = list((Path(client.app.state.db.workspace.path) / "uploads").rglob("*.csv"))  # type: ignore[attr-defined]
    assert all(".." not in p.name and "/" not in p.name for p in uploads)
    assert {p.name for p in uploads} >= {"account_daily.csv", "апрель _b_.csv"}


def test_a_viewer_cannot_upload(client: TestClient) -> None:
    assert sign_in(client, "rita") == 303
    response = client.post(
        "/clients/rival/imports",
        data={"csrf": csrf_of(client, "/clients/rival")},
        files=[("files", ("x.csv", b"a,b\n", "text/csv"))],
    )
    assert response.status_code == 403


def test_targets_are_edited_as_a_new_plan_revision(agency: Path, tmp_path: Path) -> None:
    from smmkpi.web.editing import parse_number

    assert parse_number("2 500,00 ₽", "ru") == 2500.0
    assert parse_number("3,5 %", "ru") == 3.5
    assert parse_number("RUB2,500.00", "en") == 2500.0
    assert parse_number("many", "en") is None
    folder = copy_workspace(agency, tmp_path / "ws")
    app = create_app(Workspace.open(folder), today=lambda: date(2026, 3, 20))
    with TestClient(app) as client:
        assert sign_in(client, "anna") == 303
        page = client.get("/clients/bakery?lang=en").text
        assert 'name="target:er" value="3.00%"' in page
        response = client.post(
            "/clients/bakery/targets",
            data={
                "csrf": csrf_of(client, "/clients/bakery"),
                "target:er": "4.5%",
                "target:leads": "8",  # unchanged
                "why": "agreed on the call",
            },
        )
        assert response.status_code == 200
        assert "Saved revision 2 of plan bakery-2026-03." in response.text
        assert 'name="target:er" value="4.50%"' in response.text
        with app.state.db.store() as store:
            from smmkpi.store import revisions

            latest = revisions.plan_revisions(store.con, "bakery-2026-03")[-1]
        assert (latest.author, latest.note) == ("anna", "agreed on the call")
        er = next(k for k in latest.content["kpis"] if k["kpi"] == "er")
        assert er["targets"]["2026-03"] == {
            "conservative": None,
            "target": 4.5,
            "stretch": None,
            "source": "manual",
        }
        refused = client.post(
            "/clients/bakery/targets",
            data={"csrf": csrf_of(client, "/clients/bakery"), "target:er": "lots"},
        )
        assert refused.status_code == 422 and "&#39;lots&#39; is not a number" in refused.text


def test_a_form_sent_by_htmx_gets_its_section_alone(
    agency: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """htmx swaps in the form's section and the headline: the answer is those two, computed
    alone — the same HTML as in the whole page, and none of the page's other parts computed."""
    from smmkpi.web import client_page

    folder = copy_workspace(agency, tmp_path / "ws")
    app = create_app(Workspace.open(folder), today=lambda: date(2026, 3, 20))
    htmx = {"HX-Request": "true"}
    with TestClient(app) as client:
        assert sign_in(client, "anna") == 303
        csrf = csrf_of(client, "/clients/bakery")

        def not_computed(*_args: object, **_kwargs: object) -> object:
            raise AssertionError("a part of the page the section does not show was computed")

        monkeypatch.setattr(client_page, "insights", not_computed)
        monkeypatch.setattr(client_page.connections, "section", not_computed)
        monkeypatch.setattr(client_page.deliveries, "section", not_computed)
        monkeypatch.setattr(client_page, "recent_imports", not_computed)
        plan = client.post(
            "/clients/bakery/targets",
            data={"csrf": csrf, "target:er": "4.5%", "target:leads": "8"},
            headers={**htmx, "Accept-Language": "en"},
        )
        assert plan.status_code == 200
        assert plan.text.startswith('<div id="headline">')
        assert re.findall(r'<section class="card[^"]*" id="(\w+)"', plan.text) == ["plan"]
        assert "<html" not in plan.text
        assert "Saved revision 2 of plan bakery-2026-03." in plan.text
        assert 'name="target:er" value="4.50%"' in plan.text
        refused = client.post(
            "/clients/bakery/targets",
            data={"csrf": csrf, "target:er": "lots"},
            headers=htmx,
        )
        assert refused.status_code == 422 and "&#39;lots&#39; is not a number" in refused.text
        report = client.post(
            "/clients/bakery/commentary",
            data={"csrf": csrf, "month": "2026-01", "conclusions": "Январь: рост"},
            headers=htmx,
        )
        assert re.findall(r'<section class="card[^"]*" id="(\w+)"', report.text) == ["report"]
        assert "Saved revision 1 of the commentary." in report.text
        assert "Январь: рост</textarea>" in report.text  # the month it was saved for
        assert '<input type="hidden" name="month" value="2026-01">' in report.text
        monkeypatch.undo()
        whole = client.get("/clients/bakery?lang=en").text
        section = re.search(r'<section class="card" id="plan">.*?</section>', whole, re.S)
        assert section is not None
        alone = re.search(r'<section class="card" id="plan">.*?</section>', plan.text, re.S)
        assert alone is not None
        without_notes = re.sub(r'<p class="flash[^>]*>.*?</p>', "", alone.group(0))
        assert without_notes == section.group(0)


def test_the_overview_is_computed_ahead_when_asked(
    agency: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from smmkpi.web import overview

    app = create_app(Workspace.open(agency), today=lambda: TODAY, warm_overview=True)
    with TestClient(app) as client:
        for thread in threading.enumerate():
            if thread.name == "smmkpi-overview":
                thread.join(60)

        def no_more(*_args: object) -> list[overview.OverviewRow]:
            raise AssertionError("the overview was computed again")

        monkeypatch.setattr(overview, "compute_rows", no_more)
        assert sign_in(client, "boss") == 303
        page = client.get("/").text  # answered from what the start computed
        assert "/clients/bakery" in page and "/clients/rival" in page


def test_client_pages_are_computed_ahead_when_asked(
    agency: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a start the server computes every client's page ahead (plan against fact, charts,
    history), so the first visit computes none of it."""
    import threading

    from smmkpi.planning import service
    from smmkpi.web import client_page

    app = create_app(
        Workspace.open(agency), today=lambda: TODAY, warm_overview=True, warm_pages=True
    )
    with TestClient(app) as client:
        for name in ("smmkpi-overview", "smmkpi-pages"):
            for thread in threading.enumerate():
                if thread.name == name:
                    thread.join(120)

        def computed_again(*_args: object, **_kwargs: object) -> None:
            raise AssertionError("the client's page was computed on the visit")

        for module, name in (
            (client_page, "compose_all"),
            (service, "status"),
            (service, "history"),
        ):
            monkeypatch.setattr(module, name, computed_again)
        assert sign_in(client, "boss") == 303
        page = client.get("/clients/bakery")
        assert page.status_code == 200
        assert "<svg" in page.text  # the goal's charts, drawn ahead


def test_the_overview_follows_a_new_day_and_changes_made_outside_the_server(
    agency: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smmkpi.planning import service
    from smmkpi.web import overview

    computed: list[date] = []
    real = overview.compute_rows

    def counted(
        store: object, today: date, rules: object, tolerance: float
    ) -> list[overview.OverviewRow]:
        computed.append(today)
        return real(store, today, rules, tolerance)  # type: ignore[arg-type]

    def wait_for(count: int) -> None:
        deadline = time.monotonic() + 30
        while len(computed) < count:
            assert time.monotonic() < deadline, f"computed {len(computed)} times, not {count}"
            time.sleep(0.05)

    monkeypatch.setattr(overview, "compute_rows", counted)
    folder = copy_workspace(agency, tmp_path / "ws")
    day = [date(2026, 3, 20)]
    app = create_app(Workspace.open(folder), today=lambda: day[0], watch_seconds=0.1)
    with TestClient(app):
        wait_for(1)  # at the start
        day[0] = date(2026, 3, 21)
        wait_for(2)  # a new day, nobody asking
        with app.state.db.store() as store:  # as another server or the CLI would
            plan = service.plan_for(store, "bakery", Period.month("2026-03"))
            changed = with_target(plan, "er", [Period.month("2026-03")], 4.0)
            service.save(store, changed, "someone", "outside")
        wait_for(3)
        time.sleep(0.5)
        assert computed == [date(2026, 3, 20), date(2026, 3, 21), date(2026, 3, 21)]


def test_a_live_dashboard_link_shows_this_months_plan_read_only(agency: Path) -> None:
    app = create_app(Workspace.open(agency), today=lambda: date(2026, 3, 20))
    with TestClient(app) as client:
        assert sign_in(client, "anna") == 303
        created = client.post(
            "/clients/bakery/shares",
            data={
                "csrf": csrf_of(client, "/clients/bakery"),
                "month": "2026-02",
                "kind": "dashboard",
                "language": "en",
                "days": "3",
            },
        )
        token = re.search(r"/s/([^<]+)</code>", created.text).group(1)  # type: ignore[union-attr]
        assert "live dashboard" in created.text
        client.cookies.clear()
        shared = client.get(f"/s/{token}")
        assert shared.status_code == 200
        assert shared.headers["x-robots-tag"] == "noindex, nofollow"
        assert "Plan against fact: March 2026" in shared.text
        assert "ER (by followers)" in shared.text and "on track" in shared.text
        assert "<form" not in shared.text and "Rival" not in shared.text  # nothing to change


def test_the_client_page_shows_the_brief_and_recent_imports(agency: Path) -> None:
    app = create_app(Workspace.open(agency), today=lambda: date(2026, 3, 20))
    with TestClient(app) as client:
        assert sign_in(client, "anna") == 303
        page = client.get("/clients/bakery?lang=en").text
        assert "<dt>Why does the client want SMM — in the client&#39;s own words?</dt>" in page
        assert "<dd>Постоянные гости &lt;b&gt;и&lt;/b&gt; заказы тортов</dd>" in page
        imports = re.search(r'<table class="list imports">.*?</table>', page, re.S)
        assert imports is not None and "<td>canonical</td>" in imports.group(0)


def test_the_brief_is_edited_in_the_browser_as_a_new_revision(agency: Path, tmp_path: Path) -> None:
    folder = copy_workspace(agency, tmp_path / "ws")
    app = create_app(Workspace.open(folder), today=lambda: date(2026, 3, 20))
    with TestClient(app) as client:
        assert sign_in(client, "anna") == 303
        page = client.get("/clients/bakery?lang=en").text
        form = re.search(r'<form [^>]*action="/clients/bakery/brief".*?</form>', page, re.S)
        assert form is not None
        assert 'hx-target="#brief"' in form.group(0)  # htmx swaps the section in
        assert '<option value="community" selected>' in form.group(0)
        assert 'name="secondary_goals" value="sales" checked' in form.group(0)
        assert "Постоянные гости &lt;b&gt;и&lt;/b&gt; заказы тортов</textarea>" in form.group(0)
        answers = {
            "csrf": csrf_of(client, "/clients/bakery"),
            "business": "Пекарня у метро",
            "real_goal": "Постоянные гости <b>и</b> заказы тортов",
            "main_goal": "sales",
            "secondary_goals": ["community", "sales"],
            "accounts": ["bakery-vk"],
            "monthly_budget": "150 000,50",
            "sales_cycle_days": "3",
            "note": "after the call",
        }
        saved = client.post("/clients/bakery/brief?lang=ru", data=answers)
        assert saved.status_code == 200
        assert "Сохранена редакция 2 брифа." in saved.text
        assert "<dd>Пекарня у метро</dd>" in saved.text
        assert "<dt>Главная цель продвижения</dt><dd>Продажи</dd>" in saved.text
        assert "<dd>150\u00a0000,50\u00a0₽</dd>" in saved.text  # in the client's currency
        assert "Цель продвижения: продажи; также сообщество." in saved.text  # the headline
        again = client.post("/clients/bakery/brief?lang=ru", data=answers)
        assert "Бриф не изменился." in again.text
        bad = client.post(
            "/clients/bakery/brief?lang=en",
            data={**answers, "monthly_budget": "-5", "accounts": ["rival-vk"]},
        )
        assert bad.status_code == 422
        assert "monthly_budget" in bad.text and 'value="-5"' in bad.text  # kept to correct
        with app.state.db.store() as store:
            from smmkpi.store import revisions

            latest = revisions.latest_brief(store.con, "bakery")
        assert latest is not None and latest.revision == 2 and latest.author == "anna"
        assert latest.note == "after the call"
        assert latest.content["main_goal"] == "sales"
        assert latest.content["secondary_goals"] == ["community"]
        assert latest.content["monthly_budget"] == "150000.50"
        assert latest.content["sales_cycle_days"] == 3
        assert sign_in(client, "rita") == 303
        refused = client.post(
            "/clients/bakery/brief", data={**answers, "csrf": csrf_of(client, "/")}
        )
        assert refused.status_code == 404  # another client's brief


def test_uploaded_files_can_be_checked_before_they_are_imported(client: TestClient) -> None:
    assert sign_in(client, "anna") == 303
    data = b"account_id,date,reach\nbakery-vk,2026-06-01,111\nbakery-vk,2026-06-02,<b>x</b>\n"
    checked = client.post(
        "/clients/bakery/imports",
        data={"csrf": csrf_of(client, "/clients/bakery"), "action": "preview"},
        files=[("files", ("account_daily.csv", data, "text/csv"))],
    )
    assert checked.status_code == 200
    assert "account_daily.csv</strong> — read as canonical" in checked.text
    assert "<td>bakery-vk</td><td>2026-06-01</td><td>111</td>" in checked.text
    assert "&lt;b&gt;x&lt;/b&gt;" in checked.text  # the file's cells, escaped
    with client.app.state.db.store() as store:  # type: ignore[attr-defined]
        count = store.con.execute(
            "SELECT count(*) FROM account_daily WHERE date >= DATE '2026-06-01'"
        ).fetchone()
    assert count == (0,)  # nothing imported by the check
    batch = re.search(r'name="batch" value="([^"]+)"', checked.text).group(1)  # type: ignore[union-attr]
    confirmed = client.post(
        "/clients/bakery/imports/confirm",
        data={"csrf": csrf_of(client, "/clients/bakery"), "batch": batch},
    )
    assert confirmed.status_code == 422  # the second row's reach is not a number
    assert "row 3, column &#39;reach&#39;" in confirmed.text
    forged = client.post(
        "/clients/bakery/imports/confirm",
        data={"csrf": csrf_of(client, "/clients/bakery"), "batch": "../../../../etc"},
    )
    assert forged.status_code == 404


def test_guessing_share_links_is_limited_per_address(agency: Path) -> None:
    app = create_app(
        Workspace.open(agency), today=lambda: TODAY, share_limiter=SignInLimiter(3, 60)
    )
    now = datetime.now(UTC)
    link = shares.ShareLink(
        "office-link", "bakery", "dashboard", None, "en", "anna", now, now + timedelta(days=7), None
    )
    from smmkpi.secret_key import keyed_hash, secret_key
    from smmkpi.web.auth import token_hash

    with TestClient(app) as client:
        with client.app.state.db.store() as store, store.transaction():  # type: ignore[attr-defined]
            shares.add_link(store.con, link, token_hash("the-office-token"))
        assert [client.get(f"/s/guess-{i}").status_code for i in range(4)] == [404, 404, 404, 429]
        # the guesser shares the office's address: the office's real link still opens
        assert client.get("/s/the-office-token").status_code == 200
        assert client.get("/s/guess-5").status_code == 429
        with client.app.state.db.store() as store:  # type: ignore[attr-defined]
            logged = store.con.execute(
                "SELECT client_address FROM share_views WHERE link_id = 'office-link'"
            ).fetchall()
    # the log keeps a keyed hash of the address (TestClient's is "testclient"), not the address
    expected = keyed_hash(secret_key(agency), "testclient", "share-view address")
    assert logged == [(expected,)] and len(expected) == 16 and expected != "testclient"
    assert oct((agency / "secret.key").stat().st_mode & 0o777) == "0o600"


def test_expired_sessions_are_forgotten_at_the_next_sign_in(client: TestClient) -> None:
    with client.app.state.db.store() as store, store.transaction():  # type: ignore[attr-defined]
        store.con.execute(
            "INSERT INTO login_sessions VALUES ('old', 'anna', 'x', TIMESTAMPTZ '2020-01-01', "
            "TIMESTAMPTZ '2020-01-02')"
        )
    assert sign_in(client, "anna") == 303
    with client.app.state.db.store() as store:  # type: ignore[attr-defined]
        left = store.con.execute(
            "SELECT count(*) FROM login_sessions WHERE token_hash = 'old'"
        ).fetchone()
    assert left == (0,)


def test_requests_take_turns_on_duckdb_and_run_side_by_side_on_postgresql(agency: Path) -> None:
    """While one request holds the database, another waits for it on a DuckDB file (one
    connection) and is answered on PostgreSQL (a pool of connections)."""
    import threading

    shared = bool(Workspace.open(agency).settings.store.url)
    app = create_app(Workspace.open(agency), today=lambda: date(2026, 3, 20))
    db = app.state.db
    assert db.size == (8 if shared else 1)
    with TestClient(app) as client:
        assert sign_in(client, "anna") == 303
        answered: list[int] = []
        with db.store():  # a slow request holds a connection
            other = threading.Thread(
                target=lambda: answered.append(client.get("/clients/bakery").status_code)
            )
            other.start()
            other.join(30 if shared else 1.5)
            assert other.is_alive() is not shared
        other.join(30)
        assert answered == [200]


def test_a_page_opened_before_a_colleague_saved_keeps_their_target(
    agency: Path, tmp_path: Path
) -> None:
    """anna's page shows ER 3.00 % and 8 leads; boss then sets ER to 4.5 %; anna changes only
    the leads on her page: boss's ER stays. On PostgreSQL they use two servers of the team."""
    folder = copy_workspace(agency, tmp_path / "ws")
    first = create_app(Workspace.open(folder), today=lambda: date(2026, 3, 20))
    shared = bool(Workspace.open(folder).settings.store.url)
    second = (
        create_app(Workspace.open(folder), today=lambda: date(2026, 3, 20)) if shared else first
    )
    with TestClient(first) as anna, TestClient(second) as boss:
        assert sign_in(anna, "anna") == 303 and sign_in(boss, "boss") == 303
        opened = anna.get("/clients/bakery?lang=en").text
        assert 'name="shown:er" value="3.00%"' in opened
        assert 'name="shown:leads" value="8"' in opened
        anna_csrf = re.search(r'name="csrf" value="([^"]+)"', opened).group(1)  # type: ignore[union-attr]
        saved = boss.post(
            "/clients/bakery/targets",
            data={
                "csrf": csrf_of(boss, "/clients/bakery"),
                "target:er": "4.5%",
                "shown:er": "3.00%",
                "target:leads": "8",
                "shown:leads": "8",
            },
        )
        assert "Saved revision 2 of plan bakery-2026-03." in saved.text
        stale = anna.post(  # her page as it was, with only the leads changed
            "/clients/bakery/targets",
            data={
                "csrf": anna_csrf,
                "target:er": "3.00%",
                "shown:er": "3.00%",
                "target:leads": "10",
                "shown:leads": "8",
            },
        )
        assert "Saved revision 3 of plan bakery-2026-03." in stale.text
        assert "someone else" not in stale.text
        assert 'name="target:er" value="4.50%"' in stale.text  # boss's target kept and shown
        assert 'name="target:leads" value="10"' in stale.text


def test_two_servers_saving_targets_at_once_both_land_on_postgresql(
    agency: Path, tmp_path: Path
) -> None:
    """Two servers on one PostgreSQL workspace save the same target at the same moment: both
    saves land as revisions 2 and 3, the second built on the first and saying whose value it
    replaced."""
    import threading

    import psycopg

    from smmkpi.store import revisions
    from smmkpi.store.database import REVISION_LOCK

    folder = copy_workspace(agency, tmp_path / "ws")
    url = Workspace.open(folder).settings.store.url
    if not url:
        pytest.skip("servers share a PostgreSQL store; a DuckDB file has one writing process")

    def today() -> date:
        return date(2026, 3, 20)

    first = create_app(Workspace.open(folder), today=today)
    second = create_app(Workspace.open(folder), today=today)
    with TestClient(first) as anna, TestClient(second) as boss:
        assert sign_in(anna, "anna") == 303 and sign_in(boss, "boss") == 303
        # hold the lock a save takes until both saves wait for it
        holder = psycopg.connect(url, autocommit=True)
        holder.execute("BEGIN")
        holder.execute("SELECT pg_advisory_xact_lock(%s)", [REVISION_LOCK])
        answers: dict[str, str] = {}
        forms = {
            "anna": (anna, csrf_of(anna, "/clients/bakery"), "12"),
            "boss": (boss, csrf_of(boss, "/clients/bakery"), "14"),
        }

        def save(name: str) -> None:
            client, csrf, leads = forms[name]
            data = {"csrf": csrf, "target:leads": leads, "shown:leads": "8"}
            answers[name] = client.post("/clients/bakery/targets", data=data).text

        threads = [threading.Thread(target=save, args=(name,)) for name in forms]
        for thread in threads:
            thread.start()
        for _ in range(100):
            waiting = holder.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            ).fetchone()
            if waiting and waiting[0] == 2:
                break
            time.sleep(0.05)
        assert waiting == (2,)
        holder.execute("COMMIT")
        holder.close()
        for thread in threads:
            thread.join(60)
        with Workspace.open(folder).open_store(read_only=True) as store:
            found = revisions.plan_revisions(store.con, "bakery-2026-03")
        assert [r.revision for r in found] == [1, 2, 3]
        later = next(name for name in forms if "Saved revision 3 " in answers[name])
        earlier = next(name for name in forms if name != later)
        assert "Saved revision 2 of plan bakery-2026-03." in answers[earlier]
        assert "someone else" not in answers[earlier]
        leads = next(k for k in found[-1].content["kpis"] if k["kpi"] == "leads")
        assert leads["targets"]["2026-03"]["target"] == float(forms[later][2])
        assert found[-1].author == later
        assert (
            f"Leads from social: someone else set {forms[earlier][2]} after you opened the page "
            f"(you saw 8); your {forms[later][2]} replaced it."
        ) in answers[later]


def test_a_client_without_goal_data_plan_or_brief_says_what_to_do_next(
    agency: Path, tmp_path: Path
) -> None:
    folder = copy_workspace(agency, tmp_path / "ws")
    run(folder, "client", "add", "fresh", "--name", "Fresh")
    run(folder, "client", "add", "started", "--name", "Started", "--goal", "sales")
    app = create_app(Workspace.open(folder), today=lambda: TODAY)
    with TestClient(app) as client:
        assert sign_in(client, "boss") == 303
        page = client.get("/clients/fresh?lang=en")
        assert page.status_code == 200
        steps = re.search(r'id="steps">.*?<ol>(.*?)</ol>', page.text, re.S)
        assert steps is not None
        items = re.findall(r"<li>(.*?)</li>", steps.group(1).replace("&#39;", "'"))
        assert items == [
            "Set the promotion's goal: fill in the brief below (its main goal), or run `smmkpi "
            "client add fresh --goal sales` (awareness, community or sales).",
            "Add the client's accounts: `smmkpi account add ACCOUNT_ID --client fresh --platform "
            "vk` (one per community, channel or profile).",
            "Import the statistics: drop the platforms' exports (6–24 months of history) into the "
            "upload below.",
            "Create the KPI plan from the goal and the history: `smmkpi plan create fresh`.",
        ]
        assert "The report follows the goal: set it first" in page.text
        report = client.get("/clients/fresh/report/2026-03.pdf?lang=en")
        assert report.status_code == 422
        assert "fresh has no goal yet: fill in its brief (smmkpi brief fresh)" in report.text
        started = client.get("/clients/started?lang=en")
        assert started.status_code == 200
        assert len(re.findall(r"<li>", started.text.split('id="steps"')[1].split("</ol>")[0])) == 3
        assert "/clients/started/report/2026-03.pdf" in started.text
        # the bakery has its goal, accounts, data and plan: nothing left to do
        assert 'id="steps"' not in client.get("/clients/bakery").text


def test_an_unexpected_error_is_a_page_with_an_incident_id_and_a_crash_log(
    agency: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smmkpi.web import api, client_page

    def broken(*_args: object) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(client_page, "recent_imports", broken)
    monkeypatch.setattr(api, "compute_kpis", broken)
    folder = copy_workspace(agency, tmp_path / "ws")
    token = run(folder, "user", "token", "boss").strip().splitlines()[-1]
    app = create_app(Workspace.open(folder), today=lambda: TODAY)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert sign_in(client, "boss") == 303
        page = client.get("/clients/bakery?lang=en")
        assert page.status_code == 500
        assert "Something went wrong" in page.text and "Traceback" not in page.text
        incident = re.search(r"the incident number ([0-9a-f]{8})", page.text)
        assert incident is not None
        assert page.headers["X-Frame-Options"] == "DENY"
        (log,) = (folder / "logs").glob(f"crash-*-{incident.group(1)}.log")
        assert "RuntimeError: the disk went away" in log.read_text(encoding="utf-8")
        russian = client.get("/clients/bakery?lang=ru")
        assert "Что-то пошло не так" in russian.text
        answer = client.get(
            "/api/clients/bakery/kpis?month=2026-03", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 500
        assert set(answer.json()) == {"detail", "incident"}
        assert len(list((folder / "logs").glob(f"crash-*-{answer.json()['incident']}.log"))) == 1


def test_a_viewer_of_one_client_lands_on_its_page(client: TestClient) -> None:
    assert sign_in(client, "rita") == 303
    landing = client.get("/", follow_redirects=False)
    assert (landing.status_code, landing.headers["location"]) == (303, "/clients/rival")


def test_a_clients_viewer_gets_the_client_edition_only(client: TestClient) -> None:
    assert sign_in(client, "rita") == 303
    shown = client.get("/clients/rival/report/2026-03.html?lang=en")
    assert shown.status_code == 200 and "Data sources" not in shown.text
    assert client.get("/clients/rival/report/2026-03.html?edition=internal").status_code == 404
    assert client.get("/clients/rival/report/2026-03.html?edition=draft").status_code == 404


LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    '<rect width="10" height="10"/></svg>'
)


def test_the_pages_a_client_sees_carry_the_agencys_look(
    agency: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy_workspace(agency, tmp_path / "look")
    (folder / "logo.svg").write_text(LOGO, encoding="utf-8")
    monkeypatch.setenv("SMMKPI__WORKSPACE__NAME", "Агентство «Рост»")
    monkeypatch.setenv("SMMKPI__REPORT__LOGO", "logo.svg")
    monkeypatch.setenv("SMMKPI__REPORT__PRIMARY_COLOUR", "#0B6E4F")
    with TestClient(create_app(Workspace.open(folder))) as client:
        page = client.get("/signin?lang=ru").text
    title = re.search(r"<title>(.*)</title>", page)
    assert title is not None and title[1] == "Войти — Агентство «Рост»"
    assert ":root { --primary: #0B6E4F;" in page
    assert '<img class="logo" src="data:image/svg+xml;base64,' in page
    assert "smmkpi" not in page.replace("/static/", "")  # white-label: no product name
    monkeypatch.setenv("SMMKPI__WEB__PRODUCT_NAME", "true")  # the agency turns it on
    with TestClient(create_app(Workspace.open(folder))) as client:
        page = client.get("/signin?lang=ru").text
    assert "<title>Войти — Агентство «Рост» · smmkpi</title>" in page
