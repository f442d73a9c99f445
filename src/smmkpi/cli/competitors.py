"""``smmkpi competitor add|list|remove``: the competitors followed for each client, and
``smmkpi competitors CLIENT``: the client's accounts beside them over a period, from public
counters (``shared/spec/sync-and-delivery.md`` §5)."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
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


PLATFORM_HELP = (
    "vk, telegram, instagram, youtube (read at every sync); tiktok, facebook (recorded by hand "
    "with competitor snapshot)."
)


@competitor_app.command("add")
@handle_errors
def add_command(
    client: Annotated[str, typer.Argument(help="The client.", show_default=False)],
    platform: Annotated[str, typer.Option("--platform", help=PLATFORM_HELP)],
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
    if platform not in stored.SYNCED:
        console.print(
            _(
                "No sync reads {platform} competitors (docs/competitors.md says why): record "
                "its counters with `smmkpi competitor snapshot {client} --platform {platform} "
                "--handle {handle} --followers N`."
            ).format(client=client, platform=platform, handle=handle),
            markup=False,
        )
    elif not connected:
        console.print(
            _(
                "{client} has no {platform} connection yet: the snapshots start with its first "
                "sync (`smmkpi connect {platform} …`)."
            ).format(client=client, platform=platform),
            markup=False,
        )


POST_COLUMNS = ("post_id", "published_at", "likes", "comments", "shares", "views")


@competitor_app.command("snapshot")
@handle_errors
def snapshot_command(
    client: Annotated[str, typer.Argument(help="The client.", show_default=False)],
    platform: Annotated[str, typer.Option("--platform", help="As the competitor was added.")],
    handle: Annotated[str, typer.Option("--handle", help="As the competitor was added.")],
    followers: Annotated[
        int | None, typer.Option("--followers", min=0, help="Its follower count as seen.")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", help="When it was seen (ISO 8601 with an offset); default: now."),
    ] = None,
    posts: Annotated[
        Path | None,
        typer.Option(
            "--posts",
            help="A CSV of its posts as seen: post_id, published_at (with an offset), likes, "
            "comments, shares, views.",
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Record a competitor's public counters by hand, for a platform no sync reads (TikTok,
    Facebook) or a day a sync missed: its followers as seen at --at, and its posts' counters."""
    platform, handle = _platform(platform), _handle(handle)
    moment = _moment(at) if at else datetime.now(UTC).replace(microsecond=0)
    key = stored.competitor_id(client, platform, handle)
    read = _read_posts(posts, key, moment) if posts is not None else []
    workspace = open_workspace(lang)
    with workspace.open_store() as store:
        if key not in {c.competitor_id for c in stored.listed(store.con, client)}:
            raise UserError(
                _("{client} does not follow {handle} on {platform} (see `smmkpi competitor list`).")
                .format(client=client, handle=handle, platform=platform)
            )  # fmt: skip
        snapshots = [stored.Snapshot(key, moment, followers)] if followers is not None else []
        with store.transaction():
            stored.record(store.con, snapshots, read)
    console.print(
        _("Recorded for {handle}: {followers} followers at {at}, {n} posts.").format(
            handle=handle,
            followers="—" if followers is None else followers,
            at=moment.isoformat(),
            n=len(read),
        ),
        markup=False,
    )


def _moment(text: str) -> datetime:
    try:
        found = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        found = None
    if found is None or found.utcoffset() is None:
        raise InvalidArgumentError(
            _("--at '{value}' is not a time with its offset: write 2025-03-10T12:00:00+03:00.")
            .format(value=text)
        )  # fmt: skip
    return found.astimezone(UTC)


def _read_posts(path: Path, key: str, moment: datetime) -> list[stored.CompetitorPost]:
    """The posts of ``path``: a CSV with a header; a cell that is no count or no time is
    refused with its row and column."""
    found = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("post_id", "published_at") if c not in (reader.fieldnames or [])]
        if missing:
            raise UserError(
                _("{file} needs the columns {columns} (and may have likes, comments, shares, "
                  "views).").format(file=path.name, columns=", ".join(missing))
            )  # fmt: skip
        for number, row in enumerate(reader, start=2):
            counts: dict[str, int | None] = {}
            for column in POST_COLUMNS[2:]:
                text = (row.get(column) or "").strip()
                if text and not text.isdigit():
                    raise UserError(
                        _("{file}, row {row}, column {column}: '{value}' is not a count; write "
                          "digits only.").format(file=path.name, row=number, column=column,
                                                 value=text)
                    )  # fmt: skip
                counts[column] = int(text) if text else None
            try:
                published = _moment(row.get("published_at") or "")
            except InvalidArgumentError:
                raise UserError(
                    _("{file}, row {row}, column published_at: '{value}' is not a time with "
                      "its offset; write 2025-03-10T12:00:00+03:00.").format(
                        file=path.name, row=number, value=row.get("published_at") or "")
                ) from None  # fmt: skip
            found.append(
                stored.CompetitorPost(
                    key, (row.get("post_id") or "").strip(), published, counts["likes"],
                    counts["comments"], counts["shares"], counts["views"], moment,
                )
            )  # fmt: skip
    return found


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
    platform: Annotated[str, typer.Option("--platform", help="As the competitor was added.")],
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
