"""Yandex Metrica: a report exported from the interface (CSV or XLSX) and Reports API responses
(``/stat/v1/data``) grouped by UTM tags → ``web_sessions``.

Mapping:

- Groupings ``Дата визита`` (``ym:s:date``) → date; ``UTM Source`` … ``UTM Term``
  (``ym:s:UTMSource`` …, also the ``last``/``lastsign`` attribution variants) → the tags;
  ``Не определено`` / ``null`` = not set.
- ``Визиты`` (``ym:s:visits``) → sessions, ``Посетители`` (``ym:s:users``) → users.
- Goal reaches (``Достижения цели …``, ``ym:s:goal<ID>reaches``; ``ym:s:sumGoalReachesAny``
  when the report has it) → goal_completions, summed over the report's goals; the import names
  the goals it summed. Goal *visits* (``Целевые визиты``) are used only when the report has no
  reaches. Conversion rates are left out.
- A report without the date grouping is accepted only when it covers one day (the API's
  ``date1`` = ``date2``; a period in the export's title rows): ``web_sessions`` is per day.
- The ``Итого и средние`` row is left out. Days are the counter's days (its time zone).
- Sampled API data (``"sampled": true``) is imported with a warning to request
  ``accuracy=full``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.ingest import lenient
from smmkpi.ingest.cells import Cells
from smmkpi.ingest.fields import Field, Layout, Located, normalise, totals_disagree
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sessions import UTM_PARTS, AnalyticsSource, SessionTotals, utm
from smmkpi.ingest.sniff import Sniffed
from smmkpi.store.directory import KnownClient

NAME = "metrica"


def _tag(part: str, label: str) -> Field:
    return Field(
        f"utm_{part}",
        (f"UTM {label}", f"utm_{part}", f"Метка utm_{part}", f"Метка UTM {label}"),
        required=part == "source",
    )


REPORT = Layout(
    [
        Field("date", ("Дата визита", "Дата", "Date of visit", "Date")),
        _tag("source", "Source"),
        _tag("medium", "Medium"),
        _tag("campaign", "Campaign"),
        _tag("content", "Content"),
        _tag("term", "Term"),
        Field("sessions", ("Визиты", "Visits", "Sessions"), required=True),
        Field("users", ("Посетители", "Users", "Visitors")),
    ]
)
REACHES = ("достижения цели", "достижения любой цели", "goal reaches", "goal completions")
GOAL_VISITS = ("целевые визиты", "target visits", "conversions (visits)")
RATES = ("конверсия", "conversion rate")
API_TAG = re.compile(
    r"ym:s:(?:last|lastsign|first|lastSign)?UTM(Source|Medium|Campaign|Content|Term)"
)
API_GOAL = re.compile(r"ym:s:goal(\d+)reaches")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}|\d{2}\.\d{2}\.\d{4}")


def _is_api(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("query"), dict)
        and isinstance(data.get("data"), list)
        and any(str(m).startswith("ym:") for m in data["query"].get("metrics", []))
    )


def detect(sniffed: Sniffed) -> bool:
    if sniffed.kind == "json":
        return _is_api(sniffed.json)
    if sniffed.kind in ("text", "xlsx", "xls", "html"):
        return any(REPORT.score(row) for row in sniffed.rows)
    return False


def goal_columns(headers: list[str]) -> list[int]:
    """The columns of goal reaches (or, without them, of goal visits); rates are not goals."""
    normal = [normalise(h) for h in headers]

    def having(words: tuple[str, ...]) -> list[int]:
        return [
            i
            for i, h in enumerate(normal)
            if any(w in h for w in words) and not any(r in h for r in RATES)
        ]

    return having(REACHES) or having(GOAL_VISITS)


def day_of_preamble(rows: list[list[str]]) -> date | None:
    """The one day a report's title rows give as its period, if it is one day."""
    days = set()
    for row in rows:
        for cell in row:
            for found in ISO_DAY.findall(str(cell)):
                value = lenient.parse_date_time(found, None if "-" in found else lenient.DAY_FIRST)
                days.add(lenient.as_date(value))
    return days.pop() if len(days) == 1 else None


