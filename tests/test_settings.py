"""Settings: precedence flag > environment > smmkpi.toml > default; typos are errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from smmkpi.errors import UserError
from smmkpi.settings import iter_settings, load_settings


def test_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMMKPI__DISPLAY__LANG", raising=False)
    assert load_settings(tmp_path).display.lang == "ru"  # the default
    (tmp_path / "smmkpi.toml").write_text(
        '[display]\nlang = "en"\n[import]\nmax_errors = 7\n', encoding="utf-8"
    )
    settings = load_settings(tmp_path)
    assert (settings.display.lang, settings.import_.max_errors) == ("en", 7)
    monkeypatch.setenv("SMMKPI__DISPLAY__LANG", "ru")
    monkeypatch.setenv("SMMKPI__IMPORT__MAX_ERRORS", "3")
    settings = load_settings(tmp_path)
    assert (settings.display.lang, settings.import_.max_errors) == ("ru", 3)
    assert load_settings(tmp_path, {"display": {"lang": "en"}}).display.lang == "en"


def test_unknown_keys_and_bad_values_are_errors(tmp_path: Path) -> None:
    (tmp_path / "smmkpi.toml").write_text('[display]\nlanguage = "en"\n', encoding="utf-8")
    with pytest.raises(
        UserError, match=r"setting 'display.language': Extra inputs are not permitted"
    ):
        load_settings(tmp_path)
    (tmp_path / "smmkpi.toml").write_text("[import]\nmax_errors = 0\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"setting 'import.max_errors'"):
        load_settings(tmp_path)
    (tmp_path / "smmkpi.toml").write_text("[display\n", encoding="utf-8")
    with pytest.raises(UserError, match="is not valid TOML"):
        load_settings(tmp_path)


def test_per_client_attribution(tmp_path: Path) -> None:
    (tmp_path / "smmkpi.toml").write_text(
        '[attribution]\nextra_social_mediums = [" Influencer "]\n'
        '[attribution.clients.homedecor]\nextra_social_sources = ["вконтакте"]\n',
        encoding="utf-8",
    )
    attribution = load_settings(tmp_path).attribution
    assert attribution.extra_social_mediums == ["influencer"]
    assert attribution.clients["homedecor"].extra_social_sources == ["вконтакте"]


def test_every_setting_has_help() -> None:
    for key, _default, help_text in iter_settings():
        assert help_text, key


def test_moving_to_postgresql_writes_the_url_and_keeps_the_rest_of_the_file(
    tmp_path: Path,
) -> None:
    """``store.url`` goes into the ``[store]`` table; every other line — the comments a person
    wrote, their order, another section's values — stays as it was (tomlkit)."""
    from smmkpi.workspace import Workspace

    workspace, _created = Workspace.init(tmp_path / "ws", "Агентство")
    settings = tmp_path / "ws" / "smmkpi.toml"
    text = settings.read_text(encoding="utf-8").replace(
        "[display]", '# our note: keep English for the team\n[display]\nlang = "en"', 1
    )
    settings.write_text(text, encoding="utf-8")
    url = "postgresql://smmkpi@127.0.0.1:5432/agency"
    workspace.use_store_url(url)
    after = settings.read_text(encoding="utf-8").splitlines()
    added = [line for line in after if line not in text.splitlines()]
    assert added == [f'url = "{url}"']
    assert [line for line in text.splitlines() if line not in after] == []
    reloaded = Workspace.open(tmp_path / "ws").settings
    assert reloaded.store.url == url and reloaded.display.lang == "en"
