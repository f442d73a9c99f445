"""Workspace settings, declared once with their defaults and help.

Where a value comes from, strongest first: a command-line flag, an environment variable
``SMMKPI__SECTION__KEY`` (``SMMKPI__DISPLAY__LANG=en``), the workspace's ``smmkpi.toml``, the
default below. Secrets never go into ``smmkpi.toml`` or the database. ``docs/settings.md`` is
generated from these declarations (``make docs``); a test fails when it is out of date.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from smmkpi.errors import UserError
from smmkpi.i18n import _

SETTINGS_FILE = "smmkpi.toml"
ENV_PREFIX = "SMMKPI__"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorkspaceSection(_Section):
    name: str = Field(
        default="",
        description="Display name of the agency or specialist that owns this workspace.",
    )


class StoreSection(_Section):
    url: str = Field(
        default="",
        description="A PostgreSQL database to keep the workspace in instead of the DuckDB file, "
        "such as 'postgresql://smmkpi@db.local:5432/agency'; the password comes from PGPASSWORD or "
        "~/.pgpass, never from this file. Empty: the DuckDB file.",
    )
    path: str = Field(
        default="smmkpi.duckdb",
        description="The embedded DuckDB database file, relative to the workspace folder.",
    )
    threads: int = Field(
        default=0,
        ge=0,
        description="Threads DuckDB may use for queries; 0 means one per CPU core.",
    )
    memory_limit: str = Field(
        default="",
        description="Memory DuckDB may use, such as '2GB'; empty means DuckDB's default "
        "(80 % of RAM).",
    )


class DisplaySection(_Section):
    lang: Literal["ru", "en"] = Field(
        default="ru",
        description="Language of tables and messages: 'ru' or 'en'. The --lang flag overrides it.",
    )


class ImportSection(_Section):
    max_errors: int = Field(
        default=20,
        ge=1,
        le=1000,
        description="How many problems a rejected import lists before it says how many more "
        "there are.",
    )
    memory_limit: str = Field(
        default="128MB",
        description="Memory DuckDB may hold during an import; beyond it the staged rows spill "
        "to disk, so an export of millions of rows imports in under 0.5 GB.",
    )
    max_unpacked_mb: int = Field(
        default=256,
        ge=1,
        description="The most an XLSX workbook may unpack to (its zip holds compressed XML); "
        "larger ones are refused before they are read, so that one upload cannot exhaust "
        "memory.",
    )
    max_cells: int = Field(
        default=20_000_000,
        ge=1,
        description="The most cells a workbook's sheet may declare; larger ones are refused "
        "before they are read (export such data as CSV).",
    )


class ClientAttribution(_Section):
    extra_social_mediums: list[str] = Field(
        default_factory=list,
        description="More utm_medium values that count as social for this client.",
    )
    extra_social_sources: list[str] = Field(
        default_factory=list,
        description="More utm_source (or channel) values that count as social for this client.",
    )


class AttributionSection(_Section):
    extra_social_mediums: list[str] = Field(
        default_factory=list,
        description="utm_medium values that count as social for every client, beyond the "
        "built-in list (social, smm, paid_social, …).",
    )
    extra_social_sources: list[str] = Field(
        default_factory=list,
        description="utm_source (or channel) values that count as social for every client, "
        "beyond the built-in platform names (vk, telegram, instagram, …).",
    )
    clients: dict[str, ClientAttribution] = Field(
        default_factory=dict,
        description="Per-client additions, as [attribution.clients.<client_id>] tables with "
        "extra_social_mediums and extra_social_sources.",
    )

    @field_validator("extra_social_mediums", "extra_social_sources")
    @classmethod
    def _normalise(cls, values: list[str]) -> list[str]:
        return [v.strip().lower() for v in values if v.strip()]


HEX_COLOUR = r"^#[0-9A-Fa-f]{6}$"
ReportFormat = Literal["pdf", "xlsx", "html"]
ReportPart = Literal["summary", "goals", "competitors", "quality", "methodology"]
REPORT_PARTS: tuple[ReportPart, ...] = ("summary", "goals", "competitors", "quality", "methodology")
REPORT_FORMATS: tuple[ReportFormat, ...] = ("pdf", "xlsx", "html")


class VkSyncSection(_Section):
    base_url: str = Field(
        default="https://api.vk.com",
        description="Where VK's API answers (requests go to {base_url}/method/<name>); a test "
        "server or a proxy may stand in.",
    )
    api_version: str = Field(default="5.199", description="The VK API version requested.")
    requests_per_second: int = Field(
        default=3, ge=1, le=20, description="Requests a second per token (VK allows 3)."
    )
    app_id: str = Field(
        default="",
        description="The agency's VK ID app id, for signing in from the web app; its secret is "
        "the environment variable SMMKPI_VK_CLIENT_SECRET.",
    )
    auth_url: str = Field(
        default="https://id.vk.com/authorize",
        description="Where the web app sends a person to sign in with VK ID.",
    )
    token_url: str = Field(
        default="https://id.vk.com/oauth2/auth",
        description="Where VK ID trades codes and refresh tokens.",
    )


class MetricaSyncSection(_Section):
    base_url: str = Field(
        default="https://api-metrika.yandex.net",
        description="Where Yandex Metrica's API answers (requests go to "
        "{base_url}/stat/v1/data and {base_url}/management/v1/counter/<id>).",
    )
    client_id: str = Field(
        default="",
        description="The agency's Yandex OAuth app id, for signing in from the web app; its "
        "secret is the environment variable SMMKPI_YANDEX_CLIENT_SECRET.",
    )
    auth_url: str = Field(
        default="https://oauth.yandex.ru/authorize",
        description="Where the web app sends a person to sign in with Yandex.",
    )
    token_url: str = Field(
        default="https://oauth.yandex.ru/token",
        description="Where Yandex exchanges a sign-in's code for a token.",
    )
    requests_per_second: int = Field(
        default=3,
        ge=1,
        le=30,
        description="Requests a second per token (Metrica: 3 at once per user, 200 in 5 minutes).",
    )


class AmoSyncSection(_Section):
    base_url: str = Field(
        default="https://{subdomain}.amocrm.ru",
        description="Where amoCRM answers; {subdomain} is the connection's account. Another "
        "value replaces scheme and host (a test server, a proxy).",
    )

    def address(self, subdomain: str) -> str:
        """Where the account ``subdomain`` answers."""
        return self.base_url.replace("{subdomain}", subdomain)

    requests_per_second: int = Field(
        default=7, ge=1, le=50, description="Requests a second per token (amoCRM allows 7)."
    )
    client_id: str = Field(
        default="",
        description="The agency's amoCRM integration id, for signing in from the web app; its "
        "secret is the environment variable SMMKPI_AMOCRM_CLIENT_SECRET.",
    )
    auth_url: str = Field(
        default="https://www.amocrm.ru/oauth",
        description="Where the web app sends a person to give amoCRM access.",
    )


class Bitrix24SyncSection(_Section):
    requests_per_second: int = Field(
        default=2,
        ge=1,
        le=20,
        description="Requests a second per webhook (Bitrix24's bucket drains 2 a second; "
        "Enterprise 5).",
    )


class TelegramSyncSection(_Section):
    api_id: int = Field(
        default=0,
        ge=0,
        description="The agency's Telegram app id (my.telegram.org → API development tools); its "
        "api_hash is a secret: the environment variable SMMKPI_TELEGRAM_API_HASH.",
    )

    def api_hash(self) -> str:
        """The app's api_hash, from the environment only (a secret)."""
        return os.environ.get("SMMKPI_TELEGRAM_API_HASH", "").strip()


