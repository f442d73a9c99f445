"""Google Analytics 4: a report downloaded as CSV from the interface (``#`` title lines above
the header) and Data API ``runReport`` responses → ``web_sessions``.

Mapping:

- ``Date`` (``date``, ``YYYYMMDD``) → date; ``Session source`` / ``Session medium`` /
  ``Session campaign`` / ``Session manual ad content`` / ``Session manual term``
  (``sessionSource``…), or the combined ``Session source / medium``, → the tags.
  ``(direct)``, ``(none)`` and ``(not set)`` are "no tag".
- ``Sessions`` → sessions; ``Total users`` (``totalUsers``, else ``activeUsers``) → users;
  ``Key events`` (``keyEvents``; ``Conversions`` in exports before May 2024) →
  goal_completions. ``keyEvents`` counts every key event of the property: to count leads only,
  export ``Key events`` for the lead event (``keyEvents:generate_lead``); the import names the
  column it used.
- A report without the date dimension is accepted only when its start and end dates (the ``#``
  lines, or the API request) are one day.
- Days are the property's days: when the API's ``metadata.timeZone`` differs from the client's
  zone, the import says so.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.ingest import lenient
from smmkpi.ingest.cells import Cells
from smmkpi.ingest.fields import Field, Layout, Located, normalise
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sessions import UTM_PARTS, AnalyticsSource, SessionTotals, utm
from smmkpi.ingest.sniff import Sniffed
from smmkpi.store.directory import KnownClient

NAME = "ga4"

REPORT = Layout(
    [
        Field("date", ("Date", "Дата")),
        Field("source_medium", ("Session source / medium", "Источник/канал сеанса")),
        Field("utm_source", ("Session source", "Источник сеанса")),
        Field("utm_medium", ("Session medium", "Канал сеанса")),
        Field("utm_campaign", ("Session campaign", "Кампания сеанса")),
        Field("utm_content", ("Session manual ad content", "Содержание объявления сеанса")),
        Field("utm_term", ("Session manual term", "Ключевое слово сеанса")),
        Field("sessions", ("Sessions", "Сеансы"), required=True),
        Field("users", ("Total users", "Всего пользователей", "Active users", "Активные")),
        Field(
            "goal_completions",
            ("Key events", "Ключевые события", "Conversions", "Конверсии"),
            prefix=True,
        ),
    ]
)
SOURCE_HEADERS = frozenset(
    normalise(alias)
    for f in REPORT.fields
    if f.name in ("source_medium", "utm_source")
    for alias in f.aliases
)
API_TAGS = {
    "sessionSource": "utm_source",
    "sessionMedium": "utm_medium",
    "sessionCampaignName": "utm_campaign",
    "sessionManualAdContent": "utm_content",
    "sessionManualTerm": "utm_term",
}
API_USERS = ("totalUsers", "activeUsers")
API_GOALS = ("keyEvents", "conversions")


def _is_api(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("dimensionHeaders"), list)
        and isinstance(data.get("metricHeaders"), list)
    )


def detect(sniffed: Sniffed) -> bool:
    if sniffed.kind == "json":
        return _is_api(sniffed.json)
    if sniffed.kind in ("text", "xlsx"):
        return _has_preamble(sniffed.rows) or any(
            REPORT.score(row) and SOURCE_HEADERS & set(row) for row in sniffed.rows
        )
    return False


def _has_preamble(rows: list[list[str]]) -> bool:
    """GA4's own download: ``# Start date: 20250301`` and ``# End date: …`` above the table —
    GA4's whatever the table's columns (a report without Date or source then gets GA4's own
    advice, not "cannot tell what it is")."""
    said = {
        str(row[0]).lstrip("#").strip().partition(":")[0]
        for row in rows
        if row and str(row[0]).startswith("#")
    }
    return bool({"start date", "дата начала"} & said and {"end date", "дата окончания"} & said)


def _split(combined: Any) -> tuple[Any, Any]:
    """``vk.com / referral`` → (``vk.com``, ``referral``)."""
    if combined is None:
        return None, None
    source, _sep, medium = str(combined).partition(" / ")
    return source, medium


def period_of(preamble: list[list[str]]) -> tuple[date, date] | None:
    """The ``# Start date: 20250301`` / ``# End date: …`` lines of a GA4 download."""
    found: dict[str, date] = {}
    for row in preamble:
        text = " ".join(str(c) for c in row).lstrip("#").strip()
        label, _sep, value = text.partition(":")
        key = label.strip().casefold()
        if key in ("start date", "end date", "дата начала", "дата окончания") and value.strip():
            found["start" if key in ("start date", "дата начала") else "end"] = lenient.api_day(
                value.strip()
            )
    if "start" in found and "end" in found:
        return found["start"], found["end"]
    return None


