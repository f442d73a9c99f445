"""The CRMs for a client's connection (``shared/reference/platform-apis.md``: amoCRM,
Bitrix24): the leads and deals changed since the window's first day, page by page, imported by
the amoCRM and Bitrix24 importers (leads with their UTM tags and won/lost status, won deals as
sales).

amoCRM: ``GET /api/v4/leads`` with a long-lived token (``Authorization: Bearer``), 250 a page,
``filter[updated_at][from]``, at most 7 requests a second. Bitrix24: an inbound webhook (its
address is the secret), ``crm.lead.list`` and ``crm.deal.list`` 50 a page from ``start``,
``filter[>DATE_MODIFY]``, about 2 requests a second (``QUERY_LIMIT_EXCEEDED`` beyond)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

import httpx

from smmkpi.i18n import _
from smmkpi.settings import SyncSection
from smmkpi.sync.errors import PermissionDeniedError
from smmkpi.sync.fetcher import Fetched, FetchJob
from smmkpi.sync.http import JsonApi
from smmkpi.sync.oauth import is_refreshable, refresh
from smmkpi.sync.shape import LIST, NUMBER, OBJECT, TEXT, ShapeCheck
from smmkpi.sync.throttle import RateLimiter

AMO = "amoCRM"
BITRIX = "Bitrix24"
AMO_PAGE = 250


def _amo_reason(body: Any) -> str | None:
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("title") or "") or None
    return None


def _bitrix_reason(body: Any) -> str | None:
    if isinstance(body, dict) and body.get("error"):
        return f"{body['error']}: {body.get('error_description') or ''}".strip()
    return None


def amo_base(settings: SyncSection, subdomain: str) -> str:
    """``sync.amocrm.base_url`` for the account (``https://{subdomain}.amocrm.ru``)."""
    return settings.amocrm.address(subdomain)


def amo_api(
    token: str, subdomain: str, settings: SyncSection, client: httpx.Client,
    limiter: RateLimiter | None = None, on_request: Any = None,
) -> JsonApi:  # fmt: skip
    return JsonApi(
        AMO, amo_base(settings, subdomain), {"Authorization": f"Bearer {token}"}, client,
        limiter or RateLimiter(settings.amocrm.requests_per_second), attempts=settings.attempts,
        backoff=settings.backoff_seconds, reason=_amo_reason, on_request=on_request,
    )  # fmt: skip


def bitrix_api(
    webhook: str, settings: SyncSection, client: httpx.Client,
    limiter: RateLimiter | None = None, on_request: Any = None,
) -> JsonApi:  # fmt: skip
    return JsonApi(
        BITRIX, webhook, {}, client,
        limiter or RateLimiter(settings.bitrix24.requests_per_second), attempts=settings.attempts,
        backoff=settings.backoff_seconds, reason=_bitrix_reason,
        rate_limit_codes=frozenset({"QUERY_LIMIT_EXCEEDED"}), on_request=on_request,
    )  # fmt: skip


@dataclass(frozen=True)
class CrmAccount:
    name: str
    detail: str
    """What else ``connect`` says: amoCRM's currency, Bitrix24's user."""


def amo_check(api: JsonApi) -> CrmAccount:
    shape = ShapeCheck(AMO, "api/v4/account")
    answer = api.get("api/v4/account")
    name = shape.field(answer, "name", TEXT)
    currency = shape.field(answer, "currency", TEXT, required=False) or ""
    return CrmAccount(str(name), str(currency))


def bitrix_check(api: JsonApi) -> CrmAccount:
    """The webhook's user, and that it was given the ``crm`` scope."""

    shape = ShapeCheck(BITRIX, "scope")
    scopes = shape.field(api.get("scope.json"), "result", LIST)
    if "crm" not in scopes:
        raise PermissionDeniedError(
            _("The Bitrix24 webhook was not given the crm scope (it has: {scopes}).").format(
                scopes=", ".join(map(str, scopes)) or "—"
            )
        )
    profile = ShapeCheck(BITRIX, "profile").field(api.get("profile.json"), "result", OBJECT)
    user = " ".join(str(profile.get(k) or "") for k in ("NAME", "LAST_NAME")).strip()
    return CrmAccount(user or str(profile.get("ID") or ""), ", ".join(map(str, scopes)))


class AmoFetcher:
    source = "amocrm"
    importer = "amocrm"

    def fetch(self, job: FetchJob) -> Fetched:
        subdomain = str(job.connection.options["subdomain"])
        token = job.secret
        if is_refreshable(token):  # OAuth: a day's token from a single-use refresh token
            token, kept = refresh(token, job.settings, job.http)
            job.rotate(kept, None)
        api = amo_api(
            token, subdomain, job.settings, job.http,
            job.limiters.of("amocrm", job.secret, job.settings.amocrm.requests_per_second),
            job.on_request,
        )  # fmt: skip
        since = int(datetime.combine(job.window.first, time(), job.zone).timestamp())
        shape = ShapeCheck(AMO, "api/v4/leads")
        page, leads = 1, 0
        while True:
            answer = api.get(
                "api/v4/leads", limit=AMO_PAGE, page=page, **{"filter[updated_at][from]": since}
            )
            if answer is None:  # 204: no more leads
                break
            embedded = shape.field(answer, "_embedded", OBJECT)
            for index, lead in enumerate(shape.items(embedded, "leads")):
                where = f"_embedded.leads[{(page - 1) * AMO_PAGE + index}]."
                for name in ("id", "created_at", "status_id"):
                    shape.field(lead, name, NUMBER, where=where)
                shape.field(lead, "custom_fields_values", LIST, where=where, required=False)
            job.save(f"leads-{page:03d}.json", answer)
            leads += len(embedded["leads"])
            if not isinstance(answer.get("_links"), dict) or "next" not in answer["_links"]:
                break
            page += 1
        return Fetched(api.requests, job.window.days, 0)


class BitrixFetcher:
    source = "bitrix24"
    importer = "bitrix24"

    def fetch(self, job: FetchJob) -> Fetched:
        api = bitrix_api(
            job.secret, job.settings, job.http,
            job.limiters.of("bitrix24", job.secret, job.settings.bitrix24.requests_per_second),
            job.on_request,
        )  # fmt: skip
        since = datetime.combine(job.window.first, time(), job.zone).isoformat()
        for method, needed in (("crm.lead.list", "STATUS_ID"), ("crm.deal.list", "STAGE_ID")):
            shape = ShapeCheck(BITRIX, method)
            start, page = 0, 0
            while True:
                answer = api.get(
                    f"{method}.json", start=start, **{"filter[>DATE_MODIFY]": since,
                                                       "order[ID]": "ASC", "select[]": "*"},
                )  # fmt: skip
                items = shape.items(answer, "result")
                for index, item in enumerate(items):
                    for name in ("ID", needed, "DATE_CREATE"):
                        shape.field(item, name, TEXT, where=f"result[{start + index}].")
                if items:  # an empty page is nothing to import
                    page += 1
                    job.save(f"{method}-{page:03d}.json", answer)
                nxt = answer.get("next")
                if not isinstance(nxt, int) or not items:
                    break
                start = nxt
        return Fetched(api.requests, job.window.days, 0)
