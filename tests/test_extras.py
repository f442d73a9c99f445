"""The optional parts: every extra of pyproject is known to smmkpi.extras, and a missing one is
named with the command that installs it, in the user's language."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from smmkpi.errors import MissingExtraError
from smmkpi.extras import EXTRAS, require
from smmkpi.i18n import use_language

PYPROJECT = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text("utf-8"))


def test_every_extra_of_the_package_is_known() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert set(extras) == {*EXTRAS, "all"}
    assert extras["all"] == [f"smmkpi[{','.join(sorted(EXTRAS))}]"]
    core = " ".join(PYPROJECT["project"]["dependencies"])
    for name in ("psycopg", "fastapi", "uvicorn", "pyspark", "telethon", "pandas", "postgres"):
        assert name not in core


@pytest.mark.parametrize("extra", sorted(EXTRAS))
def test_a_missing_extra_is_named(extra: str, monkeypatch: pytest.MonkeyPatch) -> None:
    require(extra)  # installed in the development environment
    monkeypatch.setitem(sys.modules, EXTRAS[extra][-1], None)  # as if it were not
    with pytest.raises(MissingExtraError, match=rf"pip install 'smmkpi\[{extra}\]'") as caught:
        require(extra)
    assert f"smmkpi's {extra} extra" in str(caught.value)


def test_the_message_in_russian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fastapi", None)
    with use_language("ru"), pytest.raises(MissingExtraError) as caught:
        require("web")
    assert str(caught.value) == (
        "Для веб-приложения нужно дополнение smmkpi web: pip install 'smmkpi[web]'."
    )
