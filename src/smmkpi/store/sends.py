"""The rows that make a send happen once (``shared/spec/sync-and-delivery.md`` §3–4): one row
per key — a schedule's month to one destination (``deliveries``), an alert's subject of a day to
one destination (``alert_log``) — claimed as ``sending`` *before* anything is sent and finished
as ``sent`` or ``failed`` after. A run claims a row by comparing and setting it, so of two runs at
the same moment (two processes, two machines on PostgreSQL) one sends and the other sees it
taken; a row left ``sending`` by a run that died is found by the next run and reconciled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from smmkpi.store.connection import Connection

SENDING = "sending"


@dataclass(frozen=True)
class SendRow:
    """A key's row as it was read: what a claim compares before it sets."""

    status: str
    attempts: int
    happened_at: datetime
    claimed_by: str | None
    next_try_at: datetime | None
    error: str | None


@dataclass(frozen=True)
class SendLog:
    """A table of sends: ``key`` names its key columns; ``fixed`` the columns written once,
    with the row."""

    table: str
    key: tuple[str, ...]
    fixed: tuple[str, ...]

    def _where(self) -> str:
        """The row of a key: the key's parts are the statement's first parameters."""
        return " AND ".join(f"{column} = ${n}" for n, column in enumerate(self.key, 1))

    def _after_key(self, n: int) -> str:
        """The statement's ``n``-th parameter after the key's."""
        return f"${len(self.key) + n}"

    def read(self, con: Connection, key: Sequence[Any]) -> SendRow | None:
        row = con.execute(
            "SELECT status, attempts, happened_at, claimed_by, next_try_at, error "
            f"FROM {self.table} WHERE {self._where()}",
            list(key),
        ).fetchone()
        return None if row is None else SendRow(*row)

    def claim(
        self,
        con: Connection,
        key: Sequence[Any],
        fixed: Sequence[Any],
        seen: SendRow | None,
        holder: str,
        now: datetime,
        attempts: int,
    ) -> bool:
        """Mark the key's row ``sending`` by ``holder`` — the attempt logged before the send —
        if it is still as ``seen``; False when another run changed it first."""
        if seen is None:
            columns = (*self.key, *self.fixed, "status", "happened_at", "attempts", "claimed_by")
            marks = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
            taken = con.execute(
                f"INSERT INTO {self.table} ({', '.join(columns)}) VALUES ({marks}) "
                f"ON CONFLICT DO NOTHING RETURNING {self.key[0]}",
                [*key, *fixed, SENDING, now, attempts, holder],
            ).fetchall()
            return bool(taken)
        p = self._after_key
        taken = con.execute(
            f"""UPDATE {self.table} SET status = {p(1)}, happened_at = {p(2)}, attempts = {p(3)},
                    claimed_by = {p(4)}, error = NULL, next_try_at = NULL
                WHERE {self._where()} AND status = {p(5)} AND attempts = {p(6)}
                  AND claimed_by IS NOT DISTINCT FROM {p(7)}
                RETURNING {self.key[0]}""",
            [*key, SENDING, now, attempts, holder, seen.status, seen.attempts, seen.claimed_by],
        ).fetchall()
        return bool(taken)

    def finish(
        self,
        con: Connection,
        key: Sequence[Any],
        holder: str,
        status: str,
        now: datetime,
        error: str | None = None,
        next_try_at: datetime | None = None,
    ) -> None:
        """Record how the claimed send ended and release the claim."""
        p = self._after_key
        con.execute(
            f"""UPDATE {self.table} SET status = {p(1)}, happened_at = {p(2)}, error = {p(3)},
                    next_try_at = {p(4)}, claimed_by = NULL
                WHERE {self._where()} AND claimed_by = {p(5)}""",
            [*key, status, now, error, next_try_at, holder],
        )

    def hold(
        self,
        con: Connection,
        key: Sequence[Any],
        fixed: Sequence[Any],
        reason: str,
        now: datetime,
    ) -> bool:
        """Log the key as ``held`` with ``reason`` — unless it was sent or is being sent."""
        if con.execute(
            f"UPDATE {self.table} SET status = 'held', error = {self._after_key(1)}, "
            f"happened_at = {self._after_key(2)} "
            f"WHERE {self._where()} AND status NOT IN ('sent', '{SENDING}') RETURNING status",
            [*key, reason, now],
        ).fetchall():
            return True
        columns = (*self.key, *self.fixed, "status", "happened_at", "attempts", "error")
        marks = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
        added = con.execute(
            f"INSERT INTO {self.table} ({', '.join(columns)}) VALUES ({marks}) "
            f"ON CONFLICT DO NOTHING RETURNING {self.key[0]}",
            [*key, *fixed, "held", now, 0, reason],
        ).fetchall()
        return bool(added)


DELIVERIES = SendLog("deliveries", ("schedule", "month", "destination"), ("client_id",))
ALERTS = SendLog(
    "alert_log", ("alert", "client_id", "subject", "day", "destination"), ("kind", "detail")
)
