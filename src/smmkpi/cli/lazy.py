"""Commands loaded when used: ``smmkpi --help`` lists every command from the table below without
importing one, and ``smmkpi kpi …`` imports the ``kpi`` module only — not the web app, the
report stack or Spark. A test checks the table against the commands themselves (name, module,
first line of help), so it cannot drift.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

# name → (module under smmkpi.cli, the first paragraph of its help), in the order --help lists them
COMMANDS: dict[str, tuple[str, str]] = {
    "init": (
        "data",
        "Create a workspace in the workspace folder: smmkpi.toml and the database.",
    ),
    "export": (
        "data",
        "Write every canonical table out: canonical CSV files, or a Parquet lake.",
    ),
    "client": ("directory", "The agency's clients."),
    "account": ("directory", "Clients' social accounts."),
    "brief": (
        "brief",
        "Fill in (or revise) a client's brief: the business, the audience, the client's real "
        "goal in their own words, the main goal, budget, sales cycle, what success means to "
        "the client.",
    ),
    "history": (
        "planning",
        "The account's history for each KPI of the plan: monthly series, baselines, trend, "
        "seasonality, volatility, anomalies, gaps and a summary — of the last --months full "
        "months, or of the months of --period or --from/--to.",
    ),
    "plan": ("planning", "KPI plans: targets per KPI per month, with revisions."),
    "status": (
        "planning",
        "Plan against fact: each KPI's target, fact, attainment and status; within a month, "
        "the pace, a month-end forecast with an 80 % interval and the chance of reaching the "
        "target. A quarter, half-year, year or range compares the fact with the plan's months "
        "combined.",
    ),
    "import": (
        "importing",
        "Import statistics into the workspace: each file (or export folder) is one atomic, "
        "idempotent import.",
    ),
    "kpi": (
        "kpi",
        "Compute KPIs: smmkpi kpi --client C --month YYYY-MM; also kpi list, kpi show ID.",
    ),
    "profile": ("profile", "Mapping profiles: read files that no importer knows."),
    "utm": (
        "utm",
        "Tagged links (UTM) and their registry: smmkpi utm URL --client C --source vk "
        "--medium social --campaign NAME tags a link (short for smmkpi utm link URL …).",
    ),
    "demo": (
        "demo",
        "Build a realistic demo agency (4 clients, 15 months), print each client's KPIs for "
        "the last full month and plan against fact this month, and render the last full "
        "month's reports.",
    ),
    "report": (
        "report",
        "The monthly client report: render it (smmkpi report CLIENT --month M) or write its "
        "commentary (smmkpi report comment CLIENT --month M).",
    ),
    "serve": (
        "web",
        "Start the web app on this workspace (it holds the database while it runs).",
    ),
    "user": ("web", "Users of the web app: admins, specialists and client viewers."),
    "migrate": (
        "migrate",
        "Move this workspace into PostgreSQL: copy its tables in one transaction, check that "
        "every table holds as many rows and that every KPI of every client and account in the "
        "last months has the same value there, commit, and point the workspace at the "
        "database (``store.url`` in smmkpi.toml; the DuckDB file stays as it was, as a "
        "backup).",
    ),
    "connect": ("connections", "Connect a platform's API for an account (or a client)."),
    "connections": (
        "connections",
        "The connections: source, client, account, status, last success and attempt, the last "
        "day fully read, the token's expiry and the last error.",
    ),
    "disconnect": (
        "connections",
        "Forget a connection and its credential (the data it brought stays).",
    ),
    "sync": (
        "sync",
        "Sync the connections (all, or those selected): each reads from the day after the "
        "last one it read, less sync.reread_days, to yesterday in its client's time zone (a "
        "first sync backfills sync.backfill_days), imports it like a file, and keeps the "
        "platform's answers under sync/. Exit status 1 when any connection failed.",
    ),
    "delivery": ("delivery", "Schedules that send each client's monthly report by themselves."),
    "deliveries": (
        "delivery",
        "The delivery log: each schedule's month to each destination — sent, failed (with "
        "why) or held (with why), when, and after how many attempts — and the alerts sent.",
    ),
    "deliver": (
        "deliver",
        "Send the scheduled reports: each schedule's report of the last full month (or "
        "--month) to each destination, once. A month whose data is not final, or awaiting "
        "approval, is held; a failed send is retried by a later run. Exit status 1 when any "
        "send failed.",
    ),
    "alert": ("alerts", "Alerts: a KPI off track or at risk, stale data, a broken sync."),
    "content": (
        "content",
        "What works in CLIENT's content: its posts of the period grouped --by kind, attribute "
        "(carousel, link, poll), rubric, weekday (1 is Monday), hour, slot (weekday-hour) or "
        "length, each group with its posts, interactions, reach, ER, ERR, like and talk rates "
        "as the catalogue defines them, and its ER against the client's (er_index).",
    ),
    "rubric": ("content", "Content rubrics: a client's posts grouped by hashtag, text or id."),
    "competitor": ("competitors", "Competitors followed for a client, from public data."),
    "competitors": (
        "competitors",
        "CLIENT's accounts beside its competitors over the period, from public counters: "
        "followers at the end and their growth, posts and posts a week, interactions per post "
        "and ER by followers — the same definitions for everyone, no reach.",
    ),
}
SUB_APPS = frozenset({"kpi", "profile", "utm"})  # modules with their own ``app``, mounted by name
TYPER_OPTIONS: dict[str, Any] = {
    "rich_markup_mode": "markdown",
    "pretty_exceptions_enable": False,
    "add_completion": False,
}


def load(name: str) -> Any:
    """The command ``name``, its module imported now."""
    module = importlib.import_module(f"smmkpi.cli.{COMMANDS[name][0]}")
    holder = typer.Typer(**TYPER_OPTIONS)
    if name in SUB_APPS:
        holder.add_typer(module.app, name=name)
    else:
        holder.callback()(lambda: None)  # a group, even for a module of one command
        module.register(holder)
    group = typer.main.get_group(holder)
    return group.commands[name]


class LazyGroup(TyperGroup):
    """The root group: commands listed from :data:`COMMANDS`, imported when one is used."""

    listing = False  # while the root's help is written, commands are their one-line stand-ins

    # ctx and formatter: click's, as Typer vendors it
    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        if self.listing:
            return TyperCommand(cmd_name, help=COMMANDS[cmd_name][1])
        return load(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False
