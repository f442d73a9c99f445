"""A sync run (``shared/spec/sync-and-delivery.md`` §2): for each connection selected, claim it,
fetch its window into ``WORKSPACE/sync/<source>/<target>/<run-id>/`` and import that folder
through the importers and the write path of files — all or nothing per connection and run —
then record the outcome.

Fetches run in parallel (``sync.parallel`` at once, each within its own credential's rate, so
connections on different tokens and sources do not wait for each other); imports run one at a
time on the caller's store, as each fetch finishes. An expired credential, a refused right, a
changed answer or a platform that stays down fails its connection alone, importing nothing of it.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from smmkpi.crashlog import write_crash_log
from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.ingest.context import ImportContext
from smmkpi.ingest.service import import_paths
from smmkpi.settings import SyncSection
from smmkpi.store import competitors
from smmkpi.store import connections as stored
from smmkpi.store.claims import owner_id, stale_claim
from smmkpi.store.database import Store
from smmkpi.store.directory import load_directory
from smmkpi.store.writer import MergeCounts
from smmkpi.sync.credentials import CredentialBox
from smmkpi.sync.crm import AmoFetcher, BitrixFetcher
from smmkpi.sync.errors import SyncError
from smmkpi.sync.fetcher import Fetched, Fetcher, FetchJob
from smmkpi.sync.google import Ga4Fetcher, YouTubeFetcher
from smmkpi.sync.meta import MetaFetcher
from smmkpi.sync.metrica import MetricaFetcher
from smmkpi.sync.telegram import TelegramFetcher
from smmkpi.sync.throttle import Limiters
from smmkpi.sync.tiktok import TikTokFetcher
from smmkpi.sync.vk import VkFetcher
from smmkpi.sync.window import Window, window_for

FETCHERS: dict[str, Fetcher] = {
    f.source: f
    for f in (
        VkFetcher(),
        TelegramFetcher(),
        MetaFetcher("instagram"),
        MetaFetcher("facebook"),
        MetricaFetcher(),
        Ga4Fetcher(),
        YouTubeFetcher(),
        TikTokFetcher(),
        AmoFetcher(),
        BitrixFetcher(),
    )
}
SYNC_FOLDER = "sync"
CLAIM_EXPIRES = timedelta(hours=6)
"""A claim older than this is taken over whoever holds it: no sync runs that long."""


@dataclass
class SyncResult:
    """What one connection's sync did."""

    connection: stored.StoredConnection
    status: str
    """The connection's status after the run, or ``busy`` when another sync held it."""
    error: str | None = None
    window: Window | None = None
    fetched: Fetched | None = None
    folder: Path | None = None
    counts: MergeCounts | None = None

    @property
    def failed(self) -> bool:
        return self.status not in ("ok", "busy")


def due(
    found: list[stored.StoredConnection], now: datetime, every_hours: float
) -> list[stored.StoredConnection]:
    """The connections ``--due`` syncs (the contract's rule): never synced, or last synced
    longer than ``every_hours`` ago — a failing one included, so that a scheduled run keeps
    saying it failed."""
    limit = now - timedelta(hours=every_hours)
    return [
        c
        for c in found
        if c.source in FETCHERS and (c.last_success_at is None or c.last_success_at <= limit)
    ]


def run_id(now: datetime) -> str:
    return f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@dataclass
class _Started:
    job: FetchJob
    fetcher: Fetcher
    result: SyncResult


Stores = Callable[[], AbstractContextManager[Store]]
"""Lends the workspace's store for a moment: a sync holds it only to claim, import and record,
never while it waits for a platform (the web app's requests go on meanwhile)."""


