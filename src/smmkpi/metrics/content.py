"""What works in the content: a client's posts of a period grouped by kind, rubric, weekday, hour,
slot (weekday and hour) or length, each group measured as the catalogue measures a client
(``shared/spec/sync-and-delivery.md`` §6; spec/metrics.md, Engagement).

- The posts are those published in the period by the client's local days, read by the one
  compiled query (``content_query.py``) on DuckDB, PostgreSQL or Spark alike.
- A post's weekday (ISO: 1 is Monday), hour and slot are of its publication in the client's
  time zone, daylight saving included.
- A post belongs to every rubric a rule of which it matches (a hashtag, as spec/metrics.md
  extracts them; a text fragment, case-insensitively; a post id); rubrics may overlap, and no
  rubric wins over another. Posts matching none form the group ``""``. A post whose kind is
  unknown is in the kind group ``""``.
- Each group's figures are ratios of sums over its posts, with the catalogue's NULL rules: ER,
  like rate and talk rate over the posts whose part is known and whose account's average
  followers over the period (``F``) is known; ERR over the posts with known interactions and
  reach above 0. ``er_index`` is the group's ER over the total's: above 1, the group engages
  more than the client's posts as a whole. A group of fewer posts than ``min_posts`` is marked
  ``too_few_posts``: its figures say little.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from smmkpi.errors import InvalidArgumentError, UnknownChoiceError
from smmkpi.hashtags import brand_tag, extract_hashtags
from smmkpi.i18n import _
from smmkpi.metrics.call_tables import BOUNDS_SCHEMA, BOUNDS_TABLE
from smmkpi.metrics.compute import bounds_columns
from smmkpi.metrics.periods import Period
from smmkpi.metrics.plan_cache import compiled_query
from smmkpi.metrics.runner import Registered, run_query
from smmkpi.metrics.scope import ClientInfo
from smmkpi.store.arrow import python_rows

GROUPINGS = ("kind", "attribute", "rubric", "weekday", "hour", "slot", "length")
ATTRIBUTES = ("carousel", "link", "poll")
"""The attributes importers tell (``ingest/post_attributes.py``), in the order groups list them."""
DEFAULT_MIN_POSTS = 5
LENGTHS = ((0, "0"), (1, "1-99"), (100, "100-499"), (500, "500-1499"), (1500, "1500+"))
"""Length groups by the characters of a post's text: (the shortest length, the group's key)."""


@dataclass(frozen=True)
class Rubric:
    """A rubric and its rules (each ``(rule, value)``: ``hashtag``, ``contains`` or ``post``)."""

    name: str
    rules: tuple[tuple[str, str], ...]

    @cached_property
    def _tags(self) -> frozenset[str]:
        return frozenset(t for r, v in self.rules if r == "hashtag" and (t := brand_tag(v)))

    @cached_property
    def _fragments(self) -> tuple[str, ...]:
        return tuple(fold(v) for r, v in self.rules if r == "contains" and v.strip())

    @cached_property
    def _post_ids(self) -> frozenset[str]:
        return frozenset(v.strip() for r, v in self.rules if r == "post")

    def matches(self, post: PostFacts) -> bool:
        if post.post_id in self._post_ids or self._tags.intersection(post.tags):
            return True
        text = post.folded_text
        return any(fragment in text for fragment in self._fragments)


def fold(text: str) -> str:
    """A text as fragments are compared: NFKC, case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True)
class PostFacts:
    """One post with what the groups are made of and measured by."""

    account_id: str
    post_id: str
    published: datetime
    """In the client's time zone."""
    kind: str | None
    text: str | None
    likes: int | None
    comments: int | None
    shares: int | None
    saves: int | None
    reach: int | None
    followers: float | None
    """F(p): the account's average followers over the period; None when unknown."""
    attributes: tuple[str, ...] = ()
    """What the kind has no room for: carousel, link, poll (any words a canonical file gives)."""

    @property
    def interactions(self) -> int | None:
        parts = (self.likes, self.comments, self.shares, self.saves)
        if all(p is None for p in parts):
            return None
        return sum(p or 0 for p in parts)

    @cached_property
    def tags(self) -> frozenset[str]:
        return frozenset(extract_hashtags(self.text or ""))

    @cached_property
    def folded_text(self) -> str:
        return fold(self.text or "")

    @property
    def weekday(self) -> int:
        return self.published.isoweekday()

    @property
    def hour(self) -> int:
        return self.published.hour

    @property
    def length(self) -> int:
        return len(self.text or "")


def content_posts(backend: Any, client: ClientInfo, period: Period) -> list[PostFacts]:
    """The posts ``client``'s accounts published in ``period``, oldest first, read through
    ``backend`` (``store.backend`` or Spark's ``lake_backend``)."""
    query = compiled_query("content_posts", backend.name)
    registered = {BOUNDS_TABLE: Registered(bounds_columns([client], [period]), BOUNDS_SCHEMA)}
    rows = python_rows(run_query(backend, query.sql, query.schema, registered))
    zone = ZoneInfo(client.timezone)
    found = [
        PostFacts(
            account_id=row["account_id"],
            post_id=row["post_id"],
            published=row["published_at"].astimezone(zone),
            kind=row["kind"],
            text=row["text"],
            likes=row["likes"],
            comments=row["comments"],
            shares=row["shares"],
            saves=row["saves"],
            reach=row["reach"],
            followers=row["followers_avg"],
            attributes=tuple((row["attributes"] or "").replace(",", " ").split()),
        )
        for row in rows
    ]
    found.sort(key=lambda p: (p.published, p.account_id, p.post_id))
    return found


