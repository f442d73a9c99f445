"""Meta-tests: generated docs are current, every message is translated, the README is honest."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from smmkpi import docs_gen

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(docs_gen.PAGES))
def test_generated_pages_are_current(name: str) -> None:
    committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert committed == docs_gen.PAGES[name](), f"docs/{name} is out of date: run `make docs`"


def test_every_message_has_a_russian_translation() -> None:
    source = ROOT / "src" / "smmkpi"
    extracted = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT),
            method_map=[
                ("src/**.py", "python"),
                ("src/smmkpi/report/templates/**.j2", "jinja2"),
                ("src/smmkpi/web/templates/**.j2", "jinja2"),
            ],
            keywords={"_": None, "N_": None, "ngettext": (1, 2)},
        )
    }
    with (source / "locale" / "ru" / "LC_MESSAGES" / "smmkpi.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id: m.string for m in catalog if m.id}
    missing = [m for m in extracted if m not in translated]
    assert not missing, f"untranslated (run `make i18n` and translate): {missing}"
    empty = [m for m, s in translated.items() if not s or (isinstance(s, tuple) and not all(s))]
    assert not empty
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy


def test_readme_shows_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    for page in ("docs/kpi-catalogue.md", "docs/concepts.md", "docs/benchmarks.md"):
        assert page in readme
        assert (ROOT / page).is_file()
