"""Yandex Metrica in the sandbox: the Reports API (``GET /stat/v1/data``) and a counter's
settings (``GET /management/v1/counter/<id>``), with the token in ``Authorization: OAuth …`` as
Metrica wants it, answering as Metrica does — its JSON, ``{"errors": [...], "code",
"message"}`` with the HTTP status on an error: 401 for an unknown or revoked token, 403 for a
counter the token may not read, 429 when over quota, 400 for a metric it does not know.

A counter's rows are recorded ``/stat/v1/data`` answers (``tests/data/metrica/api_utm.json``)
or generated; a request gets the dimensions and metrics it names (the others summed away), the
days from ``date1`` to ``date2``, ``limit`` rows from ``offset`` (1-based, at most 100 000), as
Metrica pages."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from smmkpi.sandbox.faults import Faults
from smmkpi.sandbox.server import Answer, RateWindow, Request, Sandbox

MAX_LIMIT = 100_000
TAGS = ("Source", "Medium", "Campaign", "Content", "Term")


@dataclass
class Counter:
    """One counter: its settings and its rows (dimension and metric names → values)."""

    counter_id: int
    name: str
    site: str
    time_zone: str = "Europe/Moscow"
    rows: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_response(cls, path: Path, name: str = "", site: str = "") -> Counter:
        """A counter holding the rows of a recorded ``/stat/v1/data`` answer (with the sum of
        its goals' reaches as ``ym:s:sumGoalReachesAny`` when it names goals one by one)."""
        document = json.loads(path.read_text(encoding="utf-8"))
        query = document["query"]
        rows = []
        for item in document["data"]:
            row: dict[str, Any] = {
                _plain(d): (v.get("name") if isinstance(v, dict) else v)
                for d, v in zip(query["dimensions"], item["dimensions"], strict=True)
            }
            row.update(dict(zip(query["metrics"], item["metrics"], strict=True)))
            goals = [v for k, v in row.items() if k.startswith("ym:s:goal")]
            row.setdefault("ym:s:sumGoalReachesAny", sum(goals))
            rows.append(row)
        counter_id = int(query["ids"][0])
        return cls(counter_id, name or f"counter {counter_id}", site or "example.ru", rows=rows)

    @classmethod
    def generated(cls, counter_id: int, first: date, days: int, seed: int = 0) -> Counter:
        """``days`` days from ``first`` of visits by five UTM tag sets."""
        rng = random.Random(seed * 7919 + counter_id)
        tags = [
            ("vk", "social", "spring"),
            ("telegram", "social", "spring"),
            ("yandex", "cpc", "brand"),
            (None, None, None),
            ("instagram", "social", None),
        ]
        rows = []
        for n in range(days):
            day = (first + timedelta(days=n)).isoformat()
            for source, medium, campaign in tags:
                visits = rng.randint(5, 400)
                rows.append(
                    {"ym:s:date": day, "ym:s:UTMSource": source, "ym:s:UTMMedium": medium,
                     "ym:s:UTMCampaign": campaign, "ym:s:UTMContent": None, "ym:s:UTMTerm": None,
                     "ym:s:visits": float(visits), "ym:s:users": float(visits * 9 // 10),
                     "ym:s:sumGoalReachesAny": float(visits // 25)}
                )  # fmt: skip
        return cls(counter_id, f"counter {counter_id}", f"site{counter_id}.ru", rows=rows)


def _plain(dimension: str) -> str:
    """A UTM dimension without its attribution (``lastsignUTMSource`` → ``UTMSource``)."""
    for prefix in ("ym:s:lastsign", "ym:s:last", "ym:s:first"):
        if dimension.startswith(prefix + "UTM"):
            return "ym:s:" + dimension.removeprefix(prefix)
    return dimension


class MetricaPlatform:
    """The counters given, readable with the tokens given (token → counter ids it may read)."""

    prefix = "/"

    def __init__(
        self,
        sandbox: Sandbox,
        counters: list[Counter],
        tokens: dict[str, set[int]],
        *,
        rate_per_second: int = 3,
        max_limit: int = MAX_LIMIT,
        timeout_delay: float = 3.0,
    ) -> None:
        self.sandbox = sandbox
        self.counters = {c.counter_id: c for c in counters}
        self.tokens = tokens
        self.faults = Faults()
        self.rate = RateWindow(rate_per_second)
        self.max_limit = max_limit
        self.timeout_delay = timeout_delay

    def answer(self, request: Request) -> Answer:
        method = request.path.strip("/")
        self.sandbox.record(f"metrica:{method}", request.params)
        token = request.headers.get("authorization", "").removeprefix("OAuth ").strip()
        if token not in self.tokens:
            return _error(401, "invalid_token", "Invalid oauth_token")
        if not self.rate.admit(token):
            return _error(429, "quota_requests_by_uid", "Quota exceeded for quantity of requests")
        fault = self.faults.next("data" if method == "stat/v1/data" else "counter")
        if fault == "timeout":
            return Answer(503, {}, delay=self.timeout_delay)
        if fault in ("http_error", "server_error"):
            return Answer(503, {"code": 503, "message": "Service Unavailable"})
        if fault == "rate_limited":
            answer = _error(429, "quota_requests_by_uid", "Quota exceeded for quantity of requests")
            answer.headers["Retry-After"] = "1"
            return answer
        if fault == "expired":
            return _error(401, "invalid_token", "Invalid oauth_token")
        if method.startswith("management/v1/counter/"):
            return self._counter(method.rsplit("/", 1)[-1], self.tokens[token])
        if method == "stat/v1/data":
            answer = self._data(request.params, self.tokens[token])
            if fault == "changed_shape" and isinstance(answer.body, dict) and answer.body["data"]:
                answer.body["data"][0]["metrics"] = "131"
            return answer
        return _error(404, "not_found", "Not found")

    def _counter(self, counter_id: str, allowed: set[int]) -> Answer:
        found = self.counters.get(int(counter_id)) if counter_id.isdigit() else None
        if found is None:
            return _error(404, "not_found", "Counter not found")
        if found.counter_id not in allowed:
            return _error(403, "access_denied", "Access is denied")
        return Answer(body={"counter": {"id": found.counter_id, "name": found.name,
                                        "site": found.site, "time_zone_name": found.time_zone,
                                        "status": "Active"}})  # fmt: skip

    def _data(self, params: dict[str, str], allowed: set[int]) -> Answer:
        counter = self.counters.get(int(params.get("ids", "0") or 0))
        if counter is None:
            return _error(404, "not_found", "Counter not found")
        if counter.counter_id not in allowed:
            return _error(403, "access_denied", "Access is denied")
        dimensions = [d for d in params.get("dimensions", "").split(",") if d]
        metrics = [m for m in params.get("metrics", "").split(",") if m]
        known = set().union(*(r.keys() for r in counter.rows)) if counter.rows else set()
        for metric in metrics:
            if metric not in known:
                return _error(400, "invalid_parameter", f"Wrong parameter: 'metrics'={metric}")
        first, last = params.get("date1", "2000-01-01"), params.get("date2", "2100-01-01")
        grouped: dict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0.0] * len(metrics))
        for row in counter.rows:
            if not first <= str(row.get("ym:s:date")) <= last:
                continue
            key = tuple(row.get(_plain(d)) for d in dimensions)
            for i, metric in enumerate(metrics):
                grouped[key][i] += float(row.get(metric) or 0)
        items = sorted(grouped.items(), key=lambda kv: (str(kv[0]), -kv[1][0]))
        limit = min(int(params.get("limit") or 100), self.max_limit)
        offset = int(params.get("offset") or 1)
        page = items[offset - 1 : offset - 1 + limit]
        return Answer(
            body={
                "query": {
                    "ids": [counter.counter_id],
                    "dimensions": dimensions,
                    "metrics": metrics,
                    "date1": first,
                    "date2": last,
                    "limit": limit,
                    "offset": offset,
                    "accuracy": params.get("accuracy", "medium"),
                },
                "data": [
                    {"dimensions": [{"name": v} for v in key], "metrics": values}
                    for key, values in page
                ],
                "total_rows": len(items),
                "total_rows_rounded": False,
                "sampled": False,
                "sample_share": 1.0,
                "totals": [sum(v[i] for _k, v in items) for i in range(len(metrics))],
            }
        )


def _error(status: int, kind: str, message: str) -> Answer:
    return Answer(
        status,
        {"errors": [{"error_type": kind, "message": message}], "code": status, "message": message},
    )
