"""Syncing Yandex Metrica from the sandbox through the real CLI, on both engines: the web
sessions equal a file import of the same answer, pages are followed, the token never leaves
its header, and Metrica's refusals become the contract's statuses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smmkpi.sandbox.metrica import MetricaPlatform
from smmkpi.sandbox.server import Sandbox
from smmkpi.workspace import Workspace
from tests.support.sandbox import COUNTER_ID, METRICA_DATA, metrica_sandbox
from tests.sync.conftest import smmkpi

TOKEN = {"YANDEX_TOKEN": "metrica-token"}


@pytest.fixture
def metrica(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Sandbox, MetricaPlatform]]:
    with metrica_sandbox(monkeypatch, max_limit=2) as found:
        yield found


def connect(workspace: Workspace, token: str = "metrica-token") -> tuple[int, str]:
    return smmkpi(
        workspace, "connect", "metrica", "coffeelab", "--counter", str(COUNTER_ID),
        "--token-env", "YANDEX_TOKEN", env={"YANDEX_TOKEN": token},
    )  # fmt: skip


def sync(workspace: Workspace, *args: str) -> tuple[int, list[dict[str, Any]]]:
    code, output = smmkpi(workspace, "sync", "--source", "metrica", "--format", "json", *args)
    return code, json.loads(output) if output.startswith("[") else []


def sessions(workspace: Workspace) -> list[tuple[Any, ...]]:
    with workspace.open_store(read_only=True) as store:
        return store.con.execute(
            "SELECT client_id, date, utm_source, utm_medium, utm_campaign, utm_content, "
            "utm_term, sessions, users, goal_completions FROM web_sessions ORDER BY 2, 3, 4"
        ).fetchall()


def test_a_synced_counter_equals_the_file_import_of_its_answer(
    agency: Workspace, metrica: tuple[Sandbox, MetricaPlatform], tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    sandbox, _platform = metrica
    code, output = connect(agency)
    assert code == 0, output
    assert (
        "Connected coffeelab: Yandex Metrica counter 98765432 «Кофелаб» (coffeelab.ru)."
        in " ".join(output.split())
    )
    assert "the counter counts days in Europe/Moscow, the client in UTC" in " ".join(output.split())
    code, (result,) = sync(agency, "--as-of", "2025-03-10", "--from", "2025-03-01")
    assert code == 0, result
    assert (result["status"], result["from"], result["to"]) == ("ok", "2025-03-01", "2025-03-09")
    data = [c for c in sandbox.calls if c.method == "metrica:stat/v1/data"]
    # four rows, at most two a page (the sandbox's limit here): offsets 1 and 3
    assert [(c.params["offset"], c.params["date1"], c.params["date2"]) for c in data] == [
        ("1", "2025-03-01", "2025-03-09"), ("3", "2025-03-01", "2025-03-09"),
    ]  # fmt: skip
    assert data[0].params["accuracy"] == "full"
    assert all("metrica-token" not in json.dumps(c.params) for c in sandbox.calls)
    code, output = smmkpi(agency, "kpi", "--client", "coffeelab", "--month", "2025-03",
                          "--format", "json")  # fmt: skip
    values = json.loads(output)["kpis"]
    # by hand from api_utm.json: the visits from social networks (vk and telegram with
    # utm_medium social; the 402 untagged ones are not) and both goals' reaches of those
    assert values["site_sessions"] == 131 + 87 + 44
    assert values["site_goal_completions"] == (5 + 1) + (2 + 0) + (1 + 1)
    url = agency.settings.store.url
    if url:
        url = request.getfixturevalue("postgres_server").new_database(
            "metr" + agency.path.parent.name[-8:]
        )
    by_hand = Workspace.init(tmp_path / "by-hand", "By hand", url)[0]
    code, output = smmkpi(by_hand, "import", str(tmp_path / "data"))
    code, output = smmkpi(by_hand, "import", str(METRICA_DATA), "--client", "coffeelab")
    assert code == 0, output
    assert sessions(by_hand) == sessions(agency)
    code, (again,) = sync(agency, "--as-of", "2025-03-10", "--from", "2025-03-01")
    assert (again["inserted"], again["replaced"], again["unchanged"]) == (0, 0, 4)


def test_metricas_refusals_are_the_contracts_statuses(
    agency: Workspace, metrica: tuple[Sandbox, MetricaPlatform]
) -> None:
    _sandbox, platform = metrica
    code, output = connect(agency, "other-token")
    assert code == 1
    assert (
        "Yandex Metrica answered management/v1/counter/98765432 with HTTP 403: Access is "
        "denied Nothing was saved." in " ".join(output.split())
    )
    assert connect(agency)[0] == 0
    platform.faults.add("data", "rate_limited", 2)  # 429 with Retry-After: retried
    code, (result,) = sync(agency, "--as-of", "2025-03-10", "--from", "2025-03-01")
    assert (code, result["status"]) == (0, "ok")
    platform.faults.add("data", "changed_shape")
    code, (result,) = sync(agency, "--as-of", "2025-03-10", "--from", "2025-03-01")
    assert (code, result["status"]) == (1, "failing")
    assert (
        "Yandex Metrica changed the answer of stat/v1/data: data[0].metrics is text"
        in (result["error"])
    )
    del platform.tokens["metrica-token"]  # revoked
    code, (result,) = sync(agency, "--as-of", "2025-03-10")
    assert (code, result["status"]) == (1, "needs_reauth")
    assert result["error"] == (
        "Yandex Metrica answered stat/v1/data with HTTP 401: Invalid oauth_token. Connect it "
        "again: smmkpi connect metrica coffeelab."
    )
