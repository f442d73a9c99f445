"""The demo agency's competitors: two for each of two clients, followed since the start of the
demo's history, with a snapshot of their public counters every week (as weekly syncs would have
taken them) and their posts' public likes, comments and shares — so the comparison, the
report's page and the client page have something to show from the first hour."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from smmkpi.store import competitors as stored
from smmkpi.store.database import Store


@dataclass(frozen=True)
class DemoRival:
    client_id: str
    platform: str
    handle: str
    name: str
    followers: int
    weekly_growth: float
    posts_a_week: float
    engagement: float
    """Interactions of a post as a share of the followers."""


RIVALS = (
    DemoRival("coffeelab", "vk", "coffee_bean_msk", "Кофейное зерно", 31_000, 0.004, 5, 0.011),
    DemoRival("coffeelab", "telegram", "@raf_and_co", "Раф и Ко", 9_800, 0.007, 9, 0.024),
    DemoRival("fitnest", "vk", "stretch_ekb", "Stretch Studio", 12_500, 0.003, 4, 0.021),
    DemoRival("fitnest", "instagram", "@ekb.yoga.club", "EKB Yoga Club", 6_400, 0.009, 6, 0.046),
)


def add_rivals(store: Store, first: date, as_of: date, seed: int) -> int:
    """Follow the demo's rivals from ``first`` and record their weekly snapshots and posts up
    to ``as_of``; returns how many snapshots were recorded."""
    rng = random.Random(seed * 7919)
    recorded = 0
    with store.transaction():
        for rival in RIVALS:
            key = stored.competitor_id(rival.client_id, rival.platform, rival.handle)
            start = datetime.combine(first, time(9), UTC)
            found = stored.StoredCompetitor(
                key, rival.client_id, rival.platform, rival.handle, rival.name, start
            )
            if not stored.add(store.con, found):
                continue  # a demo built again: its rivals are there
            snapshots, posts = [], []
            followers = float(rival.followers)
            moment = start
            number = 0
            while moment.date() <= as_of:
                snapshots.append(stored.Snapshot(key, moment, round(followers), rival.name))
                for _ in range(_count(rng, rival.posts_a_week)):
                    number += 1
                    published = moment + timedelta(hours=rng.uniform(2, 166))
                    if published.date() > as_of:
                        continue
                    likes = followers * rival.engagement * rng.lognormvariate(0, 0.4)
                    posts.append(
                        stored.CompetitorPost(
                            key, f"{rival.handle.lstrip('@')}-{number}", published,
                            round(likes), round(likes * rng.uniform(0.03, 0.1)),
                            round(likes * rng.uniform(0.02, 0.08)), None,
                            datetime.combine(as_of, time(9), UTC),
                        )
                    )  # fmt: skip
                followers *= 1 + rival.weekly_growth * rng.uniform(0.5, 1.5)
                moment += timedelta(days=7)
            stored.record(store.con, snapshots, posts)
            recorded += len(snapshots)
    return recorded


def _count(rng: random.Random, mean: float) -> int:
    return max(0, round(rng.gauss(mean, mean**0.5)))
