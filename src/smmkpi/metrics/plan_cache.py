"""Compiled KPI queries kept on disk between commands.

Compiling the catalogue with Ibis takes about a second; the SQL depends only on the code, the
library versions, the engine, the attribution rules and whether details are wanted. So it is
stored under the user's cache folder as the system names it (platformdirs: on Linux
``$XDG_CACHE_HOME/smmkpi/plans``, else ``~/.cache/smmkpi/plans``; ``~/Library/Caches`` on macOS,
``%LOCALAPPDATA%`` on Windows; ``SMMKPI_CACHE_DIR`` overrides it) under a key that hashes all of
these — including the source of the modules the queries are built from, so a changed
definition is never served from an old entry. A cache that cannot be read or written is simply
not used.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import platformdirs
import pyarrow as pa

FORMAT = 1
_SOURCES = (
    (
        "smmkpi.metrics",
        (
            "attribution.py",
            "catalogue.py",
            "formulas.py",
            "inputs.py",
            "model.py",
            "plan.py",
            "queries.py",
        ),
    ),
    ("smmkpi.store", ("tables.py", "migrations.py")),
)


@dataclass(frozen=True)
class CompiledPlan:
    """The SQL of both KPI queries for one engine, and the Arrow schemas of their results."""

    accounts_sql: str
    accounts_schema: pa.Schema
    clients_sql: str
    clients_schema: pa.Schema


def folder() -> Path:
    explicit = os.environ.get("SMMKPI_CACHE_DIR")
    if explicit:
        return Path(explicit) / "plans"
    return platformdirs.user_cache_path("smmkpi", appauthor=False) / "plans"


def _source_digest() -> str:
    digest = hashlib.sha256()
    for package, names in _SOURCES:
        for name in names:
            digest.update(resources.files(package).joinpath(name).read_bytes())
    return digest.hexdigest()


def key(dialect: str, rules: str, details: bool) -> str:
    """The cache key of a compiled plan."""
    versions = [metadata.version(p) for p in ("ibis-framework", "sqlglot", "pyarrow")]
    parts = [FORMAT, dialect, rules, details, versions, _source_digest()]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:32]


def _schema_text(schema: pa.Schema) -> str:
    return base64.b64encode(schema.serialize().to_pybytes()).decode()


def _schema(text: str) -> pa.Schema:
    return pa.ipc.read_schema(pa.py_buffer(base64.b64decode(text)))


def load(cache_key: str) -> CompiledPlan | None:
    path = folder() / f"{cache_key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return CompiledPlan(
            data["accounts_sql"],
            _schema(data["accounts_schema"]),
            data["clients_sql"],
            _schema(data["clients_schema"]),
        )
    except (OSError, ValueError, KeyError, pa.ArrowInvalid):
        return None


def store(cache_key: str, plan: CompiledPlan) -> None:
    target = folder()
    data = {
        "accounts_sql": plan.accounts_sql,
        "accounts_schema": _schema_text(plan.accounts_schema),
        "clients_sql": plan.clients_sql,
        "clients_schema": _schema_text(plan.clients_schema),
    }
    try:
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", dir=target, suffix=".partial", delete=False, encoding="utf-8"
        ) as handle:
            json.dump(data, handle)
        Path(handle.name).replace(target / f"{cache_key}.json")
    except OSError:
        return
