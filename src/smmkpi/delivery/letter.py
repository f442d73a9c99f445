"""What a delivered report says around its files (``shared/spec/sync-and-delivery.md`` §3), in
the report's language: a subject naming client and month; a short body with the headline KPIs
(the plan's main ones) against the plan, the summary's first sentences and what the specialist
wrote; the same as a Telegram message; and the JSON a webhook receives. Built from the composed
report, so every door says the same numbers as the report itself."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from smmkpi.formatting import format_month, format_value
from smmkpi.i18n import _, use_language
from smmkpi.planning.status import status_text
from smmkpi.report.model import Commentary, Report, ScoreRow
from smmkpi.report.narrative import percent
from smmkpi.report.render import MEDIA_TYPES

HEADLINE_ROWS = 6
SUMMARY_SENTENCES = 2


@dataclass(frozen=True)
class Attachment:
    name: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Letter:
    """A report's delivery: the words (in the report's language) and the files."""

    subject: str
    text: str
    html: str
    telegram: str  # Telegram's HTML subset, ≤ 4 096 characters
    files: tuple[Attachment, ...]
    links: dict[str, str]  # format → share link, for the files too large to travel


def attachments(report: Report, outputs: dict[str, bytes]) -> tuple[Attachment, ...]:
    """The rendered files, named ``<client>-<YYYY-MM>-<lang>.<ext>``."""
    return tuple(
        Attachment(f"{report.file_stem}.{kind}", MEDIA_TYPES[kind], data)
        for kind, data in outputs.items()
    )


def headline(report: Report) -> list[ScoreRow]:
    """The KPIs a message names: the plan's main ones, else the first of the scorecard — those
    with a fact or a target."""
    known = [r for r in report.scorecard if r.fact is not None or r.target is not None]
    main = [r for r in known if r.role == "main"]
    return (main or known)[:HEADLINE_ROWS]


def _line(row: ScoreRow, report: Report) -> str:
    language = report.language
    fact = format_value(row.fact, row.kpi.unit.value, language, report.currency)
    if row.target is None:
        return f"{row.kpi.label()}: {fact}"
    target = format_value(row.target, row.kpi.unit.value, language, report.currency)
    done = "" if row.attainment is None else f", {percent(row.attainment, language)}"
    return _("{kpi}: {fact} against a target of {target}{attainment} — {status}").format(
        kpi=row.kpi.label(),
        fact=fact,
        target=target,
        attainment=done,
        status=status_text(row.shown_status),
    )


STATUS_COLOURS = {
    "achieved": "#2e7d4f",
    "within_tolerance": "#2e7d4f",
    "on_track": "#2e7d4f",
    "at_risk": "#b26a00",
    "off_track": "#b3261e",
}
CELL = 'style="padding:4px 10px 4px 0;border-bottom:1px solid #e5e5e5;{extra}"'


def _table(report: Report) -> str:
    """The headline KPIs as an HTML table (inline styles: mail programs drop style sheets):
    KPI, fact, target, attainment, status in its colour. In the current language."""
    language, currency = report.language, report.currency

    def cell(text: str, extra: str = "", tag: str = "td") -> str:
        return f"<{tag} {CELL.format(extra=extra)}>{html.escape(text)}</{tag}>"

    right = "text-align:right;white-space:nowrap"
    head = "".join(
        cell(t, "text-align:left;color:#555;font-weight:normal", "th")
        for t in (_("KPI"), _("fact"), _("target"), "%", _("status"))
    )
    rows = []
    for row in headline(report):
        unit = row.kpi.unit.value
        done = "" if row.attainment is None else percent(row.attainment, language)
        status = row.shown_status
        colour = STATUS_COLOURS.get(status, "#555")
        rows.append(
            "<tr>"
            + cell(row.kpi.label())
            + cell(format_value(row.fact, unit, language, currency), right)
            + cell(format_value(row.target, unit, language, currency), right)
            + cell(done, right)
            + cell(status_text(status), f"color:{colour};font-weight:bold")
            + "</tr>"
        )
    return (
        '<table style="border-collapse:collapse;font-size:14px">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def compose_letter(
    report: Report, files: tuple[Attachment, ...], links: dict[str, str] | None = None
) -> Letter:
    """The words around ``files`` and ``links`` (share links to the files too large to
    travel)."""
    links = links or {}
    with use_language(report.language):
        month = format_month(report.period.start, report.language)
        name = report.client.name
        subject = _("{client}: the report for {month}").format(client=name, month=month)
        lines = [_line(row, report) for row in headline(report)]
        table = _table(report)
        # the plan overall and the best against it; without a plan the summary speaks to the
        # specialist (how to make one), not to the client
        summary = report.narrative[:SUMMARY_SENTENCES] if report.plan_id else []
        carried = ""
        if files:
            carried = _("The report is attached: {files}.").format(
                files=", ".join(f.name for f in files)
            )
        if links:
            carried = (carried + " " if carried else "") + _(
                "Files too large to attach are at these links:"
            )
        intro = _("Here is {client}'s promotion report for {month}.").format(
            client=name, month=month
        )
        words = {
            "greeting": _("Hello!"),
            "intro": intro,
            "carried": carried,
            "headline": _("Main KPIs against the plan:"),
            "conclusions": _("Conclusions"),
            "next_month": _("Plans for next month"),
            "sign": _("Kind regards,"),
        }
    content = _Content(
        words, lines, table, summary, report.commentary, links,
        [s for s in (report.branding.specialist, report.branding.agency) if s],
    )  # fmt: skip
    text = _text(content)
    page = _html(content, report.branding.primary, report.language)
    telegram = _telegram(subject, lines, summary, links)
    return Letter(subject, text, page, telegram, files, links)


@dataclass(frozen=True)
class _Content:
    """What the plain-text and the HTML body both say."""

    words: dict[str, str]
    lines: list[str]
    table: str  # the same KPIs as an HTML table
    summary: list[str]
    commentary: Commentary
    links: dict[str, str]
    signature: list[str]


def _text(content: _Content) -> str:
    words, lines, summary, links = content.words, content.lines, content.summary, content.links
    parts = [words["greeting"], "", words["intro"]]
    if words["carried"]:
        parts += [words["carried"]]
    parts += [f"  {kind.upper()}: {url}" for kind, url in links.items()]
    if lines:
        parts += ["", words["headline"], *(f"• {line}" for line in lines)]
    if summary:
        parts += ["", *summary]
    commentary = content.commentary
    if commentary.conclusions.strip():
        parts += ["", words["conclusions"] + ":", commentary.conclusions.strip()]
    if commentary.next_month.strip():
        parts += ["", words["next_month"] + ":", commentary.next_month.strip()]
    if content.signature:
        parts += ["", words["sign"], *content.signature]
    return "\n".join(parts) + "\n"


def _paragraphs(text: str) -> str:
    return "".join(
        f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in text.strip().split("\n\n")
    )


def _html(content: _Content, colour: str, language: str) -> str:
    words, lines, summary, links = content.words, content.lines, content.summary, content.links
    parts = [
        f"<p>{html.escape(words['greeting'])}</p>",
        f"<p>{html.escape(words['intro'])} {html.escape(words['carried'])}</p>",
    ]
    if links:
        parts.append(
            "<ul>"
            + "".join(
                f'<li><a href="{html.escape(url)}">{kind.upper()}</a></li>'
                for kind, url in links.items()
            )
            + "</ul>"
        )
    if lines:
        parts.append(f'<h3 style="color:{colour}">{html.escape(words["headline"])}</h3>')
        parts.append(content.table)
    parts += [f"<p>{html.escape(s)}</p>" for s in summary]
    commentary = content.commentary
    for key, body in (
        ("conclusions", commentary.conclusions),
        ("next_month", commentary.next_month),
    ):
        if body.strip():
            parts.append(f'<h3 style="color:{colour}">{html.escape(words[key])}</h3>')
            parts.append(_paragraphs(body))
    if content.signature:
        parts.append(
            f"<p>{html.escape(words['sign'])}<br>"
            + "<br>".join(html.escape(s) for s in content.signature)
            + "</p>"
        )
    body = "\n".join(parts)
    return (
        f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{html.escape(words['intro'])}</title></head>"
        '<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;'
        f'color:#222;max-width:640px">\n{body}\n</body></html>\n'
    )


def _telegram(subject: str, lines: list[str], summary: list[str], links: dict[str, str]) -> str:
    parts = [f"<b>{html.escape(subject)}</b>", ""]
    parts += [f"• {html.escape(line)}" for line in lines]
    if summary:
        parts += ["", *(html.escape(s) for s in summary)]
    parts += [f'<a href="{html.escape(url)}">{kind.upper()}</a>' for kind, url in links.items()]
    text = "\n".join(parts)
    return text if len(text) <= 4096 else text[:4090] + "…"


def webhook_payload(report: Report, links: dict[str, str], sent_at: str) -> dict[str, Any]:
    """What a webhook receives: client, month, the scorecard (raw numbers, the statuses as
    codes) and links to the files."""
    with use_language(report.language):
        rows = [
            {
                "kpi": row.kpi.id,
                "label": row.kpi.label(),
                "role": row.role,
                "unit": row.kpi.unit.value,
                "target": _number(row.target),
                "fact": _number(row.fact),
                "attainment": _number(row.attainment),
                "status": row.shown_status,
                "previous": _number(row.previous),
            }
            for row in report.scorecard
        ]
    return {
        "event": "report",
        "client": {"id": report.client.client_id, "name": report.client.name},
        "month": report.period.label(),
        "language": report.language,
        "currency": report.currency,
        "scorecard": rows,
        "links": links,
        "sent_at": sent_at,
    }


def _number(value: Any) -> float | None:
    """A value for JSON: the float, without the last bits of binary noise (6 decimals)."""
    return None if value is None else round(float(value), 6)
