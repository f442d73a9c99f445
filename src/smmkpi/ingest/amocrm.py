"""amoCRM (Kommo): the deals list exported from the interface (CSV or XLSX, Russian or English
headers) and API v4 ``GET /api/v4/leads`` responses (a page, or a folder of pages) → ``leads``
and ``sales``.

Mapping (what a deal becomes — a lead, and once won a sale — is in ``crm.py``):

- Export: ``ID`` → lead_id; ``Дата создания`` → created_at, ``Дата закрытия`` → closed_at of a
  won deal — written without an offset (``05.03.2025 14:22``), read in ``--timezone`` or the
  client's zone, and the import says which; ``Этап сделки`` → status (``Успешно реализовано``
  won, ``Закрыто и не реализовано`` lost, any other stage open); ``Бюджет ₽`` → amount, the
  currency in the title checked against the client's; the tracking fields ``utm_source`` …
  ``utm_term`` → the tags; ``Источник`` → channel.
- API: ``created_at`` / ``closed_at`` are Unix seconds (exact instants); ``status_id`` 142 is
  won and 143 lost; ``price`` is in the account's currency (taken as the client's, and said
  so); the tracking fields are found by ``field_code`` (``UTM_SOURCE`` …), else by a field named
  ``utm_source`` …; deleted deals are left out.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.ingest import crm, money, values
from smmkpi.ingest.cells import Cells
from smmkpi.ingest.fields import Field, Layout, Located
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sessions import UTM_PARTS
from smmkpi.ingest.sheets import read_text
from smmkpi.ingest.sniff import Sniffed
from smmkpi.ingest.source import PlatformSource
from smmkpi.ingest.values import CellError
from smmkpi.store.directory import KnownClient

NAME = "amocrm"
WON_STATUS, LOST_STATUS = 142, 143
CHANNEL_FIELDS = ("источник", "источник сделки", "канал", "source", "lead source")

DEALS = Layout(
    [
        Field("lead_id", ("ID", "ID сделки", "Id"), required=True),
        Field(
            "stage", ("Этап сделки", "Этап", "Статус сделки", "Lead status", "Stage"), required=True
        ),
        Field("created_at", ("Дата создания", "Создана", "Date created", "Created"), required=True),
        Field("closed_at", ("Дата закрытия", "Закрыта", "Closing date", "Closed")),
        Field("amount", ("Бюджет", "Budget", "Sale"), prefix=True),
        Field("pipeline", ("Воронка", "Pipeline")),
        Field("channel", CHANNEL_FIELDS),
        *crm.tracking_fields(),
    ]
)


def _is_api(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("_embedded"), dict)
        and isinstance(data["_embedded"].get("leads"), list)
    )


def detect(sniffed: Sniffed) -> bool:
    if sniffed.kind in ("json", "folder"):
        return sniffed.json_claims(_is_api)
    if sniffed.kind in ("text", "xlsx", "xls", "html"):
        return any(DEALS.score(row) and _is_amo_header(row) for row in sniffed.rows)
    return False


def _is_amo_header(row: list[str]) -> bool:
    return bool({"этап сделки", "воронка", "pipeline", "lead status"} & set(row)) or any(
        c.startswith(("бюджет", "budget")) for c in row
    )


class AmoCrmSource(PlatformSource):
    """A deals export or API pages of one client's amoCRM."""

    format = NAME

    def read_all(self, sink: RowSink) -> None:
        client = self.context.client(self.label)
        if self.path.is_dir() or Sniffed(self.path, self.context.encoding).kind == "json":
            for path in self.paths():
                self._api(path, client, sink)
            sink.problems.note(
                _(
                    "amoCRM's prices are in the account's currency; they were taken as {currency}, "
                    "the client's."
                ).format(currency=client.currency)
            )
        else:
            located = DEALS.locate_or_fail(self.tables(self.path), _("an amoCRM deals export"))
            self._export(located, client, sink)

    def _export(self, located: Located, client: KnownClient, sink: RowSink) -> None:
        zone = self.context.zone(client)
        crm.stage_export(located, client, zone, sink, decimal=self.context.decimal)
        sink.problems.note(
            _(
                "{file}: times have no offset and were read in {zone}; pass --timezone if the "
                "amoCRM account is set to another zone."
            ).format(file=self.path.name, zone=str(zone))
        )

    def _api(self, path: Path, client: KnownClient, sink: RowSink) -> None:
        document = json.loads(read_text(path, self.context.encoding))
        if not _is_api(document):
            raise UserError(
                _("{file} is not an amoCRM API response with _embedded.leads.").format(
                    file=path.name
                )
            )
        for index, item in enumerate(document["_embedded"]["leads"], start=1):
            if item.get("is_deleted"):
                continue
            fields = _custom_fields(item.get("custom_fields_values") or [])
            lead = Cells(sink, path.name, index)
            lead.put("client_id", client.client_id)
            lead.put("lead_id", item.get("id"), values.parse_id, header="id")
            lead.put("created_at", item.get("created_at"), unix_time, header="created_at")
            for part in UTM_PARTS:
                lead.put(part, fields.get(part))
            lead.put("channel", fields.get("channel"))
            status = item.get("status_id")
            crm.Deal(
                lead,
                "won" if status == WON_STATUS else "lost" if status == LOST_STATUS else "open",
                closed=(item.get("closed_at"), unix_time, "closed_at"),
                amount=(item.get("price"), money.amount("."), "price"),
            ).stage()


def _custom_fields(values: list[dict[str, Any]]) -> dict[str, str]:
    """The tracking fields and the source of a deal: by ``field_code`` first, then by name."""
    by_code: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for custom in values:
        entries = custom.get("values") or []
        value = entries[0].get("value") if entries and isinstance(entries[0], dict) else None
        if value in (None, ""):
            continue
        code = str(custom.get("field_code") or "").lower()
        name = str(custom.get("field_name") or "").strip().lower()
        if code in UTM_PARTS:
            by_code[code] = str(value)
        elif name in UTM_PARTS:
            by_name.setdefault(name, str(value))
        elif name in CHANNEL_FIELDS:
            by_name.setdefault("channel", str(value))
    return {**by_name, **by_code}


def unix_time(value: Any) -> datetime | None:
    """An API time: Unix seconds (UTC)."""
    if value in (None, "", 0):
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OverflowError) as error:
        raise CellError(_("is not a Unix time in seconds.")) from error
