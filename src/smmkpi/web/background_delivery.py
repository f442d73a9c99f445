"""Scheduled delivery inside ``smmkpi serve`` (``shared/spec/sync-and-delivery.md`` §3–4): every
minute the server sends the reports that are due, and every :data:`ALERTS_EVERY` it looks for
alerts — what ``smmkpi deliver --due`` does from cron, one run at a time. The log's claims keep
a cron run or another server from sending the same report twice."""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta

from smmkpi.delivery.runner import Delivered, Deliverer, Selection
from smmkpi.sync.credentials import credential_box
from smmkpi.web.background import Background
from smmkpi.web.site import Site

log = logging.getLogger("smmkpi.delivery")
ALERTS_EVERY = timedelta(minutes=15)
"""Alerts need today's statuses of every client watched: looked for four times an hour, not 60."""


class BackgroundDelivery(Background[Delivered]):
    name = "delivery"
    log = log

    def __init__(self, site: Site) -> None:
        super().__init__(site)
        self._alerts_at: datetime | None = None

    def round(self, now: datetime) -> Delivered:
        """Send what is due at ``now``; look for alerts when it is time."""
        workspace = self.site.workspace
        alerts = self._alerts_at is None or now - self._alerts_at >= ALERTS_EVERY
        with self.site.db.store() as store:
            on_postgresql = store.engine == "postgresql"

        def unseal(sealed: str) -> str:
            return credential_box(workspace.path, on_postgresql).open(sealed)

        deliverer = Deliverer(workspace, self.site.db.store, unseal, os.environ)
        done = deliverer.run(Selection(now=now, due=True, alerts=alerts))
        if alerts:
            self._alerts_at = now
        for o in done.reports:
            if o.logged:
                log.info("deliver %s %s → %s: %s %s", o.schedule, o.month, o.destination,
                         o.status, o.error or "")  # fmt: skip
        for a in done.alerts:
            log.info("alert %s %s → %s: %s %s", a.alert, a.subject, a.destination, a.status,
                     a.error or "")  # fmt: skip
        return done