class GraphSyncSection(_Section):
    base_url: str = Field(
        default="https://graph.facebook.com",
        description="Where Meta's Graph API answers for this source (requests go to "
        "{base_url}/<sync.meta.api_version>/…).",
    )


class MetaSyncSection(_Section):
    """What Instagram and Facebook share: the Graph API's version, the agency's Meta app."""

    api_version: str = Field(default="v23.0", description="The Graph API version requested.")
    app_id: str = Field(
        default="",
        description="The agency's Meta app id, for signing in from the web app; its secret is "
        "the environment variable SMMKPI_META_APP_SECRET.",
    )
    auth_url: str = Field(
        default="https://www.facebook.com/v23.0/dialog/oauth",
        description="Where the web app sends a person to sign in with Facebook Login.",
    )
    requests_per_second: int = Field(
        default=5,
        ge=1,
        le=50,
        description="Requests a second per token (Meta limits by usage per hour; its headers "
        "say when access comes back).",
    )


class GoogleSyncSection(_Section):
    client_id: str = Field(
        default="",
        description="The agency's Google OAuth client id (YouTube, GA4); its secret is the "
        "environment variable SMMKPI_GOOGLE_CLIENT_SECRET.",
    )
    token_url: str = Field(
        default="https://oauth2.googleapis.com/token",
        description="Where a refresh token is exchanged for an access token.",
    )
    auth_url: str = Field(
        default="https://accounts.google.com/o/oauth2/v2/auth",
        description="Where the web app sends a person to sign in with Google (OAuth, PKCE).",
    )


