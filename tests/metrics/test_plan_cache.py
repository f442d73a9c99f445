"""Compiled KPI queries on disk: reused when everything matches, ignored when unreadable."""

from __future__ import annotations

from pathlib import Path

import pytest

from smmkpi.metrics import plan_cache
from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.plan import compile_plan


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SMMKPI_CACHE_DIR", str(tmp_path))
    return tmp_path / "plans"


def test_a_stored_plan_loads_back_identical(cache_dir: Path) -> None:
    plan = compile_plan("duckdb", SocialRules(), False)
    key = plan_cache.key("duckdb", repr(SocialRules()), False)
    assert plan_cache.load(key) is None
    plan_cache.store(key, plan)
    assert [p.name for p in cache_dir.iterdir()] == [f"{key}.json"]
    assert plan_cache.load(key) == plan


def test_the_key_changes_with_rules_details_and_engine() -> None:
    base = plan_cache.key("duckdb", repr(SocialRules()), False)
    extended = SocialRules.with_extras(sources=["вконтакте"])
    assert plan_cache.key("duckdb", repr(extended), False) != base
    assert plan_cache.key("duckdb", repr(SocialRules()), True) != base
    assert plan_cache.key("postgres", repr(SocialRules()), False) != base
    assert plan_cache.key("duckdb", repr(SocialRules()), False) == base


def test_a_damaged_entry_is_ignored(cache_dir: Path) -> None:
    key = plan_cache.key("duckdb", repr(SocialRules()), False)
    cache_dir.mkdir(parents=True)
    (cache_dir / f"{key}.json").write_text("{not json", encoding="utf-8")
    assert plan_cache.load(key) is None


def test_the_key_hashes_every_module_the_queries_are_built_from() -> None:
    names = {str(p.relative_to(p.parents[1])) for p in plan_cache.dependencies()}
    # plan.py and what it imports, directly or through others
    for module in (
        "metrics/plan.py",
        "metrics/queries.py",
        "metrics/inputs.py",
        "metrics/formulas.py",
        "metrics/catalogue.py",
        "metrics/model.py",
        "metrics/attribution.py",
        "metrics/call_tables.py",
        "store/tables.py",
    ):
        assert module in names
    # … and nothing the SQL does not depend on
    assert not names & {"metrics/compute.py", "metrics/results.py", "store/database.py"}
    assert not any(n.startswith(("report/", "web/", "cli/")) for n in names)


def test_the_registered_tables_schemas_are_the_ones_the_queries_read() -> None:
    from smmkpi.metrics import call_tables, queries

    assert queries.BOUNDS_SCHEMA.to_pyarrow() == call_tables.BOUNDS_SCHEMA
    assert queries.BRAND_TAGS_SCHEMA.to_pyarrow() == call_tables.BRAND_TAGS_SCHEMA
