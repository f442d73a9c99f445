"""A JSON API over HTTP for a connection: every request within the credential's rate, retried
while the answer is transient, and the answer's HTTP status read as the contract's connection
statuses — 401 ``needs_reauth``, 403 ``permission_denied``, 429 (and Yandex's 420)
``rate_limited`` (retried, honouring ``Retry-After``), 5xx and timeouts retried and then
``failing``. The credential travels in a header, never in a URL, so no error can quote it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from smmkpi.i18n import _
from smmkpi.sync.errors import (
    CredentialRefusedError,
    PermissionDeniedError,
    RateLimitedError,
    SyncError,
    UnreachableError,
)
from smmkpi.sync.retry import with_retries
from smmkpi.sync.throttle import RateLimiter


@dataclass
class JsonApi:
    platform: str
    """The platform's name in messages (``Yandex Metrica``)."""
    base_url: str = field(repr=False)  # a Bitrix24 webhook's address holds its secret
    headers: dict[str, str] = field(repr=False)  # they hold the credential: never shown
    client: httpx.Client
    limiter: RateLimiter | None = None
    attempts: int = 1
    backoff: float = 1.0
    reason: Callable[[Any], str | None] = lambda _body: None
    """The platform's own words for an error answer's body."""
    rate_limit_codes: frozenset[str] = frozenset()
    """Error codes (``reason``'s first word) that mean a rate limit whatever the HTTP status
    (Bitrix24's ``QUERY_LIMIT_EXCEEDED`` comes with 503)."""
    judge: Callable[[httpx.Response, Any, str], SyncError | None] | None = None
    """The platform's own reading of an error answer (Meta's codes come with HTTP 400), given
    the answer, its body and the sentence for people; None: read by the HTTP status."""
    on_request: Callable[[], None] | None = None
    requests: int = 0

    def get(self, path: str, **params: Any) -> Any:
        """The JSON of ``GET {base_url}/{path}``."""
        return with_retries(
            lambda: self._once("GET", path, params), attempts=self.attempts, backoff=self.backoff
        )

    def post(self, path: str, body: Any = None, form: dict[str, str] | None = None) -> Any:
        """The JSON of ``POST {base_url}/{path}`` with a JSON ``body`` or a ``form``."""
        return with_retries(
            lambda: self._once("POST", path, {}, body, form),
            attempts=self.attempts,
            backoff=self.backoff,
        )

    def _once(
        self,
        verb: str,
        path: str,
        params: dict[str, Any],
        body: Any = None,
        form: dict[str, str] | None = None,
    ) -> Any:
        slot = self.limiter.wait() if self.limiter is not None else None
        self.requests += 1
        url = f"{self.base_url.rstrip('/')}/{path.lstrip('/')}" if path else self.base_url
        try:
            answer = self.client.request(
                verb, url, params={k: str(v) for k, v in params.items()}, headers=self.headers,
                json=body, data=form,
            )  # fmt: skip
        except httpx.TimeoutException:
            raise UnreachableError(
                _("{platform} did not answer {path} in time.").format(
                    platform=self.platform, path=path
                ),
                transient=True,
            ) from None
        except httpx.HTTPError as error:
            raise UnreachableError(
                _("{platform} could not be reached for {path} ({error}).").format(
                    platform=self.platform, path=path, error=type(error).__name__
                ),
                transient=True,
            ) from None
        finally:
            if slot is not None and self.limiter is not None:
                self.limiter.done(slot)
            if self.on_request is not None:
                self.on_request()
        try:
            found = answer.json()
        except ValueError:
            found = None
        if answer.status_code >= 400:
            raise self._refused(answer, found, path)
        if answer.status_code == 204:  # no content: past the last page
            return None
        if found is None:
            raise UnreachableError(
                _("{platform} answered {path} with something that is not JSON.").format(
                    platform=self.platform, path=path
                )
            )
        return found

    def _refused(self, answer: httpx.Response, body: Any, path: str) -> SyncError:
        status = answer.status_code
        why = self.reason(body) or answer.reason_phrase
        text = _("{platform} answered {path} with HTTP {status}: {reason}").format(
            platform=self.platform, path=path, status=status, reason=why
        )
        if self.judge is not None and (judged := self.judge(answer, body, text)) is not None:
            return judged
        retry_after = _seconds(answer.headers.get("Retry-After"))
        if why.split(":")[0] in self.rate_limit_codes:
            return RateLimitedError(text, transient=True, retry_after=retry_after)
        if status == 401:
            return CredentialRefusedError(text)
        if status == 403:
            return PermissionDeniedError(text)
        if status in (420, 429):
            return RateLimitedError(text, transient=True, retry_after=retry_after)
        if status >= 500:
            return UnreachableError(text, transient=True, retry_after=retry_after)
        return SyncError(text)


def _seconds(header: str | None) -> float | None:
    try:
        return float(header) if header else None
    except ValueError:
        return None
