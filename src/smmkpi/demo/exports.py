"""The demo agency's data as the platforms export it: VK API responses, Telegram's Desktop
export and channel statistics, Meta post exports and Graph API insights, a Yandex Metrica
report, an amoCRM deals list and VK Ads statistics. The demo imports these through their
importers (detected by content, as ``smmkpi import`` does); what no platform export carries
(a VK community's daily follower count, Instagram's, Telegram post comments, YouTube, mentions,
Telegram Ads) stays in canonical CSV files, the way an agency keeps its own tracking.

The files hold exactly the generated values, so that the workspace the demo builds equals the
generated data (a test checks it): that is a test of the importers end to end.
"""

from __future__ import annotations

import csv
import json
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from smmkpi.demo.agency import ClientProfile
from smmkpi.store.tables import TABLES_BY_NAME

PACIFIC = ZoneInfo("America/Los_Angeles")
# columns each platform's export provides; the rest of a row stays in the canonical files
PROVIDED: dict[tuple[str, str], tuple[str, ...]] = {
    ("account_daily", "vk"): ("followers_gained", "followers_lost", "reach", "profile_visits"),
    ("account_daily", "telegram"): ("followers", "followers_gained", "followers_lost"),
    (
        "account_daily",
        "instagram",
    ): (
        "followers_gained",
        "reach",
        "impressions",
        "profile_visits",
        "link_clicks",
        "contact_clicks",
        "location_clicks",
    ),
    (
        "account_daily",
        "facebook",
    ): (
        "followers",
        "followers_gained",
        "followers_lost",
        "reach",
        "impressions",
        "profile_visits",
    ),
}
EXPORTED_POSTS = ("vk", "telegram", "instagram", "facebook")


@dataclass(frozen=True)
class Export:
    """One file or folder to import, and whose it is."""

    path: Path
    client_id: str
    account_id: str | None = None


@dataclass(frozen=True)
class AccountRows:
    """An account's generated daily rows and posts, for its platform's writer."""

    client: ClientProfile
    account_id: str
    handle: str
    name: str
    days: list[dict[str, Any]]
    items: list[dict[str, Any]]


def vk_group_id(handle: str) -> int:
    """A community's numeric id: ``club21890451`` says it; a screen name gets a stable one."""
    if handle.startswith("club") and handle[4:].isdigit():
        return int(handle[4:])
    return zlib.crc32(handle.encode()) % 10**8


