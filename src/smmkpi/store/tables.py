"""The canonical tables of spec v1 (``shared/spec/canonical-data.md``), declared once.

Validation, the write path, export and the docs read these declarations; the migrations hold the
frozen DDL, and a test checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class ColumnType(StrEnum):
    """What a canonical column holds; decides how a cell is parsed and stored."""

    ID = "id"  # a string id, kept exactly (a 19-digit post id must survive)
    TEXT = "text"  # free text, stored as given after Unicode NFC
    DATE = "date"  # YYYY-MM-DD, a local calendar day
    TIMESTAMP = "timestamp"  # ISO 8601 with an offset or Z, stored as a UTC instant
    COUNT = "count"  # a non-negative whole number
    MONEY = "money"  # a non-negative decimal, up to 4 decimal places
    CHOICE = "choice"  # one of a fixed set of lower-case words
    TIMEZONE = "timezone"  # an IANA time-zone name
    CURRENCY = "currency"  # an ISO 4217 code
    HASHTAGS = "hashtags"  # space-separated hashtags


SQL_TYPES: dict[ColumnType, str] = {
    ColumnType.ID: "VARCHAR",
    ColumnType.TEXT: "VARCHAR",
    ColumnType.DATE: "DATE",
    ColumnType.TIMESTAMP: "TIMESTAMPTZ",
    ColumnType.COUNT: "BIGINT",
    ColumnType.MONEY: "DECIMAL(18,4)",
    ColumnType.CHOICE: "VARCHAR",
    ColumnType.TIMEZONE: "VARCHAR",
    ColumnType.CURRENCY: "VARCHAR",
    ColumnType.HASHTAGS: "VARCHAR",
}

PLATFORMS = (
    "vk",
    "telegram",
    "instagram",
    "facebook",
    "youtube",
    "tiktok",
    "ok",
    "dzen",
    "x",
    "other",
)
PLATFORM_ALIASES: dict[str, str] = {
    "vkontakte": "vk",
    "vk.com": "vk",
    "вконтакте": "vk",
    "вк": "vk",
    "tg": "telegram",
    "t.me": "telegram",
    "телеграм": "telegram",
    "телеграмм": "telegram",
    "ig": "instagram",
    "инстаграм": "instagram",
    "fb": "facebook",
    "фейсбук": "facebook",
    "yt": "youtube",
    "ютуб": "youtube",
    "тикток": "tiktok",
    "odnoklassniki": "ok",
    "ok.ru": "ok",
    "одноклассники": "ok",
    "zen": "dzen",
    "дзен": "dzen",
    "twitter": "x",
}
"""Other names people write for a platform; each means exactly one platform."""

POST_KINDS = ("post", "video", "reel", "story", "short", "live", "other")
GOALS = ("awareness", "community", "sales")
LEAD_STATUSES = ("open", "won", "lost")


@dataclass(frozen=True)
class Column:
    """One column of a canonical table."""

    name: str
    type: ColumnType
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    default: str | None = None
    help: str = ""

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]


WriteMode = Literal["replace", "snapshot"]


@dataclass(frozen=True)
class Table:
    """A canonical table: its columns, key, how a re-import of a key behaves, its references.

    ``write_mode`` is ``replace`` (a later import of a key replaces the stored row) or
    ``snapshot`` (posts: the row with the later ``captured_at`` wins).
    ``references`` maps a column to the table whose key it must name.
    ``derived`` columns are computed by the write path from the canonical ones and stored next to
    them for queries; they are not part of the interchange format.
    """

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    write_mode: WriteMode = "replace"
    references: dict[str, str] = field(default_factory=dict)
    derived: tuple[Column, ...] = ()
    help: str = ""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def stored_columns(self) -> tuple[Column, ...]:
        return self.columns + self.derived

    def column(self, name: str) -> Column:
        for column in self.stored_columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def value_columns(self) -> tuple[str, ...]:
        """Stored columns outside the key: what decides whether a re-imported row changed."""
        return tuple(c.name for c in self.stored_columns if c.name not in self.key)


def _utm(help_suffix: str) -> tuple[Column, ...]:
    return tuple(
        Column(f"utm_{part}", ColumnType.TEXT, help=f"utm_{part} {help_suffix}")
        for part in ("source", "medium", "campaign", "content", "term")
    )


def _counts(*names_and_help: tuple[str, str]) -> tuple[Column, ...]:
    return tuple(Column(name, ColumnType.COUNT, help=text) for name, text in names_and_help)


CLIENTS = Table(
    name="clients",
    key=("client_id",),
    help="The agency's clients.",
    columns=(
        Column("client_id", ColumnType.ID, required=True, help="stable id"),
        Column("name", ColumnType.TEXT, required=True, help="display name"),
        Column(
            "timezone",
            ColumnType.TIMEZONE,
            default="UTC",
            help="IANA time zone: the calendar of this client's months and days",
        ),
        Column("currency", ColumnType.CURRENCY, default="RUB", help="ISO 4217 currency of money"),
        Column("goal", ColumnType.CHOICE, choices=GOALS, help="primary goal of the promotion"),
        Column("brand_hashtags", ColumnType.HASHTAGS, help="space-separated brand hashtags"),
    ),
)

ACCOUNTS = Table(
    name="accounts",
    key=("account_id",),
    references={"client_id": "clients"},
    help="Social accounts (communities, channels, profiles), each owned by one client.",
    columns=(
        Column("account_id", ColumnType.ID, required=True, help="stable id, unique across clients"),
        Column("client_id", ColumnType.ID, required=True, help="owner"),
        Column(
            "platform",
            ColumnType.CHOICE,
            required=True,
            choices=PLATFORMS,
            aliases=PLATFORM_ALIASES,
            help="platform",
        ),
        Column("handle", ColumnType.TEXT, help="@coffeelab, club123"),
        Column("name", ColumnType.TEXT, help="display name"),
    ),
)

ACCOUNT_DAILY = Table(
    name="account_daily",
    key=("account_id", "date"),
    references={"account_id": "accounts"},
    help="Activity of one account on one local day.",
    columns=(
        Column("account_id", ColumnType.ID, required=True, help="the account"),
        Column("date", ColumnType.DATE, required=True, help="local day of the client"),
        *_counts(
            ("followers", "followers at the end of that day"),
            ("followers_gained", "new followers that day"),
            ("followers_lost", "unfollows that day"),
            ("reach", "unique people reached that day"),
            ("impressions", "views/impressions that day"),
            ("profile_visits", "visits to the profile or community page"),
            ("link_clicks", "clicks on the website link(s) of the profile"),
            ("contact_clicks", "clicks on contact buttons"),
            ("location_clicks", "clicks on the address / directions"),
        ),
    ),
)

POSTS = Table(
    name="posts",
    key=("account_id", "post_id"),
    write_mode="snapshot",
    references={"account_id": "accounts"},
    help="Publications with lifetime metrics as captured; the latest captured_at wins.",
    columns=(
        Column("account_id", ColumnType.ID, required=True, help="the account"),
        Column("post_id", ColumnType.ID, required=True, help="the platform's post id"),
        Column("published_at", ColumnType.TIMESTAMP, required=True, help="publication time"),
        Column("kind", ColumnType.CHOICE, choices=POST_KINDS, help="kind of publication"),
        Column("text", ColumnType.TEXT, help="caption/text"),
        Column("url", ColumnType.TEXT, help="permalink"),
        *_counts(
            ("likes", "likes or reactions"),
            ("comments", "comments"),
            ("shares", "reposts/forwards"),
            ("saves", "saves/bookmarks"),
            ("views", "views of the post"),
            ("reach", "unique people reached by the post"),
            ("reach_organic", "reach without ads and reposts"),
            ("reach_viral", "reach through reposts to non-followers"),
            ("reach_paid", "reach through advertising"),
            ("link_clicks", "clicks on links in the post"),
        ),
        Column(
            "captured_at",
            ColumnType.TIMESTAMP,
            required=True,
            help="when these lifetime metrics were read",
        ),
        Column(
            "attributes",
            ColumnType.TEXT,
            help="what the kind has no room for, space-separated: carousel, link, poll",
        ),
    ),
)

MENTIONS = Table(
    name="mentions",
    key=("client_id", "mention_id"),
    references={"client_id": "clients"},
    help="Publications by others about the brand.",
    columns=(
        Column("client_id", ColumnType.ID, required=True, help="the client"),
        Column("mention_id", ColumnType.ID, required=True, help="id of the mention"),
        Column("platform", ColumnType.TEXT, help="platform or site name"),
        Column("published_at", ColumnType.TIMESTAMP, required=True, help="publication time"),
        Column("url", ColumnType.TEXT, help="link"),
        Column("author", ColumnType.TEXT, help="author"),
        Column("text", ColumnType.TEXT, help="text"),
    ),
    derived=(
        Column(
            "tags",
            ColumnType.TEXT,
            help="the text's hashtags, normalised (NFKC, case-folded), without '#', "
            "space-separated with a space at both ends",
        ),
    ),
)

WEB_SESSIONS = Table(
    name="web_sessions",
    key=(
        "client_id",
        "date",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_content",
        "utm_term",
    ),
    references={"client_id": "clients"},
    help="Site traffic by UTM, per local day.",
    columns=(
        Column("client_id", ColumnType.ID, required=True, help="the client"),
        Column("date", ColumnType.DATE, required=True, help="local day"),
        *_utm("as recorded by the web analytics (empty = not set)"),
        *_counts(
            ("sessions", "visits"),
            ("users", "unique visitors (not additive across days)"),
            ("goal_completions", "site goals reached"),
        ),
    ),
)

LEADS = Table(
    name="leads",
    key=("client_id", "lead_id"),
    references={"client_id": "clients"},
    help="Leads from the CRM.",
    columns=(
        Column("client_id", ColumnType.ID, required=True, help="the client"),
        Column("lead_id", ColumnType.ID, required=True, help="CRM id"),
        Column("created_at", ColumnType.TIMESTAMP, required=True, help="creation time"),
        *_utm("from the CRM's tracking fields"),
        Column("channel", ColumnType.TEXT, help="source as typed by a person"),
        Column("status", ColumnType.CHOICE, choices=LEAD_STATUSES, help="open, won or lost"),
    ),
)

SALES = Table(
    name="sales",
    key=("client_id", "sale_id"),
    references={"client_id": "clients"},
    help="Closed sales from the CRM.",
    columns=(
        Column("client_id", ColumnType.ID, required=True, help="the client"),
        Column("sale_id", ColumnType.ID, required=True, help="CRM id"),
        Column("lead_id", ColumnType.ID, help="the lead it came from, if known"),
        Column("closed_at", ColumnType.TIMESTAMP, required=True, help="closing time"),
        Column("amount", ColumnType.MONEY, help="revenue, in the client's currency"),
        *_utm("(empty: the lead's values apply)"),
        Column("channel", ColumnType.TEXT, help="source as typed by a person"),
    ),
)

AD_SPEND = Table(
    name="ad_spend",
    key=("client_id", "date", "platform", "campaign"),
    references={"client_id": "clients"},
    help="Advertising spend per day, platform and campaign.",
    columns=(
        Column("client_id", ColumnType.ID, required=True, help="the client"),
        Column("date", ColumnType.DATE, required=True, help="local day"),
        Column("platform", ColumnType.TEXT, required=True, help="ad platform"),
        Column("campaign", ColumnType.TEXT, help="campaign (may be empty)"),
        Column("amount", ColumnType.MONEY, required=True, help="spend that day"),
    ),
)

TABLES: tuple[Table, ...] = (
    CLIENTS,
    ACCOUNTS,
    ACCOUNT_DAILY,
    POSTS,
    MENTIONS,
    WEB_SESSIONS,
    LEADS,
    SALES,
    AD_SPEND,
)
"""In dependency order: a table only references tables before it."""

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
DATA_TABLES: tuple[str, ...] = tuple(t.name for t in TABLES if t not in (CLIENTS, ACCOUNTS))
"""The tables of statistics (clients and accounts are the directory they hang on)."""
