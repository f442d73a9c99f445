"""``smmkpi competitor add|list|remove``: the competitors followed for each client, and
``smmkpi competitors CLIENT``: the client's accounts beside them over a period, from public
counters (``shared/spec/sync-and-delivery.md`` §5)."""

from __future__ import annotations

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
from smmkpi.cli.state import console
from smmkpi.cli.tables import Table
from smmkpi.errors import InvalidArgumentError, UnknownChoiceError, UserError
from smmkpi.formatting import format_count, format_number
from smmkpi.i18n import _
from smmkpi.metrics.competitors import comparison
from smmkpi.metrics.periods import Period
from smmkpi.planning import service
from smmkpi.planning.competitors import Suggestion, follow, suggestions
from smmkpi.store import competitors as stored
from smmkpi.store import connections
from smmkpi.workspace import Workspace

competitor_app = typer.Typer(help="Competitors followed for a client, from public data.")


def _platform(platform: str) -> str:
    platform = platform.strip().lower()
    if platform not in stored.PLATFORMS:
        raise UnknownChoiceError(_("platform"), platform, stored.PLATFORMS)
    return platform


def _handle(handle: str) -> str:
    text = stored.normal_handle(handle)
    if not text:
        raise InvalidArgumentError(_("--handle needs the account's name, link or id."))
    return text


@competitor_app.command("add")
@handle_errors
def add_command(
    client: Annotated[str, typer.Argument(help="The client.", show_default=False)],
    platform: Annotated[str, typer.Option("--platform", help="vk, telegram, instagram, youtube")],
    handle: Annotated[
        str, typer.Option("--handle", help="club123, @channel, the account's link or name.")
    ],
    name: Annotated[str | None, typer.Option("--name", help="How reports name it.")] = None,
    lang: LangOption = None,
) -> None:
    """Follow a competitor of CLIENT on a platform: every sync of the client's connection there
    snapshots its public counters from then on."""
    workspace = open_workspace(lang)
    with workspace.open_store() as store:
        known_client(store.con, client)
        found = follow(store, client, platform, handle, name, datetime.now(UTC))
        platform, handle = found.platform, found.handle
        connected = any(
            c.client_id == client and c.source == platform for c in connections.listed(store.con)
        )
    console.print(
        _("{client} follows {handle} on {platform}.").format(
            client=client, handle=handle, platform=platform
        ),
        markup=False,
    )
    if not connected:
        console.print(
            _(
                "{client} has no {platform} connection yet: the snapshots start with its first "
                "sync (`smmkpi connect {platform} …`)."
            ).format(client=client, platform=platform),
            markup=False,
        )


