"""Every example in smmkpi's docstrings (``>>>``) runs as a doctest. The Python API's examples run
on the demo agency as ``smmkpi demo --as-of 2026-11-26`` builds it (``folder``; ``ws`` is that
workspace opened, ``tmp`` a folder to write into), so the values they show are the demo's."""

from __future__ import annotations

import doctest
import importlib
from datetime import date
from pathlib import Path

import pytest

import smmkpi
from smmkpi.demo.build import build_demo

SOURCE = Path(smmkpi.__file__).parent
MODULES = sorted(
    ("smmkpi." + ".".join(path.relative_to(SOURCE).with_suffix("").parts)).removesuffix(".__init__")
    for path in SOURCE.rglob("*.py")
    if ">>>" in path.read_text("utf-8")
)
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


@pytest.fixture(scope="module")
def demo_globals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("doctests") / "agency"
    build_demo(folder, date(2026, 11, 26), seed=42)
    tmp = tmp_path_factory.mktemp("doctest-output")
    return {"folder": folder, "ws": smmkpi.open(folder), "tmp": tmp}


def test_the_api_and_the_helpers_have_examples() -> None:
    assert {"smmkpi", "smmkpi.api", "smmkpi.extras", "smmkpi.store.urls"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_of(name: str, demo_globals: dict[str, object]) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    tests = finder.find(module, name, extraglobs=demo_globals)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0, f"{name} has no example that runs"
    assert result.failed == 0, f"{result.failed} of {name}'s examples failed (printed above)"
