"""``smmkpi content``: what works in a client's content, grouped by kind, rubric, weekday, hour,
slot or length; ``smmkpi rubric add|list|remove``: the rubrics it groups by
(``shared/spec/sync-and-delivery.md`` §6)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich import box

from smmkpi.cli.common import (
    FromOption,
    LangOption,
    OutputOption,
    PeriodOption,
    ToOption,
    echo_json,
    handle_errors,
    known_client,
    language_for,
    open_workspace,
    table_or_json,
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
from smmkpi.cli.tables import Table
from smmkpi.errors import UnknownChoiceError
from smmkpi.formatting import format_count, format_number
from smmkpi.i18n import N_, Language, _
from smmkpi.metrics.content import (
    DEFAULT_MIN_POSTS,
    GROUPINGS,
    ContentGroups,
    Figures,
    content_json,
    content_posts,
    figures_json,
    group_posts,
    stored_rubrics,
)
from smmkpi.metrics.periods import Period
from smmkpi.metrics.scope import load_clients
from smmkpi.planning.rubrics import add_rubric, remove_rubric
from smmkpi.report.content_words import weekday_short
from smmkpi.store import rubrics as stored

OUTPUT_FORMATS = ("table", "json", "csv")
BY_LABELS = {
    "kind": N_("by kind"),
    "attribute": N_("by attribute"),
    "rubric": N_("by rubric"),
    "weekday": N_("by weekday"),
    "hour": N_("by hour"),
    "slot": N_("by weekday and hour"),
    "length": N_("by length"),
}
rubric_app = typer.Typer(help="Content rubrics: a client's posts grouped by hashtag, text or id.")


@handle_errors
def content_command(
    client: Annotated[str, typer.Argument(help="The client.", show_default=False)],
    month: Annotated[
        str | None, typer.Option("--month", "-m", help="Calendar month YYYY-MM.")
    ] = None,
    period_text: PeriodOption = None,
    first: FromOption = None,
    last: ToOption = None,
    by: Annotated[
        str,
        typer.Option("--by", help="kind, attribute, rubric, weekday, hour, slot or length."),
    ] = "kind",
    min_posts: Annotated[
        int,
        typer.Option("--min-posts", min=1, help="Fewer posts in a group: too few to say much."),
    ] = DEFAULT_MIN_POSTS,
    output: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    engine: EngineOption = "workspace",
    lake: LakeOption = None,
    master: MasterOption = DEFAULT_MASTER,
    lang: LangOption = None,
) -> None:
    """What works in CLIENT's content: its posts of the period grouped --by kind, attribute
    (carousel, link, poll), rubric, weekday (1 is Monday), hour, slot (weekday-hour) or length,
    each group with its posts, interactions, reach, ER, ERR, like and talk rates as the
    catalogue defines them, and its ER against the client's (er_index)."""
    if by not in GROUPINGS:
        raise UnknownChoiceError(_("grouping"), by, GROUPINGS)
    check_engine(engine, lake)
    if output not in OUTPUT_FORMATS:
        raise UnknownChoiceError(_("output format"), output, OUTPUT_FORMATS)
    workspace = open_workspace(lang)
    period = Period.from_options(month, first, last, period_text)
    with workspace.open_store(read_only=True) as store:
        rubrics = stored_rubrics(store.con, client)
        if lake is None:
            (info,) = load_clients(store.backend, [client])
            posts = content_posts(store.backend, info, period)
    if lake is not None:
        backend = spark_backend(lake, master)
        (info,) = load_clients(backend, [client])
        posts = content_posts(backend, info, period)
    found = group_posts(info, period, posts, by, rubrics, min_posts)
    if output == "json":
        echo_json(json.dumps(content_json(found), ensure_ascii=False, indent=2) + "\n")
    elif output == "csv":
        echo_json(content_csv(found))
    else:
        console.print(content_table(found, language_for(lang, workspace)))


CSV_COLUMNS = (
    "key", "posts", "interactions", "reach", "er", "err", "like_rate", "talk_rate", "er_index",
    "too_few_posts",
)  # fmt: skip


def content_csv(found: ContentGroups) -> str:
    """One row per group, then the total (its key ``total``), in the JSON's units."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["client", "from", "to", "by", *CSV_COLUMNS])
    head = [found.client.client_id, found.period.start.isoformat(), found.period.end.isoformat()]
    for figures in [*found.groups, found.total]:
        data = figures_json(figures)
        data["key"] = "total" if figures.key is None else figures.key
        cells = ["" if data[c] is None else str(data[c]).lower() if isinstance(data[c], bool)
                 else data[c] for c in CSV_COLUMNS]  # fmt: skip
        writer.writerow([*head, found.by, *cells])
    return out.getvalue()


def group_label(by: str, key: str, language: Language) -> str:
    """A group's key as a person reads it: ``Пн 09:00`` for the slot ``1-09``."""
    if by == "weekday":
        return weekday_short(int(key), language)
    if by == "hour":
        return f"{int(key):02d}:00"
    if by == "slot":
        weekday, hour = key.split("-")
        return f"{weekday_short(int(weekday), language)} {hour}:00"
    if by == "length":
        return _("{key} characters").format(key=key)
    if not key:
        return {"rubric": _("no rubric"), "attribute": _("none")}.get(by, _("unknown"))
    return key


