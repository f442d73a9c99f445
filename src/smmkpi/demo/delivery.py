"""The demo agency's scheduled delivery: each client's monthly report goes out by e-mail on the
3rd (Fitnest's after the specialist approves it), the team hears of KPIs off track and broken
syncs — and the demo runs what is due into a mail sink on loopback (a real SMTP server that
keeps what it is sent), so that ``make demo`` shows the messages a client would get."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from smmkpi.demo.agency import AGENCY_NAME
from smmkpi.store import alerts, deliveries
from smmkpi.workspace import Workspace

if TYPE_CHECKING:
    from smmkpi.delivery.runner import Delivered
    from smmkpi.sandbox.mail import Received


@dataclass(frozen=True)
class DemoSchedule:
    client_id: str
    to: str
    language: str
    formats: tuple[str, ...]
    review: bool = False


DEMO_SCHEDULES = (
    DemoSchedule("coffeelab", "email:marketing@coffeelab.example", "ru", ("pdf", "xlsx")),
    DemoSchedule("homedecor", "email:director@homedecor.example", "ru", ("pdf",)),
    DemoSchedule("fitnest", "email:owner@fitnest.example", "ru", ("pdf",), review=True),
    DemoSchedule("pacificbrew", "email:hello@pacificbrew.example", "en", ("pdf", "xlsx")),
)
DEMO_ALERT = alerts.StoredAlert(
    "team-alerts", None, ["email:team@smysl.example"], ["off_track", "sync_failed"]
)
SENDER = f"{AGENCY_NAME} <reports@smysl.example>"


def add_schedules(workspace: Workspace, now: datetime) -> None:
    """The demo's schedules and its alert (kept when they exist)."""
    with workspace.open_store() as store, store.transaction():
        for item in DEMO_SCHEDULES:
            found = deliveries.StoredSchedule(
                f"{item.client_id}-monthly", item.client_id, [item.to], 3, "10:00",
                item.language, list(item.formats), item.review,
            )  # fmt: skip
            deliveries.add(store.con, found, now)
        alerts.add(store.con, DEMO_ALERT, now)


def deliver_into_sink(workspace: Workspace, now: datetime) -> tuple[Delivered, list[Received]]:
    """Run what is due at ``now`` — ``smmkpi deliver --due`` — with e-mail going to a mail sink
    on loopback instead of the agency's server: what was logged, and what the sink got."""
    # the renderer and the mail server load only when the demo delivers (not for `--help`)
    from smmkpi.delivery.runner import Deliverer, Selection
    from smmkpi.sandbox.mail import mail_sink
    from smmkpi.sync.credentials import credential_box

    with mail_sink() as (sink, _certificate):
        local = Workspace.open(
            workspace.path,
            {"delivery": {"smtp": {"host": sink.host, "port": sink.port, "starttls": False,
                                   "user": "", "sender": SENDER}}},
        )  # fmt: skip
        with local.open_store() as store:
            box = credential_box(local.path, store.engine == "postgresql")
        deliverer = Deliverer(local, local.open_store, box.open, os.environ)
        done = deliverer.run(Selection(now=now.astimezone(UTC)))
        return done, list(sink.received)
