"""The CRMs in the sandbox, answering from recorded API pages.

amoCRM (``/api/v4/…``, ``Authorization: Bearer`` with a long-lived token): ``account`` and
``leads`` — pages of ``limit`` (≤ 250) by ``page``, ``filter[updated_at][from]``, HTTP 204 with
no body past the last page, 401 for an unknown token, 429 beyond 7 requests a second.

Bitrix24 (an inbound webhook: ``/rest/<user>/<secret>/<method>.json``): ``scope``,
``profile``, ``crm.lead.list`` and ``crm.deal.list`` — pages of 50 by ``start`` with ``next``
and ``total``, ``filter[>DATE_MODIFY]``; 401 ``INVALID_CREDENTIALS`` for an unknown webhook,
503 ``QUERY_LIMIT_EXCEEDED`` beyond 2 requests a second (its leaky bucket, simplified)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from smmkpi.sandbox.faults import Faults
from smmkpi.sandbox.server import Answer, RateWindow, Request, Sandbox

AMO_PAGE_LIMIT = 250
BITRIX_PAGE = 50


def amo_leads(folder: Path) -> list[dict[str, Any]]:
    """The leads of recorded ``/api/v4/leads`` pages."""
    leads: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.json")):
        leads += json.loads(path.read_text(encoding="utf-8"))["_embedded"]["leads"]
    return leads


class AmoPlatform:
    prefix = "/api/v4/"

    def __init__(
        self,
        sandbox: Sandbox,
        subdomain: str,
        leads: list[dict[str, Any]],
        tokens: set[str],
        *,
        rate_per_second: int = 7,
        page_limit: int = AMO_PAGE_LIMIT,
    ) -> None:
        self.sandbox, self.subdomain, self.leads, self.tokens = sandbox, subdomain, leads, tokens
        self.page_limit = page_limit
        self.faults = Faults()
        self.rate = RateWindow(rate_per_second)

    def answer(self, request: Request) -> Answer:
        method = request.path.removeprefix(self.prefix)
        self.sandbox.record(f"amocrm:{method}", request.params)
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if token not in self.tokens:
            return Answer(401, {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"})
        if not self.rate.admit(token) or self.faults.next(method) == "rate_limited":
            return Answer(429, {"title": "Too Many Requests", "status": 429}, {"Retry-After": "1"})
        if method == "account":
            return Answer(body={"id": 29000001, "name": "Хоумдекор", "subdomain": self.subdomain,
                                "currency": "RUB", "currency_symbol": "₽"})  # fmt: skip
        if method != "leads":
            return Answer(404, {"title": "Not Found", "status": 404})
        since = int(request.params.get("filter[updated_at][from]") or 0)
        found = sorted(
            (lead for lead in self.leads if int(lead["updated_at"]) >= since),
            key=lambda lead: (int(lead["updated_at"]), int(lead["id"])),
        )
        limit = min(int(request.params.get("limit") or 50), self.page_limit)
        page = int(request.params.get("page") or 1)
        items = found[(page - 1) * limit : page * limit]
        if not items:
            return Answer(204, None)
        base = f"https://{self.subdomain}.amocrm.ru/api/v4/leads"
        links: dict[str, Any] = {"self": {"href": f"{base}?page={page}&limit={limit}"}}
        if page * limit < len(found):
            links["next"] = {"href": f"{base}?page={page + 1}&limit={limit}"}
        return Answer(body={"_page": page, "_links": links, "_embedded": {"leads": items}})


class BitrixPlatform:
    prefix = "/rest/"

    def __init__(
        self,
        sandbox: Sandbox,
        leads: list[dict[str, Any]],
        deals: list[dict[str, Any]],
        webhooks: dict[str, set[str]],
        *,
        rate_per_second: int = 2,
        page: int = BITRIX_PAGE,
    ) -> None:
        """``webhooks``: ``<user>/<secret>`` → the scopes it was given."""
        self.sandbox, self.leads, self.deals, self.webhooks = sandbox, leads, deals, webhooks
        self.page = page
        self.faults = Faults()
        self.rate = RateWindow(rate_per_second)

    def answer(self, request: Request) -> Answer:
        user, _sep, rest = request.path.removeprefix(self.prefix).partition("/")
        secret, _sep, method = rest.partition("/")
        method = method.removesuffix(".json")
        self.sandbox.record(f"bitrix24:{method}", request.params)
        hook = f"{user}/{secret}"
        if hook not in self.webhooks:
            return _bitrix_error(401, "INVALID_CREDENTIALS", "Invalid request credentials")
        if not self.rate.admit(hook) or self.faults.next(method) == "rate_limited":
            return _bitrix_error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests")
        scopes = self.webhooks[hook]
        if method == "scope":
            return Answer(body={"result": sorted(scopes)})
        if method == "profile":
            return Answer(body={"result": {"ID": user, "NAME": "Анна", "LAST_NAME": "Смирнова",
                                           "ADMIN": True}})  # fmt: skip
        if method not in ("crm.lead.list", "crm.deal.list"):
            return _bitrix_error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")
        if "crm" not in scopes:
            return _bitrix_error(
                403, "insufficient_scope", "The request requires higher privileges"
            )
        items = self.leads if method == "crm.lead.list" else self.deals
        since = request.params.get("filter[>DATE_MODIFY]")
        if since:
            moment = datetime.fromisoformat(since)
            items = [i for i in items if _modified(i) > moment]
        items = sorted(items, key=lambda i: int(i["ID"]))
        start = int(request.params.get("start") or 0)
        page = items[start : start + self.page]
        body: dict[str, Any] = {"result": page, "total": len(items),
                                "time": {"start": 0.0, "finish": 0.01}}  # fmt: skip
        if start + self.page < len(items):
            body["next"] = start + self.page
        return Answer(body=body)


def _modified(item: dict[str, Any]) -> datetime:
    text = item.get("DATE_MODIFY") or item.get("DATE_CREATE") or "1970-01-01T00:00:00+00:00"
    moment = datetime.fromisoformat(str(text))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _bitrix_error(status: int, code: str, description: str) -> Answer:
    return Answer(status, {"error": code, "error_description": description})
