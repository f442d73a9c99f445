"""Tagged links: built as the analytics read them back, with warnings that matter."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.errors import UserError
from smmkpi.metrics.attribution import SocialRules
from smmkpi.utm import tag


def test_the_page_keeps_its_query_and_fragment() -> None:
    link = tag(
        "https://coffeelab.ru/menu?city=msk&utm_source=old#autumn",
        " VK ",
        "Social",
        "Autumn  Menu",
        content="Post 12",
    )
    assert link.url == (
        "https://coffeelab.ru/menu?city=msk&utm_source=vk&utm_medium=social&utm_campaign=autumn_menu&utm_content=post_12#autumn"
    )
    assert link.base_url == "https://coffeelab.ru/menu?city=msk"
    assert link.values == {
        "source": "vk",
        "medium": "social",
        "campaign": "autumn_menu",
        "content": "post_12",
        "term": None,
    }
    assert link.warnings == ["The address already had utm_source; it was replaced."]


def test_warnings_for_macros_cyrillic_and_sources_attribution_misses() -> None:
    link = tag("coffeelab.ru", "newsletter", "email", "{campaign_id}", term="кофе")
    assert link.url == (
        "https://coffeelab.ru/?utm_source=newsletter&utm_medium=email&utm_campaign={campaign_id}&utm_term=%D0%BA%D0%BE%D1%84%D0%B5"
    )
    text = "\n".join(link.warnings)
    assert "no scheme; https:// was added" in text
    assert "utm_campaign '{campaign_id}' holds a macro" in text
    assert "utm_term 'кофе' has letters outside Latin" in text
    assert "will not count as social" in text
    # a client whose settings count the newsletter as social gets no such warning
    rules = SocialRules.with_extras(per_client={"c": ((), ("newsletter",))})
    again = tag("coffeelab.ru", "newsletter", "email", "x", client_id="c", rules=rules)
    assert not any("social" in w for w in again.warnings)


def test_what_is_not_a_link_is_refused() -> None:
    with pytest.raises(UserError, match="is not a web page's address"):
        tag("mailto:hello@coffeelab.ru", "vk", "social", "x")
    with pytest.raises(UserError, match="--campaign is empty"):
        tag("https://coffeelab.ru", "vk", "social", "  ")


def test_the_registry(tmp_path: Path, runner: CliRunner) -> None:
    def run(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, ["-w", str(tmp_path / "ws"), "--lang", "en", *args])
        return result.exit_code, result.stdout, result.stderr

    run("init")
    run("client", "add", "coffeelab", "--name", "Кофелаб", "--timezone", "Europe/Moscow")
    code, out, _ = run(
        "utm",
        "https://coffeelab.ru/menu",
        "--client",
        "coffeelab",
        "--source",
        "vk",
        "--medium",
        "social",
        "--campaign",
        "Autumn",
        "--note",
        "pinned post",
    )
    assert code == 0
    assert out.splitlines()[0] == (
        "https://coffeelab.ru/menu?utm_source=vk&utm_medium=social&utm_campaign=autumn"
    )
    code, out, _ = run(
        "utm",
        "link",
        "https://coffeelab.ru/menu",
        "--client",
        "coffeelab",
        "--source",
        "VK",
        "--medium",
        "social",
        "--campaign",
        "autumn",
    )
    assert "Already in the registry (link 1" in out  # the same link is kept once
    run(
        "utm",
        "https://coffeelab.ru/",
        "--client",
        "coffeelab",
        "--source",
        "telegram",
        "--medium",
        "social",
        "--campaign",
        "winter",
    )
    code, _out, err = run(
        "utm",
        "https://x.ru",
        "--client",
        "nobody",
        "--source",
        "vk",
        "--medium",
        "social",
        "--campaign",
        "x",
    )
    assert code == 1 and "Unknown client 'nobody'" in err
    target = tmp_path / "links.csv"
    code, out, _ = run(
        "utm", "list", "--client", "coffeelab", "--campaign", "Autumn", "--csv", str(target)
    )
    assert "Wrote 1 link to" in out
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["utm_campaign"], r["utm_source"], r["note"], r["base_url"]) for r in rows] == [
        ("autumn", "vk", "pinned post", "https://coffeelab.ru/menu")
    ]
    code, out, _ = run("utm", "list")
    assert "winter" in out and "autumn" in out
