"""Rich renderings of KPI results for people: the KPI table, a definition, an explanation."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text as RichText

from smmkpi.cli.tables import Table
from smmkpi.formatting import format_count, format_value
from smmkpi.i18n import _, current_language
from smmkpi.metrics.catalogue import KPIS, goal_kpis
from smmkpi.metrics.explain import Explanation, Term
from smmkpi.metrics.inputs import INPUTS_BY_ID, Number
from smmkpi.metrics.model import Direction, Kpi, Level, Role, Section, Unit
from smmkpi.metrics.results import ClientKpis
from smmkpi.report.wording import period_name

SECTION_TITLES = {
    Section.FOLLOWERS: ("Подписчики", "Followers"),
    Section.REACH: ("Охват", "Reach"),
    Section.MENTIONS: ("Упоминания", "Mentions"),
    Section.ENGAGEMENT: ("Вовлечённость", "Engagement"),
    Section.FUNNEL: ("Воронка продаж", "Sales funnel"),
}
GOAL_NAMES = {
    "awareness": ("узнаваемость", "awareness"),
    "community": ("сообщество", "community"),
    "sales": ("продажи", "sales"),
}
UNIT_NAMES = {
    Unit.COUNT: ("штуки", "count"),
    Unit.NUMBER: ("число", "number"),
    Unit.PERCENT: ("%", "%"),
    Unit.MONEY: ("деньги (валюта клиента)", "money (client's currency)"),
}
ROLE_MARKS = {Role.MAIN: "★", Role.SECONDARY: "☆"}


def _pick(pair: tuple[str, str]) -> str:
    return pair[0] if current_language() == "ru" else pair[1]


def goal_name(goal: str | None) -> str:
    return _pick(GOAL_NAMES[goal]) if goal in GOAL_NAMES else _("not set")


def value_text(value: Number | None, kpi: Kpi, currency: str) -> str:
    return format_value(value, kpi.unit, current_language(), currency)


def kpi_table(result: ClientKpis, kpis: Sequence[Kpi] = KPIS) -> RenderableType:
    """One client's KPIs: a row per KPI, the client value and a column per account.

    Rows are grouped by catalogue section; when the rows are exactly the client's goal set,
    they are grouped into the goal's main and secondary KPIs instead.
    """
    language = current_language()
    client = result.client
    period = result.period
    when = period_name(period, language)
    title = f"{client.name} ({client.client_id}) — {when}"
    caption = _("goal: {goal} · time zone {tz} · ★ main KPI of the goal, ☆ secondary").format(
        goal=goal_name(client.goal), tz=client.timezone
    )
    table = Table(title=title, caption=caption, title_justify="left", caption_justify="left")
    table.add_column("", width=1)
    table.add_column(_("KPI"), overflow="fold", min_width=14)
    table.add_column(_("client"), justify="right", style="bold")
    accounts = [a for a in client.accounts if a.account_id in result.accounts]
    for account in accounts:
        table.add_column(
            f"{account.platform}\n{account.account_id}", justify="right", overflow="fold"
        )
    by_role = bool(client.goal) and list(kpis) == goal_kpis(client.goal or "")
    group: object = None
    for kpi in kpis:
        role = kpi.goals.get(client.goal or "")
        heading_key: object = role if by_role else kpi.section
        if heading_key != group:
            group = heading_key
            if by_role:
                heading = _("Main KPIs of the goal") if role is Role.MAIN else _("Secondary KPIs")
            else:
                heading = _pick(SECTION_TITLES[kpi.section])
            table.add_row("", RichText(heading, style="bold cyan"))
        mark = ROLE_MARKS.get(role, "") if role else ""
        cells = [value_text(result.kpis[kpi.id].value, kpi, client.currency)]
        for account in accounts:
            if kpi.level is Level.ACCOUNT:
                value = result.accounts[account.account_id][kpi.id].value
                cells.append(value_text(value, kpi, client.currency))
            else:
                cells.append("")
        table.add_row(mark, kpi.label(), *cells)
    notes = ["— " + _("no data: the source was not imported or holds nothing for the period")]
    caveats: dict[str, list[str]] = {}
    for kpi in kpis:
        if kpi.caveat and result.kpis[kpi.id].known:
            caveats.setdefault(kpi.caveat(), []).append(kpi.label())
    notes += [f"{', '.join(labels)}: {text}" for text, labels in caveats.items()]
    return Group(table, RichText("\n".join(notes), style="dim"))


def kpi_list(kpis: Sequence[Kpi] = KPIS) -> RenderableType:
    table = Table(title=_("KPI catalogue (spec v1)"), title_justify="left")
    table.add_column(_("id"), no_wrap=True, min_width=21)
    for heading in (_("KPI"), _("unit"), _("level"), _("better"), _("goals")):
        table.add_column(heading)
    for kpi in kpis:
        goals = ", ".join(
            f"{ROLE_MARKS[role]} {goal_name(goal)}" for goal, role in kpi.goals.items()
        )
        table.add_row(
            kpi.id,
            kpi.label(),
            _pick(UNIT_NAMES[kpi.unit]),
            _("account") if kpi.level is Level.ACCOUNT else _("client"),
            "↑" if kpi.direction is Direction.HIGHER else "↓",
            goals,
        )
    return table


def kpi_definition(kpi: Kpi) -> RenderableType:
    rows = Table.grid(padding=(0, 2))
    rows.add_column(style="bold")
    rows.add_column(overflow="fold")
    rows.add_row(_("Id"), kpi.id)
    rows.add_row(_("What it is"), kpi.description())
    rows.add_row(_("Formula"), kpi.formula_text())
    rows.add_row(_("Unit"), _pick(UNIT_NAMES[kpi.unit]))
    rows.add_row(
        _("Level"),
        _("per account, summed (or recomputed from sums) for the client")
        if kpi.level is Level.ACCOUNT
        else _("client only"),
    )
    rows.add_row(
        _("Direction"),
        _("higher is better") if kpi.direction is Direction.HIGHER else _("lower is better"),
    )
    goals = []
    for goal, role in kpi.goals.items():
        kind = _("main") if role is Role.MAIN else _("secondary")
        goals.append(f"{goal_name(goal)} ({kind})")
    rows.add_row(_("Goals"), ", ".join(goals) or "—")
    for input_id in kpi.inputs:
        definition = INPUTS_BY_ID[input_id]
        rows.add_row(_("Input"), f"{input_id}: {definition.description()} [{definition.table}]")
    if kpi.caveat:
        rows.add_row(_("Caveat"), kpi.caveat())
    return Panel(rows, title=f"{kpi.label()} · {kpi.id}", title_align="left")


def _number(value: Number | None, currency: str) -> str:
    """An input's value: a count as a whole number, money with its currency, else 0.1."""
    language = current_language()
    if isinstance(value, Decimal):
        return format_value(value, Unit.MONEY, language, currency)
    if isinstance(value, int):
        return format_count(value, language)
    return format_value(value, Unit.NUMBER, language)


