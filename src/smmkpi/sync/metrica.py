"""Yandex Metrica for a connection (``shared/reference/platform-apis.md``: Yandex Metrica): the
Reports API by day × UTM tags (last significant source) with visits, visitors and the reaches
of any goal, in the counter's time zone, ``accuracy=full``; at most 90 days a request and
10 000 rows a page. The token goes in ``Authorization: OAuth …``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx

from smmkpi.settings import SyncSection
from smmkpi.sync.fetcher import Fetched, FetchJob
from smmkpi.sync.http import JsonApi
from smmkpi.sync.shape import LIST, NUMBER, OBJECT, TEXT, ShapeCheck
from smmkpi.sync.throttle import RateLimiter

PLATFORM = "Yandex Metrica"
DATA = "stat/v1/data"
TAGS = ("Source", "Medium", "Campaign", "Content", "Term")
DIMENSIONS = ("ym:s:date", *(f"ym:s:lastsignUTM{part}" for part in TAGS))
METRICS = ("ym:s:visits", "ym:s:users", "ym:s:sumGoalReachesAny")
PAGE = 10_000
CHUNK_DAYS = 90


def _reason(body: Any) -> str | None:
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return str(errors[0].get("message") or "") or None
        return str(body.get("message") or "") or None
    return None


def metrica_api(
    token: str,
    settings: SyncSection,
    client: httpx.Client,
    limiter: RateLimiter | None = None,
    on_request: Any = None,
) -> JsonApi:
    return JsonApi(
        PLATFORM,
        settings.metrica.base_url,
        {"Authorization": f"OAuth {token}"},
        client,
        limiter or RateLimiter(settings.metrica.requests_per_second),
        attempts=settings.attempts,
        backoff=settings.backoff_seconds,
        reason=_reason,
        on_request=on_request,
    )


@dataclass(frozen=True)
class MetricaCounter:
    counter_id: int
    name: str
    site: str
    time_zone: str


def check(api: JsonApi, counter_id: int) -> MetricaCounter:
    """The counter's name, site and time zone: one cheap call."""
    shape = ShapeCheck(PLATFORM, "management/v1/counter")
    answer = api.get(f"management/v1/counter/{counter_id}")
    counter = shape.field(answer, "counter", OBJECT)
    return MetricaCounter(
        int(shape.field(counter, "id", NUMBER, where="counter.")),
        str(shape.field(counter, "name", TEXT, where="counter.", required=False) or ""),
        str(shape.field(counter, "site", TEXT, where="counter.", required=False) or ""),
        str(shape.field(counter, "time_zone_name", TEXT, where="counter.", required=False) or ""),
    )


class MetricaFetcher:
    source = "metrica"
    importer = "metrica"

    def fetch(self, job: FetchJob) -> Fetched:
        api = metrica_api(
            job.secret,
            job.settings,
            job.http,
            job.limiters.of("metrica", job.secret, job.settings.metrica.requests_per_second),
            job.on_request,
        )
        counter = int(job.connection.options["counter"])
        shape = ShapeCheck(PLATFORM, DATA)
        first, days, part = job.window.first, 0, 0
        while first <= job.window.last:
            last = min(first + timedelta(days=CHUNK_DAYS - 1), job.window.last)
            offset = 1
            while True:
                answer = api.get(
                    DATA, ids=counter, date1=first.isoformat(), date2=last.isoformat(),
                    dimensions=",".join(DIMENSIONS), metrics=",".join(METRICS),
                    accuracy="full", limit=PAGE, offset=offset,
                )  # fmt: skip
                total = shape.field(answer, "total_rows", NUMBER)
                shape.field(answer, "query", OBJECT)
                for index, item in enumerate(shape.items(answer, "data")):
                    where = f"data[{offset - 1 + index}]."
                    names = shape.field(item, "dimensions", LIST, where=where)
                    values = shape.field(item, "metrics", LIST, where=where)
                    if len(names) != len(DIMENSIONS) or len(values) != len(METRICS):
                        shape.fail(f"{where}metrics", "≠ " + ", ".join(METRICS))
                    for n, value in enumerate(values):
                        shape.field({"v": value}, "v", NUMBER, where=f"{where}metrics[{n}].")
                part += 1
                job.save(f"stat_v1_data-{part:03d}.json", answer)
                offset += len(answer["data"])
                if not answer["data"] or offset > total:
                    break
            days += (last - first).days + 1
            first = last + timedelta(days=1)
        return Fetched(api.requests, days, 0)
