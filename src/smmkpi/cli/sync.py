"""``smmkpi sync``: read what each connection can for its window and import it through the
importers of files (``shared/spec/sync-and-delivery.md`` §2)."""

from __future__ import annotations

import json
from contextlib import nullcontext
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from smmkpi.cli.common import (
    LangOption,
    OutputOption,
    echo_json,
    handle_errors,
    open_workspace,
    table_or_json,
    today_or,
)
from smmkpi.cli.state import console
from smmkpi.errors import UnknownChoiceError, UserError
from smmkpi.formatting import format_count
from smmkpi.i18n import _, current_language, ngettext
from smmkpi.metrics.periods import parse_day
from smmkpi.store import connections as stored

if TYPE_CHECKING:
    from smmkpi.sync.runner import SyncResult


@handle_errors
def sync_command(
    client: Annotated[str | None, typer.Option("--client", help="Only this client's.")] = None,
    account: Annotated[str | None, typer.Option("--account", help="Only this account's.")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Only this source (vk, …).")
    ] = None,
    first: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="First day to read (default: from the last one read, less the re-read window).",
        ),
    ] = None,
    last: Annotated[
        str | None, typer.Option("--to", help="Last day to read (default: yesterday).")
    ] = None,
    due: Annotated[
        bool,
        typer.Option(
            "--due", help="Only connections whose last success is older than sync.every_hours."
        ),
    ] = False,
    output: OutputOption = "table",
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Pretend today is this day (YYYY-MM-DD).", hidden=True),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Sync the connections (all, or those selected): each reads from the day after the last
    one it read, less sync.reread_days, to yesterday in its client's time zone (a first sync
    backfills sync.backfill_days), imports it like a file, and keeps the platform's answers under
    sync/. Exit status 1 when any connection failed."""
    from smmkpi.sync.credentials import credential_box
    from smmkpi.sync.runner import due as due_now
    from smmkpi.sync.runner import run_sync

    table_or_json(output)
    if source is not None and source not in stored.SOURCES:
        raise UnknownChoiceError(_("source"), source, stored.SOURCES)
    workspace = open_workspace(lang)
    settings = workspace.settings.sync
    start = parse_day(first, "--from") if first else None
    end = parse_day(last, "--to") if last else None
    today = today_or(as_of) if as_of else None
    # --as-of moves the clock too: the members counted "today" are that day's
    now = datetime.combine(today, time(12), UTC) if today else datetime.now(UTC)
    with workspace.open_store() as store:
        found = [
            c
            for c in stored.listed(store.con, client)
            if (account is None or c.account_id == account)
            and (source is None or c.source == source)
        ]
        if due:
            found = due_now(found, now, settings.every_hours)
        if not found:
            if due:
                console.print(_("No connection is due."))
                return
            raise UserError(
                _("No connection matches (see `smmkpi connections`; `smmkpi connect` adds one).")
            )
        box = credential_box(workspace.path, store.engine == "postgresql")
        with Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=output == "json",
        ) as progress:
            task = progress.add_task(_("Syncing"), total=len(found))
            requests = [0]

            def counted() -> None:
                requests[0] += 1
                progress.update(
                    task,
                    description=ngettext(
                        "Syncing ({n} request)", "Syncing ({n} requests)", requests[0]
                    ).format(n=requests[0]),
                )

            results = run_sync(
                lambda: nullcontext(store), workspace.path, settings, found, box,
                now=now, today=today, first=start, last=end,
                on_request=counted, on_done=lambda _r: progress.advance(task),
            )  # fmt: skip
    if output == "json":
        echo_json(json.dumps([_as_json(r) for r in results], ensure_ascii=False, indent=2))
    else:
        print_results(results)
    if any(r.failed for r in results):
        raise typer.Exit(1)


def _as_json(result: SyncResult) -> dict[str, Any]:
    connection, window, counts = result.connection, result.window, result.counts
    return {
        "source": connection.source,
        "client": connection.client_id,
        "account": connection.account_id,
        "status": result.status,
        "from": window.first.isoformat() if window else None,
        "to": window.last.isoformat() if window else None,
        "requests": result.fetched.requests if result.fetched else 0,
        "days": result.fetched.days if result.fetched else 0,
        "posts": result.fetched.posts if result.fetched else 0,
        "inserted": counts.inserted if counts else 0,
        "replaced": counts.replaced if counts else 0,
        "unchanged": counts.unchanged + counts.ignored if counts else 0,
        "folder": str(result.folder) if result.folder and result.status == "ok" else None,
        "error": result.error,
        "competitors": len(result.fetched.snapshots) if result.fetched else 0,
        "competitor_problems": result.fetched.competitor_problems if result.fetched else [],
    }


def print_results(results: list[SyncResult]) -> None:
    """One line per connection: what it read and what that changed, or why it failed."""
    language = current_language()
    for result in results:
        row = _as_json(result)
        name = f"{row['source']} {row['account'] or row['client']}"
        if result.failed or result.status == "busy":
            console.print(f"{name}: {row['status']} — {row['error']}", markup=False)
            continue
        console.print(
            _(
                "{name}: ok — {first} to {last}: {days} days, {posts} posts in {requests} "
                "requests; {new} new, {changed} changed, {same} unchanged rows."
            ).format(
                name=name,
                first=row["from"],
                last=row["to"],
                days=format_count(row["days"], language),
                posts=format_count(row["posts"], language),
                requests=format_count(row["requests"], language),
                new=format_count(row["inserted"], language),
                changed=format_count(row["replaced"], language),
                same=format_count(row["unchanged"], language),
            ),
            markup=False,
        )
        if row["competitors"]:
            console.print(
                _("  {n} competitors snapshotted.").format(n=row["competitors"]), markup=False
            )
        for problem in row["competitor_problems"]:
            console.print(f"  {problem}", markup=False)
    failed = sum(r.failed for r in results)
    if failed:
        console.print(
            _("{failed} of {total} connections failed.").format(failed=failed, total=len(results))
        )


def register(app: typer.Typer) -> None:
    app.command("sync")(sync_command)
