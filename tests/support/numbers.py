"""Comparing computed numbers: a float computed twice may differ in its last bits (DuckDB sums
doubles in parallel, in whatever order its threads finish), so results computed separately are
compared with ``pytest.approx`` (relative 1e-6) at every float, and exactly elsewhere."""

from __future__ import annotations

from typing import Any

import pytest


def approx(found: Any) -> Any:
    """``found`` (dicts, lists, numbers) with every float to be compared approximately."""
    if isinstance(found, dict):
        return {k: approx(v) for k, v in found.items()}
    if isinstance(found, list | tuple):
        return type(found)(approx(v) for v in found)
    return pytest.approx(found) if isinstance(found, float) else found
