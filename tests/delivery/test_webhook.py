"""A webhook delivery against a loopback receiver: the body signed with the destination's
secret, retried on 5xx, refused at once on 4xx, its address's token never in an error."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx
import pytest

from smmkpi.delivery.webhook import SIGNATURE_HEADER, send_webhook
from smmkpi.sync.errors import SyncError
from tests.delivery.conftest import Receiver

PAYLOAD = {"client": "coffeelab", "month": "2026-11", "scorecard": [{"kpi": "reach"}]}


def test_the_body_is_signed_and_a_5xx_is_retried(receiver: Receiver) -> None:
    receiver.answers = [503]
    with httpx.Client() as client:
        tries = send_webhook(receiver.url, "hook-secret", PAYLOAD, client, backoff=0.01)
    assert tries == 2
    body, headers = receiver.received[-1]
    signed = headers[SIGNATURE_HEADER]
    assert json.loads(body) == PAYLOAD
    expected = hmac.new(b"hook-secret", body, hashlib.sha256).hexdigest()
    assert signed == f"sha256={expected}"


def test_a_refusal_fails_at_once_and_never_shows_the_addresss_token(receiver: Receiver) -> None:
    receiver.answers = [400]
    with httpx.Client() as client, pytest.raises(SyncError) as raised:
        send_webhook(receiver.url, "hook-secret", PAYLOAD, client, backoff=0.01)
    assert str(raised.value) == "The webhook at 127.0.0.1 refused the delivery: HTTP 400."
    assert "s3cr3t" not in str(raised.value)
    assert len(receiver.received) == 1
