"""Where compiled KPI queries are kept: the system's cache folder (platformdirs), or
SMMKPI_CACHE_DIR."""

from __future__ import annotations

from pathlib import Path

import pytest

from smmkpi.metrics import plan_cache


def test_the_cache_is_in_the_users_cache_folder_unless_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SMMKPI_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # Linux: the XDG base folder
    assert plan_cache.folder() == tmp_path / "xdg" / "smmkpi" / "plans"
    monkeypatch.setenv("SMMKPI_CACHE_DIR", str(tmp_path / "mine"))
    assert plan_cache.folder() == tmp_path / "mine" / "plans"
