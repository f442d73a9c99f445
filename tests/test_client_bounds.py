"""An import stays inside the client it was made for, through every door (the CLI's --client, a
client's upload page, the API), on both engines.

The workspace: client ``none`` has no YouTube account, ``one`` has one (and a VK community),
``two`` has two, and ``other`` owns the VK community the test wall.get names and a YouTube
channel. ``Table data.csv`` (a YouTube Studio table by date) says nothing about its channel.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from smmkpi.cli.app import app as cli
from smmkpi.store.database import Store
from smmkpi.store.tables import TABLES, TABLES_BY_NAME
from smmkpi.web.app import create_app
from smmkpi.workspace import Workspace
from tests.conftest import DATA, import_path, write_table

PASSWORD = "correct horse battery"
STUDIO = DATA / "youtube" / "Table data.csv"
WALL = DATA / "vk" / "coffeelab" / "wall_get.json"

Send = Callable[[str, list[Path]], tuple[bool, str]]


@dataclass
class Door:
    """A way in: ``send(client, files)`` imports files for a client and says whether it worked
    and what it answered; ``rows(table)`` reads the store as that door's process sees it."""

    send: Send
    store: Callable[[], Any]

    def rows(self, table: str) -> list[tuple[Any, ...]]:
        with self.store() as store:
            return _rows(store, table)

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        with self.store() as store:
            return {t.name: _rows(store, t.name) for t in TABLES}


def _rows(store: Store, table: str) -> list[tuple[Any, ...]]:
    columns = ", ".join(f'"{c.name}"' for c in TABLES_BY_NAME[table].stored_columns)
    return sorted(store.con.execute(f"SELECT {columns} FROM {table}").fetchall(), key=repr)


