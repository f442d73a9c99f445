"""`smmkpi brief`, `history`, `plan …` and `status` on a shop with a steady history."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from smmkpi.cli.app import app
from tests.conftest import ENGINES, copy_workspace, write_table

FIRST, LAST = date(2025, 10, 1), date(2026, 11, 25)


def run(
    runner: CliRunner, folder: Path, *args: object, input: str | None = None
) -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["-w", str(folder), "--lang", "en", *(str(a) for a in args)], input=input
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module", params=ENGINES)
def shop(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A shop with steady data from October 2025: every day 100 reach, 10 link clicks, one
    lead from VK at noon and 20 social site sessions — on each engine."""
    runner = CliRunner()
    root = tmp_path_factory.mktemp("shop")
    folder, data = root / "ws", root / "data"
    days = [FIRST + timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
    write_table(
        data,
        "clients",
        [{"client_id": "shop", "name": "Shop", "timezone": "Europe/Moscow", "goal": "sales"}],
    )
    write_table(
        data, "accounts", [{"account_id": "shop-vk", "client_id": "shop", "platform": "vk"}]
    )
    write_table(
        data,
        "account_daily",
        [{"account_id": "shop-vk", "date": d, "reach": 100, "link_clicks": 10} for d in days],
        ["account_id", "date", "reach", "link_clicks"],
    )
    write_table(
        data,
        "leads",
        [
            {
                "client_id": "shop",
                "lead_id": f"L{i}",
                "created_at": f"{d}T12:00:00+03:00",
                "utm_source": "vk",
            }
            for i, d in enumerate(days)
        ],
        ["client_id", "lead_id", "created_at", "utm_source"],
    )
    write_table(
        data,
        "web_sessions",
        [
            {
                "client_id": "shop",
                "date": d,
                "utm_source": "vk",
                "utm_medium": "social",
                "sessions": 20,
            }
            for d in days
        ],
        ["client_id", "date", "utm_source", "utm_medium", "sessions"],
    )
    store = []
    if request.param == "postgresql":
        store = ["--store", request.getfixturevalue("postgres_server").new_database("shop")]
    assert run(runner, folder, "init", *store)[0] == 0
    code, _out, err = run(runner, folder, "import", data)
    assert code == 0, err
    return folder


def test_a_brief_from_a_file_is_kept_with_its_revisions(
    shop: Path, runner: CliRunner, tmp_path: Path
) -> None:
    answers = {
        "business": "A furniture shop",
        "real_goal": "More orders from social media",
        "main_goal": "sales",
        "secondary_goals": ["awareness", "sales"],
        "accounts": ["shop-vk"],
        "monthly_budget": 50000,
        "sales_cycle_days": 10,
    }
    path = tmp_path / "brief.yaml"
    path.write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    code, out, err = run(runner, shop, "brief", "shop", "--file", path, "--author", "anna")
    assert code == 0, err
    assert "Saved revision 1 of the brief of shop." in out
    assert "The KPIs these goals propose (sales, brand awareness):" in out
    assert "★ Leads from social — People who left their contacts or applied." in out
    assert "! Sales and revenue depend on the sales team as much as on SMM." in out
    code, out, _ = run(runner, shop, "brief", "shop", "--file", path)
    assert "The brief of shop is unchanged." in out
    answers["monthly_budget"] = 70000
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    run(runner, shop, "brief", "shop", "--file", path, "--note", "budget raised")
    code, out, _ = run(runner, shop, "brief", "shop", "--revisions")
    assert "anna" in out and "budget raised" in out and "│ 2 " in out
    code, out, _ = run(runner, shop, "brief", "shop", "--show")
    assert "70000" in out and "More orders from social media" in out


def test_a_wrong_brief_is_named(shop: Path, runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"main_goal": "fame", "accounts": ["nope"]}), encoding="utf-8")
    code, _out, err = run(runner, shop, "brief", "shop", "--file", path)
    assert code == 1
    assert (
        "bad.json is not a valid brief: main_goal: Input should be 'awareness', 'community' or "
        "'sales'" in err
    )


