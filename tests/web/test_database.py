"""The web server's connections to PostgreSQL survive a restart of the database server."""

from __future__ import annotations

from pathlib import Path

import pytest

from smmkpi.web.database import Database
from smmkpi.workspace import Workspace
from tests.conftest import CANONICAL, import_path
from tests.support.postgres import binaries, running_server

pytestmark = pytest.mark.skipif(binaries() is None, reason="PostgreSQL is not installed")


def clients(db: Database) -> list[str]:
    with db.store() as store:
        rows = store.con.execute("SELECT client_id FROM clients ORDER BY client_id").fetchall()
    return [r[0] for r in rows]


def test_requests_after_a_postgresql_restart_are_answered(tmp_path: Path) -> None:
    with running_server() as server:  # a server of its own: this test restarts it
        workspace, _created = Workspace.init(tmp_path / "team", "Team", server.url)
        import_path(workspace, CANONICAL / "agency")
        db = Database(Workspace.open(workspace.path))
        try:
            assert clients(db) == ["la", "moscow", "quiet"]
            server.restart()  # every open connection is cut
            assert clients(db) == ["la", "moscow", "quiet"]  # a checked, fresh connection
            assert clients(db) == ["la", "moscow", "quiet"]
        finally:
            db.close()
