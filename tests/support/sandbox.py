"""The project's sandbox as the tests' fake platforms. VK: the ``coffeelab`` community of
``tests/data/vk`` (its recorded answers), readable with ``admin-token``; ``member-token`` is a
member's (refused the statistics); any other token is expired or revoked (error 5). Metrica: the
counter of ``tests/data/metrica/api_utm.json``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from smmkpi.sandbox.crm import AmoPlatform, BitrixPlatform, amo_leads
from smmkpi.sandbox.google import Ga4Platform, GoogleSignin, GoogleTokens, YouTubePlatform
from smmkpi.sandbox.meta import GraphObject, MetaPlatform, MetaSignin
from smmkpi.sandbox.metrica import Counter, MetricaPlatform
from smmkpi.sandbox.server import Sandbox, serving
from smmkpi.sandbox.tiktok import TikTokPlatform
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


AMO_DATA = Path(__file__).parent.parent / "data" / "amocrm" / "api"
BITRIX_DATA = Path(__file__).parent.parent / "data" / "bitrix24" / "rest"


@contextmanager
def crm_sandbox(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[Sandbox, AmoPlatform, BitrixPlatform]]:
    """amoCRM (``homedecor``, token ``amo-token``, pages of 2) and Bitrix24 (webhook
    ``/rest/1/abc123secret/`` with the crm scope, ``/rest/2/nocrm/`` without; pages of 2) from
    the recorded pages of ``tests/data``."""
    sandbox = Sandbox()
    amo = AmoPlatform(sandbox, "homedecor", amo_leads(AMO_DATA), {"amo-token"}, page_limit=2)
    bitrix = BitrixPlatform(
        sandbox,
        json.loads((BITRIX_DATA / "crm.lead.list.json").read_text(encoding="utf-8"))["result"],
        json.loads((BITRIX_DATA / "crm.deal.list.json").read_text(encoding="utf-8"))["result"],
        {"1/abc123secret": {"crm", "user"}, "2/nocrm": {"user"}},
        page=2,
    )
    sandbox.platforms += [amo, bitrix]
    with serving(sandbox):
        monkeypatch.setenv("SMMKPI__SYNC__AMOCRM__BASE_URL", sandbox.url)
        monkeypatch.setenv("SMMKPI__SYNC__BACKOFF_SECONDS", "0.01")
        monkeypatch.setenv("SMMKPI__SYNC__TIMEOUT_SECONDS", "0.5")
        monkeypatch.setenv("SMMKPI_SECRET_KEY", "a long random text the team shares")
        yield sandbox, amo, bitrix


META_DATA = Path(__file__).parent.parent / "data" / "meta"
IG_ID, PAGE_ID = "17841400123456789", "104328871000001"


@contextmanager
def meta_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Sandbox, MetaPlatform]]:
    """Meta's Graph API with the recorded Instagram account (insights and media) and Facebook
    Page (insights) of ``tests/data/meta``; ``meta-token`` reads both, ``page-only`` the Page."""
    sandbox = Sandbox()
    instagram = GraphObject.recorded(
        IG_ID, {"username": "coffeelab.msk", "name": "Кофелаб", "followers_count": 14020},
        META_DATA / "ig_insights.json", META_DATA / "ig_media.json",
    )  # fmt: skip
    page = GraphObject.recorded(
        PAGE_ID, {"name": "Кофелаб", "followers_count": 3100}, META_DATA / "fb_insights.json"
    )
    page.max_days = 90
    meta = MetaPlatform(
        sandbox, [instagram, page], {"meta-token": {IG_ID, PAGE_ID}, "page-only": {PAGE_ID}}
    )
    sandbox.platforms += [MetaSignin(sandbox, meta), meta]  # the dialog before the Graph API
    with serving(sandbox):
        monkeypatch.setenv("SMMKPI__SYNC__INSTAGRAM__BASE_URL", sandbox.url)
        monkeypatch.setenv("SMMKPI__SYNC__FACEBOOK__BASE_URL", sandbox.url)
        monkeypatch.setenv("SMMKPI__SYNC__META__APP_ID", "agency-meta-app")
        monkeypatch.setenv("SMMKPI__SYNC__META__AUTH_URL", f"{sandbox.url}/v23.0/dialog/oauth")
        monkeypatch.setenv("SMMKPI_META_APP_SECRET", "meta-secret")
        monkeypatch.setenv("SMMKPI__SYNC__BACKOFF_SECONDS", "0.01")
        monkeypatch.setenv("SMMKPI__SYNC__TIMEOUT_SECONDS", "0.5")
        monkeypatch.setenv("SMMKPI_SECRET_KEY", "a long random text the team shares")
        yield sandbox, meta


GA4_DATA = Path(__file__).parent.parent / "data" / "ga4" / "run_report.json"
GA4_PROPERTY = "345678901"


@contextmanager
def google_sandbox(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[Sandbox, GoogleTokens, Ga4Platform]]:
    """Google's token endpoint (refresh token ``google-refresh``, the app ``agency-app``) and
    GA4 with the property of ``tests/data/ga4/run_report.json``."""
    sandbox = Sandbox()
    tokens = GoogleTokens(sandbox, {"google-refresh"}, "agency-app")
    ga4 = Ga4Platform(sandbox, tokens, {GA4_PROPERTY: GA4_DATA})
    sandbox.platforms += [tokens, ga4, GoogleSignin(sandbox, tokens)]
    with serving(sandbox):
        monkeypatch.setenv("SMMKPI__SYNC__GOOGLE__TOKEN_URL", f"{sandbox.url}/token")
        monkeypatch.setenv("SMMKPI__SYNC__GOOGLE__AUTH_URL", f"{sandbox.url}/o/oauth2/v2/auth")
        monkeypatch.setenv("SMMKPI__SYNC__GOOGLE__CLIENT_ID", "agency-app")
        monkeypatch.setenv("SMMKPI_GOOGLE_CLIENT_SECRET", "app-secret")
        monkeypatch.setenv("SMMKPI__SYNC__GA4__BASE_URL", sandbox.url)
        monkeypatch.setenv("SMMKPI__SYNC__BACKOFF_SECONDS", "0.01")
        monkeypatch.setenv("SMMKPI_SECRET_KEY", "a long random text the team shares")
        yield sandbox, tokens, ga4


YOUTUBE_REPORT = Path(__file__).parent.parent / "data" / "youtube" / "reports_query_by_day.json"
YOUTUBE_VIDEOS = [
    {"id": f"vid{n:03d}", "publishedAt": f"2025-03-{n:02d}T15:00:00Z", "title": f"Видео {n}",
     "views": 1000 + n, "likes": 50 + n, "comments": n}
    for n in range(1, 31)
]  # fmt: skip


@contextmanager
def youtube_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Sandbox, YouTubePlatform]]:
    """Google's token endpoint and YouTube: the channel «Pacific Brew» with the day report of
    ``tests/data/youtube`` and 30 videos, one a day in March 2025 (``YOUTUBE_VIDEOS``)."""
    sandbox = Sandbox()
    tokens = GoogleTokens(sandbox, {"google-refresh"}, "agency-app")
    channel = {"kind": "youtube#channel", "id": "UCpacificbrew",
               "snippet": {"title": "Pacific Brew"}, "statistics": {"subscriberCount": "4210"},
               "contentDetails": {"relatedPlaylists": {"uploads": "UUpacificbrew"}}}  # fmt: skip
    youtube = YouTubePlatform(sandbox, tokens, channel, YOUTUBE_REPORT, YOUTUBE_VIDEOS)
    sandbox.platforms += [tokens, youtube]
    with serving(sandbox):
        monkeypatch.setenv("SMMKPI__SYNC__GOOGLE__TOKEN_URL", f"{sandbox.url}/token")
        monkeypatch.setenv("SMMKPI__SYNC__GOOGLE__CLIENT_ID", "agency-app")
        monkeypatch.setenv("SMMKPI_GOOGLE_CLIENT_SECRET", "app-secret")
        monkeypatch.setenv("SMMKPI__SYNC__YOUTUBE__BASE_URL", sandbox.url)
        monkeypatch.setenv("SMMKPI__SYNC__YOUTUBE__DATA_URL", f"{sandbox.url}/youtube/v3")
        monkeypatch.setenv("SMMKPI__SYNC__BACKOFF_SECONDS", "0.01")
        monkeypatch.setenv("SMMKPI_SECRET_KEY", "a long random text the team shares")
        yield sandbox, youtube


TIKTOK_VIDEOS = [
    {"id": f"73{n:017d}", "title": f"Видео {n}", "video_description": f"Видео {n} #кофе",
     "create_time": 1740787200 + n * 86_400 + 3600, "share_url": f"https://www.tiktok.com/@pacific/video/{n}",
     "view_count": 1000 * n, "like_count": 10 * n, "comment_count": n, "share_count": n // 2}
    for n in range(1, 26)
]  # fmt: skip


@contextmanager
def tiktok_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Sandbox, TikTokPlatform]]:
    """TikTok with the app ``agency-key`` and the first refresh token ``rft.first``; 25 videos,
    one a day from 2 March 2025 (``TIKTOK_VIDEOS``), 5 310 followers."""
    sandbox = Sandbox()
    tiktok = TikTokPlatform(
        sandbox, "agency-key", "rft.first",
        {"open_id": "user-1", "display_name": "Pacific Brew", "follower_count": 5310},
        TIKTOK_VIDEOS,
    )  # fmt: skip
    sandbox.platforms.append(tiktok)
    with serving(sandbox):
        monkeypatch.setenv("SMMKPI__SYNC__TIKTOK__BASE_URL", sandbox.url)
        monkeypatch.setenv("SMMKPI__SYNC__TIKTOK__CLIENT_KEY", "agency-key")
        monkeypatch.setenv("SMMKPI_TIKTOK_CLIENT_SECRET", "app-secret")
        monkeypatch.setenv("SMMKPI__SYNC__BACKOFF_SECONDS", "0.01")
        monkeypatch.setenv("SMMKPI_SECRET_KEY", "a long random text the team shares")
        yield sandbox, tiktok
