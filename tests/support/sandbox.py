"""The project's sandbox as the tests' fake platforms. VK: the ``coffeelab`` community of
``tests/data/vk`` (its recorded answers), readable with ``admin-token``; ``member-token`` is a
member's (refused the statistics); any other token is expired or revoked (error 5). Metrica: the
counter of ``tests/data/metrica/api_utm.json``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from smmkpi.sandbox.metrica import Counter, MetricaPlatform
from smmkpi.sandbox.server import Sandbox, serving
from smmkpi.sandbox.vk import Community, VkPlatform

VK_DATA = Path(__file__).parent.parent / "data" / "vk" / "coffeelab"
GROUP_ID = 21890451


@contextmanager
def vk_sandbox(
    monkeypatch: pytest.MonkeyPatch,
    communities: list[Community] | None = None,
    *,
    rate_per_second: int = 3,
) -> Iterator[tuple[Sandbox, VkPlatform]]:
    """Serve VK on loopback and point ``sync.vk.base_url`` at it; quick retries."""
    sandbox = Sandbox()
    found = communities or [Community.from_folder(VK_DATA)]
    vk = VkPlatform(
        sandbox,
        found,
        {"admin-token": {c.group_id for c in found}, "member-token": set()},
        rate_per_second=rate_per_second,
        timeout_delay=1.0,
    )
    sandbox.platforms.append(vk)
    with serving(sandbox):
        monkeypatch.setenv("SMMKPI__SYNC__VK__BASE_URL", sandbox.url)
        monkeypatch.setenv("SMMKPI__SYNC__BACKOFF_SECONDS", "0.01")
        monkeypatch.setenv("SMMKPI__SYNC__TIMEOUT_SECONDS", "0.5")
        monkeypatch.setenv("SMMKPI_SECRET_KEY", "a long random text the team shares")
        yield sandbox, vk


METRICA_DATA = Path(__file__).parent.parent / "data" / "metrica" / "api_utm.json"
COUNTER_ID = 98765432


@contextmanager
def metrica_sandbox(
    monkeypatch: pytest.MonkeyPatch, *, max_limit: int = 100_000
) -> Iterator[tuple[Sandbox, MetricaPlatform]]:
    """Serve Metrica on loopback with the counter of ``tests/data/metrica/api_utm.json``,
    readable with ``metrica-token`` (``other-token`` may read no counter)."""
    sandbox = Sandbox()
    counter = Counter.from_response(METRICA_DATA, "Кофелаб", "coffeelab.ru")
    metrica = MetricaPlatform(
        sandbox,
        [counter],
        {"metrica-token": {COUNTER_ID}, "other-token": set()},
        max_limit=max_limit,
        timeout_delay=1.0,
    )
    sandbox.platforms.append(metrica)
    with serving(sandbox):
        monkeypatch.setenv("SMMKPI__SYNC__METRICA__BASE_URL", sandbox.url)
        monkeypatch.setenv("SMMKPI__SYNC__BACKOFF_SECONDS", "0.01")
        monkeypatch.setenv("SMMKPI__SYNC__TIMEOUT_SECONDS", "0.5")
        monkeypatch.setenv("SMMKPI_SECRET_KEY", "a long random text the team shares")
        yield sandbox, metrica
