"""``smmkpi brief CLIENT``: the questionnaire with the client, asked one question at a time with
guidance on what to dig for — or read from a YAML/JSON file — and kept with every revision."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from smmkpi.cli.common import LangOption, handle_errors, open_workspace
from smmkpi.cli.state import console
from smmkpi.cli.tables import Table
from smmkpi.i18n import _
from smmkpi.metrics.goals import goal_list, goal_title
from smmkpi.planning import kpisets
from smmkpi.planning.brief import QUESTIONS, Brief, Question, parse_brief, read_brief_file
from smmkpi.planning.service import brief_of, client_info, save_brief
from smmkpi.store import revisions
from smmkpi.store.tables import GOALS


def author_of(given: str | None) -> str:
    """Who makes a change: ``--author``, else ``SMMKPI_AUTHOR``, else the system user."""
    if given:
        return given
    try:
        return os.environ.get("SMMKPI_AUTHOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def register(app: typer.Typer) -> None:
    app.command("brief")(brief)


@handle_errors
def brief(
    client: Annotated[str, typer.Argument(help="The client.")],
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Read the answers from a YAML or JSON file instead of asking."),
    ] = None,
    show: Annotated[bool, typer.Option("--show", help="Show the current brief and exit.")] = False,
    history: Annotated[
        bool, typer.Option("--revisions", help="List the brief's revisions and exit.")
    ] = False,
    author: Annotated[str | None, typer.Option("--author", help="Who fills it in.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why it changed.")] = None,
    lang: LangOption = None,
) -> None:
    """Fill in (or revise) a client's brief: the business, the audience, the client's real goal
    in their own words, the main goal, budget, sales cycle, what success means to the client."""
    workspace = open_workspace(lang)
    with workspace.open_store() as store:
        info = client_info(store, client)
        if history:
            print_revisions(revisions.brief_revisions(store.con, client), _("Note"))
            return
        current = brief_of(store, client)
        if show:
            if current is None:
                console.print(_("{client} has no brief yet.").format(client=client))
                return
            _print_brief(current)
            _print_set(current)
            return
        if file is not None:
            answers = read_brief_file(file)
        else:
            answers = _ask(current, [a.account_id for a in info.accounts], info.goal)
        saved, changed = save_brief(store, info, answers, author_of(author), note)
    if not changed:
        console.print(_("The brief of {client} is unchanged.").format(client=client))
    else:
        console.print(
            _("Saved revision {revision} of the brief of {client}.").format(
                revision=saved.revision, client=client
            )
        )
    _print_set(answers)


def _ask(current: Brief | None, accounts: list[str], goal: str | None) -> Brief:
    """The questionnaire: each question with its guidance, the current answer as default."""
    answers: dict[str, Any] = current.answers() if current else {}
    if not answers.get("main_goal") and goal:
        answers["main_goal"] = goal
    for question in QUESTIONS:
        console.print()
        console.print(Text(question.ask(), style="bold"))
        console.print(Text(question.guidance(), style="dim"))
        answers[question.field] = _answer(question, answers.get(question.field), accounts)
    return parse_brief(answers, _("the answers"))


def _answer(question: Question, current: Any, accounts: list[str]) -> Any:
    default = _shown(current)
    if question.kind == "accounts" and not default:
        default = " ".join(accounts)
    while True:
        text = str(typer.prompt(">", default=default, show_default=bool(default))).strip()
        if question.kind == "goal" and text not in GOALS:
            console.print(_("One of: {goals}.").format(goals=", ".join(GOALS)))
            continue
        if question.kind == "goals":
            bad = [g for g in text.replace(",", " ").split() if g not in GOALS]
            if bad:
                console.print(_("One of: {goals}.").format(goals=", ".join(GOALS)))
                continue
        if question.kind in ("money", "days"):
            if not text:
                return None
            cleaned = text.replace(" ", "").replace("\u00a0", "").replace(",", ".")
            try:
                value = float(cleaned)
            except ValueError:
                console.print(_("A number, please (or leave it empty)."))
                continue
            if value < 0:
                console.print(_("A number, please (or leave it empty)."))
                continue
            return int(value) if question.kind == "days" else cleaned
        return text


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


def _print_brief(current: Brief) -> None:
    answers = current.answers()
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for question in QUESTIONS:
        value = answers.get(question.field)
        if question.kind in ("goal", "goals") and value:  # the goal's name, and the id to type
            goals = [value] if isinstance(value, str) else value
            shown = ", ".join(f"{goal_title(g)} ({g})" for g in goals)
        else:
            shown = _shown(value)
        table.add_row(question.ask(), shown or "—")
    console.print(table)


def _print_set(current: Brief) -> None:
    """The KPI set the goals propose, with reasons and caveats."""
    console.print()
    console.print(
        Text(
            _("The KPIs these goals propose ({goals}):").format(goals=goal_list(current.goals)),
            style="bold",
        )
    )
    for item in kpisets.default_set(current.goals):
        mark = "★" if item.role == kpisets.MAIN else "☆"
        console.print(f"  {mark} {item.kpi.label()} — {item.reason()}")
        if item.caveat is not None:
            console.print(Text(f"      ! {item.caveat()}", style="yellow"))


def print_revisions(found: list[revisions.Revision], why: str) -> None:
    """A document's revisions: number, when, who, and ``why`` (the heading of the notes)."""
    if not found:
        console.print(_("No revisions yet."))
        return
    table = Table(_("Revision"), _("Saved"), _("Author"), why)
    for item in found:
        table.add_row(
            str(item.revision),
            f"{item.created_at:%Y-%m-%d %H:%M}",
            item.author or "—",
            item.note or "—",
        )
    console.print(table)
