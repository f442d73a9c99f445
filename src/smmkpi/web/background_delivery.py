"""Scheduled delivery inside ``smmkpi serve`` (``shared/spec/sync-and-delivery.md`` §3–4): every
minute the server sends the reports that are due, and every :data:`ALERTS_EVERY` it looks for
alerts — what ``smmkpi deliver --due`` does from cron, one run at a time. The log's claims keep
a cron run or another server from sending the same report twice."""

from __future__ import annotations

import logging
import os
import threading
from datetime import UTC, datetime, timedelta

from smmkpi.delivery.runner import Delivered, Deliverer, Selection
from smmkpi.sync.credentials import credential_box
from smmkpi.web.site import Site

log = logging.getLogger("smmkpi.delivery")
ALERTS_EVERY = timedelta(minutes=15)
"""Alerts need today's statuses of every client watched: looked for four times an hour, not 60."""


class BackgroundDelivery:
    def __init__(self, site: Site) -> None:
        self.site = site
        self._running = threading.Lock()
        self._alerts_at: datetime | None = None

    def run_once(self, now: datetime | None = None) -> Delivered | None:
        """Send what is due now; nothing when a run is still going."""
        if not self._running.acquire(blocking=False):
            return None
        try:
            return self._run(now or datetime.now(UTC))
        finally:
            self._running.release()

    def _run(self, now: datetime) -> Delivered:
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

    def start(self, every: float) -> None:
        """Look for due deliveries every ``every`` seconds until the server stops."""

        def loop() -> None:
            while not self.site.stopped.wait(every):
                try:
                    self.run_once()
                except Exception:  # the server goes on; the next round tries again
                    log.exception("delivery: the background delivery failed")

        threading.Thread(target=loop, name="smmkpi-delivery", daemon=True).start()
