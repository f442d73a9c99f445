"""Telegram through the Bot API (``shared/spec/sync-and-delivery.md`` §3): requests go to
``{delivery.telegram.base_url}/bot<TOKEN>/<method>``, the token from
``SMMKPI_TELEGRAM_BOT_TOKEN``. A message (``sendMessage``) with the headline, then each report
file as a document (``sendDocument``, ≤ 50 MB; a larger one goes as a share link). A 429 answer's
``retry_after`` is waited out; a refusal (no such chat, the bot not in the channel, a wrong token)
fails at once. The token is in every request's address, so errors never show the address."""

from __future__ import annotations

from typing import Any

import httpx

from smmkpi.delivery.letter import Attachment, Letter
from smmkpi.i18n import _
from smmkpi.sync.errors import SyncError
from smmkpi.sync.retry import with_retries

TOKEN_VARIABLE = "SMMKPI_TELEGRAM_BOT_TOKEN"
DOCUMENT_LIMIT = 50 * 1024 * 1024


class BotApi:
    """One bot's calls."""

    def __init__(
        self,
        base_url: str,
        token: str,
        client: httpx.Client,
        *,
        attempts: int = 5,
        backoff: float = 1.0,
    ) -> None:
        self._address = f"{base_url.rstrip('/')}/bot{token}/"
        self._client = client
        self._attempts = attempts
        self._backoff = backoff

    def call(self, method: str, **request: Any) -> dict[str, Any]:
        """``method`` with ``request`` (``data``/``files`` or ``json``), retried on 429, 5xx
        and timeouts."""

        def once() -> dict[str, Any]:
            try:
                answer = self._client.post(self._address + method, **request)
            except httpx.HTTPError as error:
                raise SyncError(
                    _("Telegram's Bot API did not answer ({error}).").format(
                        error=type(error).__name__
                    ),
                    transient=True,
                ) from None
            return _checked(method, answer)

        return with_retries(once, attempts=self._attempts, backoff=self._backoff)

    def send(self, chat_id: str, letter: Letter) -> None:
        """The headline, then each file as a document."""
        self.call(
            "sendMessage",
            json={
                "chat_id": chat_id,
                "text": letter.telegram,
                "parse_mode": "HTML",
                "link_preview_options": {"is_disabled": True},
            },
        )
        for item in letter.files:
            self.send_document(chat_id, item)

    def send_document(self, chat_id: str, item: Attachment) -> None:
        self.call(
            "sendDocument",
            data={"chat_id": chat_id},
            files={"document": (item.name, item.data, item.media_type.partition(";")[0])},
        )


def _checked(method: str, answer: httpx.Response) -> dict[str, Any]:
    try:
        body = answer.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    if answer.status_code == 200 and body.get("ok") is True:
        result = body.get("result")
        return result if isinstance(result, dict) else {}
    description = str(body.get("description") or f"HTTP {answer.status_code}")[:200]
    parameters = body.get("parameters") if isinstance(body.get("parameters"), dict) else {}
    if answer.status_code == 429:
        wait = parameters.get("retry_after") if isinstance(parameters, dict) else None
        raise SyncError(
            _("Telegram asked to slow down ({method}): {description}").format(
                method=method, description=description
            ),
            transient=True,
            retry_after=float(wait) if isinstance(wait, int | float) else None,
        )
    if answer.status_code >= 500:
        raise SyncError(
            _("Telegram's Bot API failed ({method}): {description}").format(
                method=method, description=description
            ),
            transient=True,
        )
    hint = {
        401: _("the bot token in {variable} is wrong or revoked").format(variable=TOKEN_VARIABLE),
        403: _("add the bot to the chat or channel (as an administrator, for a channel)"),
        400: _("check the chat id: a group's or channel's starts with -100, or use @channel"),
    }.get(answer.status_code, "")
    raise SyncError(
        _("Telegram refused {method}: {description}").format(method=method, description=description)
        + (f" — {hint}." if hint else "")
    )
