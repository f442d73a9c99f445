"""Alerts on both engines, told by ``deliver --due`` into a real SMTP server on loopback.

The bakery (tests/report/conftest.py) as of 20 March 2026 (19 days known): posts P1, P2, P3
with 70 + 25 + 30 = 125 interactions on 1,000 + 500 + 2,000 reach — ERR 125 / 3,500 = 3.57 %
against a target of 4.00 % (off track, as ``smmkpi status`` says); ER 125 / (3 × 1,000) =
4.17 % against 3.00 % (on track: no alert). Its daily data ends on 31 March 2026: on 3 April two
days are missing (fresh), on 4 April three (stale). The workspace speaks Russian, so the alerts
do."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smmkpi.sandbox.bot import BotPlatform
from smmkpi.sandbox.mail import MailSink
from smmkpi.store import connections
from smmkpi.workspace import Workspace
from tests.delivery.conftest import CHAT, set_settings, smmkpi
from tests.delivery.test_deliver import deliver

NBSP, NNBSP = "\u00a0", "\u202f"  # CLDR's spaces: before %, before "г."
ERR_OFF_TRACK = (
    f"ERR (по охвату): отстаёт — пока 3,57{NBSP}% при цели 4,00{NBSP}%; прогноз на конец месяца "
    f"— 3,57{NBSP}%."
)


def alert(folder: Path, *args: str) -> str:
    code, output = smmkpi(folder, "alert", "add", *args)
    assert code == 0, output
    return output


def told(rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(r["subject"], r["destination"], r["status"], r["text"]) for r in rows]


def test_what_turns_is_told_once(
    agency: Path, sink: MailSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_settings(monkeypatch, display__lang="ru")  # the workspace's: the client has no schedule
    output = alert(agency, "bakery", "--to", "email:ira@agency.ru")
    assert output == (
        "Alert bakery-alerts: bakery — off_track, at_risk, stale, sync_failed, to "
        "email:ira@agency.ru."
    )
    code, status = smmkpi(agency, "status", "bakery", "--month", "2026-03", "--as-of",
                          "2026-03-20", "--format", "json")  # fmt: skip
    statuses = {k["kpi"]: k["status"] for k in json.loads(status)["kpis"]}
    assert (statuses["er"], statuses["err"]) == ("on_track", "off_track")

    code, rows = deliver(agency, "--due", "--now", "2026-03-20T07:00:00Z")
    assert code == 0
    assert told(rows) == [("kpi:2026-03:err", "email:ira@agency.ru", "sent", ERR_OFF_TRACK)]
    assert (rows[0]["kind"], rows[0]["day"], rows[0]["attempts"]) == ("alert", "2026-03-20", 1)
    message = sink.received[0].message
    assert message["Subject"] == "Пекарня «Колос»: требует внимания"
    assert message.get_body(("plain",)).get_content() == (  # type: ignore[union-attr]
        f"Пекарня «Колос»: требует внимания\n\n• {ERR_OFF_TRACK}\n"
    )
    for now in ("2026-03-20T08:00:00Z", "2026-03-21T07:00:00Z", "2026-04-03T07:00:00Z"):
        code, rows = deliver(agency, "--due", "--now", now)
        assert (code, rows) == (0, [])  # nothing turned: no reminder, two missing days
    code, rows = deliver(agency, "--due", "--now", "2026-04-04T07:00:00Z")
    assert told(rows) == [
        ("source:bakery-vk", "email:ira@agency.ru", "sent",
         f"bakery-vk: нет данных после 31 марта 2026{NNBSP}г."),
        ("source:web_sessions", "email:ira@agency.ru", "sent",
         f"визиты на сайт: нет данных после 31 марта 2026{NNBSP}г."),
    ]  # fmt: skip
    assert len(sink.received) == 2  # both in one message

    with Workspace.open(agency).open_store() as store, store.transaction():
        connections.save(
            store.con,
            connections.StoredConnection("vk", "bakery", "bakery-vk", "sealed",
                                         status="needs_reauth",
                                         last_error="VK refused the token (error 5)."),
            datetime(2026, 3, 1, tzinfo=UTC),
        )  # fmt: skip
    code, rows = deliver(agency, "--due", "--now", "2026-04-04T08:00:00Z")
    assert told(rows) == [
        ("connection:vk/bakery-vk", "email:ira@agency.ru", "sent",
         "Подключение vk для bakery-vk требует человека: VK refused the token (error 5). "
         "Подключите заново (smmkpi connect vk или в веб-приложении)."),
    ]  # fmt: skip
    code, output = smmkpi(agency, "deliveries", "--format", "json")
    assert [(r["kind"], r["subject"], r["status"]) for r in json.loads(output)] == [
        ("alert", "kpi:2026-03:err", "sent"),
        ("alert", "source:bakery-vk", "sent"),
        ("alert", "source:web_sessions", "sent"),
        ("alert", "connection:vk/bakery-vk", "sent"),
    ]


def test_an_alert_for_every_client_tells_only_what_it_is_for(
    agency: Path, bot: BotPlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_settings(monkeypatch, delivery__telegram__base_url=bot.url,  # type: ignore[attr-defined]
                 web__public_url="https://reports.rost.example/")  # fmt: skip
    alert(agency, "--all", "--to", f"telegram:{CHAT}", "--when", "stale", "--name", "stale-data")
    # the workspace speaks English; the bakery's reports go out in Russian, so its alerts do
    code, output = smmkpi(agency, "delivery", "add", "bakery", "--to", "telegram:@kolos_news",
                          "--lang", "ru", "--format", "pdf")  # fmt: skip
    assert code == 0, output
    code, rows = deliver(agency, "--due", "--now", "2026-03-20T07:00:00Z")
    assert code == 0
    assert [r for r in rows if r["kind"] == "alert"] == []  # ERR off track: not for this alert
    code, rows = deliver(agency, "--due", "--now", "2026-04-04T07:00:00Z")
    assert [(r["schedule"], r["subject"], r["status"]) for r in rows if r["kind"] == "alert"] == [
        ("stale-data", "source:bakery-vk", "sent"), ("stale-data", "source:web_sessions", "sent"),
    ]  # fmt: skip
    (message,) = [p for p in bot.posted if p.chat_id == CHAT]
    assert message.text == (
        "<b>Пекарня «Колос»: требует внимания</b>\n\n"
        f"• bakery-vk: нет данных после 31 марта 2026{NNBSP}г.\n"
        f"• визиты на сайт: нет данных после 31 марта 2026{NNBSP}г.\n"
        '<a href="https://reports.rost.example/clients/bakery">Страница клиента:</a>'
    )


def test_a_failed_alert_is_retried_by_the_next_run_then_after_a_wait(
    agency: Path, sink: MailSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_settings(monkeypatch, display__lang="ru")
    alert(agency, "bakery", "--to", "email:ira@agency.ru", "--when", "off_track,at_risk")
    sink.refusals = ["451 4.3.0 Try again later"]
    code, rows = deliver(agency, "--due", "--now", "2026-03-20T07:00:00Z")
    assert code == 1
    assert [(r["subject"], r["status"], r["attempts"]) for r in rows] == [
        ("kpi:2026-03:err", "failed", 1)
    ]
    sink.refusals = ["451 4.3.0 Try again later"]
    code, rows = deliver(agency, "--due", "--now", "2026-03-20T07:10:00Z")
    assert [(r["status"], r["attempts"]) for r in rows] == [("failed", 2)]  # the next run
    code, rows = deliver(agency, "--due", "--now", "2026-03-20T07:30:00Z")
    assert (code, rows) == (0, [])  # then 30 minutes to wait
    code, rows = deliver(agency, "--due", "--now", "2026-03-20T07:41:00Z")
    assert told(rows) == [("kpi:2026-03:err", "email:ira@agency.ru", "sent", ERR_OFF_TRACK)]
    assert rows[0]["attempts"] == 3
    assert len(sink.received) == 1


def test_wrong_alerts_are_refused_with_the_reason(agency: Path) -> None:
    cases = {
        ("--to", "email:a@b.ru"): "Name one client, or give --all for every client.",
        ("bakery", "--all", "--to", "email:a@b.ru"):
            "Name one client, or give --all for every client.",
        ("bakery", "--to", "email:a@b.ru", "--when", "late"):
            "--when 'late': choose among off_track, at_risk, stale, sync_failed (comma-separated).",
        ("ghost", "--to", "email:a@b.ru"): "ghost",
    }  # fmt: skip
    for args, message in cases.items():
        code, output = smmkpi(agency, "alert", "add", *args)
        assert code == 1 and message in output, output
    alert(agency, "bakery", "--to", "email:a@b.ru")
    code, output = smmkpi(agency, "alert", "remove", "bakery-alerts")
    assert (code, output) == (0, "Removed the alert bakery-alerts; what it sent stays in the log.")
    code, output = smmkpi(agency, "alert", "remove", "bakery-alerts")
    assert (code, output) == (
        1,
        "Error: There is no alert bakery-alerts (see `smmkpi alert list`).",
    )
