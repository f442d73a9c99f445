"""Mapping profiles: how to read a file no importer knows — which of its columns is which
canonical column, how its dates and decimals are written, its time zone — saved once as TOML in
the workspace's ``profiles/`` folder and reused with ``smmkpi import FILE --profile NAME``.

>>> profile = Profile(name="shop-crm", table="leads",
...                   columns={"lead_id": "Номер", "created_at": "Создан"})
>>> profile.save(folder)                                  # doctest: +SKIP
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from smmkpi.errors import UnknownChoiceError, UserError
from smmkpi.i18n import _
from smmkpi.store.tables import DATA_TABLES, TABLES_BY_NAME, Table
from smmkpi.validation import problems

NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
# columns an import can take from --client / --account rather than from the file
FROM_OPTIONS = {"client_id": "--client", "account_id": "--account"}


class Profile(BaseModel):
    """One saved mapping (the keys of its TOML file)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    table: str
    columns: dict[str, str] = Field(default_factory=dict)  # canonical column → file's header
    constants: dict[str, str] = Field(default_factory=dict)  # canonical column → fixed value
    values: dict[str, dict[str, str]] = Field(default_factory=dict)  # column → {file: canonical}
    sheet: str | None = None
    header_row: int | None = None  # the row number a spreadsheet shows
    encoding: str | None = None  # when detection fails; found from the file otherwise
    decimal: Literal[".", ","] = "."
    date_format: Literal[
        "auto", "iso", "day-first", "month-first", "words", "excel-serial", "compact"
    ] = "auto"
    timezone: str | None = None  # of times without an offset; default: --timezone, the client's

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME_PATTERN.fullmatch(value):
            raise ValueError(
                _("a profile name is lower-case letters, digits, '-' and '_' (such as shop-crm)")
            )
        return value

    @field_validator("table")
    @classmethod
    def _table(cls, value: str) -> str:
        if value not in DATA_TABLES:
            raise ValueError(
                _("the table is one of: {tables}").format(tables=", ".join(DATA_TABLES))
            )
        return value

    @model_validator(mode="after")
    def _columns(self) -> Profile:
        known = {c.name for c in self.target.columns}
        for section in (self.columns, self.constants, self.values):
            for column in section:
                if column not in known:
                    raise ValueError(
                        _("{table} has no column '{column}' (its columns: {known})").format(
                            table=self.table, column=column, known=", ".join(sorted(known))
                        )
                    )
        return self

    @property
    def target(self) -> Table:
        return TABLES_BY_NAME[self.table]

    def missing(self) -> list[str]:
        """Required columns neither mapped nor fixed (nor given by an import option)."""
        return [
            c.name
            for c in self.target.columns
            if c.required
            and c.name not in self.columns
            and c.name not in self.constants
            and c.name not in FROM_OPTIONS
        ]

    def save(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.name}.toml"
        data = self.model_dump(exclude_none=True, exclude_defaults=False)
        path.write_text(
            "# smmkpi mapping profile: smmkpi import FILE --profile "
            + self.name
            + "\n"
            + tomli_w.dumps(data),
            encoding="utf-8",
        )
        return path


def profile_names(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def load_profile(folder: Path, name: str) -> Profile:
    """The profile ``name`` saved in ``folder``; a clear error when it is missing or wrong."""
    path = folder / f"{name}.toml"
    if not path.is_file():
        raise UnknownChoiceError(
            _("profile"),
            name,
            profile_names(folder),
            _("Create it with `smmkpi profile create FILE`."),
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Profile.model_validate(data)
    except tomllib.TOMLDecodeError as error:
        raise UserError(
            _("{path} is not valid TOML: {error}").format(path=path, error=error)
        ) from None
    except ValidationError as error:
        found = problems(error, "profile")
        raise UserError(
            _("{path} is not a valid profile: {problems}").format(path=path, problems=found)
        ) from None
