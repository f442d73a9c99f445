"""What every source's fetcher is given and gives back. A fetcher only fetches: it writes the
platform's answers, as they came, into the run's folder in the shapes the importers read, and
the sync imports that folder through the same importers and write path as a file."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import httpx

from smmkpi.settings import SyncSection
from smmkpi.store.competitors import CompetitorPost, Snapshot, StoredCompetitor
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
    competitors: list[StoredCompetitor] = field(default_factory=list)
    """The client's competitors on this connection's platform, snapshotted with its sync."""
    competitor_folder: Path | None = None
    """Where their answers are kept: apart from the run's folder, which is imported as the
    client's own data."""
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    """The run's time: when the snapshots were taken."""

    def save(self, name: str, answer: Any) -> None:
        """Keep one answer in the run's folder, as the platform gave it."""
        _write(self.folder, name, answer)

    def save_competitor(self, name: str, answer: Any) -> None:
        """Keep one answer about competitors, as the platform gave it."""
        _write(self.competitor_folder or self.folder.parent / "competitors", name, answer)


def _write(folder: Path, name: str, answer: Any) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(answer, ensure_ascii=False, indent=1), encoding="utf-8")


@dataclass
class Fetched:
    """What a fetch read."""

    requests: int = 0
    days: int = 0
    posts: int = 0
    snapshots: list[Snapshot] = field(default_factory=list)
    competitor_posts: list[CompetitorPost] = field(default_factory=list)
    competitor_problems: list[str] = field(default_factory=list)
    """Why a competitor could not be read (a closed community, an unknown name): the
    connection's own sync is not failed by it."""


class Fetcher(Protocol):
    source: str
    importer: str
    """The importer that reads the folder a fetch writes."""

    def fetch(self, job: FetchJob) -> Fetched: ...
