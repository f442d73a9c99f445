"""What an import knows beyond its files: the options given, and the workspace's clients and
accounts that files are resolved against."""

from __future__ import annotations

from collections.abc import Iterable
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
    ``--encoding``, ``--profile``) and the workspace's directory."""

    directory: Directory = field(default_factory=Directory)
    client_id: str | None = None
    account_id: str | None = None
    source_zone: tzinfo | None = None
    as_of: datetime | None = None
    encoding: str | None = None
    profile: str | None = None
    profiles_folder: Path | None = None

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

    def account(self, source: str, platform: str, hints: Iterable[str | None] = ()) -> KnownAccount:
        """The account the file is for: ``--account``, or the one account of ``platform`` whose
        handle, name or id matches one of ``hints`` (what the file says about itself)."""
        if self.account_id:
            found = self.directory.accounts.get(self.account_id)
            if found is None:
                raise UnknownChoiceError(
                    _("account"),
                    self.account_id,
                    self.directory.accounts,
                    _("Add it with `smmkpi account add`."),
                )
            if found.platform != platform:
                raise UserError(
                    _(
                        "{source} is a {platform} export, but account '{account}' is on {other}."
                    ).format(
                        source=source,
                        platform=platform,
                        account=found.account_id,
                        other=found.platform,
                    )
                )
            return found
        wanted = {_key(h) for h in hints if h}
        candidates = self.directory.accounts_of(platform)
        matches = [
            a
            for a in candidates
            if wanted & {_key(a.handle), _key(a.name), _key(a.account_id)} - {""}
        ]
        if len(matches) == 1:
            return matches[0]
        if not matches and len(candidates) == 1 and not wanted:
            return candidates[0]
        known = ", ".join(a.account_id for a in candidates) or _("none yet")
        raise UserError(
            _(
                "{source} does not say which {platform} account it is for in a way this workspace "
                "knows. Pass --account (the {platform} accounts: {known})."
            ).format(source=source, platform=platform, known=known)
        )

    def zone(self, client: KnownClient) -> tzinfo:
        """The zone of times written without an offset: ``--timezone``, else the client's."""
        return self.source_zone or ZoneInfo(client.timezone)

    def captured_at(self, path: Path) -> datetime:
        """When a file's lifetime values were read: ``--as-of``, else the file's modification
        time."""
        if self.as_of is not None:
            return self.as_of
        return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)


def _key(value: str | None) -> str:
    if not value:
        return ""
    text = str(value).strip().lower()
    for prefix in ("@", "https://vk.com/", "vk.com/", "https://t.me/", "t.me/", "club", "public"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text.lstrip("-")
