"""What the web-analytics importers (Yandex Metrica, GA4) share: UTM values as the analytics
record them, and rows that meet on one day and set of tags added up.

An analytics report has a row per combination of its groupings; after reading, two rows can be
the same day and tags (GA4's ``(direct) / (none)`` and ``(not set) / (not set)`` are both "no
tags"). They are added together in the staging table — ``web_sessions`` has one row per day
and tags — and the import says how many were.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from smmkpi.i18n import ngettext
from smmkpi.ingest import lenient
from smmkpi.ingest.cells import Cells
from smmkpi.ingest.fields import Layout, Located
from smmkpi.ingest.remembered import remembered
from smmkpi.ingest.rows import RowSink
from smmkpi.ingest.sheets import RawRow, read_text
from smmkpi.ingest.sniff import Sniffed
from smmkpi.ingest.source import PlatformSource
from smmkpi.store.directory import KnownClient

UTM_PARTS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
COUNTS = ("sessions", "users", "goal_completions")
# what the analytics write where a visit had no such tag
NOT_SET = frozenset(
    {
        "не определено",
        "(not set)",
        "(none)",
        "(direct)",
        "(referral)",
        "(organic)",
        "not set",
        "null",
    }
)


@remembered
def utm(value: Any) -> str | None:
    """A UTM value as recorded, or None where the analytics say it was not set."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or text.casefold() in NOT_SET:
        return None
    return text


@dataclass
class SessionTotals:
    """``web_sessions`` rows of one client, staged as they are read; rows that meet on one day
    and set of tags are added up in the staging table at the end (:meth:`stage`), so that a
    report of millions of rows is never held in memory."""

    client_id: str

    def add(self, row: Cells, day: date | None, tags: dict[str, str | None]) -> None:
        """Stage a row: its ``sessions``, ``users``, ``goal_completions`` cells, day and tags."""
        if not row.ok or day is None:
            return
        row.put("client_id", self.client_id)
        row.put("date", day)
        for part in UTM_PARTS:
            row.put(part, tags.get(part))
        row.add("web_sessions")

    def stage(self, sink: RowSink) -> None:
        """Add up the rows that share a day and tags."""
        merged = sink.sum_repeated("web_sessions", COUNTS)
        if merged:
            sink.problems.note(
                ngettext(
                    "{n} row had the same day and UTM tags as another once read (such as "
                    "'(direct)' and '(not set)', both no tag) and was added to it.",
                    "{n} rows had the same day and UTM tags as others once read (such as "
                    "'(direct)' and '(not set)', both no tag) and were added to them.",
                    merged,
                ).format(n=merged)
            )


class AnalyticsSource(PlatformSource):
    """A web-analytics report file (``report`` finds its header) or an API response (JSON), for
    one client."""

    report: Layout
    file: Path
    """The file being read (of a folder, one of its files), as errors name it."""

    @property
    @abstractmethod
    def what(self) -> str:
        """What the report is, for messages: "a Yandex Metrica report"."""

    def read_all(self, sink: RowSink) -> None:
        """The file, or each file of a folder (the pages and periods of a sync's API
        responses), as one import."""
        client = self.context.client(self.label)
        totals = SessionTotals(client.client_id)
        for path in self.paths():
            self.file = path
            if Sniffed(path, self.context.encoding).kind == "json":
                document = json.loads(read_text(path, self.context.encoding))
                self.read_api(document, client, totals, sink)
            else:
                located = self.report.locate_or_fail(self.tables(path), self.what)
                self.read_report(located, totals, sink)
        totals.stage(sink)

    @staticmethod
    def dated_rows(
        located: Located, sink: RowSink, fixed_day: date | None
    ) -> Iterator[tuple[RawRow, Cells, date | None]]:
        """Each data row of a report with its cells begun and its day: the date column's, or
        ``fixed_day`` for a report of one day without one."""
        fmt = lenient.date_format(located.value(r, "date") for r in located.sample())
        for raw in located.rows:
            row = Cells(sink, located.sheet.label, raw.number, raw.line)
            day = fixed_day or row.put(
                "date",
                located.value(raw, "date"),
                lambda v: lenient.as_date(lenient.parse_date_time(v, fmt)),
                header=located.header_of("date"),
            )
            yield raw, row, day

    @abstractmethod
    def read_report(self, located: Located, totals: SessionTotals, sink: RowSink) -> None:
        """Count the rows of an exported report."""

    @abstractmethod
    def read_api(
        self, document: Any, client: KnownClient, totals: SessionTotals, sink: RowSink
    ) -> None:
        """Count the rows of an API response."""
