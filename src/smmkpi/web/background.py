"""Work ``smmkpi serve`` does by itself every so often — the due syncs, the due deliveries —
one round at a time: a round that finds the previous one still going does nothing, and a round
that fails is logged and the next one tries again."""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from datetime import UTC, datetime
from typing import Generic, TypeVar

from smmkpi.web.site import Site

T = TypeVar("T")


class Background(ABC, Generic[T]):
    """A round of work (:meth:`round`, which each kind of work defines) run every few seconds
    in a thread of the server."""

    name = "background"
    log = logging.getLogger("smmkpi.web")

    def __init__(self, site: Site) -> None:
        self.site = site
        self._running = threading.Lock()

    def run_once(self, now: datetime | None = None) -> T | None:
        """One round at ``now`` (default: the current time); None when a round is going."""
        if not self._running.acquire(blocking=False):
            return None
        try:
            return self.round(now or datetime.now(UTC))
        finally:
            self._running.release()

    @abstractmethod
    def round(self, now: datetime) -> T:
        """The work of one round at ``now``."""

    def start(self, every: float) -> None:
        """Run a round every ``every`` seconds until the server stops."""

        def loop() -> None:
            while not self.site.stopped.wait(every):
                try:
                    self.run_once()
                except Exception:  # the server goes on; the next round tries again
                    self.log.exception("%s: the round failed", self.name)

        threading.Thread(target=loop, name=f"smmkpi-{self.name}", daemon=True).start()
