"""The documentation site (mkdocs.yml, `make docs-site`) builds in strict mode from docs/, in
English and Russian, with the generated pages, the API reference, the executed notebook and the
search index; a broken link fails the build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = Path(sys.executable).with_name("mkdocs")


def build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [str(MKDOCS), "build", "--strict", "--config-file", str(config), "--site-dir"]
    return subprocess.run(
        [*command, str(site)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    result = build(ROOT / "mkdocs.yml", folder)
    assert result.returncode == 0, result.stderr
    return folder


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text("utf-8")


def test_every_page_of_docs_is_on_the_site_in_english(site: Path) -> None:
    for doc in (ROOT / "docs").glob("*.md"):
        if ".ru." not in doc.name:
            name = "" if doc.stem == "index" else doc.stem
            assert (site / name / "index.html").is_file(), doc.name
    assert "pip install 'smmkpi[web]'" in page(site, "install")
    assert 'id="er"' in page(site, "kpi-catalogue")  # the generated catalogue, anchors kept
    assert "smmkpi import" in page(site, "cli")


def test_the_russian_pages_and_the_english_where_there_is_none(site: Path) -> None:
    assert "Первый час: первая таблица KPI за десять минут" in page(site, "ru/tutorial")
    assert "ER (по подписчикам)" in page(site, "ru/kpi-catalogue")
    assert "Для веб-приложения нужно дополнение smmkpi web" in page(site, "ru/install")
    assert "smmkpi из Python" in page(site, "ru/python-api")
    importers = page(site, "ru/importers")  # not translated: the English page, Russian menus
    assert "recognises each path by its content" in importers
    assert "Первый час" in importers


def test_the_api_reference_comes_from_the_docstrings(site: Path) -> None:
    reference = page(site, "api-reference")
    for name in ("open", "Workspace.kpis", "KpiResult.to_arrow", "Workspace.report"):
        assert f'id="smmkpi.api.{name}"' in reference, name
    assert "Every KPI of the catalogue for" in reference
    assert 'id="smmkpi.errors.MissingExtraError"' in reference


def test_the_notebook_page_shows_the_executed_cells(site: Path) -> None:
    notebook = page(site, "notebook")
    assert "ER month by month, against the plan" in notebook  # a text cell
    assert "month     fact    target" in notebook  # a printed output
    assert 'src="data:image/png;base64,iVBORw0KGgo' in notebook  # the chart, a PNG
    assert "kpis-" in notebook and ".parquet" in notebook


def test_the_search_covers_both_languages(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    assert index["config"]["lang"] == ["en", "ru"]  # both stemmers
    places = {d["location"]: d["title"] for d in index["docs"]}
    assert places["kpi-catalogue/#err"] == "err"
    assert places["ru/tutorial/#1-демо-агентство"] == "1. Демо-агентство"


@pytest.mark.parametrize("broken", ["a link", "a page in the navigation"])
def test_a_broken_link_or_a_missing_page_fails_the_build(broken: str, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    config = config.replace("docs_dir: docs", f"docs_dir: {docs}")
    config = config.replace("scripts/site_hooks.py", str(ROOT / "scripts" / "site_hooks.py"))
    if broken == "a link":
        with (docs / "tutorial.md").open("a", encoding="utf-8") as tutorial:
            tutorial.write("\nSee [the missing page](no-such-page.md).\n")
        said = "'tutorial.md' contains a link 'no-such-page.md'"
    else:
        config = config.replace(
            "      - Changelog: changelog.md",
            "      - Changelog: changelog.md\n      - Gone: gone.md",
        )
        said = "A reference to 'gone.md' is included in the 'nav' configuration"
    (tmp_path / "mkdocs.yml").write_text(config, "utf-8")
    result = build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 1
    assert said in result.stderr
