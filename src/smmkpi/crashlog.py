"""The crash log: the traceback of an unexpected error, kept in the workspace's ``logs/`` folder
(or the temporary folder when that cannot be written) under a name the user can quote."""

from __future__ import annotations

import os
import secrets
import traceback
from datetime import UTC, datetime
from pathlib import Path


def new_incident() -> str:
    """A short id a person can read out: it names the crash log of one unexpected error."""
    return secrets.token_hex(4)


def write_crash_log(folder: Path, error: BaseException, incident: str | None = None) -> Path:
    """Write ``error``'s traceback to ``folder/crash-<time>[-<incident>].log``; its path."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(os.environ.get("TMPDIR", "/tmp"))
    suffix = f"-{incident}" if incident else ""
    path = folder / f"crash-{datetime.now(UTC):%Y%m%dT%H%M%S}{suffix}.log"
    header = f"incident {incident}\n" if incident else ""
    path.write_text(header + "".join(traceback.format_exception(error)), encoding="utf-8")
    return path
