"""Syncing amoCRM and Bitrix24 from the sandbox through the real CLI, on both engines: the
leads and sales equal a file import of the same pages, pages are followed, the long-lived
token and the webhook's address (its secret) never show, and the CRMs' refusals and rate limits
become the contract's statuses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from smmkpi.sandbox.crm import AmoPlatform, BitrixPlatform
from smmkpi.sandbox.server import Sandbox
from smmkpi.workspace import Workspace
from tests.support.sandbox import AMO_DATA, BITRIX_DATA, crm_sandbox
from tests.sync.conftest import smmkpi

CRM = tuple[Sandbox, AmoPlatform, BitrixPlatform]


@pytest.fixture
def crm(monkeypatch: pytest.MonkeyPatch) -> Iterator[CRM]:
    with crm_sandbox(monkeypatch) as found:
        yield found


def sync(
    workspace: Workspace, source: str, first: str = "2025-03-01"
) -> tuple[int, dict[str, Any], str]:
    code, output = smmkpi(workspace, "sync", "--source", source, "--format", "json",
                          "--as-of", "2025-04-01", "--from", first)  # fmt: skip
    return code, (json.loads(output)[0] if output.startswith("[") else {}), output


def crm_rows(workspace: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    with workspace.open_store(read_only=True) as store:
        return {
            "leads": store.con.execute(
                "SELECT client_id, lead_id, created_at, utm_source, utm_medium, utm_campaign, "
                "channel, status FROM leads ORDER BY 2"
            ).fetchall(),
            "sales": store.con.execute(
                "SELECT client_id, sale_id, lead_id, closed_at, amount FROM sales ORDER BY 2"
            ).fetchall(),
        }


def by_hand(
    agency: Workspace, tmp_path: Path, request: pytest.FixtureRequest, data: Path, name: str
) -> Workspace:
    """A second workspace of the same engine with ``data`` imported as a file."""
    url = agency.settings.store.url
    if url:
        url = request.getfixturevalue("postgres_server").new_database(
            name + agency.path.parent.name[-8:]
        )
    found = Workspace.init(tmp_path / name, "By hand", url)[0]
    assert smmkpi(found, "import", str(tmp_path / "data"))[0] == 0
    code, output = smmkpi(found, "import", str(data), "--client", "coffeelab")
    assert code == 0, output
    return found


def test_amocrm_syncs_the_leads_changed_in_the_window_page_by_page(
    agency: Workspace, crm: CRM, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    sandbox, _amo, _bitrix = crm
    code, output = smmkpi(agency, "connect", "amocrm", "coffeelab", "--subdomain", "homedecor",
                          "--token-env", "AMO", env={"AMO": "amo-token"})  # fmt: skip
    assert code == 0, output
    assert "Connected coffeelab: amoCRM account «Хоумдекор» (RUB)." in output
    code, result, output = sync(agency, "amocrm")
    assert code == 0, output
    leads = [c.params for c in sandbox.calls if c.method == "amocrm:leads"]
    since = str(int(datetime(2025, 3, 1, tzinfo=UTC).timestamp()))
    # the recorded pages hold four leads; two a page, and the third page answers 204
    assert [(p["page"], p["filter[updated_at][from]"]) for p in leads] == [
        ("1", since), ("2", since),
    ]  # fmt: skip
    assert result["status"] == "ok"
    assert crm_rows(by_hand(agency, tmp_path, request, AMO_DATA, "amo")) == crm_rows(agency)
    assert "amo-token" not in output


def test_bitrix24_syncs_leads_and_deals_and_its_webhook_stays_secret(
    agency: Workspace, crm: CRM, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    sandbox, _amo, bitrix = crm
    webhook = f"{sandbox.url}/rest/1/abc123secret/"
    code, output = smmkpi(agency, "connect", "bitrix24", "coffeelab", "--webhook-env", "HOOK",
                          env={"HOOK": webhook})  # fmt: skip
    assert code == 0, output
    assert "Connected coffeelab: Bitrix24 as Анна Смирнова (scopes: crm, user)." in output
    bitrix.faults.add("crm.deal.list", "rate_limited")  # 503 QUERY_LIMIT_EXCEEDED: retried
    code, result, output = sync(agency, "bitrix24", "2025-02-01")  # deal 504 is of February
    assert (code, result["status"]) == (0, "ok"), output
    # pages of two from start 0: 3 leads and 5 deals in the recorded answers; a page met
    # QUERY_LIMIT_EXCEEDED (the fault, or the 2-a-second bucket after connect's calls) and was
    # asked again
    asked = {(c.method, c.params["start"]) for c in sandbox.calls if "crm." in c.method}
    assert asked == {
        ("bitrix24:crm.lead.list", "0"), ("bitrix24:crm.lead.list", "2"),
        ("bitrix24:crm.deal.list", "0"), ("bitrix24:crm.deal.list", "2"),
        ("bitrix24:crm.deal.list", "4"),
    }  # fmt: skip
    assert bitrix.faults.next("crm.deal.list") is None  # the fault was met
    assert crm_rows(by_hand(agency, tmp_path, request, BITRIX_DATA, "bx")) == crm_rows(agency)
    code, listed = smmkpi(agency, "connections", "--format", "json")
    for text in (output, listed):
        assert "abc123secret" not in text
    with agency.open_store(read_only=True) as store:
        (sealed,) = store.con.execute(
            "SELECT credential FROM connections WHERE source = 'bitrix24'"
        ).fetchone()
    assert "abc123secret" not in sealed


def test_refused_crm_credentials_are_not_saved_and_never_echoed(
    agency: Workspace, crm: CRM
) -> None:
    sandbox, _amo, _bitrix = crm
    code, output = smmkpi(agency, "connect", "amocrm", "coffeelab", "--subdomain", "homedecor",
                          "--token-env", "AMO", env={"AMO": "stolen-token"})  # fmt: skip
    assert code == 1
    assert (
        "amoCRM answered api/v4/account with HTTP 401: Unauthorized Nothing was saved."
        in " ".join(output.split())
    )
    code, output = smmkpi(agency, "connect", "bitrix24", "coffeelab", "--webhook-env", "HOOK",
                          env={"HOOK": f"{sandbox.url}/rest/2/nocrm/"})  # fmt: skip
    assert code == 1
    assert "The Bitrix24 webhook was not given the crm scope (it has: user)." in " ".join(
        output.split()
    )
    code, output = smmkpi(agency, "connect", "bitrix24", "coffeelab", "--webhook-env", "HOOK",
                          env={"HOOK": "http://evil.example/rest/1/topsecret/"})  # fmt: skip
    assert code == 1 and "not a Bitrix24 inbound webhook's address" in output
    assert "topsecret" not in output
    code, output = smmkpi(agency, "connect", "bitrix24", "coffeelab", "--webhook-env", "HOOK",
                          env={"HOOK": f"{sandbox.url}/rest/1/wrongsecret/"})  # fmt: skip
    assert code == 1
    assert "Bitrix24 answered scope.json with HTTP 401: INVALID_CREDENTIALS" in output
    assert "wrongsecret" not in output
    with agency.open_store(read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM connections").fetchone() == (0,)
