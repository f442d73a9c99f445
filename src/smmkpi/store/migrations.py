"""Versioned forward migrations of the workspace database.

Each migration is frozen once released: later changes are new migrations, never edits, so a
workspace made by any older version upgrades itself step by step when it is opened. The DDL is
written out literally (not generated from ``tables.py``) for that reason; a test checks that the
migrated schema matches the current declarations.

Key uniqueness is kept by the write path (``store/writer.py``), not by PRIMARY KEY constraints:
DuckDB's ART indexes would cost memory and load time on tables of millions of rows. A migration
may be for one engine only (its version is recorded on both): PostgreSQL, a row store, gets
B-tree indexes on each table's owner and time, which DuckDB's column scans do not need.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SCHEMA_TABLE = "smmkpi_schema"


@dataclass(frozen=True)
class Migration:
    """One step of the schema: its number, what it does, and its SQL statements."""

    version: int
    description: str
    statements: tuple[str, ...]
    engines: tuple[str, ...] = ("duckdb", "postgresql")  # where the statements run


_UTM = """
    utm_source VARCHAR,
    utm_medium VARCHAR,
    utm_campaign VARCHAR,
    utm_content VARCHAR,
    utm_term VARCHAR"""

_V1 = (
    """CREATE TABLE clients (
    client_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    timezone VARCHAR NOT NULL,
    currency VARCHAR NOT NULL,
    goal VARCHAR,
    brand_hashtags VARCHAR,
    import_id BIGINT NOT NULL
)""",
    """CREATE TABLE accounts (
    account_id VARCHAR NOT NULL,
    client_id VARCHAR NOT NULL,
    platform VARCHAR NOT NULL,
    handle VARCHAR,
    name VARCHAR,
    import_id BIGINT NOT NULL
)""",
    """CREATE TABLE account_daily (
    account_id VARCHAR NOT NULL,
    date DATE NOT NULL,
    followers BIGINT,
    followers_gained BIGINT,
    followers_lost BIGINT,
    reach BIGINT,
    impressions BIGINT,
    profile_visits BIGINT,
    link_clicks BIGINT,
    contact_clicks BIGINT,
    location_clicks BIGINT,
    import_id BIGINT NOT NULL
)""",
    """CREATE TABLE posts (
    account_id VARCHAR NOT NULL,
    post_id VARCHAR NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    kind VARCHAR,
    text VARCHAR,
    url VARCHAR,
    likes BIGINT,
    comments BIGINT,
    shares BIGINT,
    saves BIGINT,
    views BIGINT,
    reach BIGINT,
    reach_organic BIGINT,
    reach_viral BIGINT,
    reach_paid BIGINT,
    link_clicks BIGINT,
    captured_at TIMESTAMPTZ NOT NULL,
    import_id BIGINT NOT NULL
)""",
    """CREATE TABLE mentions (
    client_id VARCHAR NOT NULL,
    mention_id VARCHAR NOT NULL,
    platform VARCHAR,
    published_at TIMESTAMPTZ NOT NULL,
    url VARCHAR,
    author VARCHAR,
    text VARCHAR,
    tags VARCHAR,
    import_id BIGINT NOT NULL
)""",
    f"""CREATE TABLE web_sessions (
    client_id VARCHAR NOT NULL,
    date DATE NOT NULL,{_UTM},
    sessions BIGINT,
    users BIGINT,
    goal_completions BIGINT,
    import_id BIGINT NOT NULL
)""",
    f"""CREATE TABLE leads (
    client_id VARCHAR NOT NULL,
    lead_id VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,{_UTM},
    channel VARCHAR,
    status VARCHAR,
    import_id BIGINT NOT NULL
)""",
    f"""CREATE TABLE sales (
    client_id VARCHAR NOT NULL,
    sale_id VARCHAR NOT NULL,
    lead_id VARCHAR,
    closed_at TIMESTAMPTZ NOT NULL,
    amount DECIMAL(18,4),{_UTM},
    channel VARCHAR,
    import_id BIGINT NOT NULL
)""",
    """CREATE TABLE ad_spend (
    client_id VARCHAR NOT NULL,
    date DATE NOT NULL,
    platform VARCHAR NOT NULL,
    campaign VARCHAR,
    amount DECIMAL(18,4) NOT NULL,
    import_id BIGINT NOT NULL
)""",
    "CREATE SEQUENCE import_id_seq START 1",
    """CREATE TABLE import_log (
    import_id BIGINT NOT NULL PRIMARY KEY,
    source VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    importer_version VARCHAR NOT NULL,
    file_name VARCHAR,
    sha256 VARCHAR,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    rows_inserted BIGINT NOT NULL DEFAULT 0,
    rows_replaced BIGINT NOT NULL DEFAULT 0,
    rows_unchanged BIGINT NOT NULL DEFAULT 0,
    rows_ignored BIGINT NOT NULL DEFAULT 0,
    rows_rejected BIGINT NOT NULL DEFAULT 0,
    status VARCHAR NOT NULL,
    error VARCHAR,
    warnings VARCHAR
)""",
    """CREATE TABLE import_files (
    import_id BIGINT NOT NULL,
    file_name VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_inserted BIGINT NOT NULL DEFAULT 0,
    rows_replaced BIGINT NOT NULL DEFAULT 0,
    rows_unchanged BIGINT NOT NULL DEFAULT 0,
    rows_ignored BIGINT NOT NULL DEFAULT 0
)""",
)

_V2 = (
    "CREATE SEQUENCE utm_link_id_seq START 1",
    """CREATE TABLE utm_links (
    link_id BIGINT NOT NULL PRIMARY KEY,
    client_id VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    base_url VARCHAR NOT NULL,
    utm_source VARCHAR NOT NULL,
    utm_medium VARCHAR NOT NULL,
    utm_campaign VARCHAR NOT NULL,
    utm_content VARCHAR,
    utm_term VARCHAR,
    note VARCHAR,
    created_at TIMESTAMPTZ NOT NULL
)""",
)

_V3 = (
    """CREATE TABLE briefs (
    client_id VARCHAR NOT NULL,
    revision INTEGER NOT NULL,
    answers VARCHAR NOT NULL,
    author VARCHAR,
    note VARCHAR,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (client_id, revision)
)""",
    """CREATE TABLE plans (
    plan_id VARCHAR NOT NULL PRIMARY KEY,
    client_id VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
)""",
    """CREATE TABLE plan_revisions (
    plan_id VARCHAR NOT NULL,
    revision INTEGER NOT NULL,
    content VARCHAR NOT NULL,
    author VARCHAR,
    why VARCHAR,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (plan_id, revision)
)""",
)

_V4 = (
    """CREATE TABLE report_comments (
    report_key VARCHAR NOT NULL,
    revision INTEGER NOT NULL,
    content VARCHAR NOT NULL,
    author VARCHAR,
    note VARCHAR,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (report_key, revision)
)""",
)

_V5 = (
    """CREATE TABLE users (
    username VARCHAR NOT NULL PRIMARY KEY,
    password_hash VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    display_name VARCHAR,
    created_at TIMESTAMPTZ NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT false
)""",
    """CREATE TABLE user_clients (
    username VARCHAR NOT NULL,
    client_id VARCHAR NOT NULL,
    PRIMARY KEY (username, client_id)
)""",
    """CREATE TABLE login_sessions (
    token_hash VARCHAR NOT NULL PRIMARY KEY,
    username VARCHAR NOT NULL,
    csrf_token VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
)""",
    """CREATE TABLE share_links (
    link_id VARCHAR NOT NULL PRIMARY KEY,
    token_hash VARCHAR NOT NULL UNIQUE,
    client_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    month VARCHAR,
    language VARCHAR NOT NULL,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
)""",
    """CREATE TABLE share_views (
    link_id VARCHAR NOT NULL,
    viewed_at TIMESTAMPTZ NOT NULL,
    outcome VARCHAR NOT NULL,
    client_address VARCHAR,
    user_agent VARCHAR
)""",
)

_V6 = (
    """CREATE TABLE api_tokens (
    token_hash VARCHAR NOT NULL PRIMARY KEY,
    username VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
)""",
)

# A client's page asks for one client's month: without these PostgreSQL reads whole tables (1.3 s
# for one client of the benchmark's 500, 20 s at 16×). Owner first, then time, as the KPI
# queries filter.
_V7 = (
    "CREATE INDEX account_daily_by_account ON account_daily (account_id, date)",
    "CREATE INDEX posts_by_account ON posts (account_id, published_at)",
    "CREATE INDEX mentions_by_client ON mentions (client_id, published_at)",
    "CREATE INDEX web_sessions_by_client ON web_sessions (client_id, date)",
    "CREATE INDEX leads_by_client ON leads (client_id, created_at)",
    "CREATE INDEX sales_by_client ON sales (client_id, closed_at)",
    "CREATE INDEX ad_spend_by_client ON ad_spend (client_id, date)",
    "CREATE INDEX accounts_by_client ON accounts (client_id)",
)

# API tokens that expire and say when they were last used; the share-view log keeps a keyed hash
# of the address instead of the address (the addresses logged before are forgotten).
_V8 = (
    "ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ",
    "ALTER TABLE api_tokens ADD COLUMN last_used_at TIMESTAMPTZ",
    "UPDATE share_views SET client_address = NULL",
)

# Connections to the platforms' APIs: one per source and account (or client, for web analytics
# and CRMs), the credential encrypted (sync/credentials.py), the sync state and last outcome.
_V9 = (
    """CREATE TABLE connections (
    source VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    client_id VARCHAR NOT NULL,
    account_id VARCHAR,
    credential VARCHAR NOT NULL,
    options VARCHAR NOT NULL DEFAULT '{}',
    status VARCHAR NOT NULL DEFAULT 'never_synced',
    last_success_at TIMESTAMPTZ,
    last_attempt_at TIMESTAMPTZ,
    synced_through DATE,
    token_expires_at TIMESTAMPTZ,
    last_error VARCHAR,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, target)
)""",
)

# A sync claims its connection (who, since when) so two runs never sync one connection at once,
# two processes on PostgreSQL included; a claim of a process that died is taken over.
_V10 = (
    "ALTER TABLE connections ADD COLUMN claimed_by VARCHAR",
    "ALTER TABLE connections ADD COLUMN claimed_at TIMESTAMPTZ",
)

# Scheduled delivery (shared/spec/sync-and-delivery.md §3): the schedules (webhook secrets
# sealed), the log of every send with its attempts (one row per schedule, month and destination:
# exactly once), and the approvals of held reports.
_V11 = (
    """CREATE TABLE delivery_schedules (
    name VARCHAR NOT NULL PRIMARY KEY,
    client_id VARCHAR NOT NULL,
    destinations VARCHAR NOT NULL,
    day INTEGER NOT NULL,
    at_time VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    formats VARCHAR NOT NULL,
    review BOOLEAN NOT NULL,
    secrets VARCHAR,
    created_at TIMESTAMPTZ NOT NULL
)""",
    """CREATE TABLE deliveries (
    schedule VARCHAR NOT NULL,
    client_id VARCHAR NOT NULL,
    month VARCHAR NOT NULL,
    destination VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    happened_at TIMESTAMPTZ NOT NULL,
    attempts INTEGER NOT NULL,
    error VARCHAR,
    claimed_by VARCHAR,
    PRIMARY KEY (schedule, month, destination)
)""",
    """CREATE TABLE delivery_approvals (
    client_id VARCHAR NOT NULL,
    month VARCHAR NOT NULL,
    approved_by VARCHAR NOT NULL,
    approved_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (client_id, month)
)""",
)

# Sending (shared/spec/sync-and-delivery.md §3–4): when a failed send may be tried again (NULL:
# not on its own — given up, or interrupted mid-send), the alert rules, each subject's last
# state (an alert goes out when a KPI's status turns), and the log of alerts sent.
_V12 = (
    "ALTER TABLE deliveries ADD COLUMN next_try_at TIMESTAMPTZ",
    """CREATE TABLE alert_rules (
    name VARCHAR NOT NULL PRIMARY KEY,
    client_id VARCHAR,
    destinations VARCHAR NOT NULL,
    kinds VARCHAR NOT NULL,
    secrets VARCHAR,
    created_at TIMESTAMPTZ NOT NULL
)""",
    """CREATE TABLE alert_states (
    client_id VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    state VARCHAR NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (client_id, subject)
)""",
    """CREATE TABLE alert_log (
    alert VARCHAR NOT NULL,
    client_id VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    day DATE NOT NULL,
    destination VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    detail VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    happened_at TIMESTAMPTZ NOT NULL,
    attempts INTEGER NOT NULL,
    error VARCHAR,
    claimed_by VARCHAR,
    next_try_at TIMESTAMPTZ,
    PRIMARY KEY (alert, client_id, subject, day, destination)
)""",
)

# Content analytics (shared/spec/sync-and-delivery.md §6): each client's rubrics, a row per rule
# (a hashtag, a text fragment or a post id); a post belongs to every rubric a rule of which it
# matches.
_V13 = (
    """CREATE TABLE rubric_rules (
    client_id VARCHAR NOT NULL,
    rubric VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (client_id, rubric, rule, value)
)""",
)

# A post's attributes (carousel, link, poll): what its kind has no room for (issue 18).
_V14 = ("ALTER TABLE posts ADD COLUMN attributes VARCHAR",)

# Competitors from public data (shared/spec/sync-and-delivery.md §5): the accounts followed for
# each client, a snapshot of their public counters at every sync (several a day kept), and
# their posts' public counters as last read.
_V15 = (
    """CREATE TABLE competitors (
    competitor_id VARCHAR NOT NULL PRIMARY KEY,
    client_id VARCHAR NOT NULL,
    platform VARCHAR NOT NULL,
    handle VARCHAR NOT NULL,
    name VARCHAR,
    created_at TIMESTAMPTZ NOT NULL
)""",
    """CREATE TABLE competitor_snapshots (
    competitor_id VARCHAR NOT NULL,
    captured_at TIMESTAMPTZ NOT NULL,
    followers BIGINT,
    name VARCHAR,
    PRIMARY KEY (competitor_id, captured_at)
)""",
    """CREATE TABLE competitor_posts (
    competitor_id VARCHAR NOT NULL,
    post_id VARCHAR NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    likes BIGINT,
    comments BIGINT,
    shares BIGINT,
    views BIGINT,
    captured_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (competitor_id, post_id)
)""",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "canonical tables of spec v1, the import log", _V1),
    Migration(2, "the registry of tagged links (smmkpi utm)", _V2),
    Migration(3, "briefs and KPI plans with their revisions", _V3),
    Migration(4, "the specialist's commentary of monthly reports, with revisions", _V4),
    Migration(5, "web users, their clients and sessions; share links and their views", _V5),
    Migration(6, "API tokens of web users", _V6),
    Migration(7, "indexes for one client's KPIs (PostgreSQL)", _V7, ("postgresql",)),
    Migration(8, "API tokens' expiry and last use; share views without addresses", _V8),
    Migration(9, "connections to the platforms' APIs, credentials encrypted", _V9),
    Migration(10, "a sync's claim on its connection", _V10),
    Migration(11, "delivery schedules, the delivery log, approvals", _V11),
    Migration(12, "retries of failed sends, alert rules, states and log", _V12),
    Migration(13, "content rubrics: each client's rules", _V13),
    Migration(14, "a post's attributes: carousel, link, poll", _V14),
    Migration(15, "competitors, their snapshots and posts from public data", _V15),
)
"""Every migration, oldest first; versions are 1, 2, 3, … without gaps."""


def latest_version(migrations: Sequence[Migration] = MIGRATIONS) -> int:
    return migrations[-1].version if migrations else 0