def run_sync(
    stores: Stores,
    folder: Path,
    settings: SyncSection,
    selected: list[stored.StoredConnection],
    box: CredentialBox,
    *,
    now: datetime | None = None,
    today: date | None = None,
    first: date | None = None,
    last: date | None = None,
    on_request: Callable[[], None] = lambda: None,
    on_done: Callable[[SyncResult], None] = lambda _result: None,
    transport: httpx.BaseTransport | None = None,
) -> list[SyncResult]:
    """Sync ``selected`` into the store (of the workspace in ``folder``); one result each, in
    the order they finished. ``today`` replaces each client's today (``--as-of``)."""
    now = now or datetime.now(UTC)
    owner = owner_id()
    results: list[SyncResult] = []
    started: list[_Started] = []
    limiters = Limiters()
    store_lock = threading.Lock()  # imports and rotated credentials take turns on the store
    with (
        httpx.Client(timeout=settings.timeout_seconds, transport=transport) as http,
        ExitStack() as held,
    ):
        store = held.enter_context(stores())
        directory = load_directory(store.con)
        for connection in selected:
            result = SyncResult(connection, "failing")
            fetcher = FETCHERS.get(connection.source)
            if fetcher is None:
                result.error = _("Syncing {source} is not built yet.").format(
                    source=connection.source
                )
                results.append(result)
                on_done(result)
                continue
            with store.transaction():
                holder = stored.claim(
                    store.con, connection.source, connection.target, owner, now,
                    lambda holder, since: stale_claim(holder, since, now, CLAIM_EXPIRES),
                )  # fmt: skip
            if holder is not None:
                result.status = "busy"
                result.error = _("Another sync of this connection is running ({holder}).").format(
                    holder=holder
                )
                results.append(result)
                on_done(result)
                continue
            try:
                client = directory.clients[connection.client_id]
                zone = ZoneInfo(client.timezone)
                result.window = window_for(
                    today or now.astimezone(zone).date(),
                    connection.synced_through,
                    reread_days=settings.reread_days,
                    post_reread_days=settings.post_reread_days,
                    backfill_days=settings.backfill_days,
                    first=first,
                    last=last,
                )
                secret = box.open(connection.sealed)
            except UserError as error:
                result.error = str(error)
                _finish(store, result, owner, now)
                results.append(result)
                on_done(result)
                continue
            result.folder = (
                folder / SYNC_FOLDER / connection.source / connection.target / run_id(now)
            )
            job = FetchJob(
                connection, secret, result.window, zone, result.folder, http, limiters,
                settings, on_request, _rotation(stores, store_lock, box, connection, owner),
                competitors.listed(store.con, connection.client_id, connection.source)
                if connection.source in competitors.SYNCED else [],
                folder / SYNC_FOLDER / "competitors" / connection.source
                / connection.client_id / run_id(now),
                now,
            )  # fmt: skip
            started.append(_Started(job, fetcher, result))
        held.close()  # the store is not held while the platforms answer
        for item in _fetched(started, settings.parallel, folder):
            with store_lock, stores() as store:
                if item.result.error is None:
                    _import(store, item, now, folder)
                _finish(store, item.result, owner, now)
            results.append(item.result)
            on_done(item.result)
    return results


def _fetched(started: list[_Started], parallel: int, folder: Path) -> Iterator[_Started]:
    """Each fetch, in parallel, as it finishes: its result carries what it read or why not."""
    if not started:
        return

    def fetch(item: _Started) -> _Started:
        try:
            item.result.fetched = item.fetcher.fetch(item.job)
        except SyncError as error:
            item.result.status = error.status
            text = str(error)
            fix = _fix(item.result.connection, error.status)
            item.result.error = (text if text.endswith(".") or not fix else text + ".") + fix
        except Exception as error:  # a bug: this connection fails, the others go on
            log = write_crash_log(folder / "logs", error)
            item.result.error = _(
                "Internal error ({kind}) while syncing; nothing of it was imported. This is a bug "
                "in smmkpi: please report it. The details are in {log}."
            ).format(kind=type(error).__name__, log=log)
        return item

    with ThreadPoolExecutor(max_workers=max(1, min(parallel, len(started)))) as pool:
        futures: list[Future[_Started]] = [pool.submit(fetch, item) for item in started]
        for future in as_completed(futures):
            yield future.result()


def _import(store: Store, item: _Started, now: datetime, folder: Path) -> None:
    result, connection = item.result, item.result.connection
    assert result.folder is not None
    if not result.folder.exists():
        result.folder.mkdir(parents=True)
    context = ImportContext(
        client_id=connection.client_id,
        account_id=connection.account_id,
        as_of=now.replace(microsecond=0),
        allow_empty=True,
    )
    (report,) = list(
        import_paths(
            store, [result.folder], context, file_format=item.fetcher.importer,
            crash_folder=folder / "logs",
        )
    )  # fmt: skip
    if report.error is not None:
        result.status = "failing"
        result.error = str(report.error)
        return
    assert report.outcome is not None
    result.status = "ok"
    result.counts = report.outcome.totals
    fetched = item.result.fetched
    if fetched is not None and (fetched.snapshots or fetched.competitor_posts):
        with store.transaction():
            competitors.record(store.con, fetched.snapshots, fetched.competitor_posts)


def _finish(store: Store, result: SyncResult, owner: str, now: datetime) -> None:
    with store.transaction():
        stored.finish(
            store.con,
            result.connection,
            owner,
            status=result.status,
            error=result.error,
            now=now,
            synced_through=result.window.last if result.window and result.status == "ok" else None,
        )


def _rotation(
    stores: Stores,
    lock: threading.Lock,
    box: CredentialBox,
    connection: stored.StoredConnection,
    owner: str,
) -> Callable[[str, datetime | None], None]:
    """Saves a connection's rotated credential at once, in its own transaction."""

    def rotate(secret: str, expires_at: datetime | None) -> None:
        with lock, stores() as store, store.transaction():
            if not stored.rotate(store.con, connection, owner, box.seal(secret), expires_at):
                raise SyncError(_("The connection was taken over by another sync."))

    return rotate


def _fix(connection: stored.StoredConnection, status: str) -> str:
    """What a person does about a failed connection."""
    if status == "needs_reauth":
        return " " + _("Connect it again: smmkpi connect {source} {target}.").format(
            source=connection.source, target=connection.target
        )
    if status == "permission_denied":
        return " " + _(
            "The credential may not read this: connect again with one that may (for VK, the "
            "token of a community admin)."
        )
    if status == "rate_limited":
        return " " + _("The platform's limits were reached; the next sync tries again.")
    return ""
