"""Uploading export files into the importers: each file is kept under a generated folder of
the client (``uploads/CLIENT/DAY/BATCH/NAME``, the name cleaned, the size limited), then either
checked first — what it was recognised as and its first rows, nothing written — or imported
whole or not at all, with a located error for what was refused."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.ingest.context import ImportContext
from smmkpi.ingest.registry import IMPORTERS_BY_NAME
from smmkpi.ingest.service import import_paths, plan
from smmkpi.ingest.sheets import preview_rows
from smmkpi.ingest.summary import outcome_text
from smmkpi.web.auth import new_token
from smmkpi.web.client_page import client_page
from smmkpi.web.site import Editor, Signed, Site

MAX_FILES = 20
CHUNK = 1 << 20


@dataclass(frozen=True)
class Kept:
    """An uploaded file: its name on the user's computer, where it was kept (None when it
    was refused, with the reason)."""

    name: str
    path: Path | None
    error: str | None = None


@dataclass(frozen=True)
class Uploaded:
    """What came of one uploaded file."""

    name: str  # as the user's computer called it
    importer: str | None
    ok: bool
    text: str  # what was imported, or the error with its rows and columns
    warnings: tuple[str, ...] = ()


class Uploads:
    """Keeping, checking and importing a client's uploaded files (the pages' and the API's)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.workspace = site.workspace

    def folder_of(self, client_id: str) -> Path:
        return self.workspace.path / "uploads" / safe_name(client_id)

    def batch_folder(self, client_id: str, batch: str) -> Path | None:
        """The folder of one of ``client_id``'s upload batches; None for anything else."""
        if not re.fullmatch(r"[A-Za-z0-9_-]{16}", batch):
            return None
        found = [p for p in self.folder_of(client_id).glob(f"*/{batch}") if p.is_dir()]
        return found[0] if len(found) == 1 else None

    async def keep(self, client_id: str, files: list[UploadFile]) -> tuple[str, list[Kept]]:
        """Write the uploaded files (at most MAX_FILES, each within the size limit) into a
        new batch folder; the batch and each file's fate."""
        limit = self.workspace.settings.web.upload_limit_mb * 1024 * 1024
        batch = new_token()[:16]
        folder = self.folder_of(client_id) / datetime.now(UTC).strftime("%Y%m%d") / batch
        kept = []
        for item in [f for f in files if f.filename][:MAX_FILES]:
            name = safe_name(item.filename or "file")
            path = folder / name
            error = await store_upload(item, path, limit)
            kept.append(Kept(item.filename or name, None if error else path, error))
        return batch, kept

    def kept_batch(self, folder: Path) -> list[Kept]:
        return [Kept(path.name, path) for path in sorted(folder.iterdir()) if path.is_file()]

    async def receive(
        self, client_id: str, files: list[UploadFile], file_format: str
    ) -> list[Uploaded]:
        """Keep uploaded files and import each (the page's and the API's upload)."""
        _batch, kept = await self.keep(client_id, files)
        return await self.imported(client_id, kept, file_format)

    async def imported(self, client_id: str, kept: list[Kept], file_format: str) -> list[Uploaded]:
        """Import kept files (the format named, else recognised by content), then refresh the
        overview in the background when something changed."""
        chosen = file_format if file_format in IMPORTERS_BY_NAME else None
        results = await run_in_threadpool(self.import_kept, client_id, kept, chosen)
        if self.site.warm_overview and any(r.ok for r in results):
            self.site.warm()
        return results

    def import_kept(
        self, client_id: str, kept: list[Kept], file_format: str | None
    ) -> list[Uploaded]:
        """Import the kept files together, as ``smmkpi import`` does the files it is given: the
        files of one export (a ``wall.get`` with its reach, a CRM's pages) are one import."""
        settings = self.workspace.settings.import_
        context = ImportContext(
            client_id=client_id, profiles_folder=self.workspace.path / "profiles"
        )
        results = [Uploaded(i.name, None, False, i.error or "") for i in kept if i.path is None]
        by_path = {str(i.path): i for i in kept if i.path is not None}
        with self.site.db.store() as store:
            for report in import_paths(
                store,
                [i.path for i in kept if i.path is not None],
                context,
                file_format=file_format,
                max_errors=settings.max_errors,
                memory_limit=settings.memory_limit,
                crash_folder=self.workspace.path / "logs",
            ):
                items = [by_path[str(p)] for p in report.members if str(p) in by_path]
                name = ", ".join(i.name for i in items)
                importer = report.importer.name if report.importer else None
                if report.error is not None or report.outcome is None:
                    text = as_uploaded(str(report.error), items)
                    results.append(Uploaded(name, importer, False, text))
                else:
                    record = report.outcome.record
                    results.append(
                        Uploaded(
                            name,
                            record.format or importer,
                            True,
                            as_uploaded(outcome_text(report.outcome), items),
                            tuple(as_uploaded(w, items) for w in record.warnings),
                        )
                    )
        return results

    def previews(self, kept: list[Kept], file_format: str) -> list[dict[str, Any]]:
        """What each kept file was recognised as, and its first rows."""
        chosen = file_format if file_format in IMPORTERS_BY_NAME else None
        found = []
        for item in kept:
            entry: dict[str, Any] = {
                "name": item.name,
                "importer": None,
                "error": item.error,
                "rows": [],
            }
            if item.path is not None:
                for report in plan([item.path], chosen, None):
                    entry["importer"] = report.importer.name if report.importer else None
                    if report.error is not None:
                        entry["error"] = as_uploaded(str(report.error), [item])
                try:
                    entry["rows"] = preview_rows(item.path)
                except (UserError, OSError, ValueError) as problem:
                    entry["error"] = entry["error"] or str(problem)
            found.append(entry)
        return found


