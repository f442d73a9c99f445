"""A sentence that ends with a Russian date ends with one full stop: "5 декабря 2026 г.", never
"г.." (the first-hour defects of issue 16)."""

from __future__ import annotations

from datetime import date

from smmkpi.formatting import sentence
from smmkpi.i18n import use_language
from smmkpi.metrics.periods import Period
from smmkpi.metrics.scope import AccountInfo, ClientInfo
from smmkpi.report.quality import gap_notes


def test_a_sentence_gets_one_full_stop() -> None:
    assert sentence("Данные на 5 декабря 2026\u202fг.") == "Данные на 5 декабря 2026\u202fг."
    assert sentence("Data as of December 5, 2026") == "Data as of December 5, 2026."
    assert sentence("Готово!") == "Готово!"


def test_a_gap_at_the_months_edges_is_told_with_one_full_stop() -> None:
    client = ClientInfo("kolos", "Колос", accounts=(AccountInfo("kolos-vk", "kolos", "vk"),))
    days = {"kolos-vk": {date(2026, 3, d) for d in range(5, 29)}}  # 5–28 March
    with use_language("ru"):
        notes = [n.text for n in gap_notes(client, days, Period.month("2026-03"), "ru")]
    assert "kolos-vk: дневная статистика начинается 5 марта 2026\u202fг." in notes
    assert "kolos-vk: дневная статистика заканчивается 28 марта 2026\u202fг." in notes
    assert not any(n.endswith("..") for n in notes)