@dataclass
class Figures:
    """A group's figures (or the total's: ``key`` None), as ``--format json`` gives them."""

    key: str | None
    posts: int
    interactions: int | None
    reach: int | None
    er: float | None
    err: float | None
    like_rate: float | None
    talk_rate: float | None
    er_index: float | None = None
    too_few_posts: bool = False


def _ratio(pairs: Iterable[tuple[float, float]], scale: float = 100) -> float | None:
    """Σ numerators / Σ denominators × ``scale`` over ``pairs``; None without pairs or when
    the denominators add up to 0."""
    numerator = denominator = 0.0
    seen = False
    for top, bottom in pairs:
        numerator += top
        denominator += bottom
        seen = True
    if not seen or denominator == 0:
        return None
    return numerator / denominator * scale


def _known_sum(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def figures(key: str | None, posts: Sequence[PostFacts]) -> Figures:
    """The catalogue's engagement figures over ``posts``."""

    def by_followers(part: Callable[[PostFacts], int | None]) -> float | None:
        return _ratio(
            (float(value), p.followers)
            for p in posts
            if (value := part(p)) is not None and p.followers is not None
        )

    return Figures(
        key=key,
        posts=len(posts),
        interactions=_known_sum(p.interactions for p in posts),
        reach=_known_sum(p.reach for p in posts),
        er=by_followers(lambda p: p.interactions),
        err=_ratio(
            (float(ia), float(p.reach))
            for p in posts
            if (ia := p.interactions) is not None and p.reach is not None and p.reach > 0
        ),
        like_rate=by_followers(lambda p: p.likes),
        talk_rate=by_followers(lambda p: p.comments),
    )


def length_group(length: int) -> str:
    """The length group of a text of ``length`` characters."""
    key = LENGTHS[0][1]
    for shortest, name in LENGTHS:
        if length >= shortest:
            key = name
    return key


def keys_of(post: PostFacts, by: str, rubrics: Sequence[Rubric]) -> list[str]:
    """The groups ``post`` belongs to when grouped ``by``."""
    if by == "kind":
        return [post.kind or ""]
    if by == "attribute":
        return list(dict.fromkeys(a.casefold() for a in post.attributes)) or [""]
    if by == "rubric":
        return [r.name for r in rubrics if r.matches(post)] or [""]
    if by == "weekday":
        return [str(post.weekday)]
    if by == "hour":
        return [str(post.hour)]
    if by == "slot":
        return [f"{post.weekday}-{post.hour:02d}"]
    if by == "length":
        return [length_group(post.length)]
    raise UnknownChoiceError(_("grouping"), by, GROUPINGS)


def order_key(by: str, key: str, rubrics: Sequence[Rubric]) -> tuple[Any, ...]:
    """How groups are ordered: weekdays, hours, slots and lengths as numbers, kinds and rubrics
    by name (case-insensitively), the group of posts outside them last."""
    if by in ("weekday", "hour"):
        return (int(key),)
    if by == "slot":
        weekday, hour = key.split("-")
        return (int(weekday), int(hour))
    if by == "length":
        return (next(i for i, (_s, name) in enumerate(LENGTHS) if name == key),)
    if by == "attribute" and key in ATTRIBUTES:
        return (False, "", ATTRIBUTES.index(key))
    return (key == "", key.casefold(), key)


@dataclass
class ContentGroups:
    """A client's posts of a period grouped one way."""

    client: ClientInfo
    period: Period
    by: str
    min_posts: int
    total: Figures
    groups: list[Figures] = field(default_factory=list)


def group_posts(
    client: ClientInfo,
    period: Period,
    posts: Sequence[PostFacts],
    by: str,
    rubrics: Sequence[Rubric] = (),
    min_posts: int = DEFAULT_MIN_POSTS,
) -> ContentGroups:
    """``posts`` grouped ``by`` (one of :data:`GROUPINGS`), each group with its figures."""
    if by not in GROUPINGS:
        raise UnknownChoiceError(_("grouping"), by, GROUPINGS)
    members: dict[str, list[PostFacts]] = {}
    for post in posts:
        for key in keys_of(post, by, rubrics):
            members.setdefault(key, []).append(post)
    total = figures(None, posts)
    total.er_index = None if total.er is None else 1.0
    total.too_few_posts = total.posts < min_posts
    groups = []
    for key in sorted(members, key=lambda k: order_key(by, k, rubrics)):
        found = figures(key, members[key])
        found.er_index = None if found.er is None or not total.er else found.er / total.er
        found.too_few_posts = found.posts < min_posts
        groups.append(found)
    return ContentGroups(client, period, by, min_posts, total, groups)


def figures_json(found: Figures) -> dict[str, Any]:
    data: dict[str, Any] = {} if found.key is None else {"key": found.key}
    data.update(
        posts=found.posts,
        interactions=found.interactions,
        reach=found.reach,
        er=found.er,
        err=found.err,
        like_rate=found.like_rate,
        talk_rate=found.talk_rate,
        er_index=found.er_index,
        too_few_posts=found.too_few_posts,
    )
    return data


def content_json(found: ContentGroups) -> dict[str, Any]:
    """The object ``smmkpi content --format json`` prints (spec §6)."""
    return {
        "client": found.client.client_id,
        "period": {"from": found.period.start.isoformat(), "to": found.period.end.isoformat()},
        "by": found.by,
        "total": figures_json(found.total),
        "groups": [figures_json(g) for g in found.groups],
    }


def stored_rubrics(con: Any, client_id: str) -> list[Rubric]:
    """``client_id``'s rubrics as the workspace stores them (``smmkpi rubric``)."""
    from smmkpi.store import rubrics

    return [Rubric(r.name, tuple(r.rules)) for r in rubrics.listed(con, client_id)]


FINDING_GROUPINGS = ("kind", "attribute", "rubric", "weekday", "hour", "length")
"""The groupings a report's findings are looked for in (a slot holds too few posts in a
month to say anything)."""
NOTABLE = 0.25
"""How far from the total's ER a group must be to be worth saying: 25 % either way."""


@dataclass(frozen=True)
class Finding:
    """A group whose ER stands out from all posts': what the report says of the content."""

    by: str
    figures: Figures
    total_er: float


def findings(
    groupings: Sequence[ContentGroups], count: int = 3, per_grouping: int = 2
) -> list[Finding]:
    """The groups whose ER differs most from the total's (by the ratio, either way), each with
    enough posts behind it: at most ``per_grouping`` of one grouping, ``count`` in all, the
    strongest first. A grouping of one group says nothing (it is the total)."""
    candidates: list[tuple[float, int, Finding]] = []
    for grouped in groupings:
        total_er = grouped.total.er
        named = [g for g in grouped.groups if g.key != ""]
        if total_er is None or total_er <= 0 or len(grouped.groups) < 2:
            continue
        for group in named:
            index = group.er_index
            if group.too_few_posts or index is None or index <= 0:
                continue
            if abs(index - 1) < NOTABLE:
                continue
            strength = max(index, 1 / index)
            candidates.append((strength, group.posts, Finding(grouped.by, group, total_er)))
    candidates.sort(key=lambda c: (-c[0], -c[1]))
    chosen: list[Finding] = []
    taken: dict[str, int] = {}
    for _strength, _posts, found in candidates:
        if taken.get(found.by, 0) >= per_grouping:
            continue
        chosen.append(found)
        taken[found.by] = taken.get(found.by, 0) + 1
        if len(chosen) == count:
            break
    return chosen


def content_findings(
    client: ClientInfo,
    period: Period,
    posts: Sequence[PostFacts],
    rubrics: Sequence[Rubric],
    min_posts: int = DEFAULT_MIN_POSTS,
    count: int = 3,
) -> list[Finding]:
    """What stands out in ``posts``: :func:`findings` over :data:`FINDING_GROUPINGS`."""
    groupings = [
        group_posts(client, period, posts, by, rubrics, min_posts)
        for by in FINDING_GROUPINGS
        if by != "rubric" or rubrics
    ]
    return findings(groupings, count)


def best_slots(
    client: ClientInfo,
    period: Period,
    posts: Sequence[PostFacts],
    min_posts: int = DEFAULT_MIN_POSTS,
    count: int = 3,
) -> list[Figures]:
    """The posting slots (weekday and hour) with the highest ER among those with at least
    ``min_posts`` posts, best first."""
    slots = group_posts(client, period, posts, "slot", (), min_posts).groups
    enough = [s for s in slots if not s.too_few_posts and s.er is not None]
    return sorted(enough, key=lambda s: (-(s.er or 0), -s.posts))[:count]


def parse_rules(
    hashtags: Iterable[str], fragments: Iterable[str], posts: Iterable[str]
) -> list[tuple[str, str]]:
    """A rubric's rules as typed (the command's options, the web form's fields), checked:
    each hashtag one whole tag (kept as ``#tag``, normalised), each fragment some text (NFC),
    each post id as given; at least one rule."""
    rules: list[tuple[str, str]] = []
    for tag in hashtags:
        normal = brand_tag(tag)
        if normal is None:
            raise InvalidArgumentError(
                _(
                    "'{tag}' is not one hashtag: a # and letters, digits or _ (#coffeelab, "
                    "#кофе_дня)."
                ).format(tag=tag)
            )
        rules.append(("hashtag", "#" + normal))
    rules += [("contains", unicodedata.normalize("NFC", f.strip())) for f in fragments if f.strip()]
    rules += [("post", p.strip()) for p in posts if p.strip()]
    if not rules:
        raise InvalidArgumentError(
            _("A rubric needs a rule: a hashtag, a text its posts hold or a post id.")
        )
    return list(dict.fromkeys(rules))
