"""``smmkpi delivery add|list|remove`` through the CLI, on both engines: a schedule's next due
moment in the client's zone, webhook secrets shown once and kept sealed, refusals with the
reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.store import deliveries
from smmkpi.workspace import Workspace
from tests.conftest import import_path, write_table


@pytest.fixture
def agency(workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv("SMMKPI_SECRET_KEY", "a long random text the team shares")
    write_table(tmp_path / "d", "clients", [
        {"client_id": "coffeelab", "name": "Кофелаб", "timezone": "Europe/Moscow"},
    ])  # fmt: skip
    import_path(workspace, tmp_path / "d")
    return workspace


def smmkpi(workspace: Workspace, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["-w", str(workspace.path), "--lang", "en", *args])
    return result.exit_code, " ".join(result.output.split())


def test_a_schedule_is_added_listed_and_removed(agency: Workspace) -> None:
    code, output = smmkpi(
        agency, "delivery", "add", "coffeelab", "--to", "email:anna@coffeelab.ru",
        "--to", "webhook:http://127.0.0.1:9/hook", "--day", "5", "--time", "09:30",
        "--format", "pdf,xlsx", "--lang", "ru",
    )  # fmt: skip
    assert code == 0, output
    assert (
        "Schedule coffeelab-monthly: coffeelab's report of the last full month on day 5 at 09:30 "
        "(Europe/Moscow), ru, pdf+xlsx, to email:anna@coffeelab.ru, "
        "webhook:http://127.0.0.1:9/hook." in output
    )
    secret = output.split("HMAC-SHA256 of the body): ")[1].split()[0]
    assert len(secret) >= 40
    with agency.open_store(read_only=True) as store:
        (sealed,) = store.con.execute("SELECT secrets FROM delivery_schedules").fetchone()
    assert secret not in sealed  # kept sealed
    code, listed = smmkpi(agency, "delivery", "list", "--format", "json")
    (row,) = json.loads(listed)
    assert secret not in listed
    assert (row["name"], row["client"], row["day"], row["time"], row["formats"]) == (
        "coffeelab-monthly", "coffeelab", 5, "09:30", ["pdf", "xlsx"],
    )  # fmt: skip
    assert row["next_due"].endswith("T09:30:00+03:00") and "-05T" in row["next_due"]
    code, output = smmkpi(agency, "delivery", "add", "coffeelab", "--to", "telegram:@coffeelab")
    assert code == 0 and "Schedule coffeelab-monthly-2:" in output
    code, output = smmkpi(agency, "delivery", "remove", "coffeelab-monthly")
    assert (code, output) == (0, "Removed the schedule coffeelab-monthly; its delivery log stays.")
    code, listed = smmkpi(agency, "delivery", "list", "--format", "json")
    assert [r["name"] for r in json.loads(listed)] == ["coffeelab-monthly-2"]


def test_wrong_schedules_are_refused_with_the_reason(agency: Workspace) -> None:
    cases = {
        ("--to", "webhook:http://hooks.example.com/x"):
            "--to 'webhook:http://hooks.example.com/x' is not a destination",
        ("--to", "email:a@b.ru", "--day", "32"): "--day 32 is not a day of the month (1–31).",
        ("--to", "email:a@b.ru", "--time", "25"): "--time '25' is not a time of day",
        ("--to", "email:a@b.ru", "--format", "docx"): "choose among pdf, xlsx, html",
    }  # fmt: skip
    for args, message in cases.items():
        code, output = smmkpi(agency, "delivery", "add", "coffeelab", *args)
        assert code == 1 and message in output, output
    code, output = smmkpi(agency, "delivery", "add", "nobody", "--to", "email:a@b.ru")
    assert code == 1 and "nobody" in output and "smmkpi client add" in output
    code, output = smmkpi(agency, "delivery", "remove", "ghost")
    assert (code, output) == (1, "Error: There is no schedule ghost (see `smmkpi delivery list`).")
    with agency.open_store(read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM delivery_schedules").fetchone() == (0,)


def test_approvals_and_the_delivery_logs_contract_fields(agency: Workspace) -> None:
    code, output = smmkpi(agency, "delivery", "approve", "coffeelab", "--month", "2026-11")
    assert (code, output) == (
        0, "Approved coffeelab's report for November 2026: it goes out with the next due run.",
    )  # fmt: skip
    code, output = smmkpi(agency, "delivery", "approve", "coffeelab", "--month", "2026-11")
    assert output == "coffeelab's report for November 2026 was approved already."
    with agency.open_store() as store:
        assert deliveries.approved(store.con, "coffeelab", "2026-11")
        assert not deliveries.approved(store.con, "coffeelab", "2026-10")
        store.con.execute(
            "INSERT INTO deliveries (schedule, client_id, month, destination, status, happened_at, "
            "attempts, error) VALUES ('coffeelab-monthly', 'coffeelab', '2026-11', "
            "'email:anna@coffeelab.ru', 'failed', $1, 2, 'SMTP refused: 550 mailbox unavailable')",
            [datetime(2026, 12, 3, 7, 0, tzinfo=UTC)],
        )
    code, output = smmkpi(agency, "deliveries", "--client", "coffeelab", "--format", "json")
    assert code == 0, output
    assert json.loads(output) == [
        {"kind": "report", "schedule": "coffeelab-monthly", "client": "coffeelab",
         "month": "2026-11",
         "destination": "email:anna@coffeelab.ru", "status": "failed",
         "at": "2026-12-03T07:00:00+00:00", "attempts": 2,
         "error": "SMTP refused: 550 mailbox unavailable"},
    ]  # fmt: skip
    code, output = smmkpi(agency, "deliveries", "--month", "2026-10", "--format", "json")
    assert json.loads(output) == []