class Ga4SyncSection(_Section):
    base_url: str = Field(
        default="https://analyticsdata.googleapis.com",
        description="Where GA4's Data API answers ({base_url}/v1beta/properties/<id>:runReport).",
    )
    requests_per_second: int = Field(
        default=5, ge=1, le=50, description="Requests a second per property's token."
    )


class YouTubeSyncSection(_Section):
    base_url: str = Field(
        default="https://youtubeanalytics.googleapis.com",
        description="Where YouTube Analytics answers ({base_url}/v2/reports).",
    )
    data_url: str = Field(
        default="https://www.googleapis.com/youtube/v3",
        description="Where the YouTube Data API answers (channels, playlistItems, videos).",
    )
    requests_per_second: int = Field(
        default=5,
        ge=1,
        le=50,
        description="Requests a second per token (quota: 10 000 units a day).",
    )


class TikTokSyncSection(_Section):
    base_url: str = Field(
        default="https://open.tiktokapis.com",
        description="Where TikTok's API answers ({base_url}/v2/…).",
    )
    client_key: str = Field(
        default="",
        description="The agency's TikTok app's client key; its secret is the environment "
        "variable SMMKPI_TIKTOK_CLIENT_SECRET.",
    )
    requests_per_second: int = Field(
        default=10, ge=1, le=50, description="Requests a second per token (TikTok: 600 a minute)."
    )


class SyncSection(_Section):
    reread_days: int = Field(
        default=7,
        ge=0,
        le=90,
        description="Days before the last one read that each sync reads again (platforms restate "
        "recent days).",
    )
    post_reread_days: int = Field(
        default=30,
        ge=0,
        le=365,
        description="Posts younger than this are read again on every sync (their lifetime "
        "counters keep growing).",
    )
    backfill_days: int = Field(
        default=400,
        ge=1,
        le=3650,
        description="Days a connection's first sync reads back (or as far as the platform allows).",
    )
    every_hours: float = Field(
        default=24.0,
        gt=0,
        description="`smmkpi sync --due` syncs connections whose last success is older than this.",
    )
    timeout_seconds: float = Field(
        default=30.0, gt=0, description="How long one request to a platform may take."
    )
    attempts: int = Field(
        default=5,
        ge=1,
        le=20,
        description="Tries of a request that met a rate limit, a server error or a timeout.",
    )
    backoff_seconds: float = Field(
        default=1.0,
        ge=0,
        le=60,
        description="The first wait before a retry; it doubles (with jitter) up to a minute, or "
        "is what the platform asked for.",
    )
    parallel: int = Field(
        default=100,
        ge=1,
        le=256,
        description="Connections fetched at once (each within its own credential's rate).",
    )
    vk: VkSyncSection = Field(default_factory=VkSyncSection)
    metrica: MetricaSyncSection = Field(default_factory=MetricaSyncSection)
    telegram: TelegramSyncSection = Field(default_factory=TelegramSyncSection)
    instagram: GraphSyncSection = Field(default_factory=GraphSyncSection)
    facebook: GraphSyncSection = Field(default_factory=GraphSyncSection)
    meta: MetaSyncSection = Field(default_factory=MetaSyncSection)
    google: GoogleSyncSection = Field(default_factory=GoogleSyncSection)
    ga4: Ga4SyncSection = Field(default_factory=Ga4SyncSection)
    youtube: YouTubeSyncSection = Field(default_factory=YouTubeSyncSection)
    tiktok: TikTokSyncSection = Field(default_factory=TikTokSyncSection)
    amocrm: AmoSyncSection = Field(default_factory=AmoSyncSection)
    bitrix24: Bitrix24SyncSection = Field(default_factory=Bitrix24SyncSection)


