"""PostgreSQL URLs as the rest of smmkpi sees them, without psycopg (the ``postgresql`` extra):
which text is one, and how it is shown with its password hidden.

>>> safe_url("postgresql://smm:s3cret@db.example:5432/agency")
'postgresql://smm:***@db.example:5432/agency'
"""

from __future__ import annotations


def is_postgres_url(text: str) -> bool:
    return text.startswith(("postgresql://", "postgres://"))


def safe_url(url: str) -> str:
    """``url`` without its password, for messages."""
    scheme, sep, rest = url.partition("://")
    if "@" not in rest:
        return url
    credentials, _at, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{host}" if ":" in credentials else url
