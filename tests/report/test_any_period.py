"""Any period — a quarter, a range of days — for `kpi`, `status`, `history` and `report`, on the
bakery (tests/report/conftest.py) with a plan for January to March 2026 set by hand.

The plan's monthly targets: ER 3.0 / 2.0 / 3.0 %, link clicks 300 / 250 / 300, followers
1,000 / 1,000 / 1,100. Combined over a period (docs/planning.md):

- Q1 2026: ER (31 × 3 + 28 × 2 + 31 × 3) / 90 = 2.6889 %; link clicks 850; followers 1,100
  (March's, the month the quarter ends in). Facts: ER (20 + 175) / (6 posts × 1,000) = 3.25 %
  (attainment 120.87 %); link clicks 280 + 336 = 616 (72.47 %); followers 1,000 (90.91 %).
- 15 February to 14 March: link clicks 250 × 14/28 + 300 × 14/31 = 260.48 against 14 × 10 +
  11 × 12 = 272 (104.42 %, the gap of 10–12 March left out); followers, moved from February's
  1,000 towards March's 1,100 by 14 of 31 days: 1,045.16 against 1,000 (95.68 %: within the
  5 % tolerance); ER (14 × 2 + 14 × 3) / 28 = 2.5 % against P1 and P2: (70 + 25) / 2,000 =
  4.75 %.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from typer.testing import CliRunner

from smmkpi.cli.app import app
from tests.conftest import copy_workspace


def by_hand(january: float, february: float, march: float) -> dict[str, dict[str, object]]:
    """A KPI's targets for January to March 2026, set by hand."""
    months = ("2026-01", "2026-02", "2026-03")
    return {
        m: {"target": v, "source": "manual"}
        for m, v in zip(months, (january, february, march), strict=True)
    }


PLAN_Q1 = {
    "plan_id": "bakery-q1",
    "client": "bakery",
    "start": "2026-01",
    "months": 3,
    "goals": ["community", "sales"],
    "kpis": [
        {"kpi": "er", "role": "main", "targets": by_hand(3.0, 2.0, 3.0)},
        {"kpi": "link_clicks", "role": "secondary", "targets": by_hand(300, 250, 300)},
        {"kpi": "followers", "role": "added", "targets": by_hand(1000, 1000, 1100)},
    ],
}


