"""Delivering to a webhook (``shared/spec/sync-and-delivery.md`` §3): a JSON POST signed with
the destination's secret — ``X-Smmkpi-Signature: sha256=<HMAC-SHA256 of the body>`` — retried
on 5xx, 429 and timeouts; any other refusal fails the send at once. Errors name the host only:
a webhook's address may carry a token."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import urlsplit

import httpx

from smmkpi.i18n import _
from smmkpi.sync.errors import SyncError
from smmkpi.sync.retry import with_retries

SIGNATURE_HEADER = "X-Smmkpi-Signature"
DELIVERY_HEADER = "X-Smmkpi-Delivery"


def signature(secret: str, body: bytes) -> str:
    """What the receiver compares (in constant time) with the header."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_webhook(
    url: str,
    secret: str,
    payload: dict[str, Any],
    client: httpx.Client,
    *,
    attempts: int = 5,
    backoff: float = 1.0,
    delivery_id: str = "",
) -> int:
    """POST ``payload``; the attempts it took. :class:`SyncError` when it did not go.
    ``delivery_id`` (sent as ``X-Smmkpi-Delivery``) is the same for every copy of one delivery,
    so that a receiver can tell a copy sent again from a new one."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8",
               SIGNATURE_HEADER: signature(secret, body)}  # fmt: skip
    if delivery_id:
        headers[DELIVERY_HEADER] = hashlib.sha256(delivery_id.encode()).hexdigest()[:32]
    host = urlsplit(url).hostname or "?"
    tries = [0]

    def once() -> None:
        tries[0] += 1
        try:
            answer = client.post(url, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise SyncError(
                _("The webhook at {host} did not answer ({error}).").format(
                    host=host, error=type(error).__name__
                ),
                transient=True,
            ) from None
        if answer.status_code >= 500 or answer.status_code == 429:
            raise SyncError(
                _("The webhook at {host} answered HTTP {status}.").format(
                    host=host, status=answer.status_code
                ),
                transient=True,
            )
        if answer.status_code >= 300:
            raise SyncError(
                _("The webhook at {host} refused the delivery: HTTP {status}.").format(
                    host=host, status=answer.status_code
                )
            )

    with_retries(once, attempts=attempts, backoff=backoff)
    return tries[0]
