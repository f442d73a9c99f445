"""Why a sync of a connection failed, as the connection statuses of the contract
(``shared/spec/sync-and-delivery.md`` §1): ``needs_reauth``, ``permission_denied``,
``rate_limited`` or ``failing``. Each error is a sentence for people that never holds the
credential."""

from __future__ import annotations


class SyncError(Exception):
    """A sync that cannot go on. ``transient``: worth retrying (a rate-limit answer, a server
    error, a timeout); ``retry_after``: the seconds the platform asked to wait, when it said."""

    status = "failing"

    def __init__(
        self, message: str, *, transient: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after


class CredentialRefusedError(SyncError):
    """Expired or revoked: a person must connect again."""

    status = "needs_reauth"


class PermissionDeniedError(SyncError):
    """The credential is valid but may not read this (not an admin, a scope missing)."""

    status = "permission_denied"


class RateLimitedError(SyncError):
    """The platform's limits: retried with backoff; ``rate_limited`` when retries ran out."""

    status = "rate_limited"


class ShapeChangedError(SyncError):
    """The platform answered in a shape smmkpi does not know (a field missing or retyped):
    nothing is imported until smmkpi reads the new shape."""


class UnreachableError(SyncError):
    """No answer, an HTTP error, or something that is not the API's JSON."""
