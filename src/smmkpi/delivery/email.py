"""E-mail through the agency's SMTP server (``shared/spec/sync-and-delivery.md`` §3): settings
``delivery.smtp.*``, the password from ``SMMKPI_SMTP_PASSWORD``. The connection is upgraded with
STARTTLS before the login (port 465: TLS from the start); a server that does not offer it is
refused rather than sent a password in the clear. One message per destination: a plain-text and
an HTML body, the report files attached.

Each message of a schedule's month to one address has the same ``Message-ID``: if a run dies
after the server took the message, the copy a ``--resend`` sends is one that mail programs can
recognise as the same letter."""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from smmkpi.delivery.letter import Letter
from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.settings import SmtpSection
from smmkpi.sync.errors import SyncError

PASSWORD_VARIABLE = "SMMKPI_SMTP_PASSWORD"


@dataclass(frozen=True)
class SmtpAccount:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    starttls: bool
    sender: str
    timeout: float

    @classmethod
    def of(cls, settings: SmtpSection, password: str) -> SmtpAccount:
        if not settings.host:
            raise UserError(
                _(
                    "E-mail needs an SMTP server: set delivery.smtp.host (and .user, .sender) in "
                    "smmkpi.toml and the password in {variable}."
                ).format(variable=PASSWORD_VARIABLE)
            )
        sender = settings.sender or settings.user
        if not sender:
            raise UserError(_("Set delivery.smtp.sender: the address the reports come from."))
        if settings.user and not password:
            raise UserError(
                _("The SMTP login {user} needs its password in {variable}.").format(
                    user=settings.user, variable=PASSWORD_VARIABLE
                )
            )
        return cls(
            settings.host, settings.port, settings.user, password, settings.starttls, sender,
            settings.timeout_seconds,
        )  # fmt: skip


def message_id(key: str, sender: str) -> str:
    """The same ``Message-ID`` for every copy of one delivery."""
    domain = sender.rpartition("@")[2].strip("> ") or "smmkpi.local"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def build_message(letter: Letter, sender: str, to: str, key: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = letter.subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id(key, sender) if key else make_msgid()
    message.set_content(letter.text)
    message.add_alternative(letter.html, subtype="html")
    for item in letter.files:
        main, _slash, sub = item.media_type.partition(";")[0].partition("/")
        message.add_attachment(item.data, maintype=main, subtype=sub, filename=item.name)
    return message


def send_email(account: SmtpAccount, to: str, letter: Letter, key: str) -> None:
    """Send ``letter`` to ``to``. :class:`SyncError` (transient when worth another run)
    otherwise; errors name the server, never the password."""
    message = build_message(letter, account.sender, to, key)
    where = f"{account.host}:{account.port}"
    context = ssl.create_default_context()
    try:
        if account.port == 465:
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                account.host, account.port, timeout=account.timeout, context=context
            )
        else:
            server = smtplib.SMTP(account.host, account.port, timeout=account.timeout)
        with server:
            server.ehlo()
            if account.starttls and account.port != 465:
                if not server.has_extn("starttls"):
                    raise SyncError(
                        _(
                            "The SMTP server {server} does not offer STARTTLS: smmkpi does not "
                            "send a password or a report in the clear (delivery.smtp.starttls)."
                        ).format(server=where)
                    )
                server.starttls(context=context)
                server.ehlo()
            if account.user:
                server.login(account.user, account.password)
            server.send_message(message)
    except smtplib.SMTPAuthenticationError:
        raise SyncError(
            _(
                "The SMTP server {server} refused the login {user}: check delivery.smtp.user and "
                "{variable} (Yandex 360 and Gmail want an app password)."
            ).format(server=where, user=account.user, variable=PASSWORD_VARIABLE)
        ) from None
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        raise SyncError(
            _("The SMTP server {server} refused the address {to} ({codes}).").format(
                server=where, to=to, codes=", ".join(map(str, codes))
            ),
            transient=all(400 <= c < 500 for c in codes),
        ) from None
    except smtplib.SMTPResponseException as error:
        raise SyncError(
            _("The SMTP server {server} answered {code}: {text}").format(
                server=where,
                code=error.smtp_code,
                text=_text(error.smtp_error)[:200],
            ),
            transient=400 <= error.smtp_code < 500,
        ) from None
    except ssl.SSLError as error:
        raise SyncError(
            _("The TLS connection to the SMTP server {server} failed: {reason}.").format(
                server=where, reason=error.reason or type(error).__name__
            )
        ) from None
    except (OSError, smtplib.SMTPException) as error:
        raise SyncError(
            _("The SMTP server {server} could not be reached ({error}).").format(
                server=where, error=type(error).__name__
            ),
            transient=True,
        ) from None


def _text(answer: bytes | str) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer
