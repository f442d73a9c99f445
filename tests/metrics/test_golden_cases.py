"""Small golden cases for rules the agency fixture does not reach; expected values by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from smmkpi.errors import UnknownChoiceError
from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.compute import compute_kpis
from smmkpi.metrics.output import to_json
from smmkpi.metrics.periods import Period
from smmkpi.workspace import Workspace
from tests.conftest import compute, import_path, write_table


def setup_client(folder: Path, timezone: str = "Europe/Moscow", platform: str = "vk") -> None:
    write_table(folder, "clients", [{"client_id": "c", "name": "C", "timezone": timezone}])
    write_table(folder, "accounts", [{"account_id": "a", "client_id": "c", "platform": platform}])


def test_followers_start_looks_back_at_most_31_days(workspace: Workspace, tmp_path: Path) -> None:
    # March 2025: 31 days back from 1 March is 29 January.
    folder = tmp_path / "lookback"
    setup_client(folder)
    write_table(
        folder,
        "account_daily",
        [
            {"account_id": "a", "date": "2025-01-28", "followers": "900"},  # 32 days before
            {"account_id": "a", "date": "2025-03-10", "followers": "1000"},
            {"account_id": "a", "date": "2025-03-20", "followers": "1100"},
        ],
    )
    import_path(workspace, folder)
    (result,) = compute(workspace, Period.month("2025-03"))
    assert result.kpis["followers_start"].value == 1000  # the first known day of March
    assert result.kpis["follower_growth_rate"].value == pytest.approx(10.0)  # 100 / 1000

    write_table(
        folder, "account_daily", [{"account_id": "a", "date": "2025-01-29", "followers": "950"}]
    )
    import_path(workspace, folder)
    (result,) = compute(workspace, Period.month("2025-03"))
    assert result.kpis["followers_start"].value == 950  # 29 January is inside the look-back
    assert result.kpis["follower_growth_rate"].value == pytest.approx(150 / 950 * 100)


def test_a_23_hour_day_in_los_angeles(workspace: Workspace, tmp_path: Path) -> None:
    # 9 March 2025 in Los Angeles runs from 08:00Z (00:00 PST) to 07:00Z next day (00:00 PDT).
    folder = tmp_path / "dst"
    setup_client(folder, "America/Los_Angeles", "instagram")
    write_table(
        folder,
        "account_daily",
        [{"account_id": "a", "date": "2025-03-09", "followers": "200"}],
    )
    post = {"account_id": "a", "captured_at": "2025-03-12T00:00:00Z", "likes": "10"}
    write_table(
        folder,
        "posts",
        [
            {**post, "post_id": "before", "published_at": "2025-03-09T07:59:59Z"},
            {**post, "post_id": "first", "published_at": "2025-03-09T08:00:00Z"},
            {**post, "post_id": "last", "published_at": "2025-03-10T06:59:59Z"},
            {**post, "post_id": "after", "published_at": "2025-03-10T07:00:00Z"},
        ],
    )
    import_path(workspace, folder)
    (result,) = compute(workspace, Period.between("2025-03-09", "2025-03-09"))
    assert result.kpis["posts"].value == 2
    assert result.kpis["interactions"].value == 20
    assert result.kpis["er"].value == pytest.approx(20 / (2 * 200) * 100)
    assert result.kpis["er_day"].value == pytest.approx(20 / (1 * 200) * 100)  # one day


def test_a_client_may_extend_the_social_lists(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "extend"
    setup_client(folder)
    lead = {"client_id": "c", "created_at": "2025-03-05T10:00:00Z"}
    write_table(
        folder,
        "leads",
        [
            {**lead, "lead_id": "1", "channel": "ВКонтакте"},
            {**lead, "lead_id": "2", "utm_source": "blogger", "utm_medium": "influencer"},
            {**lead, "lead_id": "3", "utm_source": "vk"},
        ],
    )
    import_path(workspace, folder)
    month = Period.month("2025-03")
    with workspace.open_store(read_only=True) as store:
        plain = compute_kpis(store.backend, month)[0].kpis["leads"].value
        extended = (
            compute_kpis(
                store.backend,
                month,
                rules=SocialRules.with_extras(
                    mediums=["Influencer"], per_client={"c": ((), ["вконтакте"])}
                ),
            )[0]
            .kpis["leads"]
            .value
        )
        other_client = (
            compute_kpis(
                store.backend,
                month,
                rules=SocialRules.with_extras(per_client={"x": ((), ["вконтакте"])}),
            )[0]
            .kpis["leads"]
            .value
        )
    assert (plain, extended, other_client) == (1, 3, 1)


def test_money_stays_exact_and_json_has_no_nan(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "money"
    setup_client(folder)
    sale = {"client_id": "c", "closed_at": "2025-03-05T10:00:00Z", "utm_source": "vk"}
    write_table(
        folder,
        "sales",
        [{**sale, "sale_id": "1", "amount": "0.1"}, {**sale, "sale_id": "2", "amount": "0.2"}],
    )
    write_table(
        folder,
        "ad_spend",
        [{"client_id": "c", "date": "2025-03-01", "platform": "vk_ads", "amount": "0.3"}],
    )
    import_path(workspace, folder)
    results = compute(workspace, Period.month("2025-03"))
    text = to_json(results, single=True)
    assert '"revenue": 0.3,' in text  # 0.1 + 0.2 summed as decimals, not floats
    assert '"romi": 0.0,' in text  # (0.3 − 0.3) / 0.3 × 100
    assert '"cpl": null' in text  # leads were never imported
    assert "NaN" not in text and "Infinity" not in text


def test_a_period_with_no_posts_counts_zero_posts_but_no_rates(
    workspace: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "quiet-month"
    setup_client(folder)
    write_table(
        folder, "account_daily", [{"account_id": "a", "date": "2025-03-01", "followers": "100"}]
    )
    write_table(
        folder,
        "posts",
        [
            {
                "account_id": "a",
                "post_id": "1",
                "published_at": "2025-02-10T10:00:00Z",
                "likes": "5",
                "reach": "50",
                "captured_at": "2025-03-01T00:00:00Z",
            }
        ],
    )
    import_path(workspace, folder)
    (result,) = compute(workspace, Period.month("2025-03"))
    values = {k: v.value for k, v in result.kpis.items()}
    assert (values["posts"], values["interactions"], values["post_reach"]) == (0, 0, 0)
    assert (values["er"], values["err"], values["avg_post_reach"]) == (None, None, None)
    assert values["er_day"] == 0.0  # days without posts count: 0 / (31 × 100)


def test_unknown_client_lists_the_known_ones(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "one"
    setup_client(folder)
    import_path(workspace, folder)
    with pytest.raises(UnknownChoiceError) as error:
        compute(workspace, Period.month("2025-03"), ["coffeelab"])
    assert (
        str(error.value)
        == "Unknown client 'coffeelab'. Known: c. Import the client first (clients.csv)."
    )


def test_a_client_named_twice_is_counted_once(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "twice"
    setup_client(folder)
    write_table(folder, "account_daily", [{"account_id": "a", "date": "2025-03-02", "reach": "40"}])
    import_path(workspace, folder)
    results = compute(workspace, Period.month("2025-03"), ["c", "c"])
    assert len(results) == 1
    assert results[0].kpis["reach"].value == 40