@pytest.fixture
def agency(workspace: Workspace, tmp_path: Path) -> Workspace:
    folder = tmp_path / "agency"
    write_table(
        folder,
        "clients",
        [{"client_id": c, "name": c.title(), "goal": "awareness"} for c in ("none", "one", "two")]
        + [{"client_id": "other", "name": "Other", "goal": "awareness"}],
    )
    write_table(
        folder,
        "accounts",
        [
            {"account_id": "one-yt", "client_id": "one", "platform": "youtube"},
            {"account_id": "one-vk", "client_id": "one", "platform": "vk", "handle": "club1"},
            {"account_id": "two-yt1", "client_id": "two", "platform": "youtube"},
            {"account_id": "two-yt2", "client_id": "two", "platform": "youtube"},
            {"account_id": "other-yt", "client_id": "other", "platform": "youtube"},
            {
                "account_id": "other-vk",
                "client_id": "other",
                "platform": "vk",
                "handle": "club21890451",
            },
        ],
    )
    import_path(workspace, folder)
    run = CliRunner().invoke(
        cli,
        ["-w", str(workspace.path), "user", "add", "boss", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert run.exit_code == 0, run.output
    return workspace


def _cli(workspace: Workspace) -> Iterator[Door]:
    def send(client: str, files: list[Path]) -> tuple[bool, str]:
        result = CliRunner().invoke(
            cli,
            [
                "-w",
                str(workspace.path),
                "--lang",
                "en",
                "import",
                *map(str, files),
                "--client",
                client,
            ],
        )
        return result.exit_code == 0, result.output

    yield Door(send, lambda: workspace.open_store(read_only=True))


def _web(workspace: Workspace) -> Iterator[Door]:
    app = create_app(workspace, today=lambda: date(2026, 4, 10))
    with TestClient(app) as browser:
        form = browser.get("/signin").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form)
        assert csrf is not None
        browser.post(
            "/signin", data={"username": "boss", "password": PASSWORD, "csrf": csrf.group(1)}
        )

        def send(client: str, files: list[Path]) -> tuple[bool, str]:
            page = browser.get(f"/clients/{client}").text
            token = re.search(r'name="csrf" value="([^"]+)"', page)
            assert token is not None
            response = browser.post(
                f"/clients/{client}/imports",
                data={"csrf": token.group(1)},
                files=[("files", (f.name, f.read_bytes(), "text/plain")) for f in files],
            )
            return response.status_code == 200, response.text.replace("&#39;", "'")

        yield Door(send, app.state.db.store)


def _api(workspace: Workspace) -> Iterator[Door]:
    made = CliRunner().invoke(cli, ["-w", str(workspace.path), "user", "token", "boss"])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[-1]
    app = create_app(workspace, today=lambda: date(2026, 4, 10))
    with TestClient(app) as client_:

        def send(client: str, files: list[Path]) -> tuple[bool, str]:
            response = client_.post(
                f"/api/clients/{client}/imports",
                headers={"Authorization": f"Bearer {token}"},
                files=[("files", (f.name, f.read_bytes(), "text/plain")) for f in files],
            )
            return response.status_code == 200, " ".join(r["result"] for r in response.json())

        yield Door(send, app.state.db.store)


DOORS = {"cli": _cli, "web": _web, "api": _api}


@pytest.fixture(params=list(DOORS))
def door(request: pytest.FixtureRequest, agency: Workspace) -> Iterator[Door]:
    yield from DOORS[request.param](agency)


def test_a_client_without_the_platform_is_refused_and_nothing_is_written(
    door: Door, agency: Workspace
) -> None:
    before = door.snapshot()
    ok, text = door.send("none", [STUDIO])
    assert not ok
    assert "Client 'none' has no youtube account" in text
    assert "`smmkpi account add ACCOUNT_ID --client none --platform youtube`" in text
    assert door.snapshot() == before


def test_the_clients_one_account_gets_the_file(door: Door, agency: Workspace) -> None:
    ok, text = door.send("one", [STUDIO])
    assert ok, text
    rows = door.rows("account_daily")
    # Table data.csv: 1–7 March 2025, unique viewers as reach and impressions, all for one-yt
    assert {r[0] for r in rows} == {"one-yt"}
    # account_id, date, followers, gained, lost, reach, impressions
    assert [(r[1].day, r[5], r[6]) for r in sorted(rows, key=lambda r: r[1])] == [
        (1, 220, 4100),
        (2, 205, 3890),
        (3, 281, 5020),
        (4, 268, 4760),
        (5, None, 4600),  # the reach cell is empty: unknown, not 0
        (6, 240, 4170),
        (7, 441, 3670),
    ]


def test_two_accounts_on_the_platform_ask_which(door: Door, agency: Workspace) -> None:
    before = door.snapshot()
    ok, text = door.send("two", [STUDIO])
    assert not ok
    assert "does not say which youtube account of client 'two' it is for" in text
    assert "the client's youtube accounts: two-yt1, two-yt2" in text
    assert door.snapshot() == before


def test_a_file_naming_another_clients_account_is_refused(door: Door, agency: Workspace) -> None:
    before = door.snapshot()
    ok, text = door.send("one", [WALL])
    assert not ok
    assert "is for vk account 'other-vk' of client 'other', not of client 'one'" in text
    assert door.snapshot() == before


def test_canonical_rows_of_another_clients_account_are_refused(
    door: Door, agency: Workspace, tmp_path: Path
) -> None:
    before = door.snapshot()
    daily = write_table(
        tmp_path / "mixed",
        "account_daily",
        [
            {"account_id": "one-yt", "date": "2026-04-01", "reach": 10},
            {"account_id": "other-yt", "date": "2026-04-01", "reach": 999},
        ],
    )
    ok, text = door.send("one", [daily])
    assert not ok
    assert (
        "account_daily.csv, row 3, column 'account_id', value 'other-yt': this row belongs to "
        "client 'other', and this import is for client 'one'." in text
    )
    assert door.snapshot() == before


def test_an_account_of_another_client_is_refused(agency: Workspace) -> None:
    result = CliRunner().invoke(
        cli,
        ["-w", str(agency.path), "--lang", "en", "import", str(WALL), "--client", "one",
         "--account", "other-vk"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert (
        "Account 'other-vk' belongs to client 'other', not to client 'one'. Pass one of the "
        "client's accounts, or import for 'other'." in result.output
    )
