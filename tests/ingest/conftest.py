"""Workspaces with the clients and accounts the platform fixtures belong to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from smmkpi.ingest.context import ImportContext
from smmkpi.ingest.pipeline import ImportOutcome
from smmkpi.ingest.service import import_paths
from smmkpi.workspace import Workspace
from tests.conftest import DATA, import_path, write_table

CLIENTS = [
    {
        "client_id": "coffeelab",
        "name": "Кофелаб",
        "timezone": "Europe/Moscow",
        "goal": "awareness",
        "brand_hashtags": "#coffeelab #кофелаб",
    },
    {"client_id": "homedecor", "name": "Дом и Декор", "timezone": "Europe/Moscow", "goal": "sales"},
    {
        "client_id": "pacific",
        "name": "Pacific Brew",
        "timezone": "America/Los_Angeles",
        "currency": "USD",
        "goal": "community",
    },
]
ACCOUNTS = [
    {
        "account_id": "coffeelab-vk",
        "client_id": "coffeelab",
        "platform": "vk",
        "handle": "club21890451",
    },
    {
        "account_id": "coffeelab-tg",
        "client_id": "coffeelab",
        "platform": "telegram",
        "handle": "@coffeelab_msk",
        "name": "Кофелаб",
    },
    {
        "account_id": "coffeelab-ig",
        "client_id": "coffeelab",
        "platform": "instagram",
        "handle": "@coffeelab.msk",
    },
    {"account_id": "homedecor-vk", "client_id": "homedecor", "platform": "vk", "handle": "club555"},
    {
        "account_id": "homedecor-fb",
        "client_id": "homedecor",
        "platform": "facebook",
        "handle": "104328871000001",
        "name": "Дом и Декор",
    },
    {
        "account_id": "pacific-yt",
        "client_id": "pacific",
        "platform": "youtube",
        "handle": "@pacificbrew",
        "name": "Pacific Brew",
    },
    {
        "account_id": "pacific-tt",
        "client_id": "pacific",
        "platform": "tiktok",
        "handle": "@pacificbrew",
    },
]


@pytest.fixture
def agency(workspace: Workspace, tmp_path: Path) -> Workspace:
    folder = tmp_path / "agency"
    write_table(folder, "clients", CLIENTS)
    write_table(folder, "accounts", ACCOUNTS)
    import_path(workspace, folder)
    return workspace


def platform_import(
    workspace: Workspace, *paths: Path, file_format: str | None = None, **options: Any
) -> ImportOutcome:
    """Import through the service, as `smmkpi import` does; fails on the first error."""
    with workspace.open_store() as store:
        reports = list(
            import_paths(store, list(paths), ImportContext(**options), file_format=file_format)
        )
    for report in reports:
        if report.error is not None:
            raise report.error
    assert len(reports) == 1
    assert reports[0].outcome is not None
    return reports[0].outcome


__all__ = ["DATA", "platform_import"]
