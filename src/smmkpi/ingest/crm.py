"""What the CRM importers (amoCRM, Bitrix24) share: a deal becomes a lead and, once won, a sale.

- Every deal is a ``leads`` row: created time, the tracking fields (``utm_*``), the source a
  person chose (``channel``), and the status — ``won`` and ``lost`` from the CRM's final stages,
  ``open`` otherwise.
- A won deal is also a ``sales`` row with the same id as its lead: closed time and amount. Its
  UTM fields stay empty, so the lead's apply (spec: "when empty and lead_id is known, the lead's
  values apply") and a corrected lead corrects its sale too.
- Money must be in the client's currency: a column or a deal in another currency is refused,
  never converted or silently mixed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from smmkpi.i18n import _
from smmkpi.ingest import lenient, money, values
from smmkpi.ingest.cells import Cells
from smmkpi.ingest.fields import Field, Located, normalise
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sessions import UTM_PARTS
from smmkpi.ingest.sheets import RawRow
from smmkpi.store.directory import KnownClient

WON = frozenset(
    {
        "успешно реализовано",
        "успешно",
        "сделка успешна",
        "успешная сделка",
        "won",
        "closed - won",
        "closed-won",
        "closed won",
        "успешно закрыта",
        "сделка заключена",
        "оплачено",
        "оплачена",
        "оплачен",
        "paid",
    }
)
LOST = frozenset(
    {
        "закрыто и не реализовано",
        "не реализовано",
        "сделка провалена",
        "провалена",
        "анализ причины провала",
        "lost",
        "closed - lost",
        "closed-lost",
        "closed lost",
        "отказ",
        "отменена",
        "отменён",
        "отменен",
        "cancelled",
        "canceled",
    }
)


def tracking_fields() -> list[Field]:
    """``utm_source`` … as CRM exports title them: ``utm_source``, ``UTM Source``, Bitrix24's
    ``Рекламная система (utm_source)``."""
    return [
        Field(part, (part, part.replace("_", " "), f"Метка {part}"), contains=True)
        for part in UTM_PARTS
    ]


def status_of(stage: Any) -> str:
    """``won``, ``lost`` or ``open`` from the name of a deal's stage."""
    text = normalise(str(stage or ""))
    if text in WON:
        return "won"
    if text in LOST:
        return "lost"
    return "open"


@dataclass
class Deal:
    """One deal read from an export, before it is staged as a lead (and a sale)."""

    lead: Cells
    status: str | None
    closed: tuple[Any, Any, str | None]  # raw value, converter, header
    amount: tuple[Any, Any, str | None]
    sale_id: str | None = None

    def stage(self) -> None:
        """Stage the lead, and the sale of a won deal (with the lead's file and row)."""
        self.lead.put("status", self.status)
        self.lead.add("leads")
        if self.status != "won" or not self.lead.ok:
            return
        sale = Cells(self.lead.sink, self.lead.file, self.lead.number, self.lead.line)
        sale.put("client_id", self.lead.cells["client_id"])
        sale.put("sale_id", self.sale_id or self.lead.cells["lead_id"])
        sale.put("lead_id", self.lead.cells["lead_id"])
        raw, convert, header = self.closed
        if sale.put("closed_at", raw, convert, header=header) is None and sale.ok:
            sale.fail(
                header,
                None,
                _("is empty for a won deal."),
                _("Fill in the date the deal was won; it decides the month of the sale."),
            )
        raw, convert, header = self.amount
        sale.put("amount", raw, convert, header=header)
        sale.add("sales")


def stage_export(
    located: Located,
    client: KnownClient,
    zone: tzinfo,
    sink: RowSink,
    *,
    lead_id: Callable[[Any], str | None] = values.parse_id,
    check: Callable[[Cells, RawRow], None] | None = None,
    decimal: str | None = None,
) -> None:
    """Stage the deals of an exported deals list (fields ``lead_id``, ``created_at``,
    ``closed_at``, ``stage``, ``amount``, the tags and ``channel``); times without an offset
    are read in ``zone``, ``check`` may refuse a row."""
    if located.has("amount"):
        money.check_currency(
            located.sheet.file,
            f"'{located.header_of('amount')}'",
            money.currency_in(located.header_of("amount")),
            client.currency,
        )
    rows = located.sample()
    created_format = lenient.date_format(located.value(r, "created_at") for r in rows)
    closed_format = lenient.date_format(located.value(r, "closed_at") for r in rows)
    explicit = decimal is not None  # --decimal
    if decimal is None:
        decimal = located.decimal_mark(
            "amount", rows, "," if located.sheet.delimiter == ";" else "."
        )
    for raw in located.rows:
        lead = Cells(sink, located.sheet.label, raw.number, raw.line)
        lead.put("client_id", client.client_id)
        lead.put(
            "lead_id", located.value(raw, "lead_id"), lead_id, header=located.header_of("lead_id")
        )
        lead.put(
            "created_at",
            located.value(raw, "created_at"),
            lambda v: lenient.in_zone(lenient.parse_date_time(v, created_format), zone),
            header=located.header_of("created_at"),
        )
        lead.take(located, raw, (*UTM_PARTS, "channel"))
        if check is not None:
            check(lead, raw)
        Deal(
            lead,
            status_of(located.value(raw, "stage")),
            closed=(
                located.value(raw, "closed_at"),
                lambda v: lenient.in_zone(lenient.parse_date_time(v, closed_format), zone),
                located.header_of("closed_at") if located.has("closed_at") else "closed_at",
            ),
            amount=(
                located.value(raw, "amount"),
                money.amount(decimal, explicit),
                located.header_of("amount") if located.has("amount") else None,
            ),
        ).stage()