def content_table(found: ContentGroups, language: Language) -> Table:
    def number(value: float | int | None, places: int = 2) -> str:
        if value is None:
            return "—"
        if isinstance(value, int):
            return format_count(value, language)
        return format_number(value, places, language)

    table = Table(
        title=_("{client}: posts {by}, {start} – {end}").format(
            client=found.client.name or found.client.client_id,
            by=_(BY_LABELS[found.by]),
            start=found.period.start.isoformat(),
            end=found.period.end.isoformat(),
        ),
        caption=_(
            "ER, LR (likes) and TR (comments) by followers, ERR by reach, % (ratios of sums). ER "
            "index: the group's ER over all posts' ER. * fewer than {n} posts: too few to say "
            "much."
        ).format(n=found.min_posts),
    )
    table.box = box.SIMPLE_HEAD
    table.pad_edge = False
    table.add_column(_("group"))
    for heading in (_("# posts"), _("interact."), _("reach"), "ER", "ERR", "LR", "TR",
                    _("ER index")):  # fmt: skip
        table.add_column(heading, justify="right", no_wrap=True)

    def row(figures: Figures, label: str) -> None:
        mark = " *" if figures.too_few_posts else ""
        table.add_row(
            label + mark,
            number(figures.posts),
            number(figures.interactions),
            number(figures.reach),
            number(figures.er),
            number(figures.err),
            number(figures.like_rate),
            number(figures.talk_rate),
            number(figures.er_index),
        )

    for figures in found.groups:
        row(figures, group_label(found.by, figures.key or "", language))
    table.add_section()
    row(found.total, _("all posts"))
    return table


# -- rubrics -------------------------------------------------------------------------------


@rubric_app.command("add")
@handle_errors
def rubric_add(
    client: Annotated[str, typer.Argument(help="The client.", show_default=False)],
    name: Annotated[str, typer.Argument(help="The rubric's name.", show_default=False)],
    hashtag: Annotated[
        list[str] | None, typer.Option("--hashtag", help="A hashtag of its posts (repeat).")
    ] = None,
    contains: Annotated[
        list[str] | None,
        typer.Option("--contains", help="A text its posts hold, any case (repeat)."),
    ] = None,
    post: Annotated[
        list[str] | None, typer.Option("--post", help="A post id of the rubric (repeat).")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Add a rubric to CLIENT's content, or rules to one: a post belongs to it when it carries
    one of its hashtags, holds one of its texts or is one of its posts."""
    workspace = open_workspace(lang)
    with workspace.open_store() as store:
        known_client(store.con, client)
        said = add_rubric(
            store, client, name, hashtag or [], contains or [], post or [], datetime.now(UTC)
        )
    console.print(said, markup=False)


@rubric_app.command("list")
@handle_errors
def rubric_list(
    client: Annotated[str | None, typer.Option("--client", "-c", help="One client's.")] = None,
    output: OutputOption = "table",
    lang: LangOption = None,
) -> None:
    """The rubrics and their rules."""
    table_or_json(output)
    workspace = open_workspace(lang)
    with workspace.open_store(read_only=True) as store:
        if client is not None:
            known_client(store.con, client)
        found = stored.listed(store.con, client)
    if output == "json":
        rows = [
            {
                "client": r.client_id,
                "rubric": r.name,
                "rules": [{"rule": k, "value": v} for k, v in r.rules],
            }
            for r in found
        ]
        echo_json(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table()
    for heading in (_("client"), _("rubric"), _("rules")):
        table.add_column(heading)
    for r in found:
        table.add_row(r.client_id, r.name, "\n".join(f"{k}: {v}" for k, v in r.rules))
    console.print(table)


@rubric_app.command("remove")
@handle_errors
def rubric_remove(
    client: Annotated[str, typer.Argument(help="The client.", show_default=False)],
    name: Annotated[str, typer.Argument(help="The rubric.", show_default=False)],
    lang: LangOption = None,
) -> None:
    """Remove a rubric of CLIENT with all its rules (its posts stay)."""
    workspace = open_workspace(lang)
    with workspace.open_store() as store:
        said = remove_rubric(store, client, name)
    console.print(said, markup=False)


def register(app: typer.Typer) -> None:
    app.command("content")(content_command)
    app.add_typer(rubric_app, name="rubric")
