"""Social attribution rules: cleaning UTM values, macros, and which rows count as social."""

from __future__ import annotations

import re
from typing import Any

import ibis
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkpi.metrics.attribution import MACRO_PATTERN, SocialRules, is_social, with_clean_utm


@pytest.fixture(scope="module")
def backend() -> Any:
    return ibis.duckdb.connect()


def cleaned(backend: Any, values: list[str | None]) -> list[str | None]:
    table = ibis.memtable({"v": values}, schema={"v": "string"})
    result = with_clean_utm(table, {"c": "v"})
    return [row["c"] for row in backend.to_pyarrow(result).to_pylist()]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="{} ab", max_size=6), min_size=1, max_size=20))
def test_the_macro_test_agrees_with_the_spec_pattern(values: list[str]) -> None:
    backend = ibis.duckdb.connect()
    expected = []
    for value in values:
        text = value.strip(" ").lower()
        expected.append(None if text == "" or re.match(MACRO_PATTERN, text) else text)
    assert cleaned(backend, list(values)) == expected


def test_cleaning(backend: Any) -> None:
    assert cleaned(backend, [" VK ", "{campaign_id}", "{a}{b}", "", None, "Instagram"]) == [
        "vk",
        None,
        "{a}{b}",
        None,
        None,
        "instagram",
    ]


@pytest.mark.parametrize(
    ("source", "medium", "channel", "social"),
    [
        ("vk", None, None, True),
        ("VK.com", "cpc", None, True),  # the source names a platform
        ("google", "SMM", None, True),  # the medium is social
        ("google", "cpc", None, False),
        (None, None, "tg", True),  # no source: the channel decides
        ("google", None, "tg", False),  # a source wins over the channel
        ("{source}", "{medium}", "Instagram", True),  # macros count as empty
        (None, None, "сарафан", False),
        (None, None, None, False),
    ],
)
def test_which_rows_are_social(
    backend: Any, source: str | None, medium: str | None, channel: str | None, social: bool
) -> None:
    table = ibis.memtable(
        {"client_id": ["c"], "s": [source], "m": [medium], "ch": [channel]},
        schema={"client_id": "string", "s": "string", "m": "string", "ch": "string"},
    )
    clean = with_clean_utm(table, {"src": "s", "med": "m", "chan": "ch"})
    flagged = clean.select(
        x=is_social(clean.client_id, clean.src, clean.med, clean.chan, SocialRules())
    )
    assert backend.to_pyarrow(flagged).to_pylist() == [{"x": social}]
