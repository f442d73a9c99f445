"""``smmkpi migrate --to postgresql://…``: copy a DuckDB workspace into a PostgreSQL database and
verify it — every table's row count and every KPI of the 12 latest months that hold data,
computed on both engines from the same catalogue — before the copy is committed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from smmkpi.cli.common import LangOption, handle_errors, open_workspace, today_or
from smmkpi.cli.state import console
from smmkpi.cli.tables import Table
from smmkpi.errors import InvalidArgumentError, UserError
from smmkpi.extras import require
from smmkpi.formatting import format_count
from smmkpi.i18n import _, current_language
from smmkpi.metrics.compare import Comparison, compare_kpis
from smmkpi.metrics.periods import Period, last_full_month
from smmkpi.store import urls
from smmkpi.store.connection import Backend
from smmkpi.store.coverage import months_with_data

if TYPE_CHECKING:
    from smmkpi.store import postgres


class VerificationError(UserError):
    """The copy differs from the workspace (nothing of it was kept)."""


def register(app: typer.Typer) -> None:
    app.command("migrate")(migrate)


@handle_errors
def migrate(
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="The PostgreSQL database to move into: postgresql://USER[:PASSWORD]@HOST:PORT/DB "
            "(empty; the password may come from PGPASSWORD).",
        ),
    ],
    months: Annotated[
        int,
        typer.Option(
            "--months",
            help="How many months of KPIs to compare: the latest that hold data.",
            min=1,
            max=60,
        ),
    ] = 12,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="The day the months are counted back from (its last full month is the latest).",
        ),
    ] = None,
    copy_only: Annotated[
        bool,
        typer.Option(
            "--copy-only", help="Copy and verify, but keep the workspace on its DuckDB file."
        ),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Move this workspace into PostgreSQL: copy its tables in one transaction, check that
    every table holds as many rows and that every KPI of every client and account in the last
    months has the same value there, commit, and point the workspace at the database
    (``store.url`` in smmkpi.toml; the DuckDB file stays as it was, as a backup)."""
    if not urls.is_postgres_url(to):
        raise InvalidArgumentError(
            _("--to takes a PostgreSQL URL such as postgresql://user@host:5432/smmkpi.")
        )
    workspace = open_workspace(lang)
    require("postgresql")
    from smmkpi.store import postgres

    if workspace.settings.store.url:
        raise InvalidArgumentError(
            _("This workspace is already in PostgreSQL ({url}).").format(
                url=urls.safe_url(workspace.settings.store.url)
            )
        )
    last = last_full_month(today_or(as_of)).label()
    rules = workspace.social_rules()
    language = current_language()
    with (
        workspace.open_store(read_only=True) as store,
        postgres.connect(to) as con,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,.0f}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress,
    ):
        totals = {t: store.count_rows(t) for t in postgres.workspace_tables(store)}
        held = [m for m in months_with_data(store.con) if m <= last][-months:]
        periods = [Period.month(m) for m in held]
        rows_task = progress.add_task(_("Copying rows"), total=sum(totals.values()) or 1)
        checked: dict[str, Any] = {}

        def check(copied: list[postgres.CopiedTable]) -> None:
            counts = {c.table: postgres.count_postgres(con, c.table) for c in copied}
            checked["counts"] = counts
            wrong = [t for t, n in totals.items() if counts.get(t) != n]
            if wrong:
                raise VerificationError(
                    _("Row counts differ in {tables}; nothing was kept.").format(
                        tables=", ".join(wrong)
                    )
                )
            if not periods:
                checked["kpis"] = None
                return
            kpi_task = progress.add_task(_("Comparing KPIs"), total=len(periods))
            found = compare_kpis(
                store.backend,
                Backend("postgres", con),
                periods,
                rules,
                progress=lambda _period: progress.advance(kpi_task),
            )
            checked["kpis"] = found
            if not found.equal:
                raise VerificationError(mismatch_text(found))

        postgres.copy_workspace(
            store, con, lambda _table, rows: progress.advance(rows_task, rows), check
        )
    console.print(_("Copied into {url}:").format(url=urls.safe_url(to)))
    table = Table()
    table.add_column(_("table"))
    table.add_column(_("rows"), justify="right")
    for name, rows in checked["counts"].items():
        table.add_row(name, format_count(rows, language))
    console.print(table)
    found: Comparison | None = checked["kpis"]
    if found is None:
        console.print(
            _(
                "Verified: every table has the same number of rows. No month holds statistics "
                "yet, so there were no KPI values to compare."
            )
        )
    else:
        console.print(
            _(
                "Verified: every table has the same number of rows, and {values} KPI values of "
                "the {months} months that hold data ({first} … {last}) are the same on both "
                "engines."
            ).format(
                values=format_count(found.compared, language),
                months=len(periods),
                first=periods[0].label(),
                last=periods[-1].label(),
            )
        )
    if copy_only:
        return
    if urls.safe_url(to) != to:  # a password must not go into smmkpi.toml
        console.print(
            _(
                "The URL holds a password, so it is not written to smmkpi.toml: set "
                "SMMKPI__STORE__URL to it, or keep the password in PGPASSWORD or ~/.pgpass and "
                "write store.url without it into smmkpi.toml."
            )
        )
        return
    workspace.use_store_url(to)
    console.print(
        _(
            "The workspace now keeps its data in PostgreSQL (store.url in smmkpi.toml); {file} "
            "stays as it was, as a backup."
        ).format(file=workspace.database_path.name)
    )


def mismatch_text(found: Comparison) -> str:
    assert found.mismatches
    shown = "; ".join(
        f"{m.period} {m.client_id}{'/' + m.account_id if m.account_id else ''} {m.kpi}: "
        f"{m.left} ≠ {m.right}"
        for m in found.mismatches[:5]
    )
    return _("{count} KPI values differ ({shown}); nothing was kept.").format(
        count=len(found.mismatches), shown=shown
    )
