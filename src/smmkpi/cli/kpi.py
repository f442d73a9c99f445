"""``smmkpi kpi``: compute the catalogue for clients and a period; ``kpi list``, ``kpi show``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from smmkpi.cli import render
from smmkpi.cli.common import (
    FromOption,
    LangOption,
    PeriodOption,
    ToOption,
    echo_json,
    handle_errors,
    language_for,
    open_workspace,
)
from smmkpi.cli.engines import (
    DEFAULT_MASTER,
    EngineOption,
    LakeOption,
    MasterOption,
    check_engine,
    spark_backend,
)
from smmkpi.cli.state import console
from smmkpi.errors import UnknownChoiceError
from smmkpi.i18n import _, set_language
from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.catalogue import KPIS, goal_kpis
from smmkpi.metrics.catalogue import kpi as kpi_named
from smmkpi.metrics.compute import ClientKpis, compute_kpis
from smmkpi.metrics.explain import explain
from smmkpi.metrics.model import Kpi
from smmkpi.metrics.output import to_csv, to_json
from smmkpi.metrics.periods import Period
from smmkpi.settings import Settings
from smmkpi.workspace import Workspace

app = typer.Typer(
    help="Compute KPIs: smmkpi kpi --client C --month YYYY-MM; also kpi list, kpi show ID.",
    no_args_is_help=False,
    rich_markup_mode="rich",
)

OUTPUT_FORMATS = ("table", "json", "csv")


def social_rules(settings: Settings) -> SocialRules:
    """The social attribution rules with the workspace's additions."""
    return Workspace(Path("."), settings).social_rules()


def chosen_kpis(selection: str, goal: str | None) -> list[Kpi]:
    """The KPIs a table shows: ``all``, ``goal`` (main and secondary of the client's goal), or a
    comma-separated list of ids."""
    if selection == "all":
        return list(KPIS)
    if selection == "goal":
        return goal_kpis(goal) if goal else list(KPIS)
    return [kpi_named(part) for part in selection.split(",") if part.strip()]


@app.callback(invoke_without_command=True)
@handle_errors
def kpi(
    ctx: typer.Context,
    client: Annotated[
        str | None, typer.Option("--client", "-c", help="Client id; all clients when left out.")
    ] = None,
    month: Annotated[
        str | None, typer.Option("--month", "-m", help="Calendar month YYYY-MM.")
    ] = None,
    period_text: PeriodOption = None,
    first: FromOption = None,
    last: ToOption = None,
    output: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    kpis: Annotated[
        str,
        typer.Option("--kpis", help="Table rows: all, goal (the client's goal KPIs) or ids a,b,c."),
    ] = "all",
    explain_id: Annotated[
        str | None,
        typer.Option("--explain", help="Explain one KPI: formula, numerator, denominator, rows."),
    ] = None,
    engine: EngineOption = "workspace",
    lake: LakeOption = None,
    master: MasterOption = DEFAULT_MASTER,
    lang: LangOption = None,
) -> None:
    """Compute every KPI of the catalogue for a client (or all) and a period."""
    if ctx.invoked_subcommand:
        return
    check_engine(engine, lake)
    workspace = open_workspace(lang)
    if output not in OUTPUT_FORMATS:
        raise UnknownChoiceError(_("output format"), output, OUTPUT_FORMATS)
    period = Period.from_options(month, first, last, period_text)
    if explain_id:
        kpi_named(explain_id)  # an unknown id fails before any work
    if kpis not in ("all", "goal"):
        chosen_kpis(kpis, None)
    rules = social_rules(workspace.settings)
    clients = [client] if client else None
    if lake is not None:
        results = compute_kpis(
            spark_backend(lake, master), period, clients, rules, details=bool(explain_id)
        )
    else:
        with workspace.open_store(read_only=True) as store:
            results = compute_kpis(store.backend, period, clients, rules, details=bool(explain_id))
    if not results and output == "table":
        console.print(_("The workspace has no clients yet. Import clients.csv first."))
        raise typer.Exit(1)
    if explain_id:
        _print_explanations(results, explain_id, output)
    elif output == "json":
        echo_json(to_json(results, single=client is not None))
    elif output == "csv":
        echo_json(to_csv(results))
    else:
        for result in results:
            console.print(render.kpi_table(result, chosen_kpis(kpis, result.client.goal)))
            console.print()


def _print_explanations(results: Sequence[ClientKpis], kpi_id: str, output: str) -> None:
    explained = [explain(result, kpi_id) for result in results]
    if output == "json":
        payload = [e.to_dict() for e in explained]
        echo_json(
            json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2)
            + "\n"
        )
        return
    for result, item in zip(results, explained, strict=True):
        console.print(render.explanation(result, item))


@app.command("list")
@handle_errors
def list_kpis(lang: LangOption = None) -> None:
    """List every KPI of the catalogue with its unit, level, direction and goals."""
    set_language(language_for(lang))
    console.print(render.kpi_list())


@app.command("show")
@handle_errors
def show(
    kpi_id: Annotated[str, typer.Argument(help="The KPI id, such as er.")],
    lang: LangOption = None,
) -> None:
    """Show the definition of one KPI."""
    set_language(language_for(lang))
    console.print(render.kpi_definition(kpi_named(kpi_id)))
