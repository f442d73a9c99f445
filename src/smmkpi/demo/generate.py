"""Generating the demo agency's data deterministically by seed; ``exports.py`` writes it as the
platforms export it, and canonical CSV for the rest.

The history runs from the first day of the month 15 months before ``as_of`` to the day before
``as_of``: 15 full months and the current month so far. It carries what real accounts carry:
seasonality, weekday rhythm, a giveaway spike (coffeelab's Instagram, three months before the
last full month), a gap in the daily data (fitnest's VK, days 12–17 of the last full month),
metrics that some platforms never report (Telegram has no daily reach, Instagram no unfollows,
one Telegram channel no follower count), unexpanded UTM macros, and sales that carry no UTM of
their own and inherit their lead's.

Each account and client draws from its own random stream (seeded with the seed and its id), so
adding a client to the agency leaves the others' data unchanged.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from smmkpi.demo.agency import CLIENTS, AccountProfile, ClientProfile
from smmkpi.demo.exports import Export, Writer, vk_group_id
from smmkpi.metrics.periods import Period, last_full_month, zone
from smmkpi.store.export import csv_cell
from smmkpi.store.tables import TABLES_BY_NAME

HISTORY_MONTHS = 15
WEEKDAY = (1.0, 1.02, 1.03, 1.0, 0.97, 0.88, 0.85)  # Monday first


@dataclass
class DemoData:
    """What the generator produced, for the demo command and tests."""

    folder: Path
    history_start: date
    history_end: date
    last_full_month: Period
    giveaway_day: date
    gap: tuple[date, date]
    rows: dict[str, int] = field(default_factory=dict)
    exports: list[Export] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    canonical: list[Path] = field(default_factory=list)
    """Canonical folders, in import order: clients, accounts and whole rows first, then the
    agency's own tracking of what each platform's exports lack."""


class _Tables:
    """Collects rows per canonical table and writes them as CSV."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES_BY_NAME}

    def add(self, table: str, **values: Any) -> None:
        self.rows[table].append(values)

    def write(self, folder: Path, rows_of: dict[str, list[dict[str, Any]]] | None = None) -> None:
        """Each table's rows as its canonical CSV file, with the columns its rows have."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, rows in (rows_of or self.rows).items():
            if not rows:
                continue
            present = {c for row in rows for c in row}
            columns = [c for c in TABLES_BY_NAME[name].column_names if c in present]
            with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(columns)
                for row in rows:
                    writer.writerow([csv_cell(row.get(c)) for c in columns])


def _count(rng: random.Random, mean: float) -> int:
    """A Poisson-like count around ``mean`` (a normal approximation for large means)."""
    if mean <= 0:
        return 0
    if mean < 30:
        # Knuth's method: exact Poisson for small means
        limit, k, product = math.exp(-mean), 0, rng.random()
        while product > limit:
            k += 1
            product *= rng.random()
        return k
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _local(day: date, hour: int, minute: int, timezone: str) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone(timezone)).astimezone(UTC)


def generate(
    folder: Path,
    as_of: date,
    seed: int = 42,
    clients: tuple[ClientProfile, ...] = CLIENTS,
) -> DemoData:
    """Write the demo agency's data into ``folder``: platform exports (``exports/``) and the
    canonical files of the rest (``canonical/``)."""
    month = last_full_month(as_of)
    start = month.start
    for _ in range(HISTORY_MONTHS - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    giveaway_month = month.start
    for _ in range(3):
        giveaway_month = (giveaway_month - timedelta(days=1)).replace(day=1)
    data = DemoData(
        folder=folder,
        history_start=start,
        history_end=as_of - timedelta(days=1),
        last_full_month=month,
        giveaway_day=giveaway_month + timedelta(days=9),
        gap=(month.start + timedelta(days=11), month.start + timedelta(days=16)),
    )
    tables = _Tables()
    for client in clients:
        _client(tables, client, data, as_of, seed)
    data.tables = tables.rows
    data.rows = {name: len(rows) for name, rows in tables.rows.items() if rows}
    captured = {c.client_id: captured_at(c.client_id, as_of) for c in clients}
    writer = Writer(tables.rows, folder / "exports", clients, captured)
    for name, rows in writer.write().items():
        tables.write(folder / name, rows)
        data.canonical.append(folder / name)
    data.exports = writer.exports
    return data


def captured_at(client_id: str, as_of: date) -> datetime:
    """When the demo's lifetime figures were read: 03:00 on ``as_of`` in the client's zone."""
    client = next(c for c in CLIENTS if c.client_id == client_id)
    return _local(as_of, 3, 0, client.timezone)


def _client(tables: _Tables, client: ClientProfile, data: DemoData, as_of: date, seed: int) -> None:
    tables.add(
        "clients",
        client_id=client.client_id,
        name=client.name,
        timezone=client.timezone,
        currency=client.currency,
        goal=client.goal,
        brand_hashtags=client.brand_hashtags,
    )
    captured = captured_at(client.client_id, as_of)
    for account in client.accounts:
        tables.add(
            "accounts",
            account_id=account.account_id,
            client_id=client.client_id,
            platform=account.platform,
            handle=account.handle,
            name=account.name,
        )
        rng = random.Random(f"{seed}:{account.account_id}")
        _account(tables, client, account, data, captured, rng)
    rng = random.Random(f"{seed}:{client.client_id}")
    _mentions(tables, client, data, rng)
    if client.web_sessions_per_day:
        _web_sessions(tables, client, data, rng)
    if client.leads_per_day:
        _leads_and_sales(tables, client, data, as_of, rng)
    for platform, amount in client.ad_spend_per_day:
        _ad_spend(tables, client, platform, amount, data, rng)


def _season(client: ClientProfile, day: date) -> float:
    return client.season[day.month - 1] * WEEKDAY[day.weekday()]


def _account(
    tables: _Tables,
    client: ClientProfile,
    account: AccountProfile,
    data: DemoData,
    captured_at: datetime,
    rng: random.Random,
) -> None:
    followers = float(account.followers)
    giveaway = account.account_id == "coffeelab-ig"
    post_number = rng.randrange(1_000, 9_000)
    for day in _days(data.history_start, data.history_end):
        season = _season(client, day)
        growth = account.monthly_growth / 30 * client.season[day.month - 1]
        gained = _count(rng, followers * (growth + account.daily_churn) * WEEKDAY[day.weekday()])
        lost = _count(rng, followers * account.daily_churn / client.season[day.month - 1])
        boost = 1.0
        if giveaway and 0 <= (day - data.giveaway_day).days <= 2:
            gained += _count(rng, followers * 0.03)
            boost = 2.5
        if giveaway and 7 <= (day - data.giveaway_day).days <= 28:
            lost += _count(rng, followers * 0.0015)
        followers = max(0.0, followers + gained - lost)
        posts_today = _count(rng, account.posts_per_week / 7 * (0.6 + 0.4 * season))
        if giveaway and day == data.giveaway_day:
            posts_today = max(posts_today, 1)
        reach = followers * account.reach_ratio * season * boost * rng.lognormvariate(0, 0.15)
        reach *= 1 + 0.25 * posts_today
        in_gap = account.account_id == "fitnest-vk" and data.gap[0] <= day <= data.gap[1]
        if not in_gap:
            visits = reach * rng.uniform(0.015, 0.03)
            tables.add(
                "account_daily",
                account_id=account.account_id,
                date=day,
                followers=round(followers) if account.has_followers else None,
                followers_gained=gained if account.has_gained_lost else None,
                followers_lost=lost if account.has_gained_lost and account.has_lost else None,
                reach=round(reach) if account.has_daily_reach else None,
                impressions=round(reach * rng.uniform(1.3, 1.6))
                if account.has_daily_reach
                else None,
                profile_visits=round(visits) if account.has_daily_reach else None,
                link_clicks=round(visits * rng.uniform(0.05, 0.12))
                if account.has_link_clicks
                else None,
                contact_clicks=round(visits * rng.uniform(0.02, 0.05))
                if account.has_contact_clicks
                else None,
                location_clicks=round(visits * rng.uniform(0.01, 0.04))
                if account.has_location_clicks
                else None,
            )
        for _ in range(posts_today):
            post_number += rng.randrange(1, 4)
            special = giveaway and day == data.giveaway_day
            _post(
                tables,
                client,
                account,
                day,
                followers,
                season,
                post_number,
                special,
                captured_at,
                rng,
            )


def _post(
    tables: _Tables,
    client: ClientProfile,
    account: AccountProfile,
    day: date,
    followers: float,
    season: float,
    number: int,
    giveaway: bool,
    captured_at: datetime,
    rng: random.Random,
) -> None:
    published = _local(day, rng.randrange(9, 22), rng.randrange(60), client.timezone)
    age_days = (captured_at - published).total_seconds() / 86_400
    maturity = min(1.0, max(0.05, age_days / 3))  # lifetime metrics still growing
    quality = rng.lognormvariate(0, 0.35)
    likes = followers * account.like_rate * quality * season * maturity
    comments = likes * rng.uniform(0.02, 0.08)
    if giveaway:
        likes *= 15
        comments = likes * 0.9  # "comment to take part"
    shares = likes * rng.uniform(0.03, 0.12)
    kind = rng.choice(account.kinds)
    text = _text(client, account, rng, giveaway)
    effect = content_effect(kind, published.astimezone(ZoneInfo(client.timezone)).hour, text)
    likes, comments, shares = likes * effect, comments * effect, shares * effect
    row: dict[str, Any] = {
        "account_id": account.account_id,
        "post_id": _post_id(account, number, rng),
        "published_at": published,
        "kind": kind,
        "text": text,
        "url": _url(account, number),
        "likes": round(likes),
        "comments": round(comments),
        "shares": round(shares),
        "saves": round(likes * rng.uniform(0.05, 0.2)) if account.has_saves else None,
        "captured_at": captured_at,
    }
    if account.has_post_reach:
        reach = followers * account.post_reach_ratio * math.sqrt(quality) * season * maturity
        if giveaway:
            reach *= 4
        paid = reach * rng.uniform(0.3, 1.0) if rng.random() < account.promoted_share else 0.0
        viral = reach * rng.uniform(0.04, 0.18)
        total = round(reach + paid)
        row["reach"] = total
        if account.has_reach_split:
            row["reach_paid"] = round(paid)
            row["reach_viral"] = round(viral)
            row["reach_organic"] = total - round(paid) - round(viral)
        if account.has_link_clicks:
            share = (0.01, 0.03) if client.goal == "sales" else (0.002, 0.008)
            row["link_clicks"] = round(total * rng.uniform(*share))
    if account.has_views:
        if account.platform in ("telegram", "youtube"):
            row["views"] = round(followers * rng.uniform(0.25, 0.5) * maturity * quality)
        elif kind in ("reel", "video", "short"):
            row["views"] = round((row.get("reach") or followers * 0.3) * rng.uniform(1.4, 2.4))
    tables.add("posts", **row)


KIND_EFFECT = {"reel": 1.6, "short": 1.3, "video": 0.8, "story": 0.7}
"""How much more (or less) each kind of post engages than a plain post, so that the demo's
content analytics has something to find."""
ENGAGING_TOPICS = ("челлендж", "вопрос тренеру", "голосование", "rsvp", "cupping", "розыгрыш")


def content_effect(kind: str, hour: int, text: str) -> float:
    """The demo's content effects on a post's interactions: its kind, an evening hour (18–21
    engages more, the morning less) and a topic that asks the audience to act."""
    effect = KIND_EFFECT.get(kind, 1.0)
    if 18 <= hour <= 21:
        effect *= 1.35
    elif hour < 12:
        effect *= 0.85
    if any(topic in text.casefold() for topic in ENGAGING_TOPICS):
        effect *= 1.3
    return effect


def _post_id(account: AccountProfile, number: int, rng: random.Random) -> str:
    if account.platform == "instagram":
        return f"17{number:06d}{rng.randrange(10**10):010d}"  # 18 digits, as Graph API ids
    if account.platform == "facebook":
        return f"104328871{number:06d}_{number * 7 + 11}"
    if account.platform == "youtube":
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        return "".join(rng.choice(alphabet) for _ in range(11))
    return str(number)


def _url(account: AccountProfile, number: int) -> str:
    handle = account.handle.lstrip("@")
    return {
        "vk": f"https://vk.com/wall-{vk_group_id(account.handle)}_{number}",
        "telegram": f"https://t.me/{handle}/{number}",
        "instagram": f"https://www.instagram.com/p/{handle[:4]}{number}/",
        "facebook": f"https://www.facebook.com/{handle}/posts/{number}",
        "youtube": f"https://www.youtube.com/@{handle}",
    }.get(account.platform, f"https://example.org/{handle}/{number}")


def _text(
    client: ClientProfile, account: AccountProfile, rng: random.Random, giveaway: bool
) -> str:
    if giveaway:
        return (
            "🎁 РОЗЫГРЫШ! Подпишитесь, отметьте друга в комментариях и выиграйте годовой запас "
            "кофе. Итоги через три дня. #розыгрыш #кофелаб"
        )
    text = rng.choice(client.post_topics)
    tags = client.brand_hashtags.split()
    if rng.random() < 0.5:
        text += " " + rng.choice(tags)
    if account.platform == "instagram" and rng.random() < 0.4:
        text += "\n\n" + " ".join(
            rng.sample(["#утро", "#москва", "#design", "#life", "#выходные"], 2)
        )
    return text


def _mentions(tables: _Tables, client: ClientProfile, data: DemoData, rng: random.Random) -> None:
    variants = {
        "coffeelab": ("#КофеЛаб", "#coffeelab", "#CoffeeLab", "#кофелаб", "#КОФЕЛАБ"),
    }.get(client.client_id, tuple(client.brand_hashtags.split()))
    authors = (
        "Анна К.",
        "Дмитрий",
        "Марина Соколова",
        "alex_runs",
        "Ольга",
        "kate.photo",
        "Игорь П.",
    )
    platforms = ("vk", "telegram", "instagram", "dzen", "otzovik.com")
    number = 0
    for day in _days(data.history_start, data.history_end):
        for _ in range(_count(rng, client.mentions_per_day * _season(client, day))):
            number += 1
            template = rng.choice(client.mention_templates)
            platform = rng.choice(platforms)
            tables.add(
                "mentions",
                client_id=client.client_id,
                mention_id=f"{client.client_id}-m{number:05d}",
                platform=platform,
                published_at=_local(day, rng.randrange(7, 24), rng.randrange(60), client.timezone),
                url=f"https://{_site(platform)}/mention/{number}",
                author=rng.choice(authors),
                text=template.replace("{tag}", rng.choice(variants)),
            )


def _site(platform: str) -> str:
    return platform if "." in platform else f"{platform}.com"


WEB_MIX: tuple[tuple[tuple[str | None, ...], float], ...] = (
    # (utm_source, utm_medium, utm_campaign, utm_content, utm_term), share of social traffic
    (("vk", "social", "catalog", "post", None), 0.4),
    (("instagram", "social", "catalog", "reels", None), 0.2),
    (("vk", "cpc", "{campaign_id}", None, None), 0.2),  # a VK Ads macro left unexpanded
    (("tg", "{medium}", "autumn_sale", None, None), 0.08),  # a medium macro: the source decides
    (("telegram", "paid_social", "tg_ads", None, None), 0.12),
)
OTHER_TRAFFIC: tuple[tuple[tuple[str | None, ...], float], ...] = (
    (("yandex", "cpc", "brand", None, "диван купить"), 0.5),
    (("google", "organic", None, None, None), 0.2),
    ((None, None, None, None, None), 0.3),  # direct visits
)


def _web_sessions(
    tables: _Tables, client: ClientProfile, data: DemoData, rng: random.Random
) -> None:
    for day in _days(data.history_start, data.history_end):
        social = client.web_sessions_per_day * _season(client, day) * rng.lognormvariate(0, 0.12)
        for mix, total in ((WEB_MIX, social), (OTHER_TRAFFIC, social * 2.2)):
            for utm, share in mix:
                sessions = _count(rng, total * share)
                if not sessions:
                    continue
                tables.add(
                    "web_sessions",
                    client_id=client.client_id,
                    date=day,
                    utm_source=utm[0],
                    utm_medium=utm[1],
                    utm_campaign=utm[2],
                    utm_content=utm[3],
                    utm_term=utm[4],
                    sessions=sessions,
                    users=max(1, round(sessions * rng.uniform(0.8, 0.92))),
                    goal_completions=_count(rng, sessions * 0.03),
                )


LEAD_MIX: tuple[tuple[tuple[str | None, ...], float], ...] = (
    # (utm_source, utm_medium, utm_campaign, channel), share of leads
    (("vk", "social", "catalog", None), 0.4),
    (("instagram", "social", "catalog", None), 0.15),
    (("tg", "{medium}", "autumn_sale", None), 0.08),
    ((None, None, None, "ВКонтакте"), 0.02),  # typed by a manager, not a platform code
    ((None, None, None, "vk"), 0.05),  # typed by a manager: social through the channel
    ((None, None, None, "сарафан"), 0.12),  # word of mouth: not social
    (("yandex", "cpc", "brand", None), 0.18),
)


def _leads_and_sales(
    tables: _Tables, client: ClientProfile, data: DemoData, as_of: date, rng: random.Random
) -> None:
    number = 0
    end = datetime.combine(as_of, time(), tzinfo=zone(client.timezone)).astimezone(UTC)
    mixes = [m for m, _ in LEAD_MIX]
    weights = [w for _, w in LEAD_MIX]
    for day in _days(data.history_start, data.history_end):
        for _ in range(_count(rng, client.leads_per_day * _season(client, day))):
            number += 1
            source, medium, campaign, channel = rng.choices(mixes, weights)[0]
            created = _local(day, rng.randrange(8, 23), rng.randrange(60), client.timezone)
            lead_id = f"{1_800_000 + number * 3}"
            age = (end - created).days
            roll = rng.random()
            status = "open" if age < 5 or roll < 0.15 else ("won" if roll < 0.45 else "lost")
            closed = None
            if status == "won":
                closed = created + timedelta(days=rng.uniform(1, 20), hours=rng.uniform(0, 8))
                closed = closed.replace(second=0, microsecond=0)  # CRMs keep minutes
                if closed >= end:
                    status = "open"  # it will be won after today
            tables.add(
                "leads",
                client_id=client.client_id,
                lead_id=lead_id,
                created_at=created,
                utm_source=source,
                utm_medium=medium,
                utm_campaign=campaign,
                channel=channel,
                status=status,
            )
            if status == "won" and closed is not None:
                # a won deal is the sale: its tags are the lead's (CRMs keep them on the deal)
                tables.add(
                    "sales",
                    client_id=client.client_id,
                    sale_id=lead_id,
                    lead_id=lead_id,
                    closed_at=closed,
                    amount=_money(client.average_sale * rng.lognormvariate(0, 0.45)),
                )


def _ad_spend(
    tables: _Tables,
    client: ClientProfile,
    platform: str,
    amount: int,
    data: DemoData,
    rng: random.Random,
) -> None:
    campaigns = {
        "vk_ads": ("Продвижение постов", "Ретаргетинг — каталог"),
        "telegram_ads": ("Telegram Ads — канал",),
    }.get(platform, ("Основная",))
    for day in _days(data.history_start, data.history_end):
        for campaign in campaigns:
            spend = amount / len(campaigns) * client.season[day.month - 1] * rng.uniform(0.7, 1.3)
            tables.add(
                "ad_spend",
                client_id=client.client_id,
                date=day,
                platform=platform,
                campaign=campaign,
                amount=_money(spend),
            )


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")
