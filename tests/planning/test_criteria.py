"""The brief's success criteria read as KPIs and monthly targets (planning/criteria.py)."""

from __future__ import annotations

import pytest

from smmkpi.planning.criteria import DAYS_PER_MONTH, success_targets


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100 заказов в месяц", [("sales", 100.0)]),
        ("100 orders a month", [("sales", 100.0)]),
        ("100 заказов в месяц и CPL до 500 ₽", [("sales", 100.0), ("cpl", 500.0)]),
        ("ER не ниже 3 %", [("er", 3.0)]),
        ("ER 3,5%", [("er", 3.5)]),
        ("Охват 1,5 млн в месяц; 30 упоминаний", [("reach", 1_500_000.0), ("mentions", 30.0)]),
        # a quarter's or a year's total is planned month by month
        ("+2 000 подписчиков за квартал", [("net_follower_growth", 2000 / 3)]),
        ("Выручка 3 млн за квартал", [("revenue", 1_000_000.0)]),
        ("1 200 заявок в год", [("leads", 100.0)]),
        ("50 заявок в неделю", [("leads", 50 / 7 * DAYS_PER_MONTH)]),
        ("at least 200 new followers a month", [("net_follower_growth", 200.0)]),
        # a level and a cost are not divided by the period
        ("10 000 подписчиков к лету", [("followers", 10_000.0)]),
        ("стоимость заявки не выше 700 руб. в месяц", [("cpl", 700.0)]),
        # words without a number, a number without a KPI, a percent of a count: nothing
        ("Лиды из соцсетей и их стоимость; продажи — вместе с отделом продаж.", []),
        ("Comments and shares on Instagram; questions under the videos.", []),
        ("Открыть 2 новые точки к 2027 году", []),
        ("Рост заказов на 20 %", []),
    ],
)
def test_numbers_in_the_success_criteria_become_monthly_targets(
    text: str, expected: list[tuple[str, float]]
) -> None:
    found = [(c.kpi, c.value) for c in success_targets(text)]
    assert [k for k, _v in found] == [k for k, _v in expected]
    for (_k, value), (_e, wanted) in zip(found, expected, strict=True):
        assert value == pytest.approx(wanted)


def test_each_reading_keeps_the_clients_words() -> None:
    (sales, cpl) = success_targets("Нужно 100 заказов в месяц; CPL до 500 ₽")
    assert sales.words == "Нужно 100 заказов в месяц"
    assert cpl.words == "CPL до 500 ₽"
