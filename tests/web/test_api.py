"""The JSON API: token authentication, the same JSON as the CLI, and isolation between clients."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from smmkpi.cli.app import app as cli
from smmkpi.metrics.compute import compute_kpis
from smmkpi.metrics.output import to_json
from smmkpi.metrics.periods import Period
from smmkpi.web.app import create_app
from smmkpi.workspace import Workspace


def token_for(folder: Path, user: str) -> str:
    result = CliRunner().invoke(cli, ["-w", str(folder), "--lang", "en", "user", "token", user])
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def api(agency: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    tokens = {user: token_for(agency, user) for user in ("anna", "boss", "rita")}
    app = create_app(Workspace.open(agency), today=lambda: date(2026, 3, 20))
    with TestClient(app) as client:
        yield client, tokens


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_calls_without_a_valid_token_are_refused(api: tuple[TestClient, dict[str, str]]) -> None:
    client, _tokens = api
    assert client.get("/api/clients").status_code == 401
    assert client.get("/api/clients", headers=auth("not-a-token")).status_code == 401


def test_each_token_sees_its_users_clients(api: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = api
    anna = client.get("/api/clients", headers=auth(tokens["anna"])).json()
    assert [c["client_id"] for c in anna] == ["bakery"]
    assert anna[0]["accounts"] == [
        {"account_id": "bakery-vk", "platform": "vk", "handle": None, "name": "Колос"}
    ]
    boss = client.get("/api/clients", headers=auth(tokens["boss"])).json()
    assert [c["client_id"] for c in boss] == ["bakery", "rival"]


def test_kpis_are_the_json_of_the_cli(api: tuple[TestClient, dict[str, str]], agency: Path) -> None:
    client, tokens = api
    found = client.get("/api/clients/bakery/kpis?month=2026-03", headers=auth(tokens["anna"]))
    assert found.status_code == 200
    body = found.json()
    assert body["kpis"]["er"] == pytest.approx(3.5) and body["kpis"]["leads"] == 10
    with client.app.state.db.store() as store:  # type: ignore[attr-defined]
        results = compute_kpis(store.backend, Period.month("2026-03"), ["bakery"])
    assert body == json.loads(to_json(results, single=True))  # what `smmkpi kpi` prints
    quarter = client.get("/api/clients/bakery/kpis?period=2026-Q1", headers=auth(tokens["anna"]))
    # February's 280 link clicks and March's 336; six posts, 195 interactions on 1,000 followers
    assert quarter.json()["kpis"]["link_clicks"] == 616
    assert quarter.json()["kpis"]["er"] == pytest.approx(195 / 6000 * 100)
    wrong = client.get("/api/clients/bakery/kpis?period=2026-Q5", headers=auth(tokens["anna"]))
    assert wrong.status_code == 422 and "2026-Q3" in wrong.json()["detail"]


def test_status_plans_and_report_files(api: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = api
    status = client.get("/api/clients/bakery/status", headers=auth(tokens["anna"])).json()
    assert status["plan_id"] == "bakery-2026-03"
    er = next(k for k in status["kpis"] if k["kpi"] == "er")
    assert er["target"] == 3.0 and er["status"] == "on_track"
    plans = client.get("/api/clients/bakery/plans", headers=auth(tokens["anna"])).json()
    assert [p["plan_id"] for p in plans] == ["bakery-2026-03"]
    xlsx = client.get("/api/clients/bakery/reports/2026-03.xlsx", headers=auth(tokens["anna"]))
    assert xlsx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as archive:
        assert any(n.startswith("xl/charts/") for n in archive.namelist())
    internal = client.get(
        "/api/clients/bakery/reports/2026-03.html?lang=en&edition=internal",
        headers=auth(tokens["anna"]),
    )
    assert internal.status_code == 200 and "Data sources" in internal.text
    # a client's viewer: the client edition, never the internal one
    path = "/api/clients/rival/reports/2026-03.html"
    assert client.get(path, headers=auth(tokens["rita"])).status_code == 200
    refused = client.get(f"{path}?edition=internal", headers=auth(tokens["rita"]))
    assert refused.status_code == 403


def test_another_clients_ids_answer_404(api: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = api
    for path in (
        "/api/clients/rival/kpis",
        "/api/clients/rival/status",
        "/api/clients/rival/plans",
        "/api/clients/rival/reports/2026-03.pdf",
        "/api/clients/nosuch/kpis",
    ):
        assert client.get(path, headers=auth(tokens["anna"])).status_code == 404, path
    assert client.get("/api/clients/bakery/kpis", headers=auth(tokens["rita"])).status_code == 404


def test_the_openapi_schema_lists_the_api_only(api: tuple[TestClient, dict[str, str]]) -> None:
    client, _tokens = api
    schema = client.get("/api/openapi.json").json()
    assert sorted(schema["paths"]) == [
        "/api/clients",
        "/api/clients/{client_id}/imports",
        "/api/clients/{client_id}/kpis",
        "/api/clients/{client_id}/plans",
        "/api/clients/{client_id}/reports/{month}.{kind}",
        "/api/clients/{client_id}/status",
    ]


def test_files_are_imported_through_the_api(api: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = api
    good = b"account_id,date,reach\nbakery-vk,2026-05-01,150\n"
    response = client.post(
        "/api/clients/bakery/imports",
        headers=auth(tokens["anna"]),
        files=[("files", ("account_daily.csv", good, "text/csv"))],
    )
    assert response.status_code == 200
    assert response.json() == [
        {
            "file": "account_daily.csv",
            "importer": "canonical",
            "ok": True,
            "result": "account_daily: 1 new",
            "warnings": [],
        }
    ]
    bad = b"account_id,date,reach\nbakery-vk,2026-05-02,lots\n"
    refused = client.post(
        "/api/clients/bakery/imports",
        headers=auth(tokens["anna"]),
        files=[("files", ("account_daily.csv", bad, "text/csv"))],
    )
    assert refused.status_code == 422 and refused.json()[0]["ok"] is False
    assert "row 2, column 'reach', value 'lots'" in refused.json()[0]["result"]
    viewer = client.post(
        "/api/clients/rival/imports",
        headers=auth(tokens["rita"]),
        files=[("files", ("account_daily.csv", good, "text/csv"))],
    )
    assert viewer.status_code == 403
    other = client.post(
        "/api/clients/rival/imports",
        headers=auth(tokens["anna"]),
        files=[("files", ("account_daily.csv", good, "text/csv"))],
    )
    assert other.status_code == 404
