"""``smmkpi deliver`` end to end on both engines, into a real SMTP server on loopback: the
bakery's reports go out when due in the client's zone, once; a month whose data is not final or
that awaits approval is held and goes out when that changes; a failed send is retried after its
wait and given up after the most attempts; a run that died mid-send is reconciled, never
repeated on its own; two runs at once send once.

The bakery (tests/report/conftest.py): Europe/Moscow; March 2026 computed by hand — ER 3.50 %
against a target of 3.00 % (116.67 %, achieved), ERR 3.57 % against 4.00 % (89.29 %, off
track); its data ends on 31 March 2026."""

from __future__ import annotations

import io
import json
import os
import re
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from smmkpi.delivery.runner import Deliverer, Selection
from smmkpi.sandbox.mail import MailSink
from smmkpi.store.claims import owner_id
from smmkpi.sync.credentials import credential_box
from smmkpi.workspace import Workspace
from tests.conftest import import_path, write_table
from tests.delivery.conftest import SMTP_PASSWORD, SMTP_USER, run, set_settings, smmkpi

MARCH_DUE = "2026-04-03T07:00:00Z"  # 10:00 in Moscow on 3 April


def schedule(folder: Path, *args: str) -> None:
    code, output = smmkpi(folder, "delivery", "add", "bakery", *args)
    assert code == 0, output


def deliver(folder: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    code, output = run(folder, "deliver", "--format", "json", *args)
    return code, json.loads(output)


def log(folder: Path) -> list[dict[str, object]]:
    code, output = smmkpi(folder, "deliveries", "--format", "json")
    assert code == 0, output
    return list(json.loads(output))


def brief(row: dict[str, object]) -> tuple[object, ...]:
    return row["month"], row["destination"], row["status"], row["attempts"]


def test_a_due_report_is_emailed_once_with_its_files(agency: Path, sink: MailSink) -> None:
    schedule(agency, "--to", "email:anna@kolos.ru", "--lang", "en", "--format", "pdf,xlsx")
    # 09:59 in Moscow: March's report is not due yet; February's still is (never sent)
    code, sent = deliver(agency, "--due", "--now", "2026-04-03T06:59:00Z")
    assert code == 0
    assert [brief(r) for r in sent] == [("2026-02", "email:anna@kolos.ru", "sent", 1)]
    code, sent = deliver(agency, "--due", "--now", MARCH_DUE)
    assert [brief(r) for r in sent] == [("2026-03", "email:anna@kolos.ru", "sent", 1)]
    assert sent[0]["at"] == "2026-04-03T07:00:00+00:00"
    code, sent = deliver(agency, "--due", "--now", "2026-04-03T07:05:00Z")
    assert (code, sent) == (0, [])  # once
    assert [(r["month"], r["status"]) for r in log(agency)] == [
        ("2026-02", "sent"), ("2026-03", "sent"),
    ]  # fmt: skip

    assert len(sink.received) == 2
    mail = sink.received[1]
    assert (mail.sender, mail.recipients, mail.tls, mail.login) == (
        "ira@agency.ru", ("anna@kolos.ru",), True, SMTP_USER,
    )  # fmt: skip
    message = mail.message
    assert message["Subject"] == "Пекарня «Колос»: the report for March 2026"
    assert message["From"] == "Агентство «Рост» <ira@agency.ru>"
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Here is Пекарня «Колос»'s promotion report for March 2026." in text
    assert "• ER (by followers): 3.50% against a target of 3.00%, 117% — achieved" in text
    assert "• ERR (by reach): 3.57% against a target of 4.00%, 89% — off track" in text
    assert (
        "KPIs of the plan that reached their target or came within the tolerance: 3 of 4." in text
    )
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    assert cells[:5] == ["ER (by followers)", "3.50%", "3.00%", "117%", "achieved"]
    files = {p.get_filename(): p.get_content() for p in message.iter_attachments()}
    assert sorted(files) == ["bakery-2026-03-en.pdf", "bakery-2026-03-en.xlsx"]
    pdf = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(files["bakery-2026-03-en.pdf"])).pages
    )
    assert "Пекарня «Колос»" in pdf and "March 2026" in pdf
    # the client edition: the agency's name, not the product's; no import files
    assert "Prepared with smmkpi" not in pdf and "Data sources" not in pdf
    assert "Prepared by" in pdf
    assert files["bakery-2026-03-en.xlsx"][:2] == b"PK"  # a workbook (a zip)
    assert SMTP_PASSWORD not in mail.data.decode("utf-8", "replace")


