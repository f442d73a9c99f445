"""A mail sink: a real SMTP server on a loopback port (aiosmtpd) that keeps what it is sent, for
the demo and the tests. It can offer STARTTLS with a self-signed certificate, require it, and
require a login; it can refuse the next messages with a chosen SMTP answer, as a full mailbox or
a server in trouble does."""

from __future__ import annotations

import logging
import socket
import ssl
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

# aiosmtpd logs a warning about its own attribute on every login it takes
logging.getLogger("mail.log").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Received:
    """One message as the server took it."""

    sender: str
    recipients: tuple[str, ...]
    data: bytes
    tls: bool
    login: str | None

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


class MailSink:
    """What the server received (:attr:`received`) and the answers it is to give next."""

    def __init__(self, users: dict[str, str] | None = None) -> None:
        self.users = users or {}
        self.received: list[Received] = []
        self.refusals: list[str] = []  # the next DATA answers, such as "451 4.3.0 Try later"
        self.host = "127.0.0.1"
        self.port = 0
        self._lock = threading.Lock()

    # aiosmtpd's handler hooks
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self._lock:
            if self.refusals:
                return self.refusals.pop(0)
            login = session.auth_data.login.decode() if session.auth_data else None
            self.received.append(
                Received(
                    envelope.mail_from,
                    tuple(envelope.rcpt_tos),
                    bytes(envelope.original_content or envelope.content),
                    session.ssl is not None,
                    login,
                )
            )
        return "250 OK"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword):
            login, password = data.login.decode(), data.password.decode()
            if self.users.get(login) == password:
                return AuthResult(success=True, auth_data=data)
        return AuthResult(success=False, handled=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def self_signed(folder: Path, host: str = "localhost") -> tuple[Path, Path]:
    """A certificate for ``host`` (and 127.0.0.1) signed by its own key: (certificate, key)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(host), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "sink.crt", folder / "sink.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@contextmanager
def mail_sink(
    users: dict[str, str] | None = None, *, tls: bool = False
) -> Iterator[tuple[MailSink, Path | None]]:
    """Serve a :class:`MailSink` on ``127.0.0.1`` until the block ends; with ``tls``, offering
    and requiring STARTTLS with a self-signed certificate whose file is given (a client trusts
    it through ``SSL_CERT_FILE``). With ``users``, a login is required."""
    sink = MailSink(users)
    with tempfile.TemporaryDirectory(prefix="smmkpi-sink-") as folder:
        context, certificate = None, None
        if tls:
            certificate, key = self_signed(Path(folder))
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(certificate, key)
        sink.port = _free_port()
        controller = Controller(
            sink,
            hostname=sink.host,
            port=sink.port,
            tls_context=context,
            require_starttls=tls,
            authenticator=sink.authenticate if users else None,
            auth_required=bool(users),
            auth_require_tls=tls,
            decode_data=False,
            ready_timeout=10.0,
        )
        controller.start()
        try:
            yield sink, certificate
        finally:
            controller.stop()