def test_the_brief_asks_each_question_with_its_guidance(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    run(runner, folder, "init")
    run(runner, folder, "client", "add", "cafe", "--name", "Cafe", "--goal", "community")
    answers = [
        "Coffee",
        "Students",
        "Regulars",
        "",
        "awareness",
        "",
        "1200",
        "",
        "",
        "Comments",
        "",
    ]
    code, out, err = run(runner, folder, "brief", "cafe", input="\n".join(answers) + "\n")
    assert code == 0, err + out
    assert 'Dig beneath "I want more followers"' in out  # guidance of the real goal
    assert "Saved revision 1 of the brief of cafe." in out
    code, out, _ = run(runner, folder, "brief", "cafe", "--show")
    assert "community" in out and "Regulars" in out and "1200" in out


def test_history_as_json(shop: Path, runner: CliRunner) -> None:
    code, out, err = run(
        runner,
        shop,
        "history",
        "shop",
        "--months",
        "3",
        "--kpis",
        "leads,link_clicks",
        "--as-of",
        "2026-11-16",
        "--format",
        "json",
    )
    assert code == 0, err
    found = json.loads(out)
    assert found["months"] == ["2026-08", "2026-09", "2026-10"]
    leads = found["kpis"]["leads"]
    assert leads["values"] == [31, 30, 31]  # one lead a day
    assert (leads["baseline_3"], leads["trend_per_month"]) == (31, 0)
    assert found["kpis"]["link_clicks"]["values"] == [310, 300, 310]
    assert found["kpis"]["link_clicks"]["coverage"] == 1.0


def test_a_plan_its_revisions_and_plan_against_fact(
    shop: Path, runner: CliRunner, tmp_path: Path
) -> None:
    code, out, err = run(
        runner,
        shop,
        "plan",
        "create",
        "shop",
        "--start",
        "2026-11",
        "--months",
        "2",
        "--author",
        "anna",
        "--as-of",
        "2026-11-16",
    )
    assert code == 0, err
    assert "Created plan shop-2026-11." in out
    code, out, err = run(
        runner,
        shop,
        "plan",
        "set",
        "shop-2026-11",
        "--kpi",
        "leads",
        "--month",
        "2026-11",
        "--target",
        "30",
    )
    assert code == 1 and "Say why the plan changes" in err
    code, out, err = run(
        runner,
        shop,
        "plan",
        "set",
        "shop-2026-11",
        "--kpi",
        "leads",
        "--month",
        "2026-11",
        "--target",
        "30",
        "--why",
        "agreed with the client",
        "--author",
        "boris",
    )
    assert code == 0, err
    assert "Saved revision 2 of plan shop-2026-11." in out
    exported = tmp_path / "plan.yaml"
    run(runner, shop, "plan", "export", "shop-2026-11", "--file", exported)
    plan = yaml.safe_load(exported.read_text(encoding="utf-8"))
    leads = next(k for k in plan["kpis"] if k["kpi"] == "leads")
    assert (
        leads["targets"]["2026-11"]["target"] == 30
        and leads["targets"]["2026-11"]["source"] == "manual"
    )
    leads["targets"]["2026-12"]["target"] = 33
    plan["notes"] = "December: a sale in the second week"
    exported.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    code, out, err = run(
        runner, shop, "plan", "import", exported, "--why", "reviewed in git", "--author", "vera"
    )
    assert code == 0, err
    assert "Saved revision 3 of plan shop-2026-11." in out
    code, out, _ = run(runner, shop, "plan", "revisions", "shop-2026-11")
    for who, why in (
        ("anna", "created from the history"),
        ("boris", "agreed with the client"),
        ("vera", "reviewed in git"),
    ):
        assert who in out and why in out
    # plan against fact on 16 November: 15 leads, one a day
    code, out, err = run(
        runner,
        shop,
        "status",
        "shop",
        "--month",
        "2026-11",
        "--as-of",
        "2026-11-16",
        "--format",
        "json",
    )
    assert code == 0, err
    found = {k["kpi"]: k for k in json.loads(out)["kpis"]}
    leads_status = found["leads"]
    assert (leads_status["target"], leads_status["fact"], leads_status["elapsed_days"]) == (
        30,
        15,
        15,
    )
    assert leads_status["attainment"] == 50
    assert leads_status["expected_linear"] == 15
    assert leads_status["pace"] == pytest.approx(100)  # every weekday brings one lead
    assert leads_status["forecast"] == pytest.approx(30)
    # one lead a day without fail: leads still come one by one, so a day's σ is at least
    # √(daily mean) = 1, and the mean is known from 15 days: σ = 1 · √(15 + 15²/15) = √30
    sigma = 30**0.5
    assert leads_status["interval_80"] == pytest.approx([30 - 1.2816 * sigma, 30 + 1.2816 * sigma])
    assert leads_status["probability"] == pytest.approx(0.5)  # the forecast is the target
    assert leads_status["status"] == "on_track"
    code, out, _ = run(
        runner, shop, "status", "shop", "--month", "2026-11", "--as-of", "2026-11-16"
    )
    assert "on track" in out and "15 of 30 days" in out


def test_a_plan_warns_of_useless_and_uncomputable_kpis(shop: Path, runner: CliRunner) -> None:
    code, out, err = run(
        runner,
        shop,
        "plan",
        "create",
        "shop",
        "--start",
        "2027-01",
        "--months",
        "1",
        "--add-kpi",
        "mentions",
        "--as-of",
        "2026-12-20",
    )
    assert code == 0, err
    assert (
        "Mentions serves none of the client's goals (sales, brand awareness; it serves brand "
        "awareness)" not in out
    )
    assert (
        "Sales from social is a main KPI, but the data imported so far cannot compute it. Import "
        "deals from the CRM (amoCRM, Bitrix24)." in out
    )
    assert "Contact clicks is a main KPI, but the data imported so far cannot compute it." in out
    code, out, _ = run(
        runner,
        shop,
        "plan",
        "create",
        "shop",
        "--start",
        "2027-01",
        "--months",
        "1",
        "--id",
        "second",
        "--add-kpi",
        "view_rate",
        "--as-of",
        "2026-12-20",
    )
    assert "View rate serves none of the client's goals" in out


def test_a_hand_target_beyond_the_history_is_warned(shop: Path, runner: CliRunner) -> None:
    run(
        runner,
        shop,
        "plan",
        "create",
        "shop",
        "--start",
        "2026-12",
        "--months",
        "1",
        "--id",
        "december",
        "--as-of",
        "2026-11-20",
    )
    code, out, err = run(
        runner,
        shop,
        "plan",
        "set",
        "december",
        "--kpi",
        "leads",
        "--target",
        "90",
        "--why",
        "the client insists",
    )
    assert code == 0, err
    # one lead a day: never more than 31 in a month
    assert "! The target 90 is above anything the history reached (at most 31)." in out


def test_a_plan_made_mid_month_takes_full_months_only_as_history(
    shop: Path, runner: CliRunner, tmp_path: Path
) -> None:
    """On 16 November the plan — of November, the month under way, by default — rests on
    August–October (31, 30, 31 leads), not on the first half of November (15 leads), which
    would read as a collapse."""
    code, _out, err = run(
        runner, shop, "plan", "create", "shop", "--months", "1", "--id", "mid-month",
        "--as-of", "2026-11-16",
    )  # fmt: skip
    assert code == 0, err
    exported = tmp_path / "mid.yaml"
    run(runner, shop, "plan", "export", "mid-month", "--file", exported)
    plan = yaml.safe_load(exported.read_text(encoding="utf-8"))
    leads = next(k for k in plan["kpis"] if k["kpi"] == "leads")
    assert list(leads["targets"]) == ["2026-11"]
    assert leads["targets"]["2026-11"]["target"] == 31  # median of 31, 30, 31; no trend


def test_the_briefs_number_and_budget_become_the_plans_targets(
    shop: Path, runner: CliRunner, tmp_path: Path
) -> None:
    """The client expects 45 leads a month where August–October brought 31, 30 and 31: the plan
    takes 45, says the brief and the history disagree, and prices a lead at the budget's
    31,000 ₽ / 45 = 688.89 ₽."""
    folder = copy_workspace(shop, tmp_path / "ws")
    brief = tmp_path / "brief.yaml"
    brief.write_text(
        "main_goal: sales\nmonthly_budget: 31000\nsuccess_criteria: 45 заявок в месяц\n",
        encoding="utf-8",
    )
    assert run(runner, folder, "brief", "shop", "--file", brief)[0] == 0
    code, out, err = run(
        runner, folder, "plan", "create", "shop", "--months", "1", "--id", "briefed",
        "--as-of", "2026-11-16",
    )  # fmt: skip
    assert code == 0, err
    said = " ".join(out.split())
    assert "From the brief:" in said
    assert (
        "the brief and the history disagree — the client expects 45 («45 заявок в месяц»)" in said
    )
    exported = tmp_path / "briefed.yaml"
    run(runner, folder, "plan", "export", "briefed", "--file", exported)
    kpis = {k["kpi"]: k for k in yaml.safe_load(exported.read_text(encoding="utf-8"))["kpis"]}
    leads, cpl = kpis["leads"]["targets"]["2026-11"], kpis["cpl"]["targets"]["2026-11"]
    assert (leads["target"], leads["source"]) == (45, "brief")
    assert cpl["target"] == pytest.approx(31000 / 45) and cpl["source"] == "brief"
