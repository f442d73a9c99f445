"""The bakery's March 2026 report through each channel, on both engines: Telegram (a fake Bot
API: the message, the files as documents, a 429 waited out, a chat the bot is not in refused),
a signed webhook (its payload, links that open the files through the web app), an e-mail whose
files are over the limit (links instead), due moments in Los Angeles and UTC — and the secrets
nowhere in the output or the store."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from smmkpi.delivery.webhook import DELIVERY_HEADER, SIGNATURE_HEADER
from smmkpi.sandbox.bot import BotPlatform
from smmkpi.sandbox.mail import MailSink
from smmkpi.web.app import create_app
from smmkpi.workspace import Workspace
from tests.conftest import import_path, write_table
from tests.delivery.conftest import (
    BOT_TOKEN,
    CHAT,
    SMTP_PASSWORD,
    Receiver,
    set_settings,
    smmkpi,
)
from tests.delivery.test_deliver import MARCH_DUE, deliver, schedule

PUBLIC = "https://reports.rost.example/"


def store_dump(folder: Path) -> str:
    """Everything the delivery tables and the share links hold, as text."""
    with Workspace.open(folder).open_store() as store:  # a web app may hold it open too
        rows = [
            store.con.execute(f"SELECT * FROM {table}").fetchall()
            for table in ("deliveries", "delivery_schedules", "share_links")
        ]
    return repr(rows)


def test_telegram_gets_the_headline_and_the_files(
    agency: Path, bot: BotPlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_settings(monkeypatch, delivery__telegram__base_url=bot.url)  # type: ignore[attr-defined]
    schedule(agency, "--to", f"telegram:{CHAT}", "--to", "telegram:-1009999", "--lang", "en",
             "--format", "pdf,xlsx")  # fmt: skip
    bot.faults.add("sendDocument", "rate_limited")  # retry_after 1: waited out
    code, sent = deliver(agency, "--due", "--now", MARCH_DUE)
    assert code == 1
    assert [(r["destination"], r["status"]) for r in sent] == [
        (f"telegram:{CHAT}", "sent"), ("telegram:-1009999", "failed"),
    ]  # fmt: skip
    assert sent[1]["error"] == (
        "Telegram refused sendMessage: Forbidden: bot is not a member of the channel chat — add "
        "the bot to the chat or channel (as an administrator, for a channel)."
    )
    message, *documents = bot.posted
    assert message.chat_id == CHAT and message.method == "sendMessage"
    assert message.text.startswith("<b>Пекарня «Колос»: the report for March 2026</b>\n\n")
    assert "• ER (by followers): 3.50% against a target of 3.00%, 117% — achieved" in message.text
    assert [(d.method, d.file_name) for d in documents] == [
        ("sendDocument", "bakery-2026-03-en.pdf"), ("sendDocument", "bakery-2026-03-en.xlsx"),
    ]  # fmt: skip
    assert documents[0].data[:5] == b"%PDF-"
    assert bot.sandbox.methods().count("bot:sendDocument") == 3  # the 429, then two documents
    code, output = smmkpi(agency, "deliveries")
    assert BOT_TOKEN not in output and BOT_TOKEN not in store_dump(agency)


def test_telegram_without_a_token_says_where_it_goes(
    agency: Path, bot: BotPlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SMMKPI_TELEGRAM_BOT_TOKEN")
    schedule(agency, "--to", f"telegram:{CHAT}", "--format", "pdf")
    code, sent = deliver(agency, "--due", "--now", MARCH_DUE)
    assert (code, sent[0]["status"]) == (1, "failed")
    assert sent[0]["error"] == (
        "Telegram needs the bot's token in SMMKPI_TELEGRAM_BOT_TOKEN (from @BotFather)."
    )


def test_a_webhook_gets_the_signed_scorecard_and_links_that_open(
    agency: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = smmkpi(agency, "delivery", "add", "bakery", "--to", f"webhook:{receiver.url}",
                          "--format", "pdf,xlsx", "--lang", "en")  # fmt: skip
    secret = output.split("HMAC-SHA256 of the body): ")[1].split()[0]
    code, sent = deliver(agency, "--due", "--now", MARCH_DUE)
    assert (code, sent[0]["status"]) == (1, "failed")
    assert sent[0]["error"] == (
        "A webhook needs links to the report: set web.public_url (the address the web app "
        "answers at) in smmkpi.toml."
    )
    set_settings(monkeypatch, web__public_url=PUBLIC)
    receiver.answers = [503]  # retried within the run; the second run to try it
    code, sent = deliver(agency, "--due", "--now", "2026-04-03T08:00:00Z")
    assert (code, sent[0]["status"], sent[0]["attempts"]) == (0, "sent", 2)
    assert len(receiver.received) == 2
    body, headers = receiver.received[-1]
    assert (
        headers[SIGNATURE_HEADER]
        == "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    )
    payload = json.loads(body)
    assert (payload["event"], payload["client"], payload["month"], payload["language"]) == (
        "report", {"id": "bakery", "name": "Пекарня «Колос»"}, "2026-03", "en",
    )  # fmt: skip
    rows = {r["kpi"]: r for r in payload["scorecard"]}
    assert (rows["er"]["fact"], rows["er"]["target"], rows["er"]["status"]) == (
        3.5, 3.0, "achieved",
    )  # fmt: skip
    assert rows["er"]["attainment"] == 116.666667  # 3.5 / 3.0
    assert (rows["cpl"]["fact"], rows["cpl"]["target"]) == (2000.0, 2500.0)
    assert payload["sent_at"] == "2026-04-03T08:00:00+00:00"
    links = payload["links"]
    assert sorted(links) == ["pdf", "xlsx"]
    token = re.fullmatch(re.escape(PUBLIC) + r"s/([\w-]+)\?format=pdf", links["pdf"])
    assert token is not None
    web = TestClient(create_app(Workspace.open(agency)))
    answer = web.get(f"/s/{token[1]}?format=pdf")
    assert answer.status_code == 200 and answer.content[:5] == b"%PDF-"
    assert answer.headers["content-disposition"] == 'attachment; filename="bakery-2026-03-en.pdf"'
    first_id = headers[DELIVERY_HEADER]
    code, sent = deliver(agency, "--month", "2026-03", "--resend", "--now", MARCH_DUE)
    assert receiver.received[-1][1][DELIVERY_HEADER] == first_id  # the same delivery again
    assert secret not in store_dump(agency)


def test_files_over_the_limit_go_as_links(
    agency: Path, sink: MailSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_settings(monkeypatch, web__public_url=PUBLIC, delivery__attachment_limit_mb=0.01)
    schedule(agency, "--to", "email:anna@kolos.ru", "--format", "pdf", "--lang", "en")
    code, sent = deliver(agency, "--due", "--now", MARCH_DUE)
    assert (code, sent[0]["status"]) == (0, "sent")
    message = sink.received[0].message
    assert list(message.iter_attachments()) == []
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Files too large to attach are at these links:" in text
    assert re.search(r"  PDF: https://reports\.rost\.example/s/[\w-]{43}\?format=pdf", text)


def test_due_moments_follow_the_clients_zone(agency: Path, sink: MailSink, tmp_path: Path) -> None:
    data = tmp_path / "la"
    write_table(data, "clients", [{"client_id": "bakery", "name": "Пекарня «Колос»",
                                   "timezone": "America/Los_Angeles", "currency": "RUB",
                                   "goal": "community"}])  # fmt: skip
    import_path(Workspace.open(agency), data)
    schedule(agency, "--to", "email:anna@kolos.ru", "--format", "pdf")
    # 3 April, 10:00 in Los Angeles is 17:00 UTC: summer time since 8 March (18:00 in winter)
    code, sent = deliver(agency, "--due", "--now", "2026-04-03T16:59:00Z")
    assert [r["month"] for r in sent] == ["2026-02"]
    code, sent = deliver(agency, "--due", "--now", "2026-04-03T17:00:00Z")
    assert [r["month"] for r in sent] == ["2026-03"]
    data = tmp_path / "utc"
    write_table(data, "clients", [{"client_id": "bakery", "name": "Пекарня «Колос»",
                                   "timezone": "UTC", "currency": "RUB",
                                   "goal": "community"}])  # fmt: skip
    import_path(Workspace.open(agency), data)
    code, sent = deliver(agency, "--due", "--now", "2026-05-03T09:59:00Z")
    assert sent == []  # March, sent; April not due until 10:00 UTC
    code, sent = deliver(agency, "--due", "--now", "2026-05-03T10:00:00Z")
    assert (code, [(r["month"], r["status"]) for r in sent]) == (0, [("2026-04", "held")])


def test_the_smtp_password_is_never_shown_or_kept(agency: Path, sink: MailSink) -> None:
    sink.users["ira@agency.ru"] = "another password"  # the one smmkpi has is now wrong
    schedule(agency, "--to", "email:anna@kolos.ru", "--format", "pdf")
    code, output = smmkpi(agency, "deliver", "--due", "--now", MARCH_DUE)
    assert code == 1
    assert (
        f"The SMTP server 127.0.0.1:{sink.port} refused the login ira@agency.ru: check "
        "delivery.smtp.user and SMMKPI_SMTP_PASSWORD (Yandex 360 and Gmail want an app "
        "password)."
    ) in output
    assert SMTP_PASSWORD not in output and SMTP_PASSWORD not in store_dump(agency)
    assert SMTP_PASSWORD not in (agency / "smmkpi.toml").read_text(encoding="utf-8")
