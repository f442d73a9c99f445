"""The report as PDF: WeasyPrint renders the report's HTML (A4, DejaVu fonts for Cyrillic, page
numbers, charts as vector SVG). Everything the report shows is embedded in it (stylesheet,
SVG charts, the logo as a ``data:`` URI), so its URL fetcher refuses every URL but ``data:`` —
``http:``, ``https:``, ``file:`` and redirects alike — and a post's text or a logo setting can
never make the renderer read a local file or call a server."""

from __future__ import annotations

from typing import Any

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from smmkpi.report.html import render_html
from smmkpi.report.model import Report


class EmbeddedOnly(URLFetcher):  # type: ignore[misc]
    """A URL fetcher that decodes ``data:`` URIs and refuses anything else (and records it)."""

    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols={"data"}, allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if not url.lower().startswith("data:"):
            self.refused.append(url)
            raise ValueError(f"smmkpi reports load nothing from outside the report: {url[:200]}")
        return super().fetch(url, headers)


def render_pdf(
    report: Report, html: str | None = None, fetcher: EmbeddedOnly | None = None
) -> bytes:
    """The report's PDF, from ``html`` when already rendered."""
    document = HTML(
        string=html if html is not None else render_html(report),
        url_fetcher=fetcher or EmbeddedOnly(),
        base_url=None,
    )
    pdf: bytes = document.write_pdf()
    return pdf
