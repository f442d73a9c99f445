"""Which clients and accounts a KPI computation covers, read from the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from smmkpi.errors import UnknownChoiceError
from smmkpi.i18n import _
from smmkpi.metrics.runner import run_sql
from smmkpi.store.directory import (
    ACCOUNT_COLUMNS,
    ACCOUNTS_LISTING,
    CLIENT_COLUMNS,
    CLIENTS_LISTING,
)


@dataclass(frozen=True)
class AccountInfo:
    account_id: str
    client_id: str
    platform: str
    handle: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class ClientInfo:
    client_id: str
    name: str
    timezone: str = "UTC"
    currency: str = "RUB"
    goal: str | None = None
    brand_hashtags: str | None = None
    accounts: tuple[AccountInfo, ...] = field(default_factory=tuple)


def _strings(columns: Sequence[str]) -> pa.Schema:
    return pa.schema({c: pa.string() for c in columns})


def load_clients(backend: Any, client_ids: Sequence[str] | None = None) -> list[ClientInfo]:
    """The clients (all, or those named, in the order named) with their accounts.

    An id that is not a client raises :class:`UnknownChoiceError` listing the known ones.
    """
    rows = run_sql(backend, CLIENTS_LISTING, {}, _strings(CLIENT_COLUMNS)).to_pylist()
    accounts = run_sql(backend, ACCOUNTS_LISTING, {}, _strings(ACCOUNT_COLUMNS)).to_pylist()
    by_client: dict[str, list[AccountInfo]] = {}
    for account in accounts:
        by_client.setdefault(account["client_id"], []).append(
            AccountInfo(
                account["account_id"],
                account["client_id"],
                account["platform"],
                account["handle"],
                account["name"],
            )
        )
    clients = {
        row["client_id"]: ClientInfo(
            client_id=row["client_id"],
            name=row["name"],
            timezone=row["timezone"],
            currency=row["currency"],
            goal=row["goal"],
            brand_hashtags=row["brand_hashtags"],
            accounts=tuple(by_client.get(row["client_id"], ())),
        )
        for row in rows
    }
    if client_ids is None:
        return list(clients.values())
    chosen = []
    for client_id in dict.fromkeys(client_ids):  # each client once, in the order named
        if client_id not in clients:
            raise UnknownChoiceError(
                _("client"),
                client_id,
                clients,
                _("Import the client first (clients.csv)."),
            )
        chosen.append(clients[client_id])
    return chosen