def test_a_russian_report_speaks_russian(agency: Path, sink: MailSink) -> None:
    schedule(agency, "--to", "email:anna@kolos.ru", "--lang", "ru", "--format", "pdf")
    code, sent = deliver(agency, "--month", "2026-03", "--now", MARCH_DUE)
    assert (code, [r["status"] for r in sent]) == (0, ["sent"])
    message = sink.received[0].message
    assert message["Subject"] == "Пекарня «Колос»: отчёт за март 2026"
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Направляем отчёт о продвижении за март 2026 — Пекарня «Колос»." in text
    assert "Главные KPI в сравнении с планом:" in text
    nbsp = "\u00a0"
    assert (
        f"• ER (по подписчикам): 3,50{nbsp}% при цели 3,00{nbsp}%, 117{nbsp}% — выполнено" in text
    )
    (name,) = [p.get_filename() for p in message.iter_attachments()]
    assert name == "bakery-2026-03-ru.pdf"


def test_a_month_without_final_data_is_held_until_it_is(agency: Path, sink: MailSink) -> None:
    schedule(agency, "--to", "email:anna@kolos.ru", "--lang", "en", "--format", "pdf")
    code, sent = deliver(agency, "--due", "--now", "2026-05-03T07:00:00Z")
    assert code == 0  # holding is not failing
    assert [brief(r) for r in sent] == [("2026-04", "email:anna@kolos.ru", "held", 0)]
    assert sent[0]["error"] == (
        "bakery-vk has data through March 31, 2026; web sessions has data through March 31, 2026"
    )
    assert sink.received == []
    data = agency.parent / "april"
    write_table(data, "account_daily", [
        {"account_id": "bakery-vk", "date": f"2026-04-{d:02}", "followers": 1000, "reach": 100}
        for d in range(1, 31)
    ])  # fmt: skip
    write_table(data, "web_sessions", [
        {"client_id": "bakery", "date": "2026-04-30", "utm_source": "vk", "sessions": 4},
    ])  # fmt: skip
    import_path(Workspace.open(agency), data)
    code, sent = deliver(agency, "--due", "--now", "2026-05-04T07:00:00Z")
    assert (code, [brief(r) for r in sent]) == (0, [("2026-04", "email:anna@kolos.ru", "sent", 1)])
    assert [(r["status"], r["error"]) for r in log(agency)] == [("sent", None)]  # why: gone
    assert sink.received[0].message["Subject"] == "Пекарня «Колос»: the report for April 2026"


def test_a_reviewed_schedule_waits_for_approval(agency: Path, sink: MailSink) -> None:
    schedule(agency, "--to", "email:anna@kolos.ru", "--review", "--format", "pdf")
    code, sent = deliver(agency, "--due", "--now", MARCH_DUE)
    assert (code, [brief(r) for r in sent]) == (0, [("2026-03", "email:anna@kolos.ru", "held", 0)])
    assert sent[0]["error"] == (
        "waiting for approval (smmkpi delivery approve bakery --month 2026-03)"
    )
    code, output = smmkpi(agency, "delivery", "approve", "bakery", "--month", "2026-03")
    assert code == 0 and "goes out with the next due run" in output
    code, sent = deliver(agency, "--due", "--now", "2026-04-03T08:00:00Z")
    assert [brief(r) for r in sent] == [("2026-03", "email:anna@kolos.ru", "sent", 1)]
    assert len(sink.received) == 1


