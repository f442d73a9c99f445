"""Any table file read through a saved mapping profile (``profiles.py``) into one canonical
table: ``smmkpi import FILE --profile NAME``.

A profile is made once from a sample file: ``smmkpi profile create FILE`` shows what it found
(encoding, delimiter, the header row under any title rows, the first rows), asks which table
the file fills and, column by column, which of the file's columns it is — each question with
an answer suggested from the names the platform importers know — then the date format, the
decimal separator and what the file's words mean in choice columns (``Оплачена`` → ``won``).
``--yes`` takes every suggestion; ``--map COLUMN=HEADER`` and ``--set COLUMN=VALUE`` answer in
advance. The profile is TOML in the workspace's ``profiles/`` folder, readable and editable;
``smmkpi profile list`` and ``show`` list and print them.

Each mapped column is read the way its canonical type needs: counts and money with the
profile's decimal separator, dates in its date format (``auto``: found from the column's
values), times without an offset in the profile's time zone (else ``--timezone``, else the
client's). ``values`` rename a file's words to canonical ones (``Оплачен`` → ``won``) before
that. ``client_id`` and ``account_id`` come from the file, the profile's constants, or
``--client`` / ``--account``; a post's ``captured_at``, when not in the file, is ``--as-of`` or
the file's time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.ingest import lenient, money, values
from smmkpi.ingest.cells import Cells
from smmkpi.ingest.fields import Field, Layout, Located
from smmkpi.ingest.profiles import Profile, load_profile
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sheets import Sheet
from smmkpi.ingest.source import PlatformSource
from smmkpi.store.tables import Column, ColumnType

NAME = "mapped"
DATE_FORMATS = {
    "iso": lenient.ISO,
    "day-first": lenient.DAY_FIRST,
    "month-first": lenient.MONTH_FIRST,
    "words": lenient.WORDS,
    "excel-serial": lenient.SERIAL,
    "compact": lenient.COMPACT,
}


class MappedSource(PlatformSource):
    """A file read through the profile named by ``--profile``."""

    format = NAME

    def __init__(self, path: Any, context: Any) -> None:
        super().__init__(path, context)
        if not context.profile or context.profiles_folder is None:
            raise UserError(
                _("The mapped format needs --profile NAME (see `smmkpi profile list`).")
            )
        self.profile: Profile = load_profile(context.profiles_folder, context.profile)
        self.format = f"{NAME}:{self.profile.name}"
        if self.profile.encoding and not context.encoding:
            self.context = replace(context, encoding=self.profile.encoding)

    def read_all(self, sink: RowSink) -> None:
        profile = self.profile
        located = self._locate()
        columns = {c.name: c for c in profile.target.columns}
        fixed = self._fixed()
        client = self.context.directory.clients.get(str(fixed.get("client_id", "")))
        zone = (
            ZoneInfo(profile.timezone)
            if profile.timezone
            else self.context.source_zone or (ZoneInfo(client.timezone) if client else None)
        )
        rows = located.sample()
        converters = {
            name: self._converter(columns[name], located, rows, zone) for name in profile.columns
        }
        for raw in located.rows:
            row = Cells(sink, located.sheet.label, raw.number, raw.line)
            for name, value in fixed.items():
                row.put(name, value)
            for name, convert in converters.items():
                row.put(name, located.value(raw, name), convert, header=located.header_of(name))
            row.add(profile.table)

    def _locate(self) -> Located:
        """The profile's sheet, its header found by the mapped headers (or at ``header_row``)."""
        profile = self.profile
        layout = Layout(
            [Field(name, (header,), required=True) for name, header in profile.columns.items()]
        )
        found = self.tables(self.path)
        if profile.sheet is not None:
            found = [s for s in found if s.name == profile.sheet] or _no_sheet(
                self.path.name, profile.sheet, found
            )
        if profile.header_row is not None:
            found = [_from_row(s, profile.header_row) for s in found]
        return layout.locate_or_fail(found, _("the profile '{name}'").format(name=profile.name))

    def _fixed(self) -> dict[str, Any]:
        """Values every row gets: the profile's constants, the import's options."""
        fixed: dict[str, Any] = dict(self.profile.constants)
        names = {c.name for c in self.profile.target.columns}
        mapped = set(self.profile.columns)
        if "client_id" in names and "client_id" not in mapped and "client_id" not in fixed:
            fixed["client_id"] = self.context.client(self.label).client_id
        if "account_id" in names and "account_id" not in mapped and "account_id" not in fixed:
            if not self.context.account_id:
                raise UserError(
                    _(
                        "{source}: the profile maps no account_id; pass --account with the account "
                        "the file is for."
                    ).format(source=self.label)
                )
            fixed["account_id"] = self.context.account_id
        if "captured_at" in names and "captured_at" not in mapped and "captured_at" not in fixed:
            fixed["captured_at"] = self.context.captured_at(self.path)
        return fixed

    def _converter(
        self, column: Column, located: Located, rows: list[Any], zone: Any
    ) -> Callable[[Any], Any]:
        profile = self.profile
        renames = profile.values.get(column.name, {})

        def renamed(value: Any) -> Any:
            if isinstance(value, str) and value.strip() in renames:
                return renames[value.strip()]
            return value

        kind = column.type
        if kind in (ColumnType.DATE, ColumnType.TIMESTAMP):
            fmt = DATE_FORMATS.get(profile.date_format) or lenient.date_format(
                located.value(r, column.name) for r in rows
            )
            if kind is ColumnType.DATE:
                return lambda v: lenient.as_date(lenient.parse_date_time(renamed(v), fmt))

            def moment(value: Any) -> Any:
                parsed = lenient.parse_date_time(renamed(value), fmt)
                if parsed is None or getattr(parsed, "tzinfo", None) is not None:
                    return parsed
                if zone is None:
                    return parsed  # the canonical check asks for a zone, naming the cell
                return lenient.in_zone(parsed, zone)

            return moment
        if kind is ColumnType.COUNT:
            return lambda v: lenient.count(renamed(v), profile.decimal)
        if kind is ColumnType.MONEY:
            convert = money.amount(profile.decimal)
            return lambda v: convert(renamed(v))
        if kind is ColumnType.ID:
            return lambda v: values.parse_id(renamed(v))
        return lambda v: None if renamed(v) is None else str(renamed(v))


def _from_row(sheet: Sheet, number: int) -> Sheet:
    """``sheet`` starting at the row numbered ``number`` (the header)."""
    rows = sheet.rows

    def rest() -> Any:
        for row in rows:
            if row.number >= number:
                yield row

    sheet.rows = rest()
    return sheet


def _no_sheet(file: str, wanted: str, found: list[Sheet]) -> list[Sheet]:
    raise UserError(
        _("{file} has no sheet '{sheet}' (its sheets: {names}).").format(
            file=file, sheet=wanted, names=", ".join(s.name or "" for s in found)
        )
    )
