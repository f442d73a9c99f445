"""Guesses for a new mapping profile: where a file's header is, which table it fills, and which
of its columns is which canonical column — from the names the platform importers already know
(``Визиты`` is sessions, ``Бюджет`` is an amount…)."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

from smmkpi.ingest import ads, amocrm, bitrix24, ga4, mentions, meta, metrica, youtube
from smmkpi.ingest.fields import Layout, normalise
from smmkpi.store.tables import DATA_TABLES, TABLES_BY_NAME

# names importers give their fields where the canonical column is called otherwise
FIELD_TO_COLUMN = {"publish_time": "published_at", "starts": "date", "id": "lead_id"}
EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "date": ("дата", "день", "date", "day"),
    "followers": ("подписчики", "участники", "followers", "subscribers", "members"),
    "followers_gained": ("подписались", "новые подписчики", "new followers", "follows"),
    "followers_lost": ("отписались", "отписки", "unfollows"),
    "reach": ("охват", "reach", "уникальные зрители"),
    "impressions": ("показы", "просмотры", "impressions", "views"),
    "post_id": ("id публикации", "id поста", "post id", "id"),
    "published_at": ("дата публикации", "опубликовано", "published", "publish time"),
    "likes": ("лайки", "нравится", "likes", "reactions"),
    "comments": ("комментарии", "comments"),
    "shares": ("репосты", "поделились", "shares", "reposts"),
    "sale_id": ("номер заказа", "id заказа", "заказ", "order id", "order"),
    "closed_at": ("дата оплаты", "дата заказа", "оплачен", "paid at", "order date", "дата"),
    "amount": ("сумма", "сумма заказа", "выручка", "amount", "total", "revenue"),
    "lead_id": ("номер заявки", "id заявки", "заявка", "lead id"),
    "created_at": ("дата заявки", "создана", "создан", "created", "дата", "date"),
    "status": ("статус", "status"),
    "channel": ("канал", "источник", "source", "channel"),
}


@cache
def known_names() -> dict[str, set[str]]:
    """Canonical column → the normalised header names it goes by in known exports."""
    layouts: list[Layout] = [
        metrica.REPORT,
        ga4.REPORT,
        amocrm.DEALS,
        bitrix24.DEALS,
        mentions.MENTIONS,
        meta.POSTS,
        youtube.BY_CONTENT,
        youtube.BY_DATE,
        *(f.layout for f in ads.FORMATS),
    ]
    names: dict[str, set[str]] = defaultdict(set)
    for layout in layouts:
        for field in layout.fields:
            target = FIELD_TO_COLUMN.get(field.name, field.name)
            names[target].update(normalise(a) for a in field.aliases)
    for name, extra in EXTRA_NAMES.items():
        names[name].update(extra)
    for table in DATA_TABLES:
        for column in TABLES_BY_NAME[table].columns:
            names[column.name].update({column.name, column.name.replace("_", " ")})
    return names


def header_row(rows: list[list[Any]]) -> int:
    """The index of the likely header among a sheet's first rows: the first wide row of text
    (titles and periods above it are narrow; data rows below have numbers)."""
    widths = [sum(1 for c in row if str(c or "").strip()) for row in rows]
    if not widths:
        return 0
    widest = max(widths)
    for index, row in enumerate(rows):
        cells = [c for c in row if str(c or "").strip()]
        if len(cells) < max(2, 0.8 * widest):
            continue
        texts = [c for c in cells if isinstance(c, str) and not _numeric(c)]
        if len(texts) >= 0.8 * len(cells):
            return index
    return 0


def _numeric(text: str) -> bool:
    cleaned = text.replace(" ", "").replace("\u00a0", "").replace(",", ".").rstrip("%")
    try:
        float(cleaned)
    except ValueError:
        return False
    return True


def column_for(column: str, headers: list[str]) -> str | None:
    """The header of ``headers`` that names canonical ``column``, if one does."""
    names = known_names().get(column, set())
    for header in headers:
        if normalise(header) in names:
            return header
    return None


def mapping(table: str, headers: list[str]) -> dict[str, str]:
    """Canonical column → header, for every column of ``table`` a header names (each header
    used once)."""
    found: dict[str, str] = {}
    for column in TABLES_BY_NAME[table].columns:
        header = column_for(column.name, [h for h in headers if h not in found.values()])
        if header is not None:
            found[column.name] = header
    return found


def best_table(headers: list[str]) -> str:
    """The table whose required and other columns the headers name best."""

    def score(table: str) -> tuple[int, int]:
        columns = TABLES_BY_NAME[table].columns
        named = mapping(table, headers)
        required = [c for c in columns if c.required and c.name not in ("client_id", "account_id")]
        return (sum(c.name in named for c in required) - len(required), len(named))

    return max(DATA_TABLES, key=score)
