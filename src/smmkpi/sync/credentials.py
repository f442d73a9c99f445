"""Credentials at rest: tokens, sessions and webhook URLs encrypted with Fernet (authenticated
encryption) under a key derived from the workspace's secret key.

The key is ``SMMKPI_SECRET_KEY`` when set, else the workspace's ``secret.key`` (mode 0600) — but
a PostgreSQL workspace requires the variable, so every machine of a team reads the same
connections. A credential is never printed, logged or stored in plain text; a wrong key says so
without showing anything of the credential.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.secret_key import ENV_VARIABLE, secret_key


class CredentialBox:
    """Encrypts and decrypts the credentials of one workspace."""

    def __init__(self, key: bytes) -> None:
        digest = hashlib.sha256(b"smmkpi credentials\0" + key).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise UserError(
                _(
                    "A stored credential cannot be decrypted with this workspace's secret key "
                    "({variable} or secret.key): the key changed. Set the key it was saved with, "
                    "or connect the source again."
                ).format(variable=ENV_VARIABLE)
            ) from None


def credential_box(folder: Path, on_postgresql: bool) -> CredentialBox:
    """The workspace's box; a PostgreSQL workspace needs ``SMMKPI_SECRET_KEY``."""
    if on_postgresql and not os.environ.get(ENV_VARIABLE, "").strip():
        raise UserError(
            _(
                "A workspace in PostgreSQL keeps its connections' credentials under the key in "
                "{variable}, so that every machine of the team can read them: set it (any long "
                "random text, the same everywhere) and try again."
            ).format(variable=ENV_VARIABLE)
        )
    return CredentialBox(secret_key(folder))
