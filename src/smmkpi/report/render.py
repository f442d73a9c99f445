"""Render a client's monthly report into files: the model is built once, the charts drawn
once, and each format written to a temporary name and then moved into place, so a failed
render leaves no half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from smmkpi.i18n import Language
from smmkpi.metrics.periods import Period
from smmkpi.report.build import branding, compose, gather
from smmkpi.report.html import draw_charts, render_html
from smmkpi.report.model import Report
from smmkpi.report.pdf import render_pdf
from smmkpi.report.xlsx import render_xlsx
from smmkpi.settings import REPORT_FORMATS
from smmkpi.store.database import Store
from smmkpi.workspace import Workspace

FORMATS = REPORT_FORMATS


@dataclass(frozen=True)
class Rendered:
    """The files of one client's report in one language."""

    client_id: str
    language: Language
    files: tuple[Path, ...]


def report_folder(workspace: Workspace, month: Period, out: Path | None) -> Path:
    """``--out`` when given, else the workspace's reports folder for the month."""
    if out is not None:
        return out
    return workspace.path / workspace.settings.report.folder / month.label()


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


def compose_all(
    workspace: Workspace,
    store: Store,
    client_id: str,
    month: Period,
    languages: Sequence[Language],
    today: date,
    edition: str = "internal",
) -> list[Report]:
    """``client_id``'s report for ``month`` in each language, the store read once for all
    (``edition``: ``client`` or ``internal``)."""
    settings = workspace.settings
    brand = branding(settings.report, settings.workspace.name, workspace.path)
    data = gather(
        store,
        client_id,
        month,
        settings.report,
        today,
        workspace.social_rules(),
        settings.planning.tolerance,
    )
    return [compose(data, language, brand, settings.report, edition) for language in languages]


def report_bytes(report: Report, formats: Sequence[str]) -> dict[str, bytes]:
    """``report`` in each of ``formats`` (the charts drawn once for HTML and PDF)."""
    outputs: dict[str, bytes] = {}
    html: str | None = None
    if "html" in formats or "pdf" in formats:
        html = render_html(report, draw_charts(report))
    for kind in formats:
        if kind == "html":
            assert html is not None
            outputs[kind] = html.encode("utf-8")
        elif kind == "pdf":
            outputs[kind] = render_pdf(report, html)
        elif kind == "xlsx":
            outputs[kind] = render_xlsx(report)
    return outputs


def render_files(report: Report, formats: Sequence[str], folder: Path) -> tuple[Path, ...]:
    """Write ``report`` in ``formats`` into ``folder``; every format is rendered before any
    file is written."""
    paths = []
    for kind, data in report_bytes(report, formats).items():
        path = folder / f"{report.file_stem}.{kind}"
        write_atomically(path, data)
        paths.append(path)
    return tuple(paths)


def render_client(
    workspace: Workspace,
    client_id: str,
    month: Period,
    languages: Sequence[Language],
    formats: Sequence[str],
    folder: Path,
    today: date,
    edition: str = "client",
) -> list[Rendered]:
    """Build and render ``client_id``'s report for ``month`` in every language (the store is
    read once for all of them), in ``edition``."""
    with workspace.open_store(read_only=True) as store:
        reports = compose_all(workspace, store, client_id, month, languages, today, edition)
    return [
        Rendered(client_id, report.language, render_files(report, formats, folder))
        for report in reports
    ]