class Ga4Source(AnalyticsSource):
    """A GA4 report download or a Data API response, for one client."""

    format = NAME
    report = REPORT

    @property
    def what(self) -> str:
        return _("a Google Analytics 4 report")

    def _one_day(self, start: Any, end: Any) -> date:
        if start is None or start != end:
            raise UserError(
                _(
                    "{file} covers more than one day without the Date dimension; web sessions are "
                    "kept per day. Add 'Date' as a dimension and export again."
                ).format(file=self.file.name)
            )
        return start if isinstance(start, date) else lenient.api_day(start)

    def read_report(self, located: Located, totals: SessionTotals, sink: RowSink) -> None:
        fixed_day = None
        if not located.has("date"):
            period = period_of(located.preamble)
            fixed_day = self._one_day(*(period or (None, None)))
        for raw, row, day in self.dated_rows(located, sink, fixed_day):
            tags = {p: located.value(raw, p) for p in UTM_PARTS}
            if located.has("source_medium"):
                tags["utm_source"], tags["utm_medium"] = _split(located.value(raw, "source_medium"))
            row.take(located, raw, ("sessions", "users", "goal_completions"), lenient.count)
            totals.add(row, day, {p: utm(v) for p, v in tags.items()})
        if located.has("goal_completions"):
            sink.problems.note(
                _("{file}: goal completions are '{column}'.").format(
                    file=self.file.name, column=located.header_of("goal_completions")
                )
            )

    def read_api(
        self, document: Any, client: KnownClient, totals: SessionTotals, sink: RowSink
    ) -> None:
        client_zone = client.timezone
        dimensions = [str(h.get("name")) for h in document["dimensionHeaders"]]
        metrics = [str(h.get("name")) for h in document["metricHeaders"]]
        fixed_day = None
        if "date" not in dimensions:
            ranges = document.get("metadata", {}).get("dateRanges") or [{}]
            fixed_day = self._one_day(ranges[0].get("startDate"), ranges[0].get("endDate"))
        users = next((m for m in API_USERS if m in metrics), None)
        goal = next((m for m in metrics if m in API_GOALS or m.split(":")[0] in API_GOALS), None)
        for index, item in enumerate(document.get("rows") or [], start=1):
            record = dict(
                zip(dimensions, [v.get("value") for v in item["dimensionValues"]], strict=False)
            )
            values = dict(
                zip(metrics, [v.get("value") for v in item["metricValues"]], strict=False)
            )
            row = Cells(sink, self.file.name, index)
            day = fixed_day or row.put("date", record.get("date"), lenient.api_day, header="date")
            tags = {column: utm(record.get(name)) for name, column in API_TAGS.items()}
            if "sessionSourceMedium" in record:
                source, medium = _split(record["sessionSourceMedium"])
                tags["utm_source"], tags["utm_medium"] = utm(source), utm(medium)
            row.put("sessions", values.get("sessions"), lenient.count, header="sessions")
            if users:
                row.put("users", values[users], lenient.count, header=users)
            if goal:
                row.put("goal_completions", values[goal], lenient.count, header=goal)
            totals.add(row, day, tags)
        zone = document.get("metadata", {}).get("timeZone")
        if zone and zone != client_zone:
            sink.problems.note(
                _(
                    "{file}: the property's days are in {zone}, the client's in {client}; days "
                    "were kept as the property counts them."
                ).format(file=self.file.name, zone=zone, client=client_zone)
            )
        if goal:
            sink.problems.note(
                _("{file}: goal completions are '{column}'.").format(
                    file=self.file.name, column=goal
                )
            )
