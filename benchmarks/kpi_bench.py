"""KPI computation at agency scale: the product against hand-written DuckDB SQL and pandas.

    .venv/bin/python benchmarks/kpi_bench.py            # or: make bench
    .venv/bin/python benchmarks/kpi_bench.py --accounts 200 --posts 400000   # a quick run

Generates a workspace of 500 clients, 2,000 accounts × 730 days of daily statistics and about
4M posts (plus mentions, web sessions, leads, sales and ad spend), then computes one month for
all clients three ways, each in its own process so that its peak memory is its own:

(a) the product: ``compute_kpis`` — Ibis queries on DuckDB plus the formula evaluation;
(b) hand-written DuckDB SQL computing the same per-account and per-client aggregates;
(c) a straightforward pandas version of the same aggregates (tables loaded beforehand; the
    load is reported separately and not counted in its time).

Each approach runs three times in its process; the median wall time is reported with the peak
RSS of the process, and the ratios against (b) and (c). (a) and (b) are checked to agree on the
totals they computed. Targets (docs/benchmarks.md): (a) ≤ 1.5 × (b), (a) ≥ 3 × faster than
(c), peak memory of (a) under 2 GB.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

# The lists the rules are made of are shared; the queries themselves are written by hand.
from smmkpi.metrics.attribution import SOCIAL_MEDIUMS, SOCIAL_SOURCES  # noqa: E402
from smmkpi.metrics.queries import DAILY_SUMS, POST_SUMS  # noqa: E402
from smmkpi.store.tables import TABLES_BY_NAME  # noqa: E402

MONTH = "2025-10"
FIRST_DAY = date(2023, 12, 1)  # 730 days: 2023-12-01 … 2025-11-29
TIMEZONES = ("Europe/Moscow", "Asia/Yekaterinburg", "America/Los_Angeles", "UTC")
PLATFORMS = ("vk", "telegram", "instagram", "youtube")


def generate(path: Path, accounts: int, days: int, posts: int) -> dict[str, int]:
    """Fill a fresh workspace database at ``path`` with deterministic synthetic data."""
    from smmkpi.store.database import Store

    clients = accounts // 4
    with Store.open(path) as store:
        con = store.con
        con.execute("SET preserve_insertion_order = false")
        tz = ", ".join(f"'{z}'" for z in TIMEZONES)
        platforms = ", ".join(f"'{p}'" for p in PLATFORMS)
        statements = [
            f"""INSERT INTO clients SELECT 'c' || lpad(i::VARCHAR, 4, '0'), 'Client ' || i,
                ([{tz}])[i % 4 + 1], 'RUB', (['awareness', 'community', 'sales'])[i % 3 + 1],
                '#brand' || i, 0 FROM range({clients}) t(i)""",
            f"""INSERT INTO accounts SELECT 'a' || lpad(i::VARCHAR, 5, '0'),
                'c' || lpad((i // 4)::VARCHAR, 4, '0'), ([{platforms}])[i % 4 + 1],
                '@acc' || i, 'Account ' || i, 0 FROM range({accounts}) t(i)""",
            f"""INSERT INTO account_daily
                SELECT 'a' || lpad(a::VARCHAR, 5, '0'), DATE '{FIRST_DAY}' + d::INTEGER,
                       5000 + a * 3 + d * 2,
                       CASE WHEN hash(a, d) % 50 = 0 THEN NULL ELSE 20 + hash(a, d, 1) % 30 END,
                       8 + hash(a, d, 2) % 10,
                       CASE WHEN a % 4 = 1 THEN NULL ELSE 1000 + hash(a, d, 3) % 3000 END,
                       1500 + hash(a, d, 4) % 4000, 50 + hash(a, d, 5) % 100,
                       hash(a, d, 6) % 20, hash(a, d, 7) % 8, hash(a, d, 8) % 5, 0
                FROM range({accounts}) s(a), range({days}) t(d)""",
            f"""INSERT INTO posts
                SELECT 'a' || lpad((p % {accounts})::VARCHAR, 5, '0'), (1000000000 + p)::VARCHAR,
                       TIMESTAMPTZ '{FIRST_DAY} 00:00:00+00'
                           + to_seconds((hash(p) % ({days} * 86400))::BIGINT),
                       'post', 'Post text ' || p || ' #brand' || (p % {clients}),
                       'https://example.org/p/' || p,
                       CASE WHEN hash(p, 1) % 40 = 0 THEN NULL ELSE hash(p, 2) % 500 END,
                       hash(p, 3) % 40, hash(p, 4) % 30,
                       CASE WHEN p % 4 = 2 THEN hash(p, 5) % 50 ELSE NULL END,
                       1000 + hash(p, 6) % 9000,
                       CASE WHEN p % 4 = 1 THEN NULL ELSE hash(p, 7) % 5000 END,
                       CASE WHEN p % 4 = 0 THEN hash(p, 8) % 3000 ELSE NULL END,
                       CASE WHEN p % 4 = 0 THEN hash(p, 9) % 500 ELSE NULL END,
                       CASE WHEN p % 4 = 0 THEN hash(p, 10) % 800 ELSE NULL END,
                       hash(p, 11) % 20, TIMESTAMPTZ '2025-12-01 00:00:00+00', 0
                FROM range({posts}) t(p)""",
            f"""INSERT INTO mentions
                SELECT 'c' || lpad((m % {clients})::VARCHAR, 4, '0'), 'm' || m, 'vk',
                       TIMESTAMPTZ '{FIRST_DAY} 00:00:00+00'
                           + to_seconds((hash(m) % ({days} * 86400))::BIGINT),
                       NULL, NULL, 'text #brand' || (m % {clients}),
                       CASE WHEN m % 3 = 0 THEN ' brand' || (m % {clients}) || ' ' ELSE '' END, 0
                FROM range({clients * 400}) t(m)""",
            f"""INSERT INTO web_sessions
                SELECT 'c' || lpad(c::VARCHAR, 4, '0'), DATE '{FIRST_DAY}' + d::INTEGER,
                       (['vk', 'instagram', 'yandex', NULL])[k + 1],
                       (['social', '{{medium}}', 'cpc', NULL])[k + 1], NULL, NULL, NULL,
                       10 + hash(c, d, k) % 200, 8 + hash(c, d, k) % 150, hash(c, d, k, 1) % 10, 0
                FROM range({clients}) s(c), range({days}) t(d), range(4) u(k)""",
            f"""INSERT INTO leads
                SELECT 'c' || lpad((l % {clients})::VARCHAR, 4, '0'), 'L' || l,
                       TIMESTAMPTZ '{FIRST_DAY} 00:00:00+00'
                           + to_seconds((hash(l) % ({days} * 86400))::BIGINT),
                       (['vk', 'google', NULL])[l % 3 + 1], (['social', 'cpc', NULL])[l % 3 + 1],
                       NULL, NULL, NULL, (['vk', NULL, 'сарафан'])[l % 3 + 1],
                       (['open', 'won', 'lost'])[l % 3 + 1], 0
                FROM range({clients * 600}) t(l)""",
            f"""INSERT INTO sales
                SELECT 'c' || lpad((l % {clients})::VARCHAR, 4, '0'), 'S' || l, 'L' || l,
                       TIMESTAMPTZ '{FIRST_DAY} 00:00:00+00'
                           + to_seconds((hash(l) % ({days} * 86400) + 86400 * 5)::BIGINT),
                       (1000 + hash(l, 1) % 90000)::DECIMAL(18, 4),
                       CASE WHEN l % 2 = 0 THEN 'vk' END, NULL, NULL, NULL, NULL, NULL, 0
                FROM range({clients * 600}) t(l) WHERE l % 5 = 1""",
            f"""INSERT INTO ad_spend
                SELECT 'c' || lpad(c::VARCHAR, 4, '0'), DATE '{FIRST_DAY}' + d::INTEGER,
                       (['vk_ads', 'telegram_ads'])[k + 1], 'campaign',
                       (100 + hash(c, d, k) % 5000)::DECIMAL(18, 4), 0
                FROM range({clients}) s(c), range({days}) t(d), range(2) u(k)""",
        ]
        for statement in statements:
            con.execute(statement)
        con.execute("CHECKPOINT")
        return {name: store.count_rows(name) for name in TABLES_BY_NAME}


# -- (a) the product -------------------------------------------------------------------------


def product_runner(path: Path) -> Any:
    """A function computing the month for all clients with the product, on an open store."""
    from smmkpi.metrics.compute import compute_kpis
    from smmkpi.metrics.output import to_json
    from smmkpi.metrics.periods import Period
    from smmkpi.store.database import Store

    store = Store.open(path, read_only=True)
    backend = store.backend

    def run() -> tuple[float, dict[str, Any]]:
        start = time.perf_counter()
        results = compute_kpis(backend, Period.month(MONTH))
        elapsed = time.perf_counter() - start
        start = time.perf_counter()
        to_json(results, single=False)  # every value as a Python number, as reports read them
        materialise = time.perf_counter() - start
        totals = {
            "posts": sum(r.kpis["posts"].value or 0 for r in results),
            "reach": sum(r.kpis["reach"].value or 0 for r in results),
            "interactions": sum(r.kpis["interactions"].value or 0 for r in results),
            "leads": sum(r.kpis["leads"].value or 0 for r in results),
            "sales": sum(r.kpis["sales"].value or 0 for r in results),
            "kpi_values": sum(
                len(r.kpis) + sum(len(a) for a in r.accounts.values()) for r in results
            ),
            "materialise_seconds": materialise,
        }
        return elapsed, totals

    return run


# -- (b) hand-written DuckDB SQL --------------------------------------------------------------

MEDIUMS = ",".join(f"'{m}'" for m in SOCIAL_MEDIUMS)
SOURCES = ",".join(f"'{s}'" for s in SOCIAL_SOURCES)


def clean(column: str) -> str:
    """A UTM value trimmed and lower-cased; NULL when empty or an unexpanded {macro}."""
    value = f"lower(trim({column}))"
    return (
        f"CASE WHEN {value} = '' OR regexp_full_match({value}, '\\{{[^{{}}]*\\}}') "
        f"THEN NULL ELSE {value} END"
    )


def social(source: str, medium: str, channel: str | None) -> str:
    origin = f"coalesce({source}, {channel})" if channel else source
    return f"(coalesce({medium} IN ({MEDIUMS}), false) OR coalesce({origin} IN ({SOURCES}), false))"


def hand_sql(month_start: str, month_end: str) -> dict[str, str]:
    """The same raw aggregates as the product's queries, written by hand for DuckDB."""
    first, last = f"DATE '{month_start}'", f"DATE '{month_end}'"
    bounds = f"""bounds AS (
        SELECT client_id,
               timezone('UTC', timezone(timezone, TIMESTAMP '{month_start} 00:00:00')) AS s,
               timezone('UTC', timezone(timezone, TIMESTAMP '{month_end} 00:00:00'
                   + INTERVAL 1 DAY)) AS e
        FROM clients)"""
    in_month = f"date >= {first}"
    daily_sums = ",\n".join(
        f"sum({c}) FILTER (WHERE {in_month}), count({c}) FILTER (WHERE {in_month})"
        for c in DAILY_SUMS
    )
    post_sums = ",\n".join(f"sum({c}), count({c})" for c in POST_SUMS)
    lead_utm = ", ".join(
        f"{clean(c)} AS l_{c}"
        for c in ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "channel")
    )
    sale_utm = ", ".join(
        f"{clean(c)} AS o_{c}"
        for c in ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "channel")
    )
    own_empty = " AND ".join(
        f"o_{c} IS NULL"
        for c in ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "channel")
    )
    split_known = "reach_organic IS NOT NULL AND reach_viral IS NOT NULL AND reach_paid IS NOT NULL"
    lead_social = social("src", "med", "ch")
    return {
        "daily": f"""
            SELECT account_id,
                arg_max(followers, date) FILTER (WHERE {in_month} AND followers IS NOT NULL),
                arg_min(followers, date) FILTER (WHERE {in_month} AND followers IS NOT NULL),
                arg_max(followers, date) FILTER (WHERE date < {first} AND followers IS NOT NULL),
                avg(followers) FILTER (WHERE {in_month}),
                count(followers) FILTER (WHERE {in_month}),
                count(*) FILTER (WHERE {in_month}),
                {daily_sums}
            FROM account_daily
            WHERE date >= {first} - INTERVAL 31 DAY AND date <= {last}
            GROUP BY account_id""",
        "posts": f"""
            WITH {bounds},
            p AS (
                SELECT posts.*, CASE WHEN likes IS NULL AND comments IS NULL AND shares IS NULL
                    AND saves IS NULL THEN NULL ELSE coalesce(likes, 0) + coalesce(comments, 0)
                    + coalesce(shares, 0) + coalesce(saves, 0) END AS ia
                FROM posts JOIN accounts USING (account_id) JOIN bounds USING (client_id)
                WHERE published_at >= s AND published_at < e)
            SELECT account_id, count(*), sum(ia), count(ia),
                sum(ia) FILTER (WHERE ia IS NOT NULL AND reach > 0),
                sum(reach) FILTER (WHERE ia IS NOT NULL AND reach > 0),
                count(*) FILTER (WHERE ia IS NOT NULL AND reach > 0),
                sum(reach_organic) FILTER (WHERE {split_known}),
                sum(reach_viral) FILTER (WHERE {split_known}),
                sum(reach_paid) FILTER (WHERE {split_known}),
                count(*) FILTER (WHERE {split_known}),
                {post_sums}
            FROM p GROUP BY account_id""",
        "coverage": "SELECT DISTINCT account_id FROM posts",
        "mentions": f"""
            WITH {bounds}, m AS (
                SELECT client_id, mention_id, tags, published_at >= s AND published_at < e AS in_p
                FROM mentions JOIN bounds USING (client_id)),
            branded AS (
                SELECT m.client_id, count(DISTINCT m.mention_id) AS n
                FROM m JOIN clients c ON c.client_id = m.client_id
                WHERE m.in_p AND contains(m.tags, ' ' || lower(substr(c.brand_hashtags, 2)) || ' ')
                GROUP BY m.client_id)
            SELECT client_id, count(*), count(*) FILTER (WHERE in_p), any_value(branded.n)
            FROM m LEFT JOIN branded USING (client_id) GROUP BY client_id""",
        "web": f"""
            WITH w AS (
                SELECT client_id, sessions, goal_completions,
                       {clean("utm_source")} AS src, {clean("utm_medium")} AS med
                FROM web_sessions WHERE date BETWEEN {first} AND {last})
            SELECT client_id, count(sessions), count(goal_completions),
                count(*) FILTER (WHERE {social("src", "med", None)}),
                sum(sessions) FILTER (WHERE {social("src", "med", None)}),
                count(sessions) FILTER (WHERE {social("src", "med", None)}),
                sum(goal_completions) FILTER (WHERE {social("src", "med", None)}),
                count(goal_completions) FILTER (WHERE {social("src", "med", None)})
            FROM w GROUP BY client_id""",
        "leads": f"""
            WITH {bounds}, l AS (
                SELECT client_id, created_at >= s AND created_at < e AS in_p,
                       {clean("utm_source")} AS src, {clean("utm_medium")} AS med,
                       {clean("channel")} AS ch
                FROM leads JOIN bounds USING (client_id))
            SELECT client_id, count(*), count(*) FILTER (WHERE in_p AND {lead_social})
            FROM l GROUP BY client_id""",
        "sales": f"""
            WITH {bounds},
            s AS (SELECT sales.*, {sale_utm}, closed_at >= b.s AND closed_at < b.e AS in_p
                  FROM sales JOIN bounds b USING (client_id)),
            l AS (SELECT client_id, lead_id, {lead_utm} FROM leads
                  WHERE lead_id IN (SELECT lead_id FROM s)),
            j AS (SELECT s.client_id, s.amount, s.in_p,
                         l.lead_id IS NOT NULL AND {own_empty} AS inherit,
                         s.o_utm_source, s.o_utm_medium, s.o_channel,
                         l.l_utm_source, l.l_utm_medium, l.l_channel
                  FROM s LEFT JOIN l ON l.client_id = s.client_id AND l.lead_id = s.lead_id),
            k AS (SELECT client_id, amount, in_p, inherit,
                         CASE WHEN inherit THEN l_utm_source ELSE o_utm_source END AS src,
                         CASE WHEN inherit THEN l_utm_medium ELSE o_utm_medium END AS med,
                         CASE WHEN inherit THEN l_channel ELSE o_channel END AS ch
                  FROM j)
            SELECT client_id, count(*),
                count(*) FILTER (WHERE in_p AND {social("src", "med", "ch")}),
                count(*) FILTER (WHERE in_p AND inherit AND {social("src", "med", "ch")}),
                sum(amount) FILTER (WHERE in_p AND {social("src", "med", "ch")}),
                count(amount) FILTER (WHERE in_p AND {social("src", "med", "ch")})
            FROM k GROUP BY client_id""",
        "spend": f"""
            SELECT client_id, sum(amount), count(amount) FROM ad_spend
            WHERE date BETWEEN {first} AND {last} GROUP BY client_id""",
    }


