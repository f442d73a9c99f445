"""The Python API (``shared/spec/python-api.md``) on the hand-computed agency, on both engines:
the same values as the CLI's JSON, the contract's table, errors of the package's own kinds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import smmkpi
from smmkpi.cli.app import app
from smmkpi.errors import MissingExtraError, UnavailableError, UnknownChoiceError, UserError
from smmkpi.workspace import Workspace
from tests.conftest import CANONICAL, import_path
from tests.metrics.test_agency_golden import LA, LA_IG, MOSCOW


@pytest.fixture
def agency(workspace: Workspace) -> smmkpi.Workspace:
    import_path(workspace, CANONICAL / "agency")
    target = workspace.settings.store.url or workspace.path
    return smmkpi.open(target)


def cli_json(workspace_path: Path, *args: str) -> object:
    done = CliRunner().invoke(app, ["-w", str(workspace_path), *args])
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def test_a_clients_kpis_are_the_clis_json(agency: smmkpi.Workspace, workspace: Workspace) -> None:
    found = agency.kpis(client="la", month="2025-03")
    assert found.to_dict() == cli_json(
        workspace.path, "kpi", "--client", "la", "--month", "2025-03", "--format", "json"
    )
    assert found.value("leads") == LA["leads"] == 3
    assert found.value("er") == pytest.approx(LA["er"])
    assert found.value("er", account="la-ig") == pytest.approx(LA_IG["er"])
    every = agency.kpis(month="2025-03")
    assert sorted(every.to_dict()) == ["la", "moscow", "quiet"]
    assert every.value("mentions", client="moscow") == MOSCOW["mentions"]
    with pytest.raises(UserError, match="several clients"):
        every.value("er")


def test_the_table_has_a_row_per_client_account_and_kpi(agency: smmkpi.Workspace) -> None:
    table = agency.kpis(client="la", month="2025-03").to_arrow()
    assert table.schema.names == ["client", "account", "kpi", "value", "unit"]
    assert [str(t) for t in table.schema.types] == ["string", "string", "string", "double",
                                                    "string"]  # fmt: skip
    rows = table.to_pylist()
    # 46 client-level KPIs and 33 for each of LA's accounts (la-ig)
    assert len(rows) == 46 + 33
    assert {"client": "la", "account": None, "kpi": "leads", "value": 3.0, "unit": "count"} in rows
    er = next(r for r in rows if r["account"] == "la-ig" and r["kpi"] == "er")
    assert er["value"] == pytest.approx(LA_IG["er"]) and er["unit"] == "percent"
    frame = agency.kpis(client="la", month="2025-03").to_pandas()
    assert list(frame.columns) == ["client", "account", "kpi", "value", "unit"]
    assert len(frame) == 46 + 33
    assert frame.loc[(frame["account"] == "la-ig") & (frame["kpi"] == "er"), "value"].item() == (
        pytest.approx(LA_IG["er"])
    )
    polars = agency.kpis(client="la", month="2025-03").to_polars()
    assert polars.columns == ["client", "account", "kpi", "value", "unit"]
    assert polars.to_dicts() == rows


def test_pandas_and_polars_are_named_when_missing(
    agency: smmkpi.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = agency.kpis(client="la", month="2025-03")
    for module in ("pandas", "polars"):
        monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed
    with pytest.raises(MissingExtraError, match=r"pip install pandas$"):
        found.to_pandas()
    with pytest.raises(MissingExtraError, match=r"pip install polars$"):
        found.to_polars()


def test_clients_accounts_and_periods(agency: smmkpi.Workspace) -> None:
    assert [(c.id, c.timezone, c.goal) for c in agency.clients] == [
        ("la", "America/Los_Angeles", "sales"),
        ("moscow", "Europe/Moscow", "awareness"),
        ("quiet", "UTC", "community"),  # no zone given: UTC
    ]
    assert {a.id: a.client for a in agency.accounts} == {
        "la-ig": "la", "m-ig": "moscow", "m-tg": "moscow", "m-vk": "moscow", "m-zero": "moscow",
    }  # fmt: skip
    quarter = agency.kpis(client="la", period="2025-Q1").to_dict()
    assert quarter["period"]["start"] == "2025-01-01" and quarter["period"]["end"] == "2025-03-31"
    days = agency.kpis(client="la", start="2025-03-01", end="2025-03-31").to_dict()
    assert days == agency.kpis(client="la", month="2025-03").to_dict()


def test_errors_are_the_packages_own(agency: smmkpi.Workspace, tmp_path: Path) -> None:
    with pytest.raises(UnknownChoiceError):
        agency.kpis(client="nobody", month="2025-03")
    with pytest.raises(UserError, match="month=, period= or start= and end="):
        agency.kpis(client="la")
    with pytest.raises(UnknownChoiceError):
        agency.kpis(client="la", month="2025-03").value("no_such_kpi")
    with pytest.raises(UserError):
        smmkpi.open(tmp_path / "not-a-workspace")
    broken = tmp_path / "broken.csv"
    broken.write_text("client_id,name\n,Без id\n", encoding="utf-8")
    with pytest.raises(UserError):
        agency.import_files([broken], format="canonical")


def test_an_unreachable_server_is_said_at_open_without_the_password() -> None:
    with pytest.raises(UnavailableError) as caught:
        smmkpi.open("postgresql://smm:s3cret@127.0.0.1:9/agency")
    said = str(caught.value)
    assert said.startswith(
        "Cannot connect to the PostgreSQL database postgresql://smm:***@127.0.0.1:9/agency: "
    )
    assert "s3cret" not in said


def test_a_workspace_in_postgresql_is_shown_without_its_password(postgres_url: str) -> None:
    scheme, rest = postgres_url.split("://", 1)
    user, place = rest.split("@", 1) if "@" in rest else ("smm", rest)
    user = user.split(":")[0]
    # the test server trusts its local user, so the password is accepted and never checked
    shown = repr(smmkpi.open(f"{scheme}://{user}:s3cret@{place}"))
    assert shown == f"smmkpi.Workspace('{scheme}://{user}:***@{place}')"


def test_a_result_says_what_it_holds(agency: smmkpi.Workspace) -> None:
    assert repr(agency.kpis(client="la", month="2025-03")) == (
        "<smmkpi.KpiResult la, 2025-03-01 … 2025-03-31: 1 client, 1 account>"
    )
    assert repr(agency.kpis(period="2025-Q1")) == (
        "<smmkpi.KpiResult 2025-01-01 … 2025-03-31: 3 clients, 5 accounts>"  # the CSVs
    )


def test_importing_twice_changes_nothing(agency: smmkpi.Workspace) -> None:
    (again,) = agency.import_files([CANONICAL / "agency" / "posts.csv"])
    assert again["changed"] is False and again["inserted"] == 0


def test_history_status_and_report(agency: smmkpi.Workspace, workspace: Workspace) -> None:
    history = agency.history("la", months=3, as_of="2025-04-15")
    assert history["client_id"] == "la" and history["months"] == ["2025-01", "2025-02", "2025-03"]
    reports = agency.report("la", "2025-03", formats=("html", "xlsx"), lang="en",
                            as_of="2025-04-15")  # fmt: skip
    assert sorted(reports) == ["html", "xlsx"]
    assert reports["html"].startswith(b"<!DOCTYPE html>") and b"LA Roasters" in reports["html"]
    assert reports["xlsx"][:2] == b"PK"
    written = agency.report("la", "2025-03", formats=("html",), lang="ru",
                            out=workspace.path / "out", as_of="2025-04-15")  # fmt: skip
    assert written == {"html": workspace.path / "out" / "la-2025-03-ru.html"}
    with pytest.raises(UserError):  # LA has no plan: the status says how to make one
        agency.status("la", month="2025-03", as_of="2025-03-20")


def test_the_package_loads_its_api_only_when_used() -> None:
    """``import smmkpi`` stays light (the command line starts with it); the API's names load
    when first used."""
    script = (
        "import json, sys, smmkpi\n"
        "before = 'duckdb' in sys.modules\n"
        "smmkpi.open\n"
        "print(json.dumps([before, 'smmkpi.api' in sys.modules, smmkpi.__all__]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)  # fmt: skip
    before, loaded, names = json.loads(done.stdout)
    assert (before, loaded) == (False, True)
    assert names == ["Account", "Client", "KpiResult", "UserError", "Workspace", "__version__",
                     "open"]  # fmt: skip
    assert smmkpi.__version__ == "0.1.0"
