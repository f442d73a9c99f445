"""The ways out — e-mail, Telegram, webhooks — with the workspace's settings and the secrets of
the environment (``SMMKPI_SMTP_PASSWORD``, ``SMMKPI_TELEGRAM_BOT_TOKEN``); reports and alerts
both go through them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from smmkpi.delivery.email import PASSWORD_VARIABLE, SmtpAccount, send_email
from smmkpi.delivery.letter import Letter
from smmkpi.delivery.telegram import TOKEN_VARIABLE, BotApi
from smmkpi.delivery.webhook import send_webhook
from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.settings import DeliverySection


class Channels:
    def __init__(
        self, settings: DeliverySection, environ: Mapping[str, str], http: httpx.Client
    ) -> None:
        self.settings = settings
        self.environ = environ
        self.http = http

    def email(self, address: str, letter: Letter, key: str) -> None:
        """``key``: the same for every copy of one delivery (its Message-ID)."""
        account = SmtpAccount.of(self.settings.smtp, self.environ.get(PASSWORD_VARIABLE, ""))
        send_email(account, address, letter, key)

    def telegram(self, chat: str, letter: Letter) -> None:
        token = self.environ.get(TOKEN_VARIABLE, "").strip()
        if not token:
            raise UserError(
                _("Telegram needs the bot's token in {variable} (from @BotFather).").format(
                    variable=TOKEN_VARIABLE
                )
            )
        BotApi(self.settings.telegram.base_url, token, self.http).send(chat, letter)

    def webhook(self, url: str, secret: str | None, payload: dict[str, Any], key: str) -> None:
        if secret is None:
            raise UserError(
                _(
                    "The webhook {host} has no signing secret: remove the schedule and add it "
                    "again."
                ).format(host=url.split("/")[2])
            )
        send_webhook(url, secret, payload, self.http, delivery_id=key)
