"""The agency's month end: every client's report, rendered by a pool of worker processes (one
per core by default). A client that fails does not stop the others; each outcome says what was
written or why it failed."""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from smmkpi.errors import UserError
from smmkpi.i18n import Language, set_language
from smmkpi.metrics.periods import Period
from smmkpi.report.render import Rendered, render_client
from smmkpi.workspace import Workspace


@dataclass(frozen=True)
class Job:
    """One client's reports to render."""

    workspace: Path
    client_id: str
    period: Period
    languages: tuple[Language, ...]
    formats: tuple[str, ...]
    folder: Path
    today: date
    interface: Language  # the language of error messages
    edition: str = "client"


@dataclass
class Outcome:
    client_id: str
    rendered: list[Rendered] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    @property
    def files(self) -> list[Path]:
        return [path for item in self.rendered for path in item.files]


def run_job(job: Job) -> Outcome:
    """Render one client's reports (in a worker process); errors are returned, not raised."""
    import time

    started = time.perf_counter()
    set_language(job.interface)
    try:
        workspace = Workspace.open(job.workspace)
        rendered = render_client(
            workspace,
            job.client_id,
            job.period,
            job.languages,
            job.formats,
            job.folder,
            job.today,
            job.edition,
        )
        return Outcome(job.client_id, rendered, seconds=time.perf_counter() - started)
    except UserError as error:
        return Outcome(job.client_id, error=str(error), seconds=time.perf_counter() - started)
    except Exception as error:  # one client's bug must not stop the month end
        last = traceback.extract_tb(error.__traceback__)[-1]
        where = f"{Path(last.filename).name}:{last.lineno}"
        return Outcome(
            job.client_id,
            error=f"{type(error).__name__}: {error} ({where})",
            seconds=time.perf_counter() - started,
        )


def run_jobs(jobs: Sequence[Job], workers: int) -> Iterator[tuple[int, Outcome]]:
    """Render ``jobs`` with ``workers`` processes, yielding (index in ``jobs``, outcome) as
    they finish.

    The workers come from a fork server: a fresh process that has imported the renderer and
    opened no database, so forking it is safe (forking this process is not: DuckDB's and the
    caller's threads may hold locks) and a worker starts without importing anything again."""
    if workers <= 1 or len(jobs) <= 1:
        for index, job in enumerate(jobs):
            yield index, run_job(job)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["smmkpi.report.batch"])
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        futures: dict[Future[Outcome], int] = {
            pool.submit(run_job, job): index for index, job in enumerate(jobs)
        }
        for future in as_completed(futures):
            yield futures[future], future.result()


def render_all(
    jobs: Sequence[Job], workers: int, on_done: Callable[[Outcome], None] | None = None
) -> list[Outcome]:
    """Every job's outcome, in the order of ``jobs``."""
    found: dict[int, Outcome] = {}
    for index, outcome in run_jobs(jobs, workers):
        found[index] = outcome
        if on_done is not None:
            on_done(outcome)
    return [found[index] for index in range(len(jobs))]
