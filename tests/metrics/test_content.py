"""Content analytics (metrics/content.py, `smmkpi content`, `smmkpi rubric`) on a small agency
worked out by hand: a Berlin client whose October 2025 crosses the end of summer time
(26 October: 02:00 UTC+2 → UTC+1), two accounts (the Instagram one with its followers known, the
VK one without), posts at the edges of the month in local time, rubrics that overlap.

The posts (Berlin time):

| post | account | published (UTC) | local | kind | interactions | reach | rubrics |
|---|---|---|---|---|---|---|---|
| p1 | ig | 25 Oct 07:30 | Sat 09:30 (UTC+2) | reel | 100 + 10 + 5 = 115 | 2,000 | Осень, Кофе |
| p2 | ig | 27 Oct 08:30 | Mon 09:30 (UTC+1) | post | 40 + 2 = 42 | 0 | Акции |
| p3 | ig | 27 Oct 20:15 | Mon 21:15 | reel | unknown | 500 | Осень, Кофе (its id) |
| p4 | vk | 25 Oct 07:05 | Sat 09:05 | post | 30 + 0 + 3 + 0 = 33 | 1,000 | Акции, Кофе |
| p5 | ig | 30 Sep 22:30 | Wed 1 Oct 00:30 | video | 7 + 1 = 8 | 100 | none |
| p6 | ig | 31 Oct 23:30 | Sat 1 Nov 00:30 | post | — | — | (November) |

F: the Instagram account's average followers over October, (1,000 + 3,000) / 2 = 2,000; the VK
account's is unknown, so its post counts in ERR but not in ER, like or talk rate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app
from smmkpi.metrics.compute import compute_kpis
from smmkpi.metrics.content import (
    Rubric,
    content_json,
    content_posts,
    group_posts,
    stored_rubrics,
)
from smmkpi.metrics.periods import Period
from smmkpi.metrics.scope import load_clients
from smmkpi.workspace import Workspace
from tests.conftest import import_path, write_table
from tests.support.numbers import approx

OCTOBER = Period.month("2025-10")
RUBRICS = [
    ("Осень", ["--hashtag", "#Осень"]),
    ("Акции", ["--contains", "АКЦИ"]),
    ("Кофе", ["--hashtag", "кофе", "--post", "p3"]),
]


def agency_data(folder: Path) -> Path:
    write_table(
        folder,
        "clients",
        [
            {"client_id": "ber", "name": "Kaffee Berlin", "timezone": "Europe/Berlin"},
        ],
    )
    write_table(
        folder,
        "accounts",
        [
            {"account_id": "ber-ig", "client_id": "ber", "platform": "instagram"},
            {"account_id": "ber-vk", "client_id": "ber", "platform": "vk"},
        ],
    )
    write_table(
        folder,
        "account_daily",
        [
            {"account_id": "ber-ig", "date": "2025-10-01", "followers": 1000},
            {"account_id": "ber-ig", "date": "2025-10-31", "followers": 3000},
            {"account_id": "ber-vk", "date": "2025-10-01", "reach": 50},
        ],
    )
    captured = "2025-11-05T00:00:00Z"
    write_table(folder, "posts", [
        {"account_id": "ber-ig", "post_id": "p1", "published_at": "2025-10-25T07:30:00Z",
         "kind": "reel", "text": "Новый вкус #Осень #кофе", "likes": 100, "comments": 10,
         "shares": 5, "reach": 2000, "captured_at": captured},
        {"account_id": "ber-ig", "post_id": "p2", "published_at": "2025-10-27T08:30:00Z",
         "kind": "post", "text": "Скидки недели: кофе по акции", "likes": 40, "comments": 2,
         "reach": 0, "captured_at": captured},
        {"account_id": "ber-ig", "post_id": "p3", "published_at": "2025-10-27T20:15:00Z",
         "kind": "reel", "text": "Behind the scenes #осень", "reach": 500,
         "captured_at": captured},
        {"account_id": "ber-vk", "post_id": "p4", "published_at": "2025-10-25T07:05:00Z",
         "kind": "post", "text": "Акция! #кофе", "likes": 30, "comments": 0, "shares": 3,
         "saves": 0, "reach": 1000, "captured_at": captured},
        {"account_id": "ber-ig", "post_id": "p5", "published_at": "2025-09-30T22:30:00Z",
         "kind": "video", "likes": 7, "comments": 1, "reach": 100, "captured_at": captured},
        {"account_id": "ber-ig", "post_id": "p6", "published_at": "2025-10-31T23:30:00Z",
         "kind": "post", "likes": 1000, "reach": 5000, "captured_at": captured},
    ])  # fmt: skip
    return folder


@pytest.fixture
def berlin(workspace: Workspace, tmp_path: Path) -> Workspace:
    import_path(workspace, agency_data(tmp_path / "data"))
    runner = CliRunner()
    for name, rules in RUBRICS:
        done = runner.invoke(app, ["-w", str(workspace.path), "rubric", "add", "ber", name, *rules])
        assert done.exit_code == 0, done.output
    return workspace


def content(workspace: Workspace, by: str, min_posts: int = 2) -> dict[str, Any]:
    done = CliRunner().invoke(
        app,
        ["-w", str(workspace.path), "content", "ber", "--month", "2025-10", "--by", by,
         "--min-posts", str(min_posts), "--format", "json"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def group(key: str | None, posts: int, interactions: int | None, reach: int | None,
          er: float | None, err: float | None, like: float | None, talk: float | None,
          few: bool = False) -> dict[str, Any]:  # fmt: skip
    found: dict[str, Any] = {} if key is None else {"key": key}
    found.update(
        posts=posts, interactions=interactions, reach=reach, er=er, err=err, like_rate=like,
        talk_rate=talk, er_index=None if er is None else er / 2.75, too_few_posts=few,
    )  # fmt: skip
    return found


# every post of October: er 165 / 6,000 (p1, p2, p5: interactions and F known); err 156 / 3,100
# (p1, p4, p5: interactions known and reach > 0); likes 147 / 6,000; comments 13 / 6,000
TOTAL = group(None, 5, 198, 3600, 2.75, 156 / 3100 * 100, 2.45, 13 / 6000 * 100)
REEL = group("reel", 2, 115, 2500, 5.75, 5.75, 5.0, 0.5)  # p3's interactions are unknown
POST = group("post", 2, 75, 1000, 2.1, 3.3, 2.0, 0.1)  # ER: p2 only (F of VK unknown)
VIDEO = group("video", 1, 8, 100, 0.4, 8.0, 0.35, 0.05, few=True)


def test_posts_by_kind_are_measured_as_the_catalogue_measures_them(berlin: Workspace) -> None:
    found = content(berlin, "kind")
    assert found["client"] == "ber"
    assert found["period"] == {"from": "2025-10-01", "to": "2025-10-31"}
    assert found["by"] == "kind"
    assert found["total"] == approx({**TOTAL, "er_index": 1.0})
    assert found["groups"] == approx([POST, REEL, VIDEO])


def test_the_total_is_the_kpi_engines_value(berlin: Workspace) -> None:
    """The same posts, the same definitions: the KPI engine's ER, ERR, like and talk rates of
    the client's October are the content total's."""
    with berlin.open_store(read_only=True) as store:
        (result,) = compute_kpis(store.backend, OCTOBER, ["ber"])
    kpis = {k: result.kpis[k].value for k in ("posts", "interactions", "er", "err")}
    rates = {k: result.kpis[k].value for k in ("like_rate", "talk_rate")}
    assert kpis == approx({"posts": 5, "interactions": 198, "er": 2.75, "err": TOTAL["err"]})
    assert rates == approx({"like_rate": 2.45, "talk_rate": TOTAL["talk_rate"]})


def test_weekdays_hours_and_slots_are_local_across_the_change_of_time(berlin: Workspace) -> None:
    """p1 (07:30 UTC, summer time) and p2 (08:30 UTC, winter time) are both at 9 in Berlin;
    p5, published on 30 September in UTC, is Wednesday 1 October there."""
    weekdays = content(berlin, "weekday")["groups"]
    assert [(g["key"], g["posts"]) for g in weekdays] == [("1", 2), ("3", 1), ("6", 2)]
    hours = content(berlin, "hour")["groups"]
    assert [(g["key"], g["posts"]) for g in hours] == [("0", 1), ("9", 3), ("21", 1)]
    slots = content(berlin, "slot")["groups"]
    assert [(g["key"], g["posts"]) for g in slots] == [
        ("1-09", 1), ("1-21", 1), ("3-00", 1), ("6-09", 2)
    ]  # fmt: skip
    saturday_nine = slots[-1]  # p1 and p4: ER of p1 alone (VK's F unknown); ERR of both
    assert saturday_nine == approx(group("6-09", 2, 148, 3000, 5.75, 148 / 3000 * 100, 5.0, 0.5))


def test_a_post_is_in_every_rubric_it_matches(berlin: Workspace) -> None:
    """Rubrics overlap and none wins: p1 is in Осень and Кофе, p4 in Акции and Кофе; p5 matches
    none and is in the group ""."""
    found = content(berlin, "rubric")
    assert [(g["key"], g["posts"]) for g in found["groups"]] == [
        ("Акции", 2), ("Кофе", 3), ("Осень", 2), ("", 1)
    ]  # fmt: skip
    coffee = found["groups"][1]  # p1, p3 (by its id), p4 (#кофе)
    assert coffee == approx(group("Кофе", 3, 148, 3500, 5.75, 148 / 3000 * 100, 5.0, 0.5))
    assert found["total"] == approx({**TOTAL, "er_index": 1.0})  # each post once in the total


def test_lengths_and_too_few_posts(berlin: Workspace) -> None:
    found = content(berlin, "length", min_posts=3)
    # p5 has no text; p3 has 24 characters, p4 12, p1 23, p2 28
    assert [(g["key"], g["posts"], g["too_few_posts"]) for g in found["groups"]] == [
        ("0", 1, True), ("1-99", 4, False)
    ]  # fmt: skip
    assert found["total"]["too_few_posts"] is False


def test_rules_match_hashtags_whole_and_texts_in_any_case() -> None:
    from datetime import UTC, datetime

    from smmkpi.metrics.content import PostFacts

    def post(text: str, post_id: str = "x") -> PostFacts:
        when = datetime(2025, 10, 1, tzinfo=UTC)
        return PostFacts("a", post_id, when, "post", text, 1, 0, 0, 0, 10, 100.0)

    autumn = Rubric("Осень", (("hashtag", "#осень"),))
    assert autumn.matches(post("Вкус #ОСЕНЬ!"))
    assert not autumn.matches(post("#осень2025 и #осенний"))  # a whole tag only
    assert not autumn.matches(post("осень без решётки"))
    sale = Rubric("Акции", (("contains", "АКЦИ"), ("post", "42")))
    assert sale.matches(post("Только сегодня — акция"))
    assert sale.matches(post("без слова", post_id="42"))
    assert not sale.matches(post("без слова", post_id="420"))


def test_content_is_the_same_from_the_engine_or_in_python(berlin: Workspace) -> None:
    """group_posts over content_posts is what the command prints."""
    with berlin.open_store(read_only=True) as store:
        (client,) = load_clients(store.backend, ["ber"])
        posts = content_posts(store.backend, client, OCTOBER)
        rubrics = stored_rubrics(store.con, "ber")
    assert [p.post_id for p in posts] == ["p5", "p4", "p1", "p2", "p3"]  # by local time
    assert [r.name for r in rubrics] == ["Акции", "Кофе", "Осень"]
    found = content_json(group_posts(client, OCTOBER, posts, "rubric", rubrics, 2))
    assert found == content(berlin, "rubric")


def test_rubrics_are_listed_and_removed(berlin: Workspace) -> None:
    runner = CliRunner()
    base = ["-w", str(berlin.path), "rubric"]
    listed = runner.invoke(app, [*base, "list", "--client", "ber", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout) == [
        {"client": "ber", "rubric": "Акции", "rules": [{"rule": "contains", "value": "АКЦИ"}]},
        {"client": "ber", "rubric": "Кофе", "rules": [
            {"rule": "hashtag", "value": "#кофе"}, {"rule": "post", "value": "p3"}]},
        {"client": "ber", "rubric": "Осень", "rules": [{"rule": "hashtag", "value": "#осень"}]},
    ]  # fmt: skip
    again = runner.invoke(app, [*base, "add", "ber", "Осень", "--hashtag", "осень"])
    assert again.exit_code == 0 and "0 rules added" in again.output
    removed = runner.invoke(app, [*base, "remove", "ber", "Акции"])
    assert removed.exit_code == 0, removed.output
    assert [g["key"] for g in content(berlin, "rubric")["groups"]] == ["Кофе", "Осень", ""]
    gone = runner.invoke(app, [*base, "remove", "ber", "Акции"])
    assert gone.exit_code == 1
    assert "ber has no rubric Акции (see `smmkpi rubric list`)." in gone.output


NO_RULE = "A rubric needs a rule: a hashtag, a text its posts hold or a post id."


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["add", "ber", "X", "--hashtag", "coffee-lab"], "'coffee-lab' is not one hashtag"),
        (["add", "ber", "X"], NO_RULE),
        (["add", "nobody", "X", "--post", "1"], "nobody"),
        (["add", "ber", " ", "--post", "1"], "A rubric needs a name."),
    ],
)
def test_a_rubric_without_a_usable_rule_is_refused(
    berlin: Workspace, arguments: list[str], message: str
) -> None:
    done = CliRunner().invoke(app, ["-w", str(berlin.path), "rubric", *arguments])
    assert done.exit_code == 1
    assert message in done.output
    with berlin.open_store(read_only=True) as store:
        assert "X" not in [r.name for r in stored_rubrics(store.con, "ber")]


def test_csv_has_a_row_per_group_and_the_total(berlin: Workspace) -> None:
    done = CliRunner().invoke(
        app, ["-w", str(berlin.path), "content", "ber", "--month", "2025-10", "--format", "csv"]
    )
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert lines[0] == (
        "client,from,to,by,key,posts,interactions,reach,er,err,like_rate,talk_rate,er_index,"
        "too_few_posts"
    )
    rows = [line.split(",") for line in lines[1:]]
    assert [r[4] for r in rows] == ["post", "reel", "video", "total"]
    post, total = rows[0], rows[-1]
    assert post[:8] == ["ber", "2025-10-01", "2025-10-31", "kind", "post", "2", "75", "1000"]
    assert [float(v) for v in post[8:13]] == approx([2.1, 3.3, 2.0, 0.1, 2.1 / 2.75])
    assert post[13] == "true"  # fewer than the default 5 posts
    assert total[5:8] == ["5", "198", "3600"] and total[12:] == ["1.0", "false"]


def grouped(by: str, total_er: float | None, *groups: tuple[str, int, float | None]) -> Any:
    """A ContentGroups of hand-made groups: (key, posts, er), too few below 5 posts."""
    from smmkpi.metrics.content import ContentGroups, Figures

    def made(key: str | None, posts: int, er: float | None) -> Figures:
        index = None if er is None or not total_er else er / total_er
        return Figures(key, posts, None, None, er, None, None, None, index, posts < 5)

    client = None
    return ContentGroups(
        client,  # type: ignore[arg-type]
        OCTOBER,
        by,
        5,
        made(None, sum(g[1] for g in groups), total_er),
        [made(*g) for g in groups],
    )


def test_findings_are_the_groups_that_stand_out_with_enough_posts() -> None:
    from smmkpi.metrics.content import findings

    kinds = grouped("kind", 2.0, ("post", 20, 1.8), ("reel", 6, 5.0), ("video", 8, 1.0),
                    ("story", 2, 9.0))  # fmt: skip
    hours = grouped("hour", 2.0, ("9", 5, 1.2), ("19", 7, 3.2), ("21", 9, 2.3))
    rubrics = grouped("rubric", 2.0, ("Акции", 6, 2.2), ("", 30, 8.0))
    found = findings([kinds, hours, rubrics], count=3)
    # reel ×2.5, video ×0.5 (2 times below), hour 9 ×0.6 (1.67 times below), hour 19 ×1.6;
    # the story has too few posts, the post and hour 21 are within 25 %, "" is no rubric
    assert [(f.by, f.figures.key) for f in found] == [("kind", "reel"), ("kind", "video"),
                                                      ("hour", "9")]  # fmt: skip
    assert [(f.by, f.figures.key) for f in findings([kinds, hours], 5, per_grouping=1)] == [
        ("kind", "reel"), ("hour", "9")
    ]  # fmt: skip
    assert findings([grouped("kind", None, ("reel", 6, None))]) == []
    assert findings([grouped("kind", 2.0, ("reel", 9, 5.0))]) == []  # one group is the total


def test_a_finding_is_said_in_the_reports_language() -> None:
    from smmkpi.i18n import use_language
    from smmkpi.metrics.content import findings
    from smmkpi.report.content_words import finding_sentence

    (reel,) = findings([grouped("kind", 2.0, ("reel", 6, 5.0), ("post", 20, 1.5))], 1)
    (evening,) = findings([grouped("hour", 4.0, ("19", 6, 5.0), ("9", 6, 1.6))], 1)
    with use_language("ru"):
        assert finding_sentence(reel, "ru") == (
            "Рилсы: ER 5,00\u00a0% — в 2,5 раза выше, чем у всех публикаций (2,00\u00a0%); "
            "6 публикаций."
        )
        assert finding_sentence(evening, "ru") == (
            "Публикации в 09:00–10:00: ER 1,60\u00a0% — в 2,5 раза ниже, чем у всех публикаций "
            "(4,00\u00a0%); 6 публикаций."
        )
    with use_language("en"):
        assert finding_sentence(reel, "en") == (
            "Reels: ER 5.00\u00a0% — 2.5 times the ER of all posts (2.00\u00a0%); 6 posts."
        )
