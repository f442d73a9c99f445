"""What delivery tests send to: a real SMTP server on loopback (STARTTLS with a self-signed
certificate the client is told to trust, a login), a fake Bot API and a webhook receiver — and
the bakery of the report tests, whose March 2026 a person computed by hand."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.sandbox.bot import BotPlatform
from smmkpi.sandbox.mail import MailSink, mail_sink
from smmkpi.sandbox.server import Sandbox, serving
from tests.conftest import copy_workspace
from tests.report.conftest import bakery  # noqa: F401 - the fixture, for these tests too

SMTP_USER, SMTP_PASSWORD = "ira@agency.ru", "app-password-2f9c"
BOT_TOKEN = "123456:AAE-bot-token-9d8e"
CHAT = "-1001234567890"


def run(folder: Path, *args: str) -> tuple[int, str]:
    """Run the CLI in English: exit code and output."""
    result = CliRunner().invoke(app, ["-w", str(folder), "--lang", "en", *args])
    return result.exit_code, result.output


def smmkpi(folder: Path, *args: str) -> tuple[int, str]:
    """Run the CLI in English: exit code and output with whitespace squeezed."""
    code, output = run(folder, *args)
    return code, " ".join(output.split())


def set_settings(monkeypatch: pytest.MonkeyPatch, **values: object) -> None:
    """Settings through the environment: ``delivery__max_attempts=2`` is
    ``SMMKPI__DELIVERY__MAX_ATTEMPTS``."""
    for key, value in values.items():
        monkeypatch.setenv(f"SMMKPI__{key.upper()}", str(value))


@pytest.fixture
def sink(monkeypatch: pytest.MonkeyPatch) -> Iterator[MailSink]:
    with mail_sink({SMTP_USER: SMTP_PASSWORD}, tls=True) as (found, certificate):
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
        monkeypatch.setenv("SMMKPI_SMTP_PASSWORD", SMTP_PASSWORD)
        yield found


@pytest.fixture
def bot(monkeypatch: pytest.MonkeyPatch) -> Iterator[BotPlatform]:
    sandbox = Sandbox()
    platform = BotPlatform(sandbox, BOT_TOKEN, {CHAT, "@kolos_news"}, outside={"-1009999"})
    sandbox.platforms.append(platform)
    with serving(sandbox):
        monkeypatch.setenv("SMMKPI_TELEGRAM_BOT_TOKEN", BOT_TOKEN)
        platform.url = sandbox.url  # type: ignore[attr-defined]
        yield platform


@dataclass
class Receiver:
    """A webhook receiver: the answers to give next (else 204) and what it got."""

    answers: list[int] = field(default_factory=list)
    received: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            found.received.append((body, dict(self.headers.items())))
            self.send_response(found.answers.pop(0) if found.answers else 204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found.url = f"http://127.0.0.1:{server.server_address[1]}/hook?token=s3cr3t"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def agency(bakery: Path, tmp_path: Path, sink: MailSink, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: F811
    """A copy of the bakery's workspace whose reports go through :func:`sink`."""
    monkeypatch.setenv("SMMKPI_SECRET_KEY", "a long random text the team shares")
    folder = copy_workspace(bakery, tmp_path / "ws")
    set_settings(
        monkeypatch,
        delivery__smtp__host="127.0.0.1",
        delivery__smtp__port=sink.port,
        delivery__smtp__user=SMTP_USER,
        delivery__smtp__sender="Агентство «Рост» <ira@agency.ru>",
    )
    return folder
