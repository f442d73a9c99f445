"""A workspace: a folder with ``smmkpi.toml`` (settings) and the database the settings name.

>>> ws, created = Workspace.init(tmp / "new-agency")
>>> created, sorted(p.name for p in ws.path.iterdir() if p.suffix)
(True, ['smmkpi.duckdb', 'smmkpi.toml'])
>>> with ws.open_store(read_only=True) as store:
...     store.count_rows("clients")
0
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from smmkpi.errors import NotAWorkspaceError, UserError
from smmkpi.i18n import _
from smmkpi.metrics.attribution import SocialRules
from smmkpi.settings import SETTINGS_FILE, Settings, iter_settings, load_settings
from smmkpi.store.database import Store

WORKSPACE_ENV = "SMMKPI_WORKSPACE"


def default_workspace_path() -> Path:
    """``SMMKPI_WORKSPACE`` if set, else the current folder."""
    return Path(os.environ.get(WORKSPACE_ENV) or ".")


class Workspace:
    """An smmkpi workspace folder and its settings."""

    def __init__(self, path: Path, settings: Settings) -> None:
        self.path = path
        self.settings = settings

    @property
    def database_path(self) -> Path:
        return self.path / self.settings.store.path

    @classmethod
    def open(cls, path: Path, overrides: dict[str, Any] | None = None) -> Workspace:
        """Open the workspace in ``path``; a folder without ``smmkpi.toml`` is an error."""
        path = path.resolve()
        if not (path / SETTINGS_FILE).is_file():
            raise NotAWorkspaceError(
                _(
                    "{path} is not an smmkpi workspace (it has no {file}). Run `smmkpi init` "
                    "there, or pass --workspace DIR (or set {env}) to use another folder."
                ).format(path=path, file=SETTINGS_FILE, env=WORKSPACE_ENV)
            )
        return cls(path, load_settings(path, overrides))

    @classmethod
    def init(cls, path: Path, name: str = "", store_url: str = "") -> tuple[Workspace, bool]:
        """Create a workspace in ``path`` (made if missing) and its database.

        Returns the workspace and whether it was created (False: it already existed, and
        only its database schema was brought up to date). ``store_url``: keep the data in that
        PostgreSQL database (written to ``store.url``) instead of a DuckDB file.
        """
        path = path.resolve()
        if path.exists() and not path.is_dir():
            raise UserError(_("{path} is a file, not a folder.").format(path=path))
        path.mkdir(parents=True, exist_ok=True)
        settings_file = path / SETTINGS_FILE
        created = not settings_file.exists()
        if created:
            given = {"store.url": store_url} if store_url else {}
            settings_file.write_text(settings_template(name, given), encoding="utf-8")
        workspace = cls.open(path)
        workspace.open_store().close()
        return workspace, created

    def use_store_url(self, url: str) -> None:
        """Point the workspace at the PostgreSQL database ``url``: ``store.url`` written into
        smmkpi.toml by tomlkit, which keeps the rest of the file — comments, order, spacing — as
        the person left it; the settings reloaded."""
        import tomlkit

        settings_file = self.path / SETTINGS_FILE
        document = tomlkit.parse(settings_file.read_text(encoding="utf-8"))
        store = document.get("store")
        if store is None:
            store = tomlkit.table()
            document["store"] = store
        store["url"] = url
        settings_file.write_text(tomlkit.dumps(document), encoding="utf-8")
        self.settings = load_settings(self.path)

    def social_rules(self) -> SocialRules:
        """The social attribution rules with this workspace's additions."""
        attribution = self.settings.attribution
        return SocialRules.with_extras(
            attribution.extra_social_mediums,
            attribution.extra_social_sources,
            {
                client: (extra.extra_social_mediums, extra.extra_social_sources)
                for client, extra in attribution.clients.items()
            },
        )

    def open_store(self, *, read_only: bool = False) -> Store:
        """Open the workspace database (created and upgraded as needed): the PostgreSQL
        database of ``store.url``, else the DuckDB file."""
        store = self.settings.store
        if store.url:
            return Store.open_url(store.url, read_only=read_only)
        return Store.open(
            self.database_path,
            read_only=read_only,
            threads=store.threads,
            memory_limit=store.memory_limit,
        )


def settings_template(name: str, given: dict[str, Any] | None = None) -> str:
    """The initial ``smmkpi.toml``: the name and the ``given`` settings, then every other
    setting commented out."""
    given = {"workspace.name": name, **(given or {})}
    lines = [
        "# smmkpi workspace settings. Every setting, with its default, is listed below;",
        "# uncomment a line to change it. Environment variables SMMKPI__SECTION__KEY override",
        "# this file, and command-line flags override both. Keep secrets out of this file.",
        "",
    ]
    section = ""
    for key, default, help_text in iter_settings():
        head, _sep, field = key.partition(".")
        if head != section:
            section = head
            lines += ["", f"[{head}]"] if lines[-1] != "" else [f"[{head}]"]
        value = given.get(key, default)
        rendered = _toml_value(value)
        if rendered is None:
            lines.append(f"# {field}: {help_text}")
            continue
        lines.append(f"# {help_text}")
        prefix = "" if key in given else "# "
        lines.append(f"{prefix}{field} = {rendered}")
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str | None:
    import tomli_w

    if isinstance(value, dict):
        return None
    if isinstance(value, list):  # on one line, so that one "# " comments it out
        return "[" + ", ".join(_toml_value(item) or "" for item in value) + "]"
    rendered: str = tomli_w.dumps({"v": value}).strip()
    return rendered.removeprefix("v = ")
