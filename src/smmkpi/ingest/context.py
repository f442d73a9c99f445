"""What an import knows beyond its files: the options given, and the workspace's clients and
accounts that files are resolved against."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from smmkpi.errors import UnknownChoiceError, UserError
from smmkpi.i18n import _
from smmkpi.store.directory import Directory, KnownAccount, KnownClient


@dataclass
class ImportContext:
    """Options of one import (``--client``, ``--account``, ``--timezone``, ``--as-of``,
    ``--encoding``, ``--decimal``, ``--profile``) and the workspace's directory."""

    directory: Directory = field(default_factory=Directory)
    client_id: str | None = None
    account_id: str | None = None
    source_zone: tzinfo | None = None
    as_of: datetime | None = None
    encoding: str | None = None
    decimal: str | None = None
    """``--decimal``: the decimal separator of amounts, when the user says it."""
    allow_empty: bool = False
    """``--allow-empty``: a file without rows of data is imported as nothing, not refused."""
    profile: str | None = None
    profiles_folder: Path | None = None
    stored_posts: Callable[[str, Sequence[str]], dict[str, datetime]] | None = None
    """When stored posts of an account were published (an update of posts that carries no
    dates, such as VK's stats.getPostReach alone, is matched to them)."""

    def client(self, source: str) -> KnownClient:
        """The client the file is for: ``--client``, or the client of ``--account``."""
        if self.client_id:
            found = self.directory.clients.get(self.client_id)
            if found is None:
                raise UnknownChoiceError(
                    _("client"),
                    self.client_id,
                    self.directory.clients,
                    _("Add it with `smmkpi client add`."),
                )
            return found
        if self.account_id and self.account_id in self.directory.accounts:
            return self.directory.clients[self.directory.accounts[self.account_id].client_id]
        if len(self.directory.clients) == 1:
            return next(iter(self.directory.clients.values()))
        raise UserError(
            _(
                "{source} does not say which client it is for. Pass --client (one of: {known})."
            ).format(source=source, known=", ".join(self.directory.clients) or _("none yet"))
        )

    def scope(self) -> str | None:
        """The client this import is confined to: ``--client``, the owner of ``--account``, or
        the workspace's only client. None when the import names none and the workspace has
        several: then only a file that names its account can be placed."""
        if self.client_id:
            return self.client_id
        if self.account_id and self.account_id in self.directory.accounts:
            return self.directory.accounts[self.account_id].client_id
        if len(self.directory.clients) == 1:
            return next(iter(self.directory.clients))
        return None

    def account(self, source: str, platform: str, hints: Iterable[str | None] = ()) -> KnownAccount:
        """The account the file is for, always within the import's client (:meth:`scope`):
        ``--account``, or the client's account of ``platform`` whose handle, name or id matches
        one of ``hints`` (what the file says about itself), or the client's only account of
        ``platform`` when the file says nothing about itself.

        Never another client's account: a file that names one, or a client without an account
        on ``platform``, is refused before anything is read.
        """
        scope = self.scope()
        if self.account_id:
            return self._given_account(source, platform, scope)
        wanted = {_key(h) for h in hints if h}
        everywhere = self.directory.accounts_of(platform)
        named = [a for a in everywhere if wanted & _keys(a)]
        if scope is None:
            if len(named) == 1:
                return named[0]
            raise UserError(
                _(
                    "{source} does not say which client it is for. Pass --client (one of: "
                    "{known}) or --account."
                ).format(source=source, known=", ".join(self.directory.clients))
            )
        client = self.client(source)
        candidates = [a for a in everywhere if a.client_id == client.client_id]
        mine = [a for a in named if a.client_id == client.client_id]
        if len(mine) == 1:
            return mine[0]
        others = [a for a in named if a.client_id != client.client_id]
        if not mine and others:
            raise UserError(
                _(
                    "{source} is for {platform} account '{account}' of client '{other}', not of "
                    "client '{client}'. Import it for '{other}', or add the account to this "
                    "client under another id."
                ).format(
                    source=source,
                    platform=platform,
                    account=others[0].account_id,
                    other=others[0].client_id,
                    client=client.client_id,
                )
            )
        if not candidates:
            raise UserError(
                _(
                    "Client '{client}' has no {platform} account, so {source} has nowhere to go. "
                    "Add one with `smmkpi account add ACCOUNT_ID --client {client} --platform "
                    "{platform}`."
                ).format(client=client.client_id, platform=platform, source=source)
            )
        if not wanted and len(candidates) == 1:
            return candidates[0]
        known = ", ".join(a.account_id for a in candidates)
        raise UserError(
            _(
                "{source} does not say which {platform} account of client '{client}' it is for "
                "in a way this workspace knows. Pass --account (the client's {platform} accounts: "
                "{known})."
            ).format(source=source, platform=platform, client=client.client_id, known=known)
        )

    def _given_account(self, source: str, platform: str, scope: str | None) -> KnownAccount:
        """``--account``, checked: it exists, is on ``platform`` and belongs to the client."""
        assert self.account_id is not None
        found = self.directory.accounts.get(self.account_id)
        if found is None:
            raise UnknownChoiceError(
                _("account"),
                self.account_id,
                self.directory.accounts,
                _("Add it with `smmkpi account add`."),
            )
        if self.client_id and found.client_id != self.client_id:
            raise UserError(
                _(
                    "Account '{account}' belongs to client '{other}', not to client '{client}'. "
                    "Pass one of the client's accounts, or import for '{other}'."
                ).format(account=found.account_id, other=found.client_id, client=self.client_id)
            )
        if found.platform != platform:
            raise UserError(
                _("{source} is a {platform} export, but account '{account}' is on {other}.").format(
                    source=source,
                    platform=platform,
                    account=found.account_id,
                    other=found.platform,
                )
            )
        return found

    def zone(self, client: KnownClient) -> tzinfo:
        """The zone of times written without an offset: ``--timezone``, else the client's."""
        return self.source_zone or ZoneInfo(client.timezone)

    def captured_at(self, path: Path) -> datetime:
        """When a file's lifetime values were read: ``--as-of``, else the file's modification
        time."""
        if self.as_of is not None:
            return self.as_of
        return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)


def _keys(account: KnownAccount) -> set[str]:
    return {_key(account.handle), _key(account.name), _key(account.account_id)} - {""}


def _key(value: str | None) -> str:
    if not value:
        return ""
    text = str(value).strip().lower()
    for prefix in ("@", "https://vk.com/", "vk.com/", "https://t.me/", "t.me/", "club", "public"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text.lstrip("-")
