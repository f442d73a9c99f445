"""A month's data is final when every source the client has reaches its last day: held reasons
computed by hand, on both engines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from smmkpi.delivery.finality import not_final
from smmkpi.metrics.periods import Period
from smmkpi.store import connections
from smmkpi.workspace import Workspace
from tests.conftest import import_path, write_table

NOVEMBER = Period.month("2026-11")


def test_a_month_is_held_until_every_source_reaches_its_last_day(
    workspace: Workspace, tmp_path: Path
) -> None:
    data = tmp_path / "d"
    write_table(data, "clients", [{"client_id": "coffeelab", "name": "Кофелаб"}])
    write_table(data, "accounts", [
        {"account_id": "coffeelab-vk", "client_id": "coffeelab", "platform": "vk"},
        {"account_id": "coffeelab-tg", "client_id": "coffeelab", "platform": "telegram"},
        {"account_id": "coffeelab-ig", "client_id": "coffeelab", "platform": "instagram"},
    ])  # fmt: skip
    write_table(data, "account_daily", [
        {"account_id": "coffeelab-vk", "date": "2026-11-30", "reach": 100},
        {"account_id": "coffeelab-tg", "date": "2026-11-28", "reach": 50},
    ])  # fmt: skip
    write_table(data, "web_sessions", [
        {"client_id": "coffeelab", "date": "2026-11-29", "utm_source": "vk", "sessions": 3},
    ])  # fmt: skip
    import_path(workspace, data)
    with workspace.open_store() as store:
        # coffeelab-ig never had data: nothing to wait for
        assert not_final(store.con, "coffeelab", NOVEMBER, "en") == [
            "coffeelab-tg has data through November 28, 2026",
            "web sessions has data through November 29, 2026",
        ]
        with store.transaction():
            connections.save(
                store.con,
                connections.StoredConnection("vk", "coffeelab", "coffeelab-vk", "sealed"),
                datetime(2026, 12, 1, tzinfo=UTC),
            )
        assert not_final(store.con, "coffeelab", NOVEMBER, "en")[-1] == (
            "vk coffeelab-vk is synced through no day yet"
        )
        assert not_final(store.con, "coffeelab", Period.month("2026-10"), "en") == [
            "vk coffeelab-vk is synced through no day yet"
        ]
        store.con.execute("UPDATE connections SET synced_through = $1", [date(2026, 11, 30)])
        assert not_final(store.con, "coffeelab", Period.month("2026-10"), "en") == []