@competitor_app.command("list")
@handle_errors
def list_command(
    client: Annotated[str | None, typer.Option("--client", "-c", help="One client's.")] = None,
    output: OutputOption = "table",
    lang: LangOption = None,
) -> None:
    """The competitors followed, with their last snapshot."""
    table_or_json(output)
    workspace = open_workspace(lang)
    with workspace.open_store(read_only=True) as store:
        if client is not None:
            known_client(store.con, client)
        found = [
            (c, stored.snapshots(store.con, c.competitor_id))
            for c in stored.listed(store.con, client)
        ]
    if output == "json":
        rows = [
            {
                "client": c.client_id,
                "platform": c.platform,
                "handle": c.handle,
                "name": c.name,
                "snapshots": len(snaps),
                "followers": snaps[-1].followers if snaps else None,
                "last_snapshot": snaps[-1].captured_at.isoformat() if snaps else None,
            }
            for c, snaps in found
        ]
        echo_json(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if client is not None:
        hints = _suggested(workspace, client, [c for c, _snaps in found])
    table = Table()
    for heading in (_("client"), _("platform"), _("handle"), _("followers"), _("snapshots"),
                    _("last snapshot")):  # fmt: skip
        table.add_column(heading)
    for c, snaps in found:
        table.add_row(
            c.client_id, c.platform, c.handle + (f" ({c.name})" if c.name else ""),
            str(snaps[-1].followers) if snaps and snaps[-1].followers is not None else "—",
            str(len(snaps)),
            snaps[-1].captured_at.strftime("%Y-%m-%d %H:%M UTC") if snaps else "—",
        )  # fmt: skip
    console.print(table)
    if client is not None and hints:
        console.print(_("The brief names these accounts; follow them with:"))
        for hint in hints:
            console.print(
                f"  smmkpi competitor add {client} --platform {hint.platform} "
                f"--handle {hint.handle}",
                markup=False,
            )


def _suggested(
    workspace: Workspace, client: str, followed: list[stored.StoredCompetitor]
) -> list[Suggestion]:
    with workspace.open_store(read_only=True) as store:
        info = service.client_info(store, client)
        brief = service.brief_of(store, client)
    own = [(a.platform, a.handle or a.account_id) for a in info.accounts]
    return suggestions(brief, [(c.platform, c.handle) for c in followed], own)


@competitor_app.command("remove")
@handle_errors
def remove_command(
    client: Annotated[str, typer.Argument(help="The client.", show_default=False)],
    platform: Annotated[str, typer.Option("--platform", help="vk, telegram, instagram, youtube")],
    handle: Annotated[str, typer.Option("--handle", help="As it was added.")],
    lang: LangOption = None,
) -> None:
    """Stop following a competitor of CLIENT (its snapshots are deleted with it)."""
    platform, handle = _platform(platform), _handle(handle)
    workspace = open_workspace(lang)
    with workspace.open_store() as store, store.transaction():
        removed = stored.remove(store.con, client, platform, handle)
    if not removed:
        raise UserError(
            _("{client} does not follow {handle} on {platform} (see `smmkpi competitor list`).")
            .format(client=client, handle=handle, platform=platform)
        )  # fmt: skip
    console.print(
        _("{client} no longer follows {handle} on {platform}.").format(
            client=client, handle=handle, platform=platform
        ),
        markup=False,
    )


@handle_errors
def competitors_command(
    client: Annotated[str, typer.Argument(help="The client.", show_default=False)],
    month: Annotated[
        str | None, typer.Option("--month", "-m", help="Calendar month YYYY-MM.")
    ] = None,
    period_text: PeriodOption = None,
    first: FromOption = None,
    last: ToOption = None,
    output: OutputOption = "table",
    lang: LangOption = None,
) -> None:
    """CLIENT's accounts beside its competitors over the period, from public counters:
    followers at the end and their growth, posts and posts a week, interactions per post and
    ER by followers — the same definitions for everyone, no reach."""
    table_or_json(output)
    workspace = open_workspace(lang)
    period = Period.from_options(month, first, last, period_text)
    with workspace.open_store(read_only=True) as store:
        info = service.client_info(store, client)
        rows = comparison(store.con, info, period)
    if output == "json":
        payload = {
            "client": client,
            "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
            "rows": [r.as_json() for r in rows],
        }
        echo_json(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    language = language_for(lang, workspace)

    def number(value: float | int | None, places: int = 1) -> str:
        if value is None:
            return "—"
        if isinstance(value, int):
            return format_count(value, language)
        return format_number(value, places, language)

    table = Table(
        title=_("{client} and its competitors, {start} – {end}").format(
            client=info.name or client, start=period.start.isoformat(), end=period.end.isoformat()
        ),
        caption=_(
            "Public counters only: competitors' numbers rest on our snapshots since each was "
            "added. ER by followers: Σ interactions / Σ followers at publication, %."
        ),
    )
    table.box = box.SIMPLE_HEAD
    table.pad_edge = False
    table.add_column(_("account"))
    for heading in (_("followers"), _("growth"), _("# posts"), _("a week"), _("interact."),
                    "ER"):  # fmt: skip
        table.add_column(heading, justify="right", no_wrap=True)
    for row in rows:
        table.add_row(
            ("★ " if row.is_client else "") + f"{row.name} · {row.platform}",
            number(row.followers_end),
            number(row.followers_growth), number(row.posts), number(row.posts_per_week),
            number(row.interactions_per_post), number(row.er_by_followers, 2),
        )  # fmt: skip
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(competitor_app, name="competitor")
    app.command("competitors")(competitors_command)
