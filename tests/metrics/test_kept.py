"""KPI values kept for the life of the process: asked for again they come from memory, a new
import makes them computed again, and what was computed for every client serves one client."""

from __future__ import annotations

from typing import Any

from smmkpi.metrics.compute import compute_kpis
from smmkpi.metrics.kept import KeptValues
from smmkpi.metrics.periods import Period
from smmkpi.workspace import Workspace
from tests.conftest import CANONICAL, import_path

MARCH, APRIL = Period.month("2025-03"), Period.month("2025-04")


def reach_of_moscow(kept: KeptValues, workspace: Workspace) -> Any:
    with workspace.open_store(read_only=True) as store:
        return kept.values(store, [MARCH], ["moscow"])[0]["moscow"]["reach"]


def test_values_are_computed_once_until_the_next_import(workspace: Workspace) -> None:
    import_path(workspace, CANONICAL / "agency")
    kept = KeptValues()
    # moscow's reach in March before the restatement: m-vk 400 + 300 + 600 + 700 = 2000,
    # m-tg none, m-ig 300 (the golden test's M_IG), m-zero 0
    assert reach_of_moscow(kept, workspace) == 2300
    assert kept.computed == 1
    assert reach_of_moscow(kept, workspace) == 2300
    assert kept.computed == 1  # from memory
    import_path(workspace, CANONICAL / "restated")  # m-vk's 31 March: reach 700 → 750
    assert reach_of_moscow(kept, workspace) == 2350
    assert kept.computed == 2


def test_every_client_computed_once_serves_each_client(workspace: Workspace) -> None:
    import_path(workspace, CANONICAL / "agency")
    kept = KeptValues()
    with workspace.open_store(read_only=True) as store:
        every = kept.values(store, [MARCH, APRIL], ["la", "moscow", "quiet"])
        assert kept.computed == 6  # three clients × two months, in one call
        one = kept.values(store, [APRIL, MARCH], ["la"])
        assert kept.computed == 6
        assert one == [{"la": every[1]["la"]}, {"la": every[0]["la"]}]
        assert every[0]["la"] == compute_kpis(store.backend, MARCH, ["la"]).client_values()["la"]
        # a month not yet asked for is computed alone, the others are kept
        kept.values(store, [MARCH, Period.month("2025-02")], ["la", "moscow"])
        assert kept.computed == 8


def test_the_oldest_entries_go_beyond_the_limit(workspace: Workspace) -> None:
    import_path(workspace, CANONICAL / "agency")
    kept = KeptValues(max_entries=2)
    with workspace.open_store(read_only=True) as store:
        kept.values(store, [MARCH, APRIL], ["la"])
        kept.values(store, [Period.month("2025-02")], ["la"])  # March goes
        assert kept.computed == 3
        kept.values(store, [APRIL], ["la"])
        assert kept.computed == 3
        kept.values(store, [MARCH], ["la"])
        assert kept.computed == 4
