"""``smmkpi utm``: build a tagged link and keep it in the registry; ``smmkpi utm list`` shows
the registry (and writes it as CSV).

``smmkpi utm URL --client C --source vk --medium social --campaign NAME`` is the short form of
``smmkpi utm link URL …``: a first argument that is not a command is a link to tag.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text
from typer.core import TyperGroup

from smmkpi.cli.common import LangOption, handle_errors, open_workspace
from smmkpi.cli.kpi import social_rules
from smmkpi.cli.state import console
from smmkpi.cli.tables import Table
from smmkpi.errors import UnknownChoiceError
from smmkpi.formatting import format_count
from smmkpi.i18n import _, current_language, ngettext
from smmkpi.store.directory import load_directory
from smmkpi.store.utm_links import list_links, save_link, write_csv
from smmkpi.utm import tag


class LinkByDefault(TyperGroup):
    """A group whose first argument, when it is not one of its commands, is a link for the
    ``link`` command."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["link", *args]
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=LinkByDefault,
    help="Tagged links (UTM) and their registry: smmkpi utm URL --client C --source vk "
    "--medium social --campaign NAME tags a link (short for smmkpi utm link URL …).",
    no_args_is_help=True,
)


@app.command("link")
@handle_errors
def link(
    url: Annotated[str, typer.Argument(help="The landing page.")],
    client: Annotated[str, typer.Option("--client", help="The client the link is for.")],
    source: Annotated[str, typer.Option("--source", help="Who sends the visit: vk, telegram…")],
    medium: Annotated[str, typer.Option("--medium", help="The channel type: social, cpc…")],
    campaign: Annotated[str, typer.Option("--campaign", help="The campaign.")],
    content: Annotated[
        str | None, typer.Option("--content", help="The post, creative or link variant.")
    ] = None,
    term: Annotated[str | None, typer.Option("--term", help="The keyword.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Where the link is used.")] = None,
    lang: LangOption = None,
) -> None:
    """Tag a landing page's link and keep it in the client's registry."""
    workspace = open_workspace(lang)
    with workspace.open_store() as store:
        directory = load_directory(store.con)
        if client not in directory.clients:
            raise UnknownChoiceError(
                _("client"), client, directory.clients, _("Add it with `smmkpi client add`.")
            )
        tagged = tag(
            url,
            source,
            medium,
            campaign,
            content,
            term,
            client_id=client,
            rules=social_rules(workspace.settings),
        )
        with store.transaction():
            saved, new = save_link(
                store.con,
                client,
                tagged.url,
                tagged.base_url,
                tagged.values,
                note,
                datetime.now(UTC).replace(microsecond=0),
            )
    typer.echo(tagged.url)
    for warning in tagged.warnings:
        console.print(Text("! ", style="yellow"), end="")
        console.print(warning, soft_wrap=True)
    if not new:
        console.print(
            _("Already in the registry (link {id}, made {day}).").format(
                id=saved.link_id, day=saved.created_at.date()
            )
        )


@app.command("list")
@handle_errors
def list_command(
    client: Annotated[str | None, typer.Option("--client", help="Only this client's.")] = None,
    campaign: Annotated[
        str | None, typer.Option("--campaign", help="Only this campaign's.")
    ] = None,
    csv_path: Annotated[
        Path | None, typer.Option("--csv", help="Write the links to this CSV file.")
    ] = None,
    lang: LangOption = None,
) -> None:
    """The tagged links of the registry, by client and campaign."""
    workspace = open_workspace(lang)
    with workspace.open_store(read_only=True) as store:
        links = list_links(store.con, client, campaign and campaign.strip().lower())
    if csv_path is not None:
        write_csv(links, csv_path)
        console.print(
            ngettext("Wrote {n} link to {path}.", "Wrote {n} links to {path}.", len(links)).format(
                n=format_count(len(links), current_language()), path=csv_path
            )
        )
        return
    if not links:
        console.print(_("No tagged links yet: make one with `smmkpi utm URL --client C …`."))
        return
    table = Table(_("Client"), _("Campaign"), "source", "medium", "content", "term")
    table.add_column(_("Link"), overflow="fold")
    table.add_column(_("Note"))
    for saved in links:
        table.add_row(
            *(
                _shown(v)
                for v in (
                    saved.client_id,
                    saved.utm_campaign,
                    saved.utm_source,
                    saved.utm_medium,
                    saved.utm_content,
                    saved.utm_term,
                    saved.url,
                    saved.note,
                )
            )
        )
    console.print(table)


def _shown(value: Any) -> str:
    return "—" if value in (None, "") else str(value)