def _term_line(label: str, term: Term, currency: str) -> str:
    language = current_language()
    rows = _("{n} {what} [{table}]").format(
        n=format_count(term.rows, language), what=term.rows_label, table=term.table
    )
    return _("{label}: {description} = {value} — from {rows}").format(
        label=label, description=term.description, value=_number(term.value, currency), rows=rows
    )


def explanation(result: ClientKpis, explained: Explanation) -> RenderableType:
    kpi = explained.kpi
    currency = result.client.currency
    lines = [
        _("Formula: {formula}").format(formula=kpi.formula_text()),
        _("Value: {value}").format(value=value_text(explained.value, kpi, currency)),
        _term_line(
            _("Numerator") if explained.denominator else _("Input"), explained.numerator, currency
        ),
    ]
    if explained.denominator:
        lines.append(_term_line(_("Denominator"), explained.denominator, currency))
    if explained.why_unknown:
        lines.append(_("Why no value: {reason}").format(reason=explained.why_unknown))
    parts: list[RenderableType] = [RichText("\n".join(lines))]
    if explained.accounts:
        table = Table(title=_("By account"), title_justify="left", box=None)
        table.add_column(_("account"))
        table.add_column(_("value"), justify="right")
        if explained.denominator:
            table.add_column(_("numerator"), justify="right")
            table.add_column(_("denominator"), justify="right")
        table.add_column(_("in the client value"))
        for line in explained.accounts:
            cells = [line.account_id, value_text(line.value, kpi, currency)]
            if explained.denominator:
                cells += [_number(line.numerator, currency), _number(line.denominator, currency)]
            cells.append(_("yes") if line.used else _("no (unknown)"))
            table.add_row(*cells)
        parts.append(table)
    title = (
        f"{kpi.label()} · {kpi.id} · {explained.client_id} · {explained.period_label} "
        f"({explained.timezone})"
    )
    return Panel(Group(*parts), title=title, title_align="left")
