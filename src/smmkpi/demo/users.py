"""The demo agency's users of the web app, with passwords printed by ``smmkpi demo``: a demo
workspace is for trying things on one's own machine, never for real data."""

from __future__ import annotations

from datetime import UTC, datetime

from smmkpi.store import users
from smmkpi.store.database import Store

DEMO_USERS = (
    # user, role, clients, password
    ("admin", "admin", (), "demo-admin-2026"),
    ("anna", "specialist", ("coffeelab", "fitnest", "homedecor"), "demo-anna-2026"),
    ("client-homedecor", "viewer", ("homedecor",), "demo-client-2026"),
)
NAMES = {"admin": "Агентство", "anna": "Анна Смирнова", "client-homedecor": "Дом и Декор"}


def add_demo_users(store: Store) -> None:
    """The demo's users (their passwords as above), added or reset."""
    from smmkpi.web.auth import hash_password

    now = datetime.now(UTC)
    with store.transaction():
        for username, role, clients, password in DEMO_USERS:
            users.add_user(
                store.con, username, hash_password(password), role, NAMES[username], clients, now
            )
