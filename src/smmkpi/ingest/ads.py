"""Advertising spend: VK Ads statistics, Yandex Direct reports (the interface's report wizard,
or the Reports API's TSV) and Meta Ads Manager exports → ``ad_spend``.

Mapping:

- A row per day and campaign (ad groups and ads of one campaign and day are added up):
  the date → date, the campaign's name → campaign, the spend → amount; the platform is
  ``vk_ads``, ``yandex_direct`` or ``meta_ads``.
- The spend's currency is in its column title (``Потрачено, ₽``, ``Расход (руб.)``,
  ``Amount spent (USD)``) and must be the client's; smmkpi never converts. A Reports API TSV
  names no currency: its amounts are taken as the client's, and said so; its ``Cost`` is in
  millionths (``returnMoneyInMicros``, the API's default) unless it has decimals.
- Spend is per day: a report without the day (Meta's ``Reporting starts`` ≠ ``Reporting ends``,
  a Direct report without ``Дата``) is refused with the setting that adds it.
- Totals rows (``Итого``, ``Total rows: 12``) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from smmkpi.errors import UserError
from smmkpi.i18n import N_, _, ngettext
from smmkpi.ingest import lenient, money
from smmkpi.ingest.cells import Cells
from smmkpi.ingest.fields import Field, Layout, Located, normalise
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sniff import Sniffed
from smmkpi.ingest.source import PlatformSource
from smmkpi.ingest.values import CellError
from smmkpi.store.directory import KnownClient

MICROS = Decimal(1_000_000)


@dataclass(frozen=True)
class AdsFormat:
    """One ad platform's export: its importer name, the ``platform`` it writes, its columns,
    and the headers only it has (to recognise it)."""

    name: str
    platform: str
    layout: Layout
    signature: tuple[str, ...]
    daily_fix: str  # how to export the spend per day (a msgid; translated when shown)


VK_ADS = AdsFormat(
    name="vk_ads",
    platform="vk_ads",
    layout=Layout(
        [
            Field("date", ("Дата", "Date", "День")),
            Field(
                "campaign",
                ("Кампания", "Название кампании", "Campaign", "Campaign name"),
                required=True,
            ),
            Field("campaign_id", ("ID кампании", "Campaign ID")),
            Field("amount", ("Потрачено", "Списано", "Spent"), required=True, prefix=True),
        ]
    ),
    signature=("потрачено", "списано", "spent"),
    daily_fix=N_("In VK Ads statistics choose the breakdown by day and export again."),
)
YANDEX_DIRECT = AdsFormat(
    name="yandex_direct",
    platform="yandex_direct",
    layout=Layout(
        [
            Field("date", ("Дата", "Date", "День")),
            Field("campaign", ("Кампания", "CampaignName", "Название кампании"), required=True),
            Field("campaign_id", ("№ Кампании", "CampaignId", "ID кампании")),
            Field("amount", ("Расход", "Cost"), required=True, prefix=True),
        ]
    ),
    signature=("расход", "cost"),
    daily_fix=N_(
        "Add the grouping by day ('Дата') to the report, or Date to the Reports API request, and "
        "export again."
    ),
)
META_ADS = AdsFormat(
    name="meta_ads",
    platform="meta_ads",
    layout=Layout(
        [
            Field(
                "date",
                ("Reporting starts", "Начало отчетности", "Начало отчётности", "Day", "День"),
            ),
            Field("ends", ("Reporting ends", "Конец отчетности", "Окончание отчетности")),
            Field("campaign", ("Campaign name", "Название кампании"), required=True),
            Field(
                "amount",
                ("Amount spent", "Сумма затрат", "Потраченная сумма"),
                required=True,
                prefix=True,
            ),
        ]
    ),
    signature=("amount spent", "сумма затрат", "потраченная сумма"),
    daily_fix=N_("In Ads Manager choose Breakdown → By time → Day and export again."),
)
FORMATS = (VK_ADS, YANDEX_DIRECT, META_ADS)


def _claims(fmt: AdsFormat, sniffed: Sniffed) -> bool:
    if sniffed.kind not in ("text", "xlsx", "xls", "html"):
        return False
    return any(
        fmt.layout.score(row) and any(c.startswith(fmt.signature) for c in row)
        for row in sniffed.rows
    )


def detector(fmt: AdsFormat) -> Any:
    return lambda sniffed: _claims(fmt, sniffed)


def opener(fmt: AdsFormat) -> Any:
    return lambda path, context: AdSpendSource(path, context, fmt)


class AdSpendSource(PlatformSource):
    """One ad platform's spend export, for one client."""

    def __init__(self, path: Any, context: Any, fmt: AdsFormat) -> None:
        super().__init__(path, context)
        self.fmt = fmt
        self.format = fmt.name

    def read_all(self, sink: RowSink) -> None:
        client = self.context.client(self.label)
        located = self.fmt.layout.locate_or_fail(
            self.tables(self.path), _("a {name} report").format(name=self.fmt.name)
        )
        header = located.header_of("amount")
        found = money.currency_in(header)
        api_report = normalise(header) == "cost"
        if found is None and not api_report:
            raise UserError(
                _(
                    "{file}: the column '{header}' does not say its currency. Export the report "
                    "with the currency in the column title."
                ).format(file=self.path.name, header=header)
            )
        money.check_currency(self.path.name, f"'{header}'", found, client.currency)
        if not located.has("date"):
            raise UserError(
                _("{file} has no day column: spend is kept per day. {fix}").format(
                    file=self.path.name, fix=_(self.fmt.daily_fix)
                )
            )
        self._stage(located, client, sink, api_report)
        merged = sink.sum_repeated("ad_spend", ("amount",))
        if merged:
            sink.problems.note(
                ngettext(
                    "{n} row was of the same day and campaign as another (an ad group or ad of it) "
                    "and was added to it.",
                    "{n} rows were of the same day and campaign as others (ad groups or ads of "
                    "them) and were added to them.",
                    merged,
                ).format(n=merged)
            )
        if api_report:
            sink.problems.note(
                _(
                    "{file}: a Reports API report names no currency; its amounts were taken as "
                    "{currency}, the client's."
                ).format(file=self.path.name, currency=client.currency)
            )

    def _stage(
        self, located: Located, client: KnownClient, sink: RowSink, api_report: bool
    ) -> None:
        sample = [r for r in located.sample() if not _is_footer(r.cells)]
        fmt = lenient.date_format(located.value(r, "date") for r in sample)
        decimal = self.context.decimal or located.decimal_mark(
            "amount", sample, "," if located.sheet.delimiter == ";" else "."
        )
        micros = api_report and not any(
            "." in str(located.value(r, "amount") or "") for r in sample
        )
        convert = money.amount(decimal, self.context.decimal is not None)

        def day_of(value: Any) -> date | None:
            return lenient.as_date(lenient.parse_date_time(value, fmt))

        def amount_of(value: Any) -> Any:
            amount = convert(value)
            return amount / MICROS if micros and amount is not None else amount

        for raw in located.rows:
            if _is_footer(raw.cells):
                continue
            row = Cells(sink, located.sheet.label, raw.number, raw.line)
            row.put("client_id", client.client_id)
            row.put("platform", self.fmt.platform)
            day = row.put(
                "date", located.value(raw, "date"), day_of, header=located.header_of("date")
            )
            if located.has("ends"):
                end = located.value(raw, "ends")
                if row.ok and _safe_day(day_of, end) != day:
                    row.fail(
                        located.header_of("ends"),
                        end,
                        _("is not the day the row starts: spend must be per day."),
                        _(self.fmt.daily_fix),
                    )
            campaign = located.value(raw, "campaign")
            row.put("campaign", None if campaign is None else str(campaign))
            row.put(
                "amount",
                located.value(raw, "amount"),
                amount_of,
                header=located.header_of("amount"),
            )
            row.add("ad_spend")


def _safe_day(day_of: Any, value: Any) -> Any:
    try:
        return day_of(value)
    except CellError:
        return None


def _is_footer(cells: list[Any]) -> bool:
    """``Total rows: 12`` under a Reports API TSV."""
    first = next((c for c in cells if isinstance(c, str) and c.strip()), "")
    return normalise(first).startswith(("total rows", "всего строк"))