def _unix(moment: datetime) -> int:
    return int(moment.timestamp())


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _grouped(x: Iterable[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in x:
        found[str(row[key])].append(row)
    return found


def _ru_money(value: Decimal) -> str:
    whole, _sep, cents = f"{value:.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", "\u00a0")
    return f"{grouped},{cents}"


class Writer:
    """Writes a client's exports and keeps what stays canonical."""

    def __init__(
        self,
        rows: dict[str, list[dict[str, Any]]],
        folder: Path,
        clients: tuple[ClientProfile, ...],
        captured: dict[str, datetime],
    ) -> None:
        # every column in every row: a value the generator left out is None
        self.rows: dict[str, list[dict[str, Any]]] = {
            name: [{c: row.get(c) for c in TABLES_BY_NAME[name].column_names} for row in table]
            for name, table in rows.items()
        }
        self.folder = folder
        self.clients = {c.client_id: c for c in clients}
        self.captured = captured
        self.platform = {a.account_id: a.platform for c in clients for a in c.accounts}
        self.client_of = {a.account_id: c.client_id for c in clients for a in c.accounts}
        self.exports: list[Export] = []

    def write(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """Write every export; return the canonical folders of the rest (see
        :meth:`_remainder`)."""
        daily = _grouped(self.rows["account_daily"], "account_id")
        posts = _grouped(self.rows["posts"], "account_id")
        for client in self.clients.values():
            for account in client.accounts:
                days, items = daily.get(account.account_id, []), posts.get(account.account_id, [])
                writer = {
                    "vk": self._vk,
                    "telegram": self._telegram,
                    "instagram": self._meta,
                    "facebook": self._meta,
                }.get(account.platform)
                if writer is not None:
                    writer(
                        AccountRows(
                            client, account.account_id, account.handle, account.name, days, items
                        )
                    )
        self._metrica()
        self._amocrm()
        self._vk_ads()
        return self._remainder()

    # -- what stays canonical ----------------------------------------------------------------

    def _remainder(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """Canonical folders: ``canonical`` with whole rows, and per platform the agency's own
        tracking of what its exports lack, with only those columns (a canonical file replaces
        only the columns it has, so the two sources fill the same rows without erasing each
        other, and importing both again changes nothing)."""
        base: dict[str, list[dict[str, Any]]] = {
            name: list(rows) for name, rows in self.rows.items()
        }
        tracking: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        base["account_daily"] = []
        for row in self.rows["account_daily"]:
            platform = self.platform[row["account_id"]]
            provided = PROVIDED.get(("account_daily", platform))
            if provided is None:
                base["account_daily"].append(row)
                continue
            rest = {k: v for k, v in row.items() if k not in provided}
            if any(v is not None for k, v in rest.items() if k not in ("account_id", "date")):
                tracking[f"tracking-{platform}"]["account_daily"].append(rest)
        base["posts"] = []
        for row in self.rows["posts"]:
            platform = self.platform[row["account_id"]]
            if platform == "telegram":  # comments: no Telegram export counts them
                tracking["tracking-telegram"]["posts"].append(
                    {
                        "account_id": row["account_id"],
                        "post_id": row["post_id"],
                        "published_at": row["published_at"],
                        "comments": row["comments"],
                        "captured_at": row["captured_at"] - timedelta(hours=1),
                    }
                )
            elif platform not in EXPORTED_POSTS:
                base["posts"].append(row)
        exported = "homedecor"  # its web sessions, leads and sales come from Metrica and amoCRM
        for name in ("web_sessions", "leads", "sales"):
            base[name] = [r for r in self.rows[name] if r["client_id"] != exported]
        base["ad_spend"] = [r for r in self.rows["ad_spend"] if r["platform"] != "vk_ads"]
        return {"canonical": base, **{k: dict(v) for k, v in sorted(tracking.items())}}

    # -- VK ----------------------------------------------------------------------------------

    def _vk(self, of: AccountRows) -> None:
        client, account_id, handle, name = of.client, of.account_id, of.handle, of.name
        days, items = of.days, of.items
        folder = self.folder / "vk" / account_id
        zone = ZoneInfo(client.timezone)
        group = vk_group_id(handle)
        periods = []
        for row in sorted(days, key=lambda r: r["date"], reverse=True):  # VK lists newest first
            start = datetime.combine(row["date"], time(), zone)
            activity = {
                key: row[column]
                for key, column in (
                    ("subscribed", "followers_gained"),
                    ("unsubscribed", "followers_lost"),
                )
                if row[column]  # VK leaves out keys whose value is 0
            }
            periods.append(
                {
                    "period_from": _unix(start),
                    "period_to": _unix(start + timedelta(days=1)) - 1,
                    "activity": activity,
                    "reach": {
                        "reach": row["reach"],
                        "reach_subscribers": row["reach"] // 2,
                    },
                    "visitors": {
                        "views": row["profile_visits"],
                        "visitors": row["profile_visits"],
                    },
                }
            )
        _write_json(folder / "stats_get.json", {"response": periods})
        wall, reach = [], []
        for post in sorted(items, key=lambda r: r["published_at"], reverse=True):
            item: dict[str, Any] = {
                "id": int(post["post_id"]),
                "owner_id": -group,
                "from_id": -group,
                "date": _unix(post["published_at"]),
                "post_type": "post",
                "text": post["text"] or "",
                "comments": {"count": post["comments"], "can_post": 1},
                "likes": {"count": post["likes"], "user_likes": 0, "can_like": 1},
                "reposts": {"count": post["shares"], "user_reposted": 0},
            }
            if post["views"] is not None:
                item["views"] = {"count": post["views"]}
            if post["kind"] == "video":
                item["attachments"] = [{"type": "video", "video": {"id": post["post_id"]}}]
            wall.append(item)
            if post["reach"] is not None:
                stat = {
                    "post_id": int(post["post_id"]),
                    "reach_total": post["reach"],
                    "reach_subscribers": post["reach"] - post["reach_viral"] - post["reach_paid"],
                    "reach_viral": post["reach_viral"],
                    "reach_ads": post["reach_paid"],
                }
                if post["link_clicks"] is not None:
                    stat["links"] = post["link_clicks"]
                reach.append(stat)
        _write_json(folder / "wall_get.json", {"response": {"count": len(wall), "items": wall}})
        _write_json(folder / "get_post_reach.json", {"response": reach})
        _write_json(
            folder / "groups_get_by_id.json",
            {
                "response": {
                    "groups": [{"id": group, "name": name, "screen_name": handle, "type": "page"}],
                    "profiles": [],
                }
            },
        )
        self.exports.append(Export(folder, client.client_id, account_id))

    # -- Telegram ----------------------------------------------------------------------------

    def _telegram(self, of: AccountRows) -> None:
        client, account_id, handle, name = of.client, of.account_id, of.handle, of.name
        days, items = of.days, of.items
        folder = self.folder / "telegram" / account_id
        zone = ZoneInfo(client.timezone)
        channel_id = zlib.crc32(handle.encode()) % 10**10
        messages = []
        for post in sorted(items, key=lambda r: int(r["post_id"])):
            local = post["published_at"].astimezone(zone).replace(tzinfo=None)
            message: dict[str, Any] = {
                "id": int(post["post_id"]),
                "type": "message",
                "date": local.isoformat(),
                "date_unixtime": str(_unix(post["published_at"])),
                "from": name,
                "from_id": f"channel{channel_id}",
                "text": _entities(post["text"] or ""),
            }
            if post["likes"]:
                hearts = post["likes"] // 3
                message["reactions"] = [
                    {"type": "emoji", "count": post["likes"] - hearts, "emoji": "👍"},
                    {"type": "emoji", "count": hearts, "emoji": "❤"},
                ]
            messages.append(message)
        _write_json(
            folder / "result.json",
            {"name": name, "type": "public_channel", "id": channel_id, "messages": messages},
        )
        ordered = sorted(days, key=lambda r: r["date"])
        xs = [int(datetime.combine(r["date"], time(), UTC).timestamp() * 1000) for r in ordered]
        stats: dict[str, Any] = {
            "_": "BroadcastStats",
            "period": {
                "_": "StatsDateRangeDays",
                "min_date": f"{ordered[0]['date']}T00:00:00+00:00",
                "max_date": f"{ordered[-1]['date']}T00:00:00+00:00",
            },
            "followers_graph": _graph(
                xs,
                [r["followers_gained"] for r in ordered],
                [r["followers_lost"] for r in ordered],
            ),
            "recent_posts_interactions": [
                {
                    "_": "PostInteractionCountersMessage",
                    "msg_id": int(p["post_id"]),
                    "views": p["views"],
                    "forwards": p["shares"],
                    "reactions": p["likes"],
                }
                for p in items
            ],
        }
        if any(r["followers"] is not None for r in ordered):
            stats["growth_graph"] = _graph(xs, [r["followers"] for r in ordered])
        _write_json(folder / "broadcast_stats.json", stats)
        self.exports.append(Export(folder, client.client_id, account_id))

    # -- Meta --------------------------------------------------------------------------------

    def _meta(self, of: AccountRows) -> None:
        client, account_id, handle, name = of.client, of.account_id, of.handle, of.name
        days, items = of.days, of.items
        platform = self.platform[account_id]
        zone = ZoneInfo(client.timezone)
        object_id = f"1784140{zlib.crc32(handle.encode()) % 10**10:010d}"
        folder = self.folder / platform / account_id
        folder.mkdir(parents=True, exist_ok=True)
        posts_file = folder / f"{account_id}_posts.csv"
        with posts_file.open("w", encoding="utf-8-sig", newline="") as handle_:
            writer = csv.writer(handle_, lineterminator="\r\n")
            if platform == "instagram":
                writer.writerow(
                    [
                        "Post ID", "Account ID", "Account username", "Account name",
                        "Description", "Publish time", "Permalink", "Post type", "Date",
                        "Views", "Reach", "Likes", "Shares", "Comments", "Saves",
                        "Link clicks",
                    ]
                )  # fmt: skip
            else:
                writer.writerow(
                    [
                        "Post ID", "Page ID", "Page name", "Title", "Description",
                        "Publish time", "Permalink", "Post type", "Date", "Reach", "Reactions",
                        "Comments", "Shares",
                    ]
                )  # fmt: skip
            for post in sorted(items, key=lambda r: r["published_at"]):
                published = post["published_at"].astimezone(zone).strftime("%m/%d/%Y %H:%M")
                if platform == "instagram":
                    writer.writerow(
                        [
                            post["post_id"], object_id, handle.lstrip("@"), name,
                            post["text"], published, post["url"],
                            {"reel": "IG reel", "story": "IG story"}.get(post["kind"], "IG image"),
                            "Lifetime", *(_cell(post[c]) for c in (
                                "views", "reach", "likes", "shares", "comments", "saves",
                                "link_clicks",
                            )),
                        ]
                    )  # fmt: skip
                else:
                    writer.writerow(
                        [
                            post["post_id"], handle, name, "", post["text"], published,
                            post["url"], "Photos", "Lifetime",
                            *(_cell(post[c]) for c in ("reach", "likes", "comments", "shares")),
                        ]
                    )  # fmt: skip
        self.exports.append(Export(posts_file, client.client_id, account_id))
        insights = folder / "insights"
        metrics = INSIGHT_METRICS[platform]
        by_month: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in days:
            by_month[row["date"].strftime("%Y-%m")].append(row)
        for month, rows in sorted(by_month.items()):
            data = []
            for metric, column, part in metrics:
                values = [
                    {"value": _share(r[column], part), "end_time": _pacific_end(r["date"])}
                    for r in sorted(rows, key=lambda r: r["date"])
                    if r[column] is not None
                ]
                if values:
                    data.append(
                        {
                            "name": metric,
                            "period": "day",
                            "values": values,
                            "title": metric.replace("_", " ").title(),
                            "id": f"{object_id}/insights/{metric}/day",
                        }
                    )
            _write_json(insights / f"insights_{month}.json", {"data": data, "paging": {}})
        self.exports.append(Export(insights, client.client_id, account_id))

    # -- web analytics, CRM, ads ---------------------------------------------------------------

    def _metrica(self) -> None:
        rows = [r for r in self.rows["web_sessions"] if r["client_id"] == "homedecor"]
        path = self.folder / "metrica" / "homedecor_utm_by_day.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        header = [
            "Дата визита", "UTM Source", "UTM Medium", "UTM Campaign", "UTM Content",
            "UTM Term", "Визиты", "Посетители", "Отказы", "Достижения цели (Заявка)",
        ]  # fmt: skip
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
            writer.writerow(header)
            writer.writerow(
                [
                    "Итого и средние", "", "", "", "", "",
                    _ru_count(sum(r["sessions"] for r in rows)),
                    _ru_count(sum(r["users"] for r in rows)), "21,4 %",
                    _ru_count(sum(r["goal_completions"] for r in rows)),
                ]
            )  # fmt: skip
            for row in sorted(rows, key=lambda r: (r["date"], str(r["utm_source"]))):
                writer.writerow(
                    [
                        row["date"].isoformat(),
                        *(row[f"utm_{p}"] or "Не определено" for p in (
                            "source", "medium", "campaign", "content", "term"
                        )),
                        _ru_count(row["sessions"]), _ru_count(row["users"]), "20 %",
                        _ru_count(row["goal_completions"]),
                    ]
                )  # fmt: skip
        self.exports.append(Export(path, "homedecor"))

    def _amocrm(self) -> None:
        client = self.clients["homedecor"]
        zone = ZoneInfo(client.timezone)
        sales = {r["lead_id"]: r for r in self.rows["sales"] if r["client_id"] == "homedecor"}
        path = self.folder / "amocrm" / "homedecor_deals.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        stages = {"won": "Успешно реализовано", "lost": "Закрыто и не реализовано"}
        open_stages = ("Первичный контакт", "Переговоры", "Принимают решение")

        def local(moment: datetime | None) -> str:
            return "" if moment is None else moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")

        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(
                [
                    "ID", "Название сделки", "Бюджет ₽", "Этап сделки", "Воронка",
                    "Ответственный", "Дата создания", "Дата закрытия", "Источник",
                    "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term",
                ]
            )  # fmt: skip
            leads = [r for r in self.rows["leads"] if r["client_id"] == "homedecor"]
            for number, lead in enumerate(leads):
                sale = sales.get(lead["lead_id"])
                stage = stages.get(lead["status"], open_stages[number % len(open_stages)])
                writer.writerow(
                    [
                        lead["lead_id"], f"Заявка #{lead['lead_id']}",
                        _ru_money(sale["amount"]) if sale else "", stage, "Продажи",
                        ("Анна Смирнова", "Олег Петров")[number % 2],
                        local(lead["created_at"]), local(sale["closed_at"] if sale else None),
                        lead["channel"] or "",
                        *(lead[f"utm_{p}"] or "" for p in (
                            "source", "medium", "campaign", "content", "term"
                        )),
                    ]
                )  # fmt: skip
        self.exports.append(Export(path, "homedecor"))

    def _vk_ads(self) -> None:
        rows = _grouped(
            (r for r in self.rows["ad_spend"] if r["platform"] == "vk_ads"), "client_id"
        )
        for client_id, spend in rows.items():
            path = self.folder / "vk_ads" / f"{client_id}_statistics.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
                writer.writerow(["Дата", "Кампания", "Показы", "Клики", "Потрачено, ₽"])
                for row in sorted(spend, key=lambda r: (r["date"], r["campaign"])):
                    writer.writerow(
                        [
                            row["date"].strftime("%d.%m.%Y"),
                            row["campaign"],
                            _ru_count(int(row["amount"] * 9)),
                            _ru_count(int(row["amount"] / 14)),
                            _ru_money(row["amount"]),
                        ]
                    )
                writer.writerow(["Итого", "", "", "", _ru_money(sum(r["amount"] for r in spend))])
            self.exports.append(Export(path, client_id))


# Graph API metric, account_daily column, share of the column's value it carries (contact
# clicks are e-mail and phone clicks: two metrics that add up to the column)
INSIGHT_METRICS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "instagram": (
        ("follower_count", "followers_gained", "all"),
        ("reach", "reach", "all"),
        ("views", "impressions", "all"),
        ("profile_views", "profile_visits", "all"),
        ("website_clicks", "link_clicks", "all"),
        ("email_contacts", "contact_clicks", "first"),
        ("phone_call_clicks", "contact_clicks", "rest"),
        ("get_directions_clicks", "location_clicks", "all"),
    ),
    "facebook": (
        ("page_follows", "followers", "all"),
        ("page_daily_follows_unique", "followers_gained", "all"),
        ("page_daily_unfollows_unique", "followers_lost", "all"),
        ("page_impressions_unique", "reach", "all"),
        ("page_impressions", "impressions", "all"),
        ("page_views_total", "profile_visits", "all"),
    ),
}


def _share(value: int, part: str) -> int:
    if part == "first":
        return value // 3
    if part == "rest":
        return value - value // 3
    return value


def _pacific_end(day: date) -> str:
    """The ``end_time`` Graph API gives a value of ``day``: the next Pacific midnight, in UTC."""
    end = datetime.combine(day + timedelta(days=1), time(), PACIFIC).astimezone(UTC)
    return end.strftime("%Y-%m-%dT%H:%M:%S+0000")


def _graph(xs: list[int], *lines: list[Any]) -> dict[str, Any]:
    columns: list[list[Any]] = [["x", *xs]]
    columns += [[f"y{i}", *line] for i, line in enumerate(lines)]
    data = {"columns": columns, "types": {"x": "x", **{f"y{i}": "line" for i in range(len(lines))}}}
    return {"_": "StatsGraph", "json": {"_": "DataJSON", "data": json.dumps(data)}}


def _entities(text: str) -> list[Any]:
    """A message's text as Desktop exports write it: plain strings and hashtag entities."""
    parts: list[Any] = []
    for word in text.split(" "):
        if parts:
            if isinstance(parts[-1], str):
                parts[-1] += " "
            else:
                parts.append(" ")
        if word.startswith("#") and len(word) > 1 and "\n" not in word:
            parts.append({"type": "hashtag", "text": word})
        elif parts and isinstance(parts[-1], str):
            parts[-1] += word
        else:
            parts.append(word)
    return parts


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _ru_count(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")
