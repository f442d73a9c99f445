"""What every source's fetcher is given and gives back. A fetcher only fetches: it writes the
platform's answers, as they came, into the run's folder in the shapes the importers read, and
the sync imports that folder through the same importers and write path as a file."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import httpx

from smmkpi.settings import SyncSection
from smmkpi.store.connections import StoredConnection
from smmkpi.sync.throttle import Limiters
from smmkpi.sync.window import Window


@dataclass
class FetchJob:
    """One connection's fetch in one run."""

    connection: StoredConnection
    secret: str = field(repr=False)
    window: Window
    zone: ZoneInfo
    """The client's time zone: its days are the window's."""
    folder: Path
    http: httpx.Client
    limiters: Limiters
    settings: SyncSection
    on_request: Callable[[], None] = lambda: None
    """Called after every request (a progress bar)."""
    rotate: Callable[[str, datetime | None], None] = lambda _secret, _expires: None
    """Save a rotated credential (and when it expires) before it is used: the platform will
    not take the old one again."""

    def save(self, name: str, answer: Any) -> None:
        """Keep one answer in the run's folder, as the platform gave it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / name).write_text(
            json.dumps(answer, ensure_ascii=False, indent=1), encoding="utf-8"
        )


@dataclass
class Fetched:
    """What a fetch read."""

    requests: int = 0
    days: int = 0
    posts: int = 0


class Fetcher(Protocol):
    source: str
    importer: str
    """The importer that reads the folder a fetch writes."""

    def fetch(self, job: FetchJob) -> Fetched: ...
