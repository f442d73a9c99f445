"""Which clients and accounts a KPI computation covers, read from the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import ibis
import pyarrow as pa

from smmkpi.errors import UnknownChoiceError
from smmkpi.i18n import _
from smmkpi.metrics.runner import run_sql


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


@cache
def _listing_sql(dialect: str) -> tuple[str, pa.Schema, str, pa.Schema]:
    from smmkpi.metrics.queries import canonical_table

    clients = canonical_table("clients").drop("import_id").order_by("client_id")
    accounts = canonical_table("accounts").drop("import_id").order_by(["client_id", "account_id"])
    return (
        str(ibis.to_sql(clients, dialect=dialect)),
        clients.schema().to_pyarrow(),
        str(ibis.to_sql(accounts, dialect=dialect)),
        accounts.schema().to_pyarrow(),
    )


def load_clients(backend: Any, client_ids: Sequence[str] | None = None) -> list[ClientInfo]:
    """The clients (all, or those named, in the order named) with their accounts.

    An id that is not a client raises :class:`UnknownChoiceError` listing the known ones.
    """
    clients_sql, clients_schema, accounts_sql, accounts_schema = _listing_sql(backend.name)
    rows = run_sql(backend, clients_sql, {}, clients_schema).to_pylist()
    accounts = run_sql(backend, accounts_sql, {}, accounts_schema).to_pylist()
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
