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
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from smmkpi.caches import cache_root

if TYPE_CHECKING:
    from smmkpi.metrics.attribution import SocialRules

FORMAT = 1
ROOT_MODULE = "smmkpi.metrics.plan"
"""The module that builds the queries: the key hashes it and every smmkpi module it imports,
directly or not."""
_IMPORT = re.compile(
    r"^\s*(?:from\s+(smmkpi[\w.]*)\s+import\s+(\([^)]*\)|[\w, ]+)|import\s+(smmkpi[\w.]*))", re.M
)


@dataclass(frozen=True)
class CompiledQuery:
    """The SQL of one more query built from the same tables (``plan.NAMED_QUERIES``: the posts
    content analytics groups) for one engine, and the Arrow schema of its result."""

    sql: str
    schema: pa.Schema


@dataclass(frozen=True)
class CompiledPlan:
    """The SQL of both KPI queries for one engine, and the Arrow schemas of their results."""

    accounts_sql: str
    accounts_schema: pa.Schema
    clients_sql: str
    clients_schema: pa.Schema


def folder() -> Path:
    return cache_root() / "plans"


def dependencies(root: str = ROOT_MODULE) -> list[Path]:
    """The source files of ``root`` and of every smmkpi module it imports, directly or through
    others (read from their import lines, without importing them), in a stable order."""
    package = Path(str(resources.files("smmkpi")))
    found: dict[str, Path] = {}
    seen: set[str] = set()
    waiting = [root]
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        path = _source_of(package, name)
        if path is None or path in found.values():
            continue
        found[name] = path
        for match in _IMPORT.finditer(path.read_text(encoding="utf-8")):
            base = match.group(1) or match.group(3)
            waiting.append(base)
            if match.group(2):  # from smmkpi.metrics import queries: queries may be a module
                names = match.group(2).strip("()").replace("\n", " ").split(",")
                waiting += [f"{base}.{n.split()[0]}" for n in names if n.strip()]
    return [found[n] for n in sorted(found)]


def _source_of(package: Path, module: str) -> Path | None:
    parts = module.split(".")[1:]
    for candidate in (
        package.joinpath(*parts).with_suffix(".py"),
        package.joinpath(*parts, "__init__.py"),
    ):
        if parts and candidate.is_file():
            return candidate
    return None


def _source_digest() -> str:
    digest = hashlib.sha256()
    for path in dependencies():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
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


def _read(cache_key: str) -> dict[str, str] | None:
    try:
        found = json.loads((folder() / f"{cache_key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def _write(cache_key: str, data: dict[str, str]) -> None:
    target = folder()
    try:
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", dir=target, suffix=".partial", delete=False, encoding="utf-8"
        ) as handle:
            json.dump(data, handle)
        Path(handle.name).replace(target / f"{cache_key}.json")
    except OSError:
        return


def load(cache_key: str) -> CompiledPlan | None:
    data = _read(cache_key)
    try:
        return (
            None
            if data is None
            else CompiledPlan(
                data["accounts_sql"],
                _schema(data["accounts_schema"]),
                data["clients_sql"],
                _schema(data["clients_schema"]),
            )
        )
    except (ValueError, KeyError, pa.ArrowInvalid):
        return None


def store(cache_key: str, plan: CompiledPlan) -> None:
    _write(
        cache_key,
        {
            "accounts_sql": plan.accounts_sql,
            "accounts_schema": _schema_text(plan.accounts_schema),
            "clients_sql": plan.clients_sql,
            "clients_schema": _schema_text(plan.clients_schema),
        },
    )


@cache
def compiled(dialect: str, rules: SocialRules, details: bool) -> CompiledPlan:
    """Both KPI queries compiled for ``dialect``: kept for the life of the process, and on disk
    so that the next command skips the compilation too — and the import of Ibis and sqlglot,
    which ``plan.py`` needs only to compile."""
    cache_key = key(dialect, repr(rules), details)
    plan = load(cache_key)
    if plan is None:
        from smmkpi.metrics.plan import compile_plan

        plan = compile_plan(dialect, rules, details)
        store(cache_key, plan)
    return plan


@cache
def compiled_query(name: str, dialect: str) -> CompiledQuery:
    """The query ``name`` of ``plan.NAMED_QUERIES`` compiled for ``dialect``, kept as the KPI
    queries are."""
    cache_key = key(dialect, f"query:{name}", False)
    data = _read(cache_key)
    try:
        if data is not None:
            return CompiledQuery(data["sql"], _schema(data["schema"]))
    except (ValueError, KeyError, pa.ArrowInvalid):
        pass
    from smmkpi.metrics.plan import compile_query

    query = compile_query(name, dialect)
    _write(cache_key, {"sql": query.sql, "schema": _schema_text(query.schema)})
    return query