def test_a_failed_send_is_retried_by_the_next_run_then_after_a_wait_then_given_up(
    agency: Path, sink: MailSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_settings(monkeypatch, delivery__max_attempts=4, delivery__retry_minutes=30)
    schedule(agency, "--to", "email:anna@kolos.ru", "--to", "email:boris@kolos.ru",
             "--format", "pdf")  # fmt: skip
    sink.refusals = ["451 4.3.0 Mailbox busy, try later"]  # the first message only
    code, sent = deliver(agency, "--due", "--now", MARCH_DUE)
    assert code == 1
    assert [brief(r) for r in sent] == [
        ("2026-03", "email:anna@kolos.ru", "failed", 1),
        ("2026-03", "email:boris@kolos.ru", "sent", 1),  # one failing never stops the others
    ]
    assert sent[0]["error"] == (
        f"The SMTP server 127.0.0.1:{sink.port} answered 451: 4.3.0 Mailbox busy, try later"
    )
    sink.refusals = ["451 4.3.0 Mailbox busy, try later"]
    code, sent = deliver(agency, "--due", "--now", "2026-04-03T07:05:00Z")
    assert (code, [brief(r) for r in sent]) == (
        1,
        [("2026-03", "email:anna@kolos.ru", "failed", 2)],  # retried by the next run
    )
    code, sent = deliver(agency, "--due", "--now", "2026-04-03T07:20:00Z")
    assert (code, sent) == (0, [])  # now it waits: 30 minutes from 07:05
    sink.refusals = ["451 4.3.0 Mailbox busy, try later"]
    code, sent = deliver(agency, "--due", "--now", "2026-04-03T07:36:00Z")
    assert (code, [brief(r) for r in sent]) == (
        1,
        [("2026-03", "email:anna@kolos.ru", "failed", 3)],
    )
    code, sent = deliver(agency, "--due", "--now", "2026-04-03T08:30:00Z")
    assert (code, sent) == (0, [])  # the wait doubled: 60 minutes from 07:36
    sink.refusals = ["554 5.7.1 Rejected"]
    code, sent = deliver(agency, "--due", "--now", "2026-04-03T08:37:00Z")
    assert (code, [brief(r) for r in sent]) == (
        1,
        [("2026-03", "email:anna@kolos.ru", "failed", 4)],
    )
    assert str(sent[0]["error"]).endswith(
        "answered 554: 5.7.1 Rejected Gave up after 4 attempts; "
        "`smmkpi deliver --resend` tries again."
    )
    code, sent = deliver(agency, "--due", "--now", "2026-04-05T08:31:00Z")
    assert (code, sent) == (0, [])  # given up: not tried on its own
    code, sent = deliver(agency, "--month", "2026-03", "--resend", "--now", "2026-04-05T09:00:00Z")
    assert [brief(r) for r in sent] == [
        ("2026-03", "email:anna@kolos.ru", "sent", 1),
        ("2026-03", "email:boris@kolos.ru", "sent", 1),
    ]
    assert [m.recipients for m in sink.received] == [
        ("boris@kolos.ru",), ("anna@kolos.ru",), ("boris@kolos.ru",),
    ]  # fmt: skip


def _sending_row(folder: Path, holder: str, at: datetime) -> None:
    with Workspace.open(folder).open_store() as store, store.transaction():
        store.con.execute(
            "INSERT INTO deliveries (schedule, client_id, month, destination, status, "
            "happened_at, attempts, claimed_by) VALUES ($1, $2, $3, $4, 'sending', $5, 1, $6)",
            ["bakery-monthly", "bakery", "2026-03", "email:anna@kolos.ru", at, holder],
        )


def test_a_run_that_died_mid_send_is_reconciled_not_repeated(agency: Path, sink: MailSink) -> None:
    schedule(agency, "--to", "email:anna@kolos.ru", "--format", "pdf")
    host = owner_id().rpartition(":")[0]
    _sending_row(agency, f"{host}:999999999", datetime(2026, 4, 3, 7, 0, tzinfo=UTC))
    code, sent = deliver(agency, "--due", "--now", "2026-04-03T07:02:00Z")
    assert code == 1
    assert [brief(r) for r in sent] == [("2026-03", "email:anna@kolos.ru", "failed", 1)]
    assert str(sent[0]["error"]).startswith(
        "Unconfirmed: a run stopped while sending to email:anna@kolos.ru, so it may have gone out"
    )
    assert str(sent[0]["error"]).endswith(
        "run `smmkpi deliver --client bakery --month 2026-03 --to email:anna@kolos.ru --resend`."
    )
    assert sink.received == []
    code, sent = deliver(agency, "--due", "--now", "2026-04-04T07:00:00Z")
    assert (code, sent) == (0, [])  # not sent again on its own
    code, sent = deliver(
        agency, "--client", "bakery", "--month", "2026-03", "--to", "email:anna@kolos.ru",
        "--resend", "--now", "2026-04-04T07:01:00Z",
    )  # fmt: skip
    assert [brief(r) for r in sent] == [("2026-03", "email:anna@kolos.ru", "sent", 1)]
    assert len(sink.received) == 1


def test_a_send_in_progress_elsewhere_is_left_alone(agency: Path, sink: MailSink) -> None:
    schedule(agency, "--to", "email:anna@kolos.ru", "--format", "pdf")
    _sending_row(agency, owner_id(), datetime(2026, 4, 3, 7, 0, tzinfo=UTC))  # alive: this one
    code, output = smmkpi(agency, "deliver", "--due", "--now", "2026-04-03T07:01:00Z")
    assert code == 0
    assert "Sent 0, failed 0, held 0; left alone: 0 sent before, 0 waiting to be retried, " \
           "0 given up, 1 being sent by another run." in output  # fmt: skip
    assert sink.received == []


def test_two_runs_at_once_send_each_report_once(agency: Path, sink: MailSink) -> None:
    schedule(agency, "--to", "email:anna@kolos.ru", "--to", "email:boris@kolos.ru",
             "--format", "pdf")  # fmt: skip
    workspace = Workspace.open(agency)
    now = datetime(2026, 4, 3, 7, 0, tzinfo=UTC)
    start = threading.Barrier(2)
    statuses: list[list[str]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with workspace.open_store() as store:
                box = credential_box(agency, store.engine == "postgresql")
            deliverer = Deliverer(workspace, workspace.open_store, box.open, os.environ)
            start.wait()
            statuses.append([o.status for o in deliverer.run(Selection(now=now)).reports])
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(m.recipients for m in sink.received) == [("anna@kolos.ru",), ("boris@kolos.ru",)]
    assert errors == []
    every = [s for run in statuses for s in run]
    # each destination: one run sent it, the other found it taken (being sent, or sent)
    assert every.count("sent") == 2 and set(every) - {"sent"} <= {"busy", "already"}
    assert [(r["status"], r["attempts"]) for r in log(agency)] == [("sent", 1), ("sent", 1)]
