"""amoCRM and Bitrix24 deals → leads and sales."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from smmkpi.errors import UserError
from smmkpi.ingest.registry import detect
from smmkpi.metrics.periods import Period
from smmkpi.workspace import Workspace
from tests.conftest import compute, table_rows
from tests.ingest.conftest import DATA, platform_import

AMO = DATA / "amocrm"
BITRIX = DATA / "bitrix24"


def leads(workspace: Workspace) -> dict[str, tuple]:
    """lead_id → (created_at, source, medium, campaign, content, term, channel, status)."""
    return {r[1]: r[2:10] for r in table_rows(workspace, "leads")}


def sales(workspace: Workspace) -> dict[str, tuple]:
    """sale_id → (lead_id, closed_at, amount, source, medium, campaign, content, term, channel)."""
    return {r[1]: r[2:11] for r in table_rows(workspace, "sales")}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_an_amocrm_deals_export(agency: Workspace) -> None:
    assert [i.name for _p, i in detect(AMO / "deals_export.csv")] == ["amocrm"]
    outcome = platform_import(agency, AMO / "deals_export.csv", client_id="homedecor")
    found = leads(agency)
    assert found == {
        "28115201": (
            at("2025-03-03T10:15+03:00"),
            "vk",
            "social",
            "oslo_march",
            "post_12",
            None,
            "ВКонтакте",
            "won",
        ),
        "28115202": (
            at("2025-03-04T09:00+03:00"),
            "instagram",
            "social",
            "oslo_march",
            None,
            None,
            "Instagram",
            "lost",
        ),
        "28115203": (at("2025-03-05T14:22+03:00"), *(None,) * 5, "сарафан", "open"),
        "28115204": (
            at("2025-02-28T23:50+03:00"),
            "yandex",
            "cpc",
            "{campaign_id}",
            None,
            "стол дуб",
            "Яндекс",
            "won",
        ),
    }
    # won deals are sales with the lead's id; their tags stay empty (the lead's apply)
    assert sales(agency) == {
        "28115201": ("28115201", at("2025-03-12T18:40+03:00"), Decimal("150000"), *(None,) * 6),
        "28115204": ("28115204", at("2025-04-01T00:10+03:00"), Decimal("38500"), *(None,) * 6),
    }
    assert any("read in Europe/Moscow" in w for w in outcome.record.warnings)
    (march,) = compute(agency, Period.month("2025-03"), ["homedecor"])
    assert march.kpis["leads"].value == 2  # vk and instagram; "сарафан" and yandex/cpc are not
    assert march.kpis["sales"].value == 1  # the vk deal, through its lead's tags
    assert march.kpis["revenue"].value == Decimal("150000")


def test_a_budget_in_another_currency_is_refused(agency: Workspace) -> None:
    with pytest.raises(
        UserError, match=r"'Бюджет \$' is in USD, but the client keeps money in RUB"
    ):
        platform_import(agency, AMO / "deals_usd.csv", client_id="homedecor")
    assert leads(agency) == {}


def test_amocrm_api_pages(agency: Workspace) -> None:
    assert [i.name for _p, i in detect(AMO / "api")] == ["amocrm"]
    outcome = platform_import(agency, AMO / "api", client_id="homedecor")
    found = leads(agency)
    assert set(found) == {"28115301", "28115302", "28115303"}  # the deleted deal is left out
    assert found["28115301"] == (
        at("2025-03-10T12:00+03:00"),
        "vk",
        "social",
        "komod_march",
        None,
        None,
        "ВКонтакте",
        "won",
    )
    assert found["28115302"][7] == "lost"
    # utm_source from a user field named utm_source, utm_medium by its field_code
    assert found["28115303"][:3] == (at("2025-03-12T21:30+00:00"), "telegram", "social")
    assert found["28115303"][7] == "open"
    assert sales(agency) == {
        "28115301": ("28115301", at("2025-03-18T10:00+03:00"), Decimal("42000"), *(None,) * 6)
    }
    assert any("taken as RUB" in w for w in outcome.record.warnings)


def test_bitrix24_rest_leads_and_deals(agency: Workspace) -> None:
    outcome = platform_import(agency, BITRIX / "rest", client_id="coffeelab")
    found = leads(agency)
    assert set(found) == {"L101", "L102", "L103", "D502", "D505"}
    assert found["L101"] == (
        at("2025-03-02T10:00+03:00"),
        "vk",
        "social",
        "march_promo",
        None,
        None,
        "WEB",
        "won",
    )
    assert found["L103"][6:] == ("16|WZ_WHATSAPP_7a1b2c", "open")
    assert found["D502"][1:4] == ("telegram", "social", "b2b")  # a deal made directly
    assert found["D505"][7] == "open"
    assert sales(agency) == {
        "D501": (
            "L101",
            at("2025-03-20T15:00+03:00"),
            Decimal("12500.00"),
            "vk",
            "social",
            "march_promo",
            None,
            None,
            None,
        ),
        "D502": ("D502", at("2025-03-25T18:30+03:00"), Decimal("48000.50"), *(None,) * 6),
        "D504": ("L77", at("2025-03-01T09:00+03:00"), Decimal("7000"), *(None,) * 6),
    }
    assert any(
        "1 won deal came from a lead that is not in this import" in w
        for w in outcome.record.warnings
    )
    (march,) = compute(agency, Period.month("2025-03"), ["coffeelab"])
    assert march.kpis["leads"].value == 4  # L101, L102, D502, D505 (L103 has no tags)
    assert march.kpis["sales"].value == 2  # D501 and D502; D504's lead is unknown
    assert march.kpis["revenue"].value == Decimal("60500.50")


def test_a_bitrix24_deal_in_another_currency(agency: Workspace, tmp_path: Path) -> None:
    deals = json.loads((BITRIX / "rest" / "crm.deal.list.json").read_text())
    deals["result"][1]["CURRENCY_ID"] = "USD"
    path = tmp_path / "deals.json"
    path.write_text(json.dumps(deals))
    with pytest.raises(UserError) as failure:
        platform_import(agency, path, client_id="coffeelab")
    message = str(failure.value)
    # the second deal of the response
    assert (
        "deals.json, row 2, column 'CURRENCY_ID', value 'USD': is not the client's currency (RUB)"
        in message
    )
    assert table_rows(agency, "leads") == []  # nothing of a failed import is written


def test_a_bitrix24_export_saved_as_xls(agency: Workspace) -> None:
    assert [i.name for _p, i in detect(BITRIX / "deals_export.xls")] == ["bitrix24"]
    outcome = platform_import(agency, BITRIX / "deals_export.xls", client_id="coffeelab")
    found = leads(agency)
    assert found["D601"] == (
        at("2025-03-07T12:10+03:00"),
        "instagram",
        "social",
        "capsules",
        None,
        None,
        "Instagram",
        "won",
    )
    assert found["D602"][6:] == ("Звонок", "lost")
    assert found["D603"][7] == "open"
    assert sales(agency) == {
        "D601": ("D601", at("2025-03-14T16:00+03:00"), Decimal("15990.00"), *(None,) * 6)
    }
    assert any("HTML page with an .xls name" in w for w in outcome.record.warnings)


def test_importing_deals_again_changes_nothing(agency: Workspace) -> None:
    platform_import(agency, AMO / "deals_export.csv", client_id="homedecor")
    assert not platform_import(agency, AMO / "deals_export.csv", client_id="homedecor").changed


def test_an_amocrm_workbook_with_typed_cells(agency: Workspace) -> None:
    platform_import(agency, AMO / "deals_export.xlsx", client_id="homedecor")
    found = leads(agency)
    # the id a number cell, the times date cells read in Moscow, the budget a number
    assert found["28115401"] == (
        at("2025-03-07T12:05+03:00"),
        "vk",
        "social",
        "shelf_march",
        None,
        None,
        "ВКонтакте",
        "won",
    )
    assert found["28115402"][6:] == ("сарафан", "open")
    assert sales(agency) == {
        "28115401": ("28115401", at("2025-03-09T17:45+03:00"), Decimal("18990.5"), *(None,) * 6)
    }
