"""``smmkpi history``, ``smmkpi plan …`` and ``smmkpi status``: the account's past, the KPI plan
with its targets and revisions, and plan against fact with pacing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from smmkpi.cli.brief import author_of, print_revisions
from smmkpi.cli.common import (
    FromOption,
    LangOption,
    PeriodOption,
    ToOption,
    echo_json,
    handle_errors,
    open_workspace,
    today_or,
)
from smmkpi.cli.kpi import social_rules
from smmkpi.cli.state import console
from smmkpi.cli.tables import Table
from smmkpi.errors import InvalidArgumentError, UserError
from smmkpi.formatting import (
    format_day,
    format_month,
    format_month_after_from,
    format_number,
    format_value,
)
from smmkpi.i18n import _, current_language, ngettext
from smmkpi.metrics.catalogue import KPIS_BY_ID
from smmkpi.metrics.model import Kpi
from smmkpi.metrics.periods import Period, last_full_month, today_in
from smmkpi.planning import service
from smmkpi.planning.kpisets import SetWarning, choice, edited
from smmkpi.planning.plans import MAX_MONTHS, Plan, PlanKpi, read_yaml, to_yaml, with_target
from smmkpi.planning.status import KpiStatus, status_json, status_text
from smmkpi.planning.targets import Recommendation
from smmkpi.report.wording import period_name
from smmkpi.store import revisions

plans = typer.Typer(
    help="KPI plans: targets per KPI per month, with revisions.", no_args_is_help=True
)

STATUS_STYLE = {
    "achieved": "green",
    "within_tolerance": "green",
    "on_track": "green",
    "at_risk": "yellow",
    "off_track": "red",
    "no_data": "dim",
}


status_name = status_text


def register(app: typer.Typer) -> None:
    app.command("history")(history_command)
    app.command("status")(status_command)
    app.add_typer(plans, name="plan")


def _kpi_list(text: str | None) -> list[str] | None:
    if not text:
        return None
    ids = [k.strip().lower() for k in text.split(",") if k.strip()]
    for kpi_id in ids:
        choice(kpi_id, "added", [])  # an unknown id is an error listing the known ones
    return ids


def _value(kpi: Kpi, value: Any, currency: str) -> str:
    return format_value(value, kpi.unit.value, current_language(), currency)


# -- history ---------------------------------------------------------------------------------


def history_months(period: Period, last_full: Period) -> tuple[Period, int]:
    """The last month and the number of months a history of ``period`` covers: its whole
    calendar months up to ``last_full`` (the last month over)."""
    if period.start.day != 1 or Period.of_month(period.end).end != period.end:
        raise InvalidArgumentError(
            _(
                "The history goes month by month: give whole months, such as --period 2026-H1 or "
                "--from 2025-07-01 --to 2026-06-30 (not {first} to {last})."
            ).format(first=period.start.isoformat(), last=period.end.isoformat())
        )
    months = [Period.of_month(m.start) for m in period.months() if m.end <= last_full.end]
    if not months:
        raise InvalidArgumentError(
            _("No month of {period} is over yet: the history needs whole months.").format(
                period=period.label()
            )
        )
    if len(months) > 36:
        raise InvalidArgumentError(_("The history covers at most 36 months."))
    return months[-1], len(months)


@handle_errors
def history_command(
    client: Annotated[str, typer.Argument(help="The client.")],
    months: Annotated[int, typer.Option("--months", help="How many full months to analyse.")] = 12,
    kpis: Annotated[
        str | None,
        typer.Option("--kpis", help="KPI ids (comma-separated); default: the goals' set."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Analyse the months before this day (YYYY-MM-DD).")
    ] = None,
    period_text: Annotated[
        str | None,
        typer.Option(
            "--period", help="Analyse the months of a year 2026, half-year 2026-H1 or quarter."
        ),
    ] = None,
    first: Annotated[
        str | None, typer.Option("--from", help="The first month's first day (with --to).")
    ] = None,
    last: Annotated[
        str | None, typer.Option("--to", help="The last month's last day, YYYY-MM-DD.")
    ] = None,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    lang: LangOption = None,
) -> None:
    """The account's history for each KPI of the plan: monthly series, baselines, trend,
    seasonality, volatility, anomalies, gaps and a summary — of the last --months full months,
    or of the months of --period or --from/--to."""
    if not 1 <= months <= 36:
        raise InvalidArgumentError(_("--months is between 1 and 36."))
    workspace = open_workspace(lang)
    with workspace.open_store(read_only=True) as store:
        zone = service.client_info(store, client).timezone
        today = today_or(as_of) if as_of else today_in(zone)
        until = last_full_month(today)
        if period_text or first or last:
            until, months = history_months(
                Period.from_options(None, first, last, period_text), until
            )
        found = service.history(
            store, client, _kpi_list(kpis), months, until, social_rules(workspace.settings)
        )
    if output == "json":
        echo_json(json.dumps(service.history_json(found), ensure_ascii=False, indent=2) + "\n")
        return
    if output != "table":
        raise InvalidArgumentError(_("--format is table or json."))
    language = current_language()
    console.print(
        Text(
            _("{name} ({client}): history of {first} to {last}").format(
                name=found.client.name,
                client=client,
                first=format_month_after_from(found.months[0].start, language),
                last=format_month(found.months[-1].start, language),
            ),
            style="bold",
        )
    )
    table = Table()
    table.add_column(_("KPI"), overflow="fold", ratio=1, min_width=14)
    for heading in (
        *(f"{m.start:%m.%y}" for m in found.months[-3:]),
        _("med. 3"),
        _("med. 6"),
        _("trend/mo"),
    ):
        table.add_column(heading, justify="right")
    currency = found.client.currency
    for item in found.kpis:
        trend = "—"
        if item.trend_percent is not None:
            sign = "+" if item.trend_percent >= 0 else "−"
            trend = f"{sign}{format_number(abs(item.trend_percent), 1, language)} %"
        table.add_row(
            item.kpi.label(),
            *(_value(item.kpi, v, currency) for v in item.values[-3:]),
            _value(item.kpi, item.baseline_3, currency),
            _value(item.kpi, item.baseline_6, currency),
            trend,
        )
    console.print(table)
    for item in found.kpis:
        console.print(f"• {item.summary}", soft_wrap=True)
    if found.kpis and found.kpis[0].gaps:
        console.print(Text(_("Gaps in the daily statistics:"), style="bold"))
        for account, gap_start, gap_end in found.kpis[0].gaps[:10]:
            console.print(
                f"  {account}: {format_day(gap_start, language)} – {format_day(gap_end, language)}"
            )


# -- plans -----------------------------------------------------------------------------------


@plans.command("create")
@handle_errors
def plan_create(
    client: Annotated[str, typer.Argument(help="The client.")],
    start: Annotated[
        str | None,
        typer.Option(
            "--start", help="The first month (YYYY-MM); default: this month (the client's zone)."
        ),
    ] = None,
    months: Annotated[int, typer.Option("--months", help="The horizon in months (1–12).")] = 6,
    history_months: Annotated[
        int, typer.Option("--history", help="Months of history the targets come from (up to).")
    ] = 24,
    add: Annotated[str | None, typer.Option("--add-kpi", help="KPI ids to add (a,b).")] = None,
    remove: Annotated[
        str | None, typer.Option("--remove-kpi", help="KPI ids to leave out.")
    ] = None,
    plan_id: Annotated[
        str | None, typer.Option("--id", help="The plan's id; default CLIENT-START.")
    ] = None,
    author: Annotated[str | None, typer.Option("--author", help="Who makes the plan.")] = None,
    why: Annotated[str | None, typer.Option("--why", help="A note for the revision.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Pretend today is this day.")] = None,
    lang: LangOption = None,
) -> None:
    """Make a plan: the goals' KPIs (from the brief), each with three levels recommended from
    the history — conservative, target, stretch — per month of the horizon."""
    if not 1 <= months <= MAX_MONTHS:
        raise InvalidArgumentError(_("--months is between 1 and 12."))
    workspace = open_workspace(lang)
    with workspace.open_store() as store:
        today = today_or(as_of) if as_of else today_in(service.client_info(store, client).timezone)
        # onboarding day plans the month under way, so that `plan set` and `status` follow;
        # its targets still rest on full months only
        first = Period.month(start) if start else Period.of_month(today)
        if plan_id and plan_id in revisions.plan_ids(store.con):
            raise UserError(
                _("Plan {plan} exists; change it with `smmkpi plan set`.").format(plan=plan_id)
            )
        plan, found, warnings, notes = service.new_plan(
            store,
            client,
            first,
            months,
            history_months,
            _kpi_list(add),
            _kpi_list(remove),
            plan_id,
            social_rules(workspace.settings),
            as_of=today,
        )
        if plan.plan_id in revisions.plan_ids(store.con):
            raise UserError(
                _(
                    "Plan {plan} exists; change it with `smmkpi plan set`, or pass --id for "
                    "another plan."
                ).format(plan=plan.plan_id)
            )
        service.save(store, plan, author_of(author), why or _("created from the history"))
        recs = service.recommendations(found, months, first)
        for note in notes:  # the brief's note says what the history recommended
            recs.pop(note.kpi, None)
    console.print(_("Created plan {plan}.").format(plan=plan.plan_id))
    _print_plan(plan, found.client.currency, recs)
    _print_warnings(warnings)
    if notes:
        console.print(Text(_("From the brief:"), style="bold"))
    for note in notes:
        style = "yellow" if note.disagrees else ""
        console.print(
            Text(("! " if note.disagrees else "• ") + note.text, style=style), soft_wrap=True
        )


@plans.command("show")
@handle_errors
def plan_show(
    plan_id: Annotated[str, typer.Argument(help="The plan.")],
    revision: Annotated[int | None, typer.Option("--revision", help="An earlier revision.")] = None,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    lang: LangOption = None,
) -> None:
    """A plan: its KPIs and their targets per month."""
    workspace = open_workspace(lang)
    with workspace.open_store(read_only=True) as store:
        plan = service.load(store, plan_id, revision)
        info = service.client_info(store, plan.client)
        warnings = service.plan_warnings(
            store, plan, date.today(), social_rules(workspace.settings)
        )
        history = revisions.plan_revisions(store.con, plan_id)
    if output == "json":
        echo_json(json.dumps(plan.content(), ensure_ascii=False, indent=2) + "\n")
        return
    latest = history[-1]
    console.print(
        _("Plan {plan} of {client}, revision {revision} ({when}, {author}).").format(
            plan=plan.plan_id,
            client=plan.client,
            revision=revision or latest.revision,
            when=f"{latest.created_at:%Y-%m-%d}",
            author=latest.author or "—",
        )
    )
    _print_plan(plan, info.currency)
    _print_warnings(warnings)


@plans.command("set")
@handle_errors
def plan_set(
    plan_id: Annotated[str, typer.Argument(help="The plan.")],
    kpi: Annotated[str | None, typer.Option("--kpi", help="The KPI whose target changes.")] = None,
    month: Annotated[
        str | None, typer.Option("--month", help="The month (YYYY-MM); default: every month.")
    ] = None,
    target: Annotated[float | None, typer.Option("--target", help="The new target.")] = None,
    add: Annotated[str | None, typer.Option("--add-kpi", help="KPI ids to add (a,b).")] = None,
    remove: Annotated[
        str | None, typer.Option("--remove-kpi", help="KPI ids to leave out.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="The plan's notes.")] = None,
    why: Annotated[
        str | None, typer.Option("--why", help="Why it changes (kept with the revision).")
    ] = None,
    author: Annotated[str | None, typer.Option("--author", help="Who changes it.")] = None,
    lang: LangOption = None,
) -> None:
    """Change a plan — a target, the KPI list, the notes — as a new revision."""
    workspace = open_workspace(lang)
    with workspace.open_store() as store:
        plan = service.load(store, plan_id)
        changed = plan.model_copy(deep=True)
        if add or remove:
            choices = edited(
                [choice(k.kpi, k.role, plan.goals) for k in plan.kpis],
                plan.goals,
                _kpi_list(add) or [],
                _kpi_list(remove) or [],
            )
            kept = {c.kpi.id for c in choices}
            items = [k for k in changed.kpis if k.kpi in kept]
            for item in choices:
                if changed.item(item.kpi.id) is None:
                    items.append(PlanKpi(kpi=item.kpi.id, role="added"))
            changed.kpis = items
        if target is not None or kpi is not None:
            if kpi is None or target is None:
                raise InvalidArgumentError(_("--kpi and --target go together."))
            months = [Period.month(month)] if month else plan.periods()
            changed = with_target(changed, kpi.strip().lower(), months, target)
        if note is not None:
            changed.notes = note
        changed = Plan.model_validate(changed.content())
        if changed == plan:
            console.print(_("Nothing to change."))
            return
        if not why:
            raise InvalidArgumentError(
                _('Say why the plan changes: --why "…" (kept with the revision).')
            )
        saved = service.save(store, changed, author_of(author), why)
        info = service.client_info(store, plan.client)
        outside = []
        if kpi is not None and target is not None:
            outside = service.beyond_history(
                store, plan.client, kpi.strip().lower(), target, plan.periods()[0],
                social_rules(workspace.settings),
            )  # fmt: skip
    console.print(
        _("Saved revision {revision} of plan {plan}.").format(revision=saved.revision, plan=plan_id)
    )
    _print_plan(changed, info.currency)
    for warning in outside:
        console.print(Text(f"! {warning}", style="yellow"), soft_wrap=True)


@plans.command("export")
@handle_errors
def plan_export(
    plan_id: Annotated[str, typer.Argument(help="The plan.")],
    file: Annotated[
        Path | None, typer.Option("--file", help="Write to this file; default: print.")
    ] = None,
    lang: LangOption = None,
) -> None:
    """The plan as YAML, to review or keep in git."""
    workspace = open_workspace(lang)
    with workspace.open_store(read_only=True) as store:
        plan = service.load(store, plan_id)
    text = to_yaml(plan)
    if file is None:
        echo_json(text)
    else:
        file.write_text(text, encoding="utf-8")
        console.print(_("Wrote plan {plan} to {path}.").format(plan=plan_id, path=file))


@plans.command("import")
@handle_errors
def plan_import(
    file: Annotated[Path, typer.Argument(help="A plan exported with smmkpi plan export.")],
    why: Annotated[str | None, typer.Option("--why", help="Why it changes.")] = None,
    author: Annotated[str | None, typer.Option("--author", help="Who changes it.")] = None,
    lang: LangOption = None,
) -> None:
    """Read a plan from YAML: a new plan, or a new revision of an existing one."""
    workspace = open_workspace(lang)
    plan = read_yaml(file)
    with workspace.open_store() as store:
        service.client_info(store, plan.client)
        before = revisions.latest_plan(store.con, plan.plan_id)
        saved = service.save(
            store, plan, author_of(author), why or _("imported from {file}").format(file=file.name)
        )
    if before is not None and saved.revision == before.revision:
        console.print(_("Plan {plan} is unchanged.").format(plan=plan.plan_id))
    else:
        console.print(
            _("Saved revision {revision} of plan {plan}.").format(
                revision=saved.revision, plan=plan.plan_id
            )
        )


@plans.command("list")
@handle_errors
def plan_list(
    client: Annotated[str | None, typer.Option("--client", help="Only this client's.")] = None,
    lang: LangOption = None,
) -> None:
    """The plans, with their months and revisions."""
    workspace = open_workspace(lang)
    with workspace.open_store(read_only=True) as store:
        ids = revisions.plan_ids(store.con, client)
        rows = []
        for plan_id in ids:
            found = revisions.plan_revisions(store.con, plan_id)
            plan = Plan.model_validate(found[-1].content)
            rows.append((plan, found[-1]))
    if not rows:
        console.print(_("No plans yet: smmkpi plan create CLIENT."))
        return
    table = Table(_("Plan"), _("Client"), _("Months"), _("KPIs"), _("Revision"), _("Saved"))
    for plan, latest in rows:
        periods = plan.periods()
        table.add_row(
            plan.plan_id,
            plan.client,
            f"{periods[0].label()} … {periods[-1].label()}",
            str(len(plan.kpis)),
            str(latest.revision),
            f"{latest.created_at:%Y-%m-%d}",
        )
    console.print(table)


@plans.command("revisions")
@handle_errors
def plan_revisions(
    plan_id: Annotated[str, typer.Argument(help="The plan.")],
    lang: LangOption = None,
) -> None:
    """Every revision of a plan: who, when, why."""
    workspace = open_workspace(lang)
    with workspace.open_store(read_only=True) as store:
        service.load(store, plan_id)
        found = revisions.plan_revisions(store.con, plan_id)
    print_revisions(found, _("Why"))


def _print_plan(
    plan: Plan, currency: str, recommendations: dict[str, list[Recommendation]] | None = None
) -> None:
    periods = plan.periods()
    table = Table(title=_("Targets (conservative / target / stretch)"), title_justify="left")
    table.add_column("")
    table.add_column(_("KPI"), overflow="fold")
    for period in periods:
        table.add_column(f"{period.start:%m.%y}", justify="right")
    for item in plan.kpis:
        kpi = KPIS_BY_ID[item.kpi]
        mark = {"main": "★", "secondary": "☆"}.get(item.role, "+")
        cells = []
        for period in periods:
            target = item.targets.get(period.label())
            if target is None or target.target is None:
                cells.append(Text(_("set it by hand"), style="yellow"))
                continue
            main = _value(kpi, target.target, currency)
            sign = {"manual": " ✎", "brief": " ◆"}.get(target.source, "")
            if (
                target.conservative is not None
                and target.stretch is not None
                and target.source != "manual"
            ):
                low = _value(kpi, target.conservative, currency)
                high = _value(kpi, target.stretch, currency)
                cells.append(
                    Text(main + sign, style="bold") + Text(f"\n{low} … {high}", style="dim")
                )
            else:
                cells.append(Text(main + (sign or " ✎"), style="bold"))
        table.add_row(mark, kpi.label(), *cells)
    console.print(table)
    console.print(
        Text(
            _("★ main KPI of the goal, ☆ secondary, + added; ✎ set by hand; ◆ from the brief"),
            style="dim",
        )
    )
    if recommendations:
        for kpi_id, found in recommendations.items():
            first = found[0] if found else None
            if first is None:
                continue
            text = f"{KPIS_BY_ID[kpi_id].label()}: {first.method}"
            if first.confidence in ("low", "none"):
                text += " " + _("Confidence: low.")
            console.print(Text(text, style="dim"), soft_wrap=True)
            for warning in dict.fromkeys(w for r in found for w in r.warnings):
                console.print(Text(f"  ! {warning}", style="yellow"), soft_wrap=True)


def _print_warnings(warnings: list[SetWarning]) -> None:
    for warning in warnings:
        console.print(Text("! ", style="yellow"), end="")
        console.print(warning.text, soft_wrap=True)


# -- status ----------------------------------------------------------------------------------


@handle_errors
def status_command(
    client: Annotated[str, typer.Argument(help="The client.")],
    month: Annotated[
        str | None, typer.Option("--month", help="The month (YYYY-MM); default: this month.")
    ] = None,
    period_text: PeriodOption = None,
    first: FromOption = None,
    last: ToOption = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Replay any day (YYYY-MM-DD); default: today.")
    ] = None,
    plan_id: Annotated[
        str | None, typer.Option("--plan", help="The plan; default: the one for the period.")
    ] = None,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    lang: LangOption = None,
) -> None:
    """Plan against fact: each KPI's target, fact, attainment and status; within a month, the
    pace, a month-end forecast with an 80 % interval and the chance of reaching the target.
    A quarter, half-year, year or range compares the fact with the plan's months combined."""
    workspace = open_workspace(lang)
    with workspace.open_store(read_only=True) as store:
        today = today_or(as_of) if as_of else today_in(service.client_info(store, client).timezone)
        chosen = month or period_text or first or last
        period = (
            Period.from_options(month, first, last, period_text)
            if chosen
            else Period.of_month(today)
        )
        plan = service.load(store, plan_id) if plan_id else service.plan_for(store, client, period)
        if plan.client != client:
            raise InvalidArgumentError(
                _("Plan {plan} is {other}'s, not {client}'s.").format(
                    plan=plan.plan_id, other=plan.client, client=client
                )
            )
        info = service.client_info(store, client)
        found = service.status(
            store,
            plan,
            period,
            today,
            social_rules(workspace.settings),
            tolerance=workspace.settings.planning.tolerance,
        )
    if output == "json":
        echo_json(
            json.dumps(
                status_json(client, plan.plan_id, period, found),
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
        return
    console.print(
        status_table(info.name, client, plan.plan_id, period, today, found, info.currency)
    )


def status_table(
    name: str,
    client: str,
    plan_id: str,
    period: Period,
    today: date,
    found: list[KpiStatus],
    currency: str,
) -> Table:
    language = current_language()
    days = found[0].elapsed_days if found else 0
    title = ngettext(
        "{name} ({client}) — {month}: plan against fact, as of {day} ({days} of {total} day)",
        "{name} ({client}) — {month}: plan against fact, as of {day} ({days} of {total} days)",
        period.days,
    ).format(
        name=name,
        client=client,
        month=period_name(period, language),
        day=format_day(today, language),
        days=days,
        total=period.days,
    )
    table = Table(
        title=title,
        title_justify="left",
        caption=_("plan {plan}").format(plan=plan_id),
        caption_justify="left",
    )
    table.add_column(_("KPI"), overflow="fold")
    for heading in (_("target"), _("fact"), _("attainment"), _("forecast (80 %)"), _("chance")):
        table.add_column(heading, justify="right")
    table.add_column(_("status"))
    for item in found:
        kpi = item.kpi
        forecast = "—"
        if item.forecast is not None and not item.complete:
            forecast = _value(kpi, item.forecast, currency)
            if item.low is not None and item.high is not None:
                forecast += (
                    f"\n{_value(kpi, item.low, currency)} … {_value(kpi, item.high, currency)}"
                )
        table.add_row(
            kpi.label(),
            _value(kpi, item.target, currency),
            _value(kpi, item.fact, currency),
            "—" if item.attainment is None else format_number(item.attainment, 0, language) + " %",
            forecast,
            "—"
            if item.probability is None
            else format_number(item.probability * 100, 0, language) + " %",
            Text(status_name(item.status), style=STATUS_STYLE[item.status]),
        )
    return table