def uploads_router(site: Site, uploads: Uploads) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    async def imported_page(
        request: Request, who: Signed, client_id: str, kept: list[Kept], file_format: str
    ) -> Response:
        """Import kept files and show the client's page with what came of each."""
        results = await uploads.imported(client_id, kept, file_format)
        failed = any(not r.ok for r in results)
        return await run_in_threadpool(
            client_page, site, request, who, client_id, 422 if failed else 200, imports=results
        )

    @router.post("/clients/{client_id}/imports", response_model=None)
    async def upload(
        request: Request,
        client_id: str,
        who: Editor,
        files: Annotated[list[UploadFile] | None, File()] = None,
        file_format: str = Form("", alias="format"),
        action: str = Form("import"),
    ) -> Response:
        batch, kept = await uploads.keep(client_id, files or [])
        if action == "preview":
            previews = await run_in_threadpool(uploads.previews, kept, file_format)
            found = {"batch": batch, "format": file_format, "files": previews}
            return await run_in_threadpool(
                client_page, site, request, who, client_id, preview=found
            )
        return await imported_page(request, who, client_id, kept, file_format)

    @router.post("/clients/{client_id}/imports/confirm", response_model=None)
    async def upload_confirm(
        request: Request,
        client_id: str,
        who: Editor,
        batch: str = Form(""),
        file_format: str = Form("", alias="format"),
    ) -> Response:
        """Import the files of a checked batch (kept since the preview)."""
        folder = uploads.batch_folder(client_id, batch)
        if folder is None:
            return site.not_found(request, who)
        return await imported_page(request, who, client_id, uploads.kept_batch(folder), file_format)

    return router


def as_uploaded(text: str, items: list[Kept]) -> str:
    """An import's message with the kept files' paths and names said as the user's file
    names."""
    for item in items:
        assert item.path is not None
        text = text.replace(str(item.path), item.name).replace(item.path.name, item.name)
    return text


def safe_name(filename: str) -> str:
    """A file name that is only a name: no folders, no leading dots, safe characters."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = re.sub(r"[^\w.\- ]", "_", base).strip(" .") or "upload"
    return cleaned[-120:]


async def store_upload(item: UploadFile, path: Path, limit: int) -> str | None:
    """Write an uploaded file to ``path``, at most ``limit`` bytes; the error, if any."""
    path.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with path.open("wb") as stream:
        while chunk := await item.read(CHUNK):
            size += len(chunk)
            if size > limit:
                stream.close()
                path.unlink(missing_ok=True)
                return _("The file is larger than {mb} MB (web.upload_limit_mb).").format(
                    mb=limit // (1024 * 1024)
                )
            stream.write(chunk)
    return None
