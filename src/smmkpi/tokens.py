"""Unguessable tokens (share links, sessions, CSRF, API tokens) and the hash kept in their
place: a stored token could be used by whoever reads the database, its SHA-256 cannot."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits


def new_token() -> str:
    """A random URL-safe token of 256 bits."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
