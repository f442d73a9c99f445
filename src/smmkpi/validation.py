"""Pydantic's validation errors said the way every smmkpi error is: where, and what is wrong."""

from __future__ import annotations

from pydantic import ValidationError


def problems(error: ValidationError, what: str) -> str:
    """``field.sub: message; …`` for each problem of ``error`` (``what`` names the whole)."""
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or what}: {e['msg']}" for e in error.errors()
    )
