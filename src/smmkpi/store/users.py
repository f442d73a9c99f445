"""Who may use the web app: users with a role and, for specialists and client viewers, their
clients; and their signed-in sessions. Secrets are never stored: passwords as argon2 hashes
(made in ``web/auth.py``), session tokens as SHA-256 hashes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from smmkpi.i18n import _
from smmkpi.store.connection import Connection

ROLES = ("admin", "specialist", "viewer")
"""admin: the agency, every client; specialist: their clients; viewer: one client, read-only."""


def role_name(role: str) -> str:
    """A role in the current language."""
    return {"admin": _("admin"), "specialist": _("specialist"), "viewer": _("client viewer")}[role]


@dataclass(frozen=True)
class User:
    username: str
    role: str
    display_name: str | None
    clients: tuple[str, ...]  # the clients a specialist or viewer may see (admin: all)
    disabled: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_edit(self) -> bool:
        return self.role in ("admin", "specialist")

    def may_see(self, client_id: str) -> bool:
        return self.is_admin or client_id in self.clients


def add_user(
    con: Connection,
    username: str,
    password_hash: str,
    role: str,
    display_name: str | None,
    clients: tuple[str, ...],
    now: datetime,
) -> None:
    """Add a user (inside the caller's transaction); replaces the clients of an existing one."""
    con.execute(
        "INSERT INTO users (username, password_hash, role, display_name, created_at) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO UPDATE SET "
        "password_hash = excluded.password_hash, role = excluded.role, "
        "display_name = excluded.display_name",
        [username, password_hash, role, display_name, now],
    )
    con.execute("DELETE FROM user_clients WHERE username = $1", [username])
    for client_id in clients:
        con.execute("INSERT INTO user_clients VALUES ($1, $2)", [username, client_id])


def get_user(con: Connection, username: str) -> User | None:
    row = con.execute(
        "SELECT username, role, display_name, disabled FROM users WHERE username = $1", [username]
    ).fetchone()
    if row is None:
        return None
    clients = con.execute(
        "SELECT client_id FROM user_clients WHERE username = $1 ORDER BY client_id", [username]
    ).fetchall()
    return User(row[0], row[1], row[2], tuple(c[0] for c in clients), bool(row[3]))


def password_hash_of(con: Connection, username: str) -> str | None:
    row = con.execute(
        "SELECT password_hash FROM users WHERE username = $1 AND NOT disabled", [username]
    ).fetchone()
    return None if row is None else str(row[0])


def list_users(con: Connection) -> list[User]:
    names = [r[0] for r in con.execute("SELECT username FROM users ORDER BY username").fetchall()]
    return [u for u in (get_user(con, n) for n in names) if u is not None]


def start_session(
    con: Connection,
    token_hash: str,
    username: str,
    csrf_token: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    con.execute(
        "INSERT INTO login_sessions VALUES ($1, $2, $3, $4, $5)",
        [token_hash, username, csrf_token, now, expires_at],
    )


def purge_sessions(con: Connection, now: datetime) -> None:
    """Forget the sessions that have expired."""
    con.execute("DELETE FROM login_sessions WHERE expires_at <= $1", [now])


def session_user(con: Connection, token_hash: str, now: datetime) -> tuple[User, str] | None:
    """The signed-in user of a session and its CSRF token; None when unknown or expired."""
    row = con.execute(
        "SELECT username, csrf_token FROM login_sessions WHERE token_hash = $1 AND expires_at > $2",
        [token_hash, now],
    ).fetchone()
    if row is None:
        return None
    user = get_user(con, row[0])
    if user is None or user.disabled:
        return None
    return user, str(row[1])


def end_session(con: Connection, token_hash: str) -> None:
    con.execute("DELETE FROM login_sessions WHERE token_hash = $1", [token_hash])


@dataclass(frozen=True)
class ApiToken:
    """An API token as listed: ``token_id`` is the start of its hash (the token itself is never
    stored)."""

    token_id: str
    username: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    def state(self, now: datetime) -> str:
        """active, expired or revoked."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and now >= self.expires_at:
            return "expired"
        return "active"


TOKEN_ID_LENGTH = 10
LAST_USE_STEP = timedelta(minutes=1)  # a token's last use is written at most this often


def add_token(
    con: Connection,
    token_hash: str,
    username: str,
    name: str,
    now: datetime,
    expires_at: datetime | None = None,
) -> str:
    """Store an API token's hash; its id."""
    con.execute(
        "INSERT INTO api_tokens (token_hash, username, name, created_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        [token_hash, username, name, now, expires_at],
    )
    return token_hash[:TOKEN_ID_LENGTH]


def token_user(con: Connection, token_hash: str, now: datetime | None = None) -> User | None:
    """The user of an API token; None when unknown, revoked or expired, or the user is
    disabled. Notes the token's use (at most once a minute)."""
    now = now or datetime.now(UTC)
    row = con.execute(
        "SELECT username, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS "
        "NULL AND (expires_at IS NULL OR expires_at > $2)",
        [token_hash, now],
    ).fetchone()
    if row is None:
        return None
    user = get_user(con, row[0])
    if user is None or user.disabled:
        return None
    if row[1] is None or now - row[1] >= LAST_USE_STEP:
        con.execute(
            "UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2", [now, token_hash]
        )
    return user


def tokens(con: Connection, username: str | None = None) -> list[ApiToken]:
    """The API tokens (of ``username``), newest first."""
    rows = con.execute(
        "SELECT token_hash, username, name, created_at, expires_at, last_used_at, revoked_at "
        "FROM api_tokens WHERE CAST($1 AS VARCHAR) IS NULL OR username = $2 "
        "ORDER BY created_at DESC, token_hash",
        [username, username],
    ).fetchall()
    return [ApiToken(r[0][:TOKEN_ID_LENGTH], *r[1:]) for r in rows]


def revoke_tokens(
    con: Connection, now: datetime, token_id: str | None = None, username: str | None = None
) -> int:
    """Revoke the token whose id is ``token_id`` (its hash starts so), or every token of
    ``username``; how many were revoked now."""
    if token_id is not None:
        where, params = "starts_with(token_hash, $1)", [token_id]
        if len(token_id) < TOKEN_ID_LENGTH:
            return 0
    else:
        where, params = "username = $1", [str(username)]
    found = con.execute(
        f"UPDATE api_tokens SET revoked_at = $2 WHERE {where} AND revoked_at IS NULL "
        "RETURNING token_hash",
        [*params, now],
    ).fetchall()
    return len(found)


def end_sessions(con: Connection, username: str) -> int:
    """Sign ``username`` out everywhere; how many sessions ended."""
    found = con.execute(
        "DELETE FROM login_sessions WHERE username = $1 RETURNING token_hash", [username]
    ).fetchall()
    return len(found)


def remove_user(con: Connection, username: str, now: datetime) -> bool:
    """Remove a user: their sessions end, their tokens are revoked (and kept, for the record),
    their clients are forgotten. False when there is no such user."""
    if get_user(con, username) is None:
        return False
    end_sessions(con, username)
    revoke_tokens(con, now, username=username)
    con.execute("DELETE FROM user_clients WHERE username = $1", [username])
    con.execute("DELETE FROM users WHERE username = $1", [username])
    return True
