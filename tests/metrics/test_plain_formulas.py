"""Every KPI has a formula a client can read (the client edition's methodology): in both
languages, with no column names or internal symbols."""

from __future__ import annotations

import re

from smmkpi.metrics.catalogue import KPIS
from smmkpi.metrics.inputs import INPUTS_BY_ID
from smmkpi.metrics.plain import PLAIN_FORMULAS


def test_every_kpi_has_a_plain_formula_without_column_names() -> None:
    assert set(PLAIN_FORMULAS) == {k.id for k in KPIS}
    technical = re.compile(r"[a-z]+_[a-z_]+|Σ|F\(p\)")  # link_clicks, reach_organic, Σ, F(p)
    for kpi_id, text in PLAIN_FORMULAS.items():
        for language in ("ru", "en"):
            said = text(language)
            assert said and not technical.search(said), (kpi_id, language, said)
            assert not any(i in said for i in INPUTS_BY_ID if "_" in i), (kpi_id, said)
    assert PLAIN_FORMULAS["er"]("en") == (
        "(likes + comments + shares + saves) / followers × 100% — per post on average"
    )
