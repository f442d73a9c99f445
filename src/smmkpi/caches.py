"""Where smmkpi keeps what it can rebuild: the user's cache folder (``~/.cache/smmkpi`` on Linux,
``~/Library/Caches/smmkpi`` on macOS, ``%LOCALAPPDATA%`` on Windows; ``SMMKPI_CACHE_DIR``
overrides it)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    explicit = os.environ.get("SMMKPI_CACHE_DIR")
    if explicit:
        return Path(explicit)
    import platformdirs

    return platformdirs.user_cache_path("smmkpi", appauthor=False)