class MetricaSource(AnalyticsSource):
    """A Metrica report file or an API response, for one client."""

    format = NAME
    report = REPORT

    @property
    def what(self) -> str:
        return _("a Yandex Metrica report")

    def _no_day(self) -> UserError:
        return UserError(
            _(
                "{file} covers more than one day without the date grouping; web sessions are kept "
                "per day. Add the grouping 'Дата визита' (ym:s:date) to the report and export it "
                "again."
            ).format(file=self.file.name)
        )

    def read_report(self, located: Located, totals: SessionTotals, sink: RowSink) -> None:
        goals = goal_columns(located.headers)
        fixed_day = None
        if not located.has("date"):
            fixed_day = day_of_preamble(located.preamble)
            if fixed_day is None:
                raise self._no_day()
        sessions = 0
        for raw, row, day in self.dated_rows(located, sink, fixed_day):
            tags = {p: utm(located.value(raw, p)) for p in UTM_PARTS}
            row.take(located, raw, ("sessions", "users"), lenient.count)
            sessions += row.cells.get("sessions") or 0
            if goals:
                reached = [
                    row.put(
                        "goal_completions",
                        _cell(raw.cells, i),
                        lenient.count,
                        header=located.headers[i],
                    )
                    for i in goals
                ]
                known = [r for r in reached if r is not None]
                row.cells["goal_completions"] = sum(known) if len(known) == len(reached) else None
            totals.add(row, day, tags)
        disagreement = totals_disagree(located, "sessions", sessions)
        if disagreement:
            sink.problems.note(disagreement)
        if goals:
            sink.problems.note(
                _("{file}: goal completions are the sum of: {goals}.").format(
                    file=self.file.name, goals="; ".join(located.headers[i] for i in goals)
                )
            )

    def read_api(
        self, document: Any, client: KnownClient, totals: SessionTotals, sink: RowSink
    ) -> None:
        query = document["query"]
        dimensions = [str(d) for d in query.get("dimensions", [])]
        metrics = [str(m) for m in query.get("metrics", [])]
        parts = {
            i: f"utm_{m.group(1).lower()}"
            for i, d in enumerate(dimensions)
            if (m := API_TAG.fullmatch(d))
        }
        date_index = dimensions.index("ym:s:date") if "ym:s:date" in dimensions else None
        fixed_day = None
        if date_index is None:
            if query.get("date1") != query.get("date2") or not query.get("date1"):
                raise self._no_day()
            fixed_day = date.fromisoformat(str(query["date1"]))
        goals = (
            [metrics.index("ym:s:sumGoalReachesAny")]
            if "ym:s:sumGoalReachesAny" in metrics
            else [i for i, m in enumerate(metrics) if API_GOAL.fullmatch(m)]
        )
        for index, item in enumerate(document["data"], start=1):
            row = Cells(sink, self.file.name, index)
            names = [d.get("name") if isinstance(d, dict) else d for d in item["dimensions"]]
            values = item["metrics"]
            day = fixed_day or row.put(
                "date", names[date_index or 0], lenient.api_day, header="ym:s:date"
            )
            tags = {part: utm(names[i]) for i, part in parts.items()}
            for metric, column in (("ym:s:visits", "sessions"), ("ym:s:users", "users")):
                if metric in metrics:
                    row.put(column, values[metrics.index(metric)], lenient.count, header=metric)
            if goals:
                row.put(
                    "goal_completions",
                    sum(values[i] for i in goals),
                    lenient.count,
                    header=", ".join(metrics[i] for i in goals),
                )
            totals.add(row, day, tags)
        if goals:
            sink.problems.note(
                _("{file}: goal completions are the sum of: {goals}.").format(
                    file=self.file.name, goals="; ".join(metrics[i] for i in goals)
                )
            )
        if document.get("sampled"):
            sink.problems.note(
                _(
                    "{file}: Metrica sampled this report ({share:.0%} of visits); its counts are "
                    "estimates. Request it with accuracy=full."
                ).format(file=self.file.name, share=float(document.get("sample_share") or 0))
            )


def _cell(cells: list[Any], index: int) -> Any:
    value = cells[index] if index < len(cells) else None
    return value.strip() or None if isinstance(value, str) else value
