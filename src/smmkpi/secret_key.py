"""The workspace's secret key: what keyed hashes (and, later, encrypted credentials) rest on.

Taken from the environment variable ``SMMKPI_SECRET_KEY`` when it is set (every server of a
team on one PostgreSQL workspace then hashes alike), else from the key file ``secret.key`` in
the workspace folder, created with mode 0600 on first use. Never printed, logged or stored in
the database.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

ENV_VARIABLE = "SMMKPI_SECRET_KEY"
KEY_FILE = "secret.key"


def secret_key(folder: Path) -> bytes:
    """The workspace's key (see the module docstring)."""
    given = os.environ.get(ENV_VARIABLE, "").strip()
    if given:
        return given.encode("utf-8")
    path = folder / KEY_FILE
    if not path.exists():
        key = secrets.token_urlsafe(32)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return path.read_bytes().strip()
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(key + "\n")
    return path.read_bytes().strip()


def keyed_hash(key: bytes, value: str, purpose: str) -> str:
    """A hash of ``value`` that only the key's holder can recompute (HMAC-SHA-256, 16 hex
    digits): equal values stay recognisable in a log without the log holding them."""
    message = f"{purpose}\0{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:16]