def sql_runner(path: Path) -> Any:
    """A function running the hand-written SQL on an open connection."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    queries = hand_sql("2025-10-01", "2025-10-31")

    def run() -> tuple[float, dict[str, Any]]:
        start = time.perf_counter()
        results = {name: con.sql(sql).to_arrow_table() for name, sql in queries.items()}
        elapsed = time.perf_counter() - start
        daily = results["daily"].to_pylist()
        posts = results["posts"].to_pylist()
        leads = results["leads"].to_pylist()
        sales = results["sales"].to_pylist()
        totals = {
            "posts": sum(list(r.values())[1] for r in posts),
            "reach": sum(list(r.values())[11] or 0 for r in daily),
            "interactions": sum(list(r.values())[2] or 0 for r in posts),
            "leads": sum(list(r.values())[2] for r in leads),
            "sales": sum(list(r.values())[2] for r in sales),
        }
        return elapsed, totals

    return run


# -- (c) pandas ----------------------------------------------------------------------------------


def load_frames(path: Path) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    frames = {
        "clients": con.execute("SELECT client_id, timezone FROM clients").df(),
        "accounts": con.execute("SELECT account_id, client_id FROM accounts").df(),
        "daily": con.execute("SELECT * EXCLUDE (import_id) FROM account_daily").df(),
        "posts": con.execute(
            "SELECT account_id, published_at, likes, comments, shares, saves, views, reach, "
            "reach_organic, reach_viral, reach_paid, link_clicks FROM posts"
        ).df(),
        "mentions": con.execute("SELECT client_id, published_at, tags FROM mentions").df(),
        "web": con.execute("SELECT * EXCLUDE (import_id) FROM web_sessions").df(),
        "leads": con.execute("SELECT * EXCLUDE (import_id) FROM leads").df(),
        "sales": con.execute("SELECT * EXCLUDE (import_id) FROM sales").df(),
        "spend": con.execute("SELECT * EXCLUDE (import_id) FROM ad_spend").df(),
    }
    con.close()
    return frames


def run_pandas(frames: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    import pandas as pd

    start = time.perf_counter()
    first, last = pd.Timestamp("2025-10-01"), pd.Timestamp("2025-10-31")
    clients = frames["clients"].copy()
    clients["s"] = [pd.Timestamp("2025-10-01", tz=z).tz_convert("UTC") for z in clients["timezone"]]
    clients["e"] = [pd.Timestamp("2025-11-01", tz=z).tz_convert("UTC") for z in clients["timezone"]]
    daily = frames["daily"]
    daily = daily[(daily["date"] >= first - pd.Timedelta(days=31)) & (daily["date"] <= last)]
    in_period = daily[daily["date"] >= first]
    sums = in_period.groupby("account_id")[list(DAILY_SUMS)].sum(min_count=1)
    known = in_period.dropna(subset=["followers"]).sort_values("date")
    end = known.groupby("account_id")["followers"].last()
    first_known = known.groupby("account_id")["followers"].first()
    average = known.groupby("account_id")["followers"].mean()
    before = daily[(daily["date"] < first) & daily["followers"].notna()].sort_values("date")
    start_before = before.groupby("account_id")["followers"].last()
    followers = pd.DataFrame(
        {"end": end, "first": first_known, "avg": average, "before": start_before}
    )

    posts = (
        frames["posts"]
        .merge(frames["accounts"], on="account_id")
        .merge(clients[["client_id", "s", "e"]], on="client_id")
    )
    posts = posts[(posts["published_at"] >= posts["s"]) & (posts["published_at"] < posts["e"])]
    parts = posts[["likes", "comments", "shares", "saves"]]
    posts = posts.assign(ia=parts.sum(axis=1, min_count=1))
    posts["err_ia"] = posts["ia"].where(posts["reach"] > 0)
    posts["err_reach"] = posts["reach"].where(posts["ia"].notna() & (posts["reach"] > 0))
    post_sums = posts.groupby("account_id").agg(
        posts=("ia", "size"),
        ia=("ia", "sum"),
        ia_n=("ia", "count"),
        likes=("likes", "sum"),
        comments=("comments", "sum"),
        shares=("shares", "sum"),
        views=("views", "sum"),
        reach=("reach", "sum"),
        organic=("reach_organic", "sum"),
        viral=("reach_viral", "sum"),
        paid=("reach_paid", "sum"),
        err_ia=("err_ia", "sum"),
        err_reach=("err_reach", "sum"),
        link_clicks=("link_clicks", "sum"),
    )
    covered = frames["posts"]["account_id"].unique()

    mentions = frames["mentions"].merge(clients, on="client_id")
    mentions = mentions[
        (mentions["published_at"] >= mentions["s"]) & (mentions["published_at"] < mentions["e"])
    ]
    mention_counts = mentions.groupby("client_id").agg(
        mentions=("tags", "size"), branded=("tags", lambda t: (t.str.len() > 0).sum())
    )

    social_mediums, social_sources = set(SOCIAL_MEDIUMS), set(SOCIAL_SOURCES)

    def social(frame: Any, channel: bool) -> Any:
        medium = frame["utm_medium"].str.strip().str.lower()
        source = frame["utm_source"].str.strip().str.lower()
        if channel:
            source = source.fillna(frame["channel"].str.strip().str.lower())
        return medium.isin(social_mediums) | source.isin(social_sources)

    web = frames["web"]
    web = web[(web["date"] >= first) & (web["date"] <= last)]
    web = web.assign(social=social(web, False))
    web_sums = web[web["social"]].groupby("client_id")[["sessions", "goal_completions"]].sum()

    leads = frames["leads"].merge(clients, on="client_id")
    leads = leads[(leads["created_at"] >= leads["s"]) & (leads["created_at"] < leads["e"])]
    lead_counts = leads[social(leads, True)].groupby("client_id").size()

    sales = (
        frames["sales"]
        .merge(
            frames["leads"][["client_id", "lead_id", "utm_source"]].rename(
                columns={"utm_source": "lead_source"}
            ),
            on=["client_id", "lead_id"],
            how="left",
        )
        .merge(clients, on="client_id")
    )
    sales = sales[(sales["closed_at"] >= sales["s"]) & (sales["closed_at"] < sales["e"])]
    sales["utm_source"] = sales["utm_source"].fillna(sales["lead_source"])
    sale_sums = sales[social(sales, True)].groupby("client_id")["amount"].agg(["size", "sum"])

    spend = frames["spend"]
    spend = spend[(spend["date"] >= first) & (spend["date"] <= last)]
    spend_sums = spend.groupby("client_id")["amount"].sum()
    elapsed = time.perf_counter() - start
    totals = {
        "posts": int(post_sums["posts"].sum()),
        "reach": int(sums["reach"].sum()),
        "interactions": int(post_sums["ia"].sum()),
    }
    del followers, covered, mention_counts, web_sums, lead_counts, sale_sums, spend_sums
    return elapsed, totals


# -- harness -------------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(kind: str, path: str, runs: int, queue: Any) -> None:
    extra: dict[str, Any] = {}
    if kind == "product":
        run = product_runner(Path(path))
    elif kind == "sql":
        run = sql_runner(Path(path))
    else:
        start = time.perf_counter()
        frames = load_frames(Path(path))
        extra["load_seconds"] = time.perf_counter() - start

        def run() -> tuple[float, dict[str, Any]]:
            return run_pandas(frames)

    times = []
    for _ in range(runs + 1):  # the first run is cold (imports, compilation): reported apart
        elapsed, totals = run()
        times.append(elapsed)
    queue.put(
        {
            "kind": kind,
            "cold": times[0],
            "times": times[1:],
            "totals": totals,
            "peak_mb": peak_rss_mb(),
            **extra,
        }
    )


def in_fresh_process(target: Any, *args: Any) -> dict[str, Any]:
    """``target(*args, queue)`` run in a new spawned process (its peak memory its own); what it
    put on the queue."""
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    result: dict[str, Any] = queue.get()
    process.join()
    return result


def measure(kind: str, path: Path, runs: int) -> dict[str, Any]:
    return in_fresh_process(_child, kind, str(path), runs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--posts", type=int, default=4_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks" / ".data")
    args = parser.parse_args()

    args.data.mkdir(parents=True, exist_ok=True)
    path = args.data / f"bench-{args.accounts}-{args.days}-{args.posts}.duckdb"
    if not path.exists():
        print(f"Generating {path.name} …", flush=True)
        start = time.perf_counter()
        counts = generate(path, args.accounts, args.days, args.posts)
        print(
            f"  generated in {time.perf_counter() - start:.1f} s: "
            + ", ".join(f"{k} {v:,}" for k, v in counts.items()),
            flush=True,
        )
    print(f"Month {MONTH}, all clients, median of {args.runs} runs per approach:\n", flush=True)
    results = {kind: measure(kind, path, args.runs) for kind in ("product", "sql", "pandas")}
    med = {kind: statistics.median(r["times"]) for kind, r in results.items()}
    names = {
        "product": "(a) smmkpi (Ibis on DuckDB)",
        "sql": "(b) hand-written DuckDB SQL",
        "pandas": "(c) pandas",
    }
    for kind, result in results.items():
        line = (
            f"{names[kind]:32} {med[kind]:7.3f} s   (first run {result['cold']:.3f} s)"
            f"   peak RSS {result['peak_mb']:6.0f} MB"
        )
        if "load_seconds" in result:
            line += f"   + {result['load_seconds']:.1f} s loading the frames, not counted"
        print(line)
    product, sql, pandas_ = (
        results["product"]["totals"],
        results["sql"]["totals"],
        results["pandas"]["totals"],
    )
    for key in ("posts", "reach", "interactions"):
        if not product[key] == sql[key] == pandas_[key]:
            raise SystemExit(
                f"the approaches disagree on {key}: {product[key]} {sql[key]} {pandas_[key]}"
            )
    for key in ("leads", "sales"):
        if product[key] != sql[key]:
            raise SystemExit(f"(a) and (b) disagree on {key}: {product[key]} {sql[key]}")
    print(
        f"\nThey agree: {product['posts']:,} posts, reach {product['reach']:,}, "
        f"interactions {product['interactions']:,} (all three); {product['leads']:,} social "
        f"leads and {product['sales']:,} social sales ((a) and (b)). The product computed "
        f"{product['kpi_values']:,} KPI values."
    )
    print(
        f"Turning all of (a)'s values into Python numbers (JSON) takes a further "
        f"{product['materialise_seconds']:.3f} s."
    )
    print(f"(a) / (b) = {med['product'] / med['sql']:.2f}   (target ≤ 1.5)")
    print(f"(c) / (a) = {med['pandas'] / med['product']:.2f}   (target ≥ 3)")
    print(f"peak memory of (a) = {results['product']['peak_mb']:.0f} MB   (target < 2048)")


if __name__ == "__main__":
    main()