class PlanningSection(_Section):
    tolerance: float = Field(
        default=5.0,
        ge=0,
        le=50,
        description="Percent of a target within which a finished KPI counts as achieved "
        "within tolerance and a running one as on track, never as off track.",
    )


class ReportSection(_Section):
    specialist: str = Field(
        default="",
        description="The specialist named on the report's cover (the person who prepared it).",
    )
    logo: str = Field(
        default="",
        description="The agency's logo on the cover: an SVG, PNG or JPEG file inside the "
        "workspace folder (path relative to it). It is embedded in the report, never fetched.",
    )
    primary_colour: str = Field(
        default="#1F3A5F",
        pattern=HEX_COLOUR,
        description="The agency's main colour (#RRGGBB): headings, the cover, chart series.",
    )
    accent_colour: str = Field(
        default="#E07A2E",
        pattern=HEX_COLOUR,
        description="The agency's accent colour (#RRGGBB): targets and highlights.",
    )
    formats: list[ReportFormat] = Field(
        default_factory=lambda: list(REPORT_FORMATS),
        description="Formats `smmkpi report` renders when --format is not given.",
    )
    folder: str = Field(
        default="reports",
        description="Where rendered reports go (relative to the workspace) unless --out is given.",
    )
    best_posts: int = Field(
        default=5,
        ge=1,
        le=20,
        description="How many best and worst posts by ERR the community section lists for each "
        "platform (ERR is compared within a platform).",
    )
    edition: Literal["client", "internal"] = Field(
        default="client",
        description="The edition `smmkpi report`, downloads and the API give unless told: "
        "'client' (what a client is sent: no import files, no restatement notes, the agency's "
        "name in the footer) or 'internal' (everything, for the specialist; its files end in "
        "-internal). Share links and deliveries always give the client edition.",
    )
    client_sections: list[ReportPart] = Field(
        default_factory=lambda: list(REPORT_PARTS),
        description="The sections of the client edition after its cover: summary, goals (a "
        "page per goal), quality (data quality), methodology.",
    )
    internal_sections: list[ReportPart] = Field(
        default_factory=lambda: list(REPORT_PARTS),
        description="The sections of the internal edition after its cover (the same choices).",
    )
    trend_months: int = Field(
        default=6,
        ge=2,
        le=24,
        description="How many months (the report's month included) the trend charts show.",
    )


class WebSection(_Section):
    public_url: str = Field(
        default="",
        description="The address people open the web app at (https://smmkpi.agency.ru/): OAuth "
        "sign-ins come back to {public_url}oauth/callback/<source>; empty: the request's own.",
    )
    upload_limit_mb: int = Field(
        default=200,
        ge=1,
        le=10_000,
        description="The largest file the web app accepts for import, in megabytes.",
    )
    product_name: bool = Field(
        default=False,
        description="Show smmkpi's name in the web app's pages beside the agency's; off, the "
        "pages a client sees carry only the agency's name, logo and colours (report.logo, "
        "report.primary_colour, report.accent_colour).",
    )
    session_hours: int = Field(
        default=12,
        ge=1,
        le=720,
        description="How long a sign-in to the web app lasts, in hours.",
    )


class SmtpSection(_Section):
    host: str = Field(
        default="",
        description="The SMTP server reports are e-mailed through (smtp.yandex.ru, "
        "smtp.gmail.com); the password comes from SMMKPI_SMTP_PASSWORD, never from this file.",
    )
    port: int = Field(default=587, ge=1, le=65535, description="The SMTP server's port.")
    user: str = Field(default="", description="The SMTP login; empty: no login.")
    starttls: bool = Field(
        default=True,
        description="Upgrade the connection with STARTTLS before logging in (refusing a server "
        "that cannot); false only for a server on this machine.",
    )
    sender: str = Field(
        default="",
        description="The From address of the e-mails, such as 'Agency <reports@agency.ru>'; "
        "empty: the login.",
    )
    timeout_seconds: float = Field(
        default=60.0, gt=0, description="How long the SMTP server may take to answer."
    )


class TelegramDeliverySection(_Section):
    base_url: str = Field(
        default="https://api.telegram.org",
        description="Where the Telegram Bot API answers (requests go to "
        "{base_url}/bot<TOKEN>/<method>); the bot token comes from SMMKPI_TELEGRAM_BOT_TOKEN.",
    )


