"""The due syncs inside ``smmkpi serve`` (``shared/spec/sync-and-delivery.md`` §2): every
minute the server looks for connections whose last success is older than ``sync.every_hours``
(one whose last sync failed: once an hour) and syncs them — one run at a time, holding the
database only to claim, import and record, so pages keep answering while the platforms are
read. Claims keep a cron ``smmkpi sync --due`` or another server from syncing the same
connection at once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from smmkpi.errors import UserError
from smmkpi.store import connections as stored
from smmkpi.sync.credentials import credential_box
from smmkpi.sync.runner import SyncResult, due, run_sync
from smmkpi.web.background import Background

log = logging.getLogger("smmkpi.sync")
RETRY_FAILED = timedelta(hours=1)
"""The server looks every minute; a connection whose last sync failed is tried again hourly,
not every minute (a revoked token is not knocked on 1 440 times a day)."""


class BackgroundSync(Background[list[SyncResult]]):
    name = "sync"
    log = log

    def round(self, now: datetime) -> list[SyncResult]:
        """Sync what is due at ``now``."""
        workspace = self.site.workspace
        settings = workspace.settings.sync
        with self.site.db.store() as store:
            selected = [
                c
                for c in due(stored.listed(store.con), now, settings.every_hours)
                if c.status in ("ok", "never_synced")
                or c.last_attempt_at is None
                or now - c.last_attempt_at >= RETRY_FAILED
            ]
            engine = store.engine
        if not selected:
            return []
        try:
            box = credential_box(workspace.path, engine == "postgresql")
        except UserError as error:
            log.error("sync: %s", error)
            return []
        results = run_sync(self.site.db.store, workspace.path, settings, selected, box, now=now)
        for result in results:
            c = result.connection
            log.info("sync %s %s: %s %s", c.source, c.target, result.status, result.error or "")
        if any(r.counts and r.counts.changed for r in results):
            self.site.refresh()
        return results