def run(folder: Path, *args: object, code: int = 0) -> str:
    result = CliRunner().invoke(app, ["-w", str(folder), "--lang", "en", *map(str, args)])
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture(scope="module")
def quarter(bakery: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bakery with the January–March plan."""
    root = tmp_path_factory.mktemp("quarter")
    folder = copy_workspace(bakery, root / "ws")
    plan = root / "plan.yaml"
    plan.write_text(yaml.safe_dump(PLAN_Q1, allow_unicode=True), encoding="utf-8")
    run(folder, "plan", "import", plan)
    return folder


def statuses(folder: Path, *period: str) -> dict[str, dict[str, object]]:
    text = run(folder, "status", "bakery", *period, "--as-of", "2026-04-10", "--format", "json")
    found = json.loads(text)
    return {"period": found["period"], **{k["kpi"]: k for k in found["kpis"]}}


def test_a_quarter_adds_totals_and_weighs_rates_by_days(quarter: Path) -> None:
    found = statuses(quarter, "--period", "2026-Q1")
    assert found["period"] == {"start": "2026-01-01", "end": "2026-03-31", "label": "2026-Q1"}
    er, clicks, followers = found["er"], found["link_clicks"], found["followers"]
    assert er["target"] == pytest.approx(242 / 90)
    assert er["fact"] == pytest.approx(3.25)
    assert er["attainment"] == pytest.approx(3.25 / (242 / 90) * 100)
    assert er["status"] == "achieved"
    assert (clicks["target"], clicks["fact"]) == (pytest.approx(850), 616)
    assert clicks["attainment"] == pytest.approx(616 / 850 * 100)
    assert clicks["status"] == "off_track"
    assert (followers["target"], followers["fact"]) == (pytest.approx(1100), 1000)
    assert followers["status"] == "off_track"


def test_a_range_takes_each_months_share_of_its_target(quarter: Path) -> None:
    found = statuses(quarter, "--from", "2026-02-15", "--to", "2026-03-14")
    clicks, followers, er = found["link_clicks"], found["followers"], found["er"]
    assert clicks["target"] == pytest.approx(250 * 14 / 28 + 300 * 14 / 31)
    assert clicks["fact"] == 272
    assert clicks["status"] == "achieved"
    assert followers["target"] == pytest.approx(1000 + 100 * 14 / 31)
    assert followers["attainment"] == pytest.approx(1000 / (1000 + 100 * 14 / 31) * 100)
    assert followers["status"] == "within_tolerance"
    assert (er["target"], er["fact"]) == (pytest.approx(2.5), pytest.approx(4.75))


def test_a_period_the_plans_do_not_cover_says_which_months_are_missing(bakery: Path) -> None:
    out = run(bakery, "status", "bakery", "--period", "2026-Q1", "--as-of", "2026-04-10", code=1)
    assert "2026-01, 2026-02, 2026-03" in out
    assert "--start 2026-01 --months 3" in " ".join(out.split())


def test_kpi_computes_a_quarter_like_any_range(bakery: Path) -> None:
    text = run(bakery, "kpi", "--client", "bakery", "--period", "2026-Q1", "--format", "json")
    found = json.loads(text)
    assert found["period"]["start"] == "2026-01-01" and found["period"]["end"] == "2026-03-31"
    kpis = found["kpis"]
    assert (kpis["posts"], kpis["link_clicks"], kpis["leads"]) == (6, 616, 10)
    assert kpis["er"] == pytest.approx(195 / 6000 * 100)
    assert kpis["err"] == pytest.approx(195 / 5700 * 100)
    same = run(
        bakery, "kpi", "--client", "bakery", "--from", "2026-01-01", "--to", "2026-03-31",
        "--format", "json",
    )  # fmt: skip
    assert json.loads(same) == found
    out = run(bakery, "kpi", "--period", "2026-Q5", code=1)
    assert "2026-Q3" in out and "not a period" in out


def test_history_takes_the_months_of_a_period(bakery: Path) -> None:
    text = run(
        bakery, "history", "bakery", "--period", "2026-Q1", "--as-of", "2026-04-10",
        "--format", "json",
    )  # fmt: skip
    assert json.loads(text)["months"] == ["2026-01", "2026-02", "2026-03"]
    out = run(bakery, "history", "bakery", "--from", "2026-02-15", "--to", "2026-03-14", code=1)
    assert "whole months" in out


def test_a_quarters_report_compares_with_the_quarter_before_and_a_year_earlier(
    quarter: Path, tmp_path: Path
) -> None:
    run(
        quarter, "report", "bakery", "--period", "2026-Q1", "--as-of", "2026-04-10",
        "--format", "pdf,xlsx", "--lang", "ru,en", "--out", tmp_path,
    )  # fmt: skip
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        f"bakery-2026-Q1-{lang}.{ext}" for lang in ("en", "ru") for ext in ("pdf", "xlsx")
    ]
    english = " ".join(
        " ".join(
            p.extract_text() for p in PdfReader(tmp_path / "bakery-2026-Q1-en.pdf").pages
        ).split()
    )
    assert "Q1 2026" in english
    assert "vs previous period" in english and "Q4 2025" in english and "Q1 2025" in english
    # target (the months' 300 + 250 + 300), fact, attainment, status, against Q4 2025 (no
    # data) and Q1 2025 (248, in March 2025 only)
    assert "Profile link clicks 850 616 72% off track — +148%" in english
    assert "ER (by followers) ★ 2.69% 3.25% 121% achieved" in english
    russian = " ".join(
        " ".join(
            p.extract_text() for p in PdfReader(tmp_path / "bakery-2026-Q1-ru.pdf").pages
        ).split()
    )
    assert "1-й квартал 2026" in russian and "this month" not in english


def test_no_plan_is_an_answer_not_an_error(bakery: Path, quarter: Path) -> None:
    """``find_plan``: the plan holding every month of a period, else None (a client without a
    plan is a normal state); the quarter's plan is found for March too, being the newer one."""
    from smmkpi.metrics.periods import Period
    from smmkpi.planning import service
    from smmkpi.workspace import Workspace

    with Workspace.open(bakery).open_store(read_only=True) as store:
        assert service.find_plan(store, "bakery", Period.parse("2026-Q1")) is None
        march = service.find_plan(store, "bakery", Period.month("2026-03"))
        assert march is not None and march.plan_id == "bakery-2026-03"
    with Workspace.open(quarter).open_store(read_only=True) as store:
        for period in ("2026-Q1", "2026-03"):
            found = service.find_plan(store, "bakery", Period.parse(period))
            assert found is not None and found.plan_id == "bakery-q1"