class DeliverySection(_Section):
    smtp: SmtpSection = Field(default_factory=SmtpSection)
    telegram: TelegramDeliverySection = Field(default_factory=TelegramDeliverySection)
    attachment_limit_mb: float = Field(
        default=20.0,
        gt=0,
        le=50,
        description="The most an e-mail's attachments may weigh together; above it the e-mail "
        "carries share links instead (Telegram's own limit is 50 MB a file).",
    )
    max_attempts: int = Field(
        default=5,
        ge=1,
        le=50,
        description="Runs that try a failed send before giving up on it (the log says so).",
    )
    retry_minutes: float = Field(
        default=30.0,
        ge=0,
        description="A failed send is tried again by the next run, then after this wait, "
        "doubling with each attempt (up to a day).",
    )
    link_days: int = Field(
        default=90,
        ge=1,
        le=365,
        description="How long the share links sent with a delivery (webhooks, files too large "
        "to attach) stay open.",
    )
    timeout_seconds: float = Field(
        default=60.0, gt=0, description="How long Telegram or a webhook may take to answer."
    )


class Settings(BaseSettings):
    """All settings of a workspace."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_prefix_target="all",  # the prefix applies to aliased fields too ("import")
        env_nested_delimiter="__",
        extra="forbid",
    )

    workspace: WorkspaceSection = Field(default_factory=WorkspaceSection)
    store: StoreSection = Field(default_factory=StoreSection)
    display: DisplaySection = Field(default_factory=DisplaySection)
    import_: ImportSection = Field(default_factory=ImportSection, alias="import")
    attribution: AttributionSection = Field(default_factory=AttributionSection)
    planning: PlanningSection = Field(default_factory=PlanningSection)
    sync: SyncSection = Field(default_factory=SyncSection)
    report: ReportSection = Field(default_factory=ReportSection)
    web: WebSection = Field(default_factory=WebSection)
    delivery: DeliverySection = Field(default_factory=DeliverySection)


def load_settings(folder: Path, overrides: dict[str, Any] | None = None) -> Settings:
    """Read the settings of the workspace in ``folder``.

    ``overrides`` are the values given on the command line, as nested dicts
    (``{"display": {"lang": "en"}}``); they win over everything else.
    """
    toml_file = folder / SETTINGS_FILE

    class _WorkspaceSettings(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            return (
                init_settings,
                env_settings,
                TomlConfigSettingsSource(settings_cls, toml_file=toml_file),
            )

    try:
        return _WorkspaceSettings(**(overrides or {}))
    except ValidationError as error:
        problems = []
        for item in error.errors():
            key = ".".join(str(part) for part in item["loc"])
            problems.append(
                _("setting '{key}': {message} (value {value!r})").format(
                    key=key.replace("import_", "import"),
                    message=item["msg"],
                    value=item.get("input"),
                )
            )
        raise UserError(
            _("Invalid settings in {file} or SMMKPI__ environment variables:").format(
                file=toml_file
            )
            + "\n  - "
            + "\n  - ".join(problems)
        ) from error
    except ValueError as error:  # a TOML syntax error
        raise UserError(
            _("{file} is not valid TOML: {error}").format(file=toml_file, error=error)
        ) from error


def iter_settings() -> list[tuple[str, Any, str]]:
    """Every setting as (dotted key, default, help), for the generated documentation."""
    rows: list[tuple[str, Any, str]] = []
    for section_name, section_field in Settings.model_fields.items():
        section_type = section_field.annotation
        key = section_field.alias or section_name
        assert isinstance(section_type, type)
        assert issubclass(section_type, BaseModel)
        rows += _fields_of(section_type, key)
    return rows


def _fields_of(model: type[BaseModel], prefix: str) -> list[tuple[str, Any, str]]:
    """A section's settings; a nested section's (``sync.vk``) as dotted keys."""
    rows: list[tuple[str, Any, str]] = []
    for name, field in model.model_fields.items():
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            rows += _fields_of(kind, f"{prefix}.{name}")
            continue
        default = field.get_default(call_default_factory=True)
        rows.append((f"{prefix}.{name}", default, field.description or ""))
    return rows
