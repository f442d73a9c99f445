"""VK's API for a connection: calls with a community admin's user token, errors read as the
connection statuses of the contract (``shared/reference/platform-apis.md``: VK).

Requests go to ``{base_url}/method/<name>`` as form posts, so the token never sits in a URL
(nor, then, in an error that quotes one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from smmkpi.i18n import _

NEEDS_REAUTH = frozenset({5})  # user authorization failed: expired or revoked
PERMISSION_DENIED = frozenset({7, 15, 27, 28, 200, 203})
RATE_LIMITED = frozenset({6, 9, 10, 29})


class VkError(Exception):
    """An error answer of VK's API: its code, message and the connection status it means."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"VK error {code}: {message}")
        self.code = code
        self.message = message

    @property
    def status(self) -> str:
        if self.code in NEEDS_REAUTH:
            return "needs_reauth"
        if self.code in PERMISSION_DENIED:
            return "permission_denied"
        if self.code in RATE_LIMITED:
            return "rate_limited"
        return "failing"


class VkUnreachableError(Exception):
    """VK could not be reached, or answered something that is not its API's JSON."""


@dataclass
class VkApi:
    token: str = field(repr=False)  # never shown, not even in a traceback's repr
    base_url: str
    version: str
    client: httpx.Client

    def call(self, method: str, **params: Any) -> Any:
        """``response`` of ``method``; :class:`VkError` for an error answer."""
        try:
            answer = self.client.post(
                f"{self.base_url.rstrip('/')}/method/{method}",
                data={**{k: str(v) for k, v in params.items()}, "v": self.version,
                      "access_token": self.token},
            )  # fmt: skip
            body = answer.json()
        except (httpx.HTTPError, ValueError) as error:
            raise VkUnreachableError(
                _("VK did not answer {method} ({error}).").format(
                    method=method, error=type(error).__name__
                )
            ) from None
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            raise VkError(
                int(body["error"].get("error_code", 0)), str(body["error"].get("error_msg", ""))
            )
        if not isinstance(body, dict) or "response" not in body:
            raise VkUnreachableError(
                _("VK answered {method} with something that is not its API's JSON.").format(
                    method=method
                )
            )
        return body["response"]


@dataclass(frozen=True)
class Community:
    """What a connection can read, as ``connect`` says it."""

    group_id: int
    screen_name: str
    name: str
    members: int | None
    stats: bool


def group_ref(handle: str) -> str:
    """What ``groups.getById`` takes for an account's handle: ``club123``, ``public123``,
    ``vk.com/name`` or ``@name`` → ``123`` or ``name``."""
    text = handle.strip().lstrip("@").removeprefix("https://").removeprefix("vk.com/")
    for prefix in ("club", "public"):
        rest = text.removeprefix(prefix)
        if rest != text and rest.isdigit():
            return rest
    return text


def check(api: VkApi, handle: str) -> Community:
    """The community behind ``handle`` (club123, public123, a screen name or an id) with one
    cheap call, and whether the token may read its statistics (a second, one-day call)."""
    group = group_ref(handle)
    found = api.call("groups.getById", group_id=group, fields="members_count")
    groups = found.get("groups") if isinstance(found, dict) else found
    if not groups:
        raise VkError(100, "no such community")
    first = groups[0]
    try:
        api.call("stats.get", group_id=first["id"], interval="day", intervals_count=1)
        stats = True
    except VkError as error:
        if error.status != "permission_denied":
            raise
        stats = False
    return Community(
        int(first["id"]),
        str(first.get("screen_name") or f"club{first['id']}"),
        str(first.get("name") or ""),
        first.get("members_count"),
        stats,
    )
