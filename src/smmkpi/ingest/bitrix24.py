"""Bitrix24: REST ``crm.deal.list`` and ``crm.lead.list`` responses (a page, or a folder of
pages) and the deals list exported from the interface (CSV, or the HTML table Bitrix24 saves
with an ``.xls`` name) → ``leads`` and ``sales``.

Bitrix24 numbers leads and deals separately (lead 15 and deal 15 are different), so ids carry
the kind: ``L15`` is a lead, ``D15`` a deal. Mapping (what a deal becomes —
a lead, and once won a sale — is in ``crm.py``):

- ``crm.lead.list`` → ``leads`` ``L<ID>``: ``DATE_CREATE`` (with the portal's offset) →
  created_at; ``STATUS_SEMANTIC_ID`` ``S`` (converted) → won, ``F`` → lost, else open;
  ``UTM_*`` → the tags; ``SOURCE_ID`` → channel.
- ``crm.deal.list`` → a deal made from a lead (``LEAD_ID``) is that lead's sale when won; a deal
  made directly is a lead ``D<ID>`` of its own too. ``STAGE_SEMANTIC_ID`` ``S`` → won, ``F`` →
  lost. A won deal is the sale ``D<ID>``: ``CLOSEDATE`` → closed_at, ``OPPORTUNITY`` (a decimal
  string) → amount, ``CURRENCY_ID`` checked against the client's currency.
- Interface export: ``ID``, ``Стадия сделки`` (``Сделка успешна`` won, ``Сделка провалена``
  lost), ``Сумма`` and ``Валюта``, ``Дата создания``, ``Дата закрытия`` (or ``Предполагаемая дата
  закрытия``) without an offset — read in ``--timezone`` or the client's zone —,
  ``Рекламная система (utm_source)`` … → the tags, ``Источник`` → channel. Every deal is a lead
  ``D<ID>`` (the export does not say which lead a deal came from).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from smmkpi.errors import UserError
from smmkpi.i18n import _, ngettext
from smmkpi.ingest import crm, lenient, money, values
from smmkpi.ingest.cells import Cells
from smmkpi.ingest.fields import Field, Layout, Located, normalise
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sessions import UTM_PARTS
from smmkpi.ingest.sheets import RawRow, read_text
from smmkpi.ingest.sniff import Sniffed, unwrap
from smmkpi.ingest.source import PlatformSource
from smmkpi.ingest.values import CellError
from smmkpi.store.directory import KnownClient

NAME = "bitrix24"
SEMANTIC = {"S": "won", "F": "lost"}
CURRENCY_NAMES = {
    "российский рубль": "RUB",
    "рубль": "RUB",
    "доллар сша": "USD",
    "евро": "EUR",
    "казахстанский тенге": "KZT",
    "белорусский рубль": "BYN",
    "гривна": "UAH",
}

DEALS = Layout(
    [
        Field("lead_id", ("ID",), required=True),
        Field("stage", ("Стадия сделки", "Стадия", "Deal stage", "Stage"), required=True),
        Field("created_at", ("Дата создания", "Создана", "Created", "Date created"), required=True),
        Field(
            "closed_at",
            (
                "Дата закрытия",
                "Предполагаемая дата закрытия",
                "Closing date",
                "Expected close date",
            ),
        ),
        Field("amount", ("Сумма", "Opportunity", "Amount"), prefix=True),
        Field("currency", ("Валюта", "Currency")),
        Field("channel", ("Источник", "Source")),
        *crm.tracking_fields(),
    ]
)


def classify(data: Any) -> str | None:
    if not isinstance(data, dict) or not isinstance(data.get("result"), list):
        return None
    items = [i for i in data["result"] if isinstance(i, dict)]
    if not items:
        return None
    if all("STAGE_ID" in i or "STAGE_SEMANTIC_ID" in i for i in items):
        return "deals"
    if all("STATUS_ID" in i and "DATE_CREATE" in i for i in items):
        return "leads"
    return None


def detect(sniffed: Sniffed) -> bool:
    if sniffed.kind in ("json", "folder"):
        return sniffed.json_claims(lambda data: classify(data) is not None)
    if sniffed.kind in ("text", "xlsx", "xls", "html"):
        return any(DEALS.score(row) and _is_bitrix_header(row) for row in sniffed.rows)
    return False


def _is_bitrix_header(row: list[str]) -> bool:
    return bool({"стадия сделки", "стадия", "deal stage", "валюта"} & set(row)) or any(
        "(utm_source)" in c for c in row
    )


def currency_code(value: Any) -> str | None:
    """``RUB`` from ``RUB`` or ``Российский рубль``."""
    if value is None:
        return None
    text = normalise(str(value))
    return CURRENCY_NAMES.get(text, text.upper() or None)


class Bitrix24Source(PlatformSource):
    """REST pages or an interface export of one client's Bitrix24."""

    format = NAME

    def read_all(self, sink: RowSink) -> None:
        client = self.context.client(self.label)
        if self.path.is_dir() or Sniffed(self.path, self.context.encoding).kind == "json":
            pages = [(p, json.loads(read_text(p, self.context.encoding))) for p in self.paths()]
            leads = {
                str(item.get("ID"))
                for _path, page in pages
                if classify(page) == "leads"
                for item in unwrap(page, "result")
            }
            missing = 0
            for path, page in pages:
                kind = classify(page)
                if kind is None:
                    raise UserError(
                        _(
                            "{file} is not a Bitrix24 crm.deal.list or crm.lead.list response."
                        ).format(file=path.name)
                    )
                for index, item in enumerate(page["result"], start=1):
                    if kind == "leads":
                        self._lead(path, index, item, client, sink)
                    else:
                        missing += self._deal(path, index, item, client, sink, leads)
            if missing:
                sink.problems.note(
                    ngettext(
                        "{n} won deal came from a lead that is not in this import; import "
                        "crm.lead.list too, or its sale has no lead's tags.",
                        "{n} won deals came from leads that are not in this import; import "
                        "crm.lead.list too, or those sales have no lead's tags.",
                        missing,
                    ).format(n=missing)
                )
        else:
            located = DEALS.locate_or_fail(self.tables(self.path), _("a Bitrix24 deals export"))
            self._export(located, client, sink)

    def _lead(
        self, path: Path, index: int, item: dict[str, Any], client: KnownClient, sink: RowSink
    ) -> None:
        lead = _tracked(Cells(sink, path.name, index), client, f"L{item.get('ID')}", item)
        lead.put("status", SEMANTIC.get(str(item.get("STATUS_SEMANTIC_ID")), "open"))
        lead.add("leads")

    def _deal(
        self,
        path: Path,
        index: int,
        item: dict[str, Any],
        client: KnownClient,
        sink: RowSink,
        leads: set[str],
    ) -> int:
        """Stage a deal; 1 when it is a won deal whose lead is not in the import."""
        status = SEMANTIC.get(str(item.get("STAGE_SEMANTIC_ID")), "open")
        lead_of = str(item.get("LEAD_ID") or "")
        deal_id = f"D{item.get('ID')}"
        if not lead_of:
            lead = _tracked(Cells(sink, path.name, index), client, deal_id, item)
            deal = crm.Deal(
                lead,
                status,
                closed=(item.get("CLOSEDATE"), rest_time, "CLOSEDATE"),
                amount=(item.get("OPPORTUNITY"), money.amount("."), "OPPORTUNITY"),
            )
            self._check_currency(lead, item.get("CURRENCY_ID"), client)
            deal.stage()
            return 0
        if status != "won":
            return 0
        sale = Cells(sink, path.name, index)
        sale.put("client_id", client.client_id)
        sale.put("sale_id", deal_id)
        sale.put("lead_id", f"L{lead_of}")
        sale.put("closed_at", item.get("CLOSEDATE"), rest_time, header="CLOSEDATE")
        sale.put("amount", item.get("OPPORTUNITY"), money.amount("."), header="OPPORTUNITY")
        self._check_currency(sale, item.get("CURRENCY_ID"), client)
        for part in UTM_PARTS:
            sale.put(part, item.get(part.upper()) or None)
        sale.add("sales")
        return 0 if lead_of in leads else 1

    @staticmethod
    def _check_currency(
        row: Cells, currency: Any, client: KnownClient, header: str = "CURRENCY_ID"
    ) -> None:
        code = currency_code(currency)
        if code and code != client.currency.upper():
            row.fail(
                header,
                currency,
                _("is not the client's currency ({currency}).").format(currency=client.currency),
                _("Convert the deal's amount to {currency} first.").format(
                    currency=client.currency
                ),
            )

    def _export(self, located: Located, client: KnownClient, sink: RowSink) -> None:
        zone = self.context.zone(client)

        def check(lead: Cells, raw: RawRow) -> None:
            if located.has("currency"):
                self._check_currency(
                    lead, located.value(raw, "currency"), client, located.header_of("currency")
                )

        crm.stage_export(
            located,
            client,
            zone,
            sink,
            lead_id=lambda v: f"D{values.parse_id(v)}",
            check=check,
            decimal=self.context.decimal,
        )
        sink.problems.note(
            _(
                "{file}: times have no offset and were read in {zone}; pass --timezone if the "
                "Bitrix24 portal is set to another zone."
            ).format(file=self.path.name, zone=str(zone))
        )


def _tracked(row: Cells, client: KnownClient, lead_id: str, item: dict[str, Any]) -> Cells:
    """A lead row begun from a REST item: client, id, created time, tags and source."""
    row.put("client_id", client.client_id)
    row.put("lead_id", lead_id)
    row.put("created_at", item.get("DATE_CREATE"), rest_time, header="DATE_CREATE")
    for part in UTM_PARTS:
        row.put(part, item.get(part.upper()) or None)
    row.put("channel", item.get("SOURCE_ID") or None)
    return row


def rest_time(value: Any) -> Any:
    """A REST time: ISO 8601 with the portal's offset (``2025-03-04T11:48:08+03:00``)."""
    if value in (None, ""):
        return None
    moment = lenient.parse_date_time(value, lenient.ISO)
    if getattr(moment, "tzinfo", None) is None:
        raise CellError(
            _("has no offset from UTC."),
            _("Save the REST response as Bitrix24 returns it (times with their offset)."),
        )
    return moment
