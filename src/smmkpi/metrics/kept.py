"""Client KPI values kept for the life of the process, so that what one page or command has
computed is not computed again by the next.

A value is kept under the database it came from, the data version (the last import: every
change of the data and of the clients and accounts is an import), the social attribution rules,
the client and the period — so it is shared by everything that asks for the same client and
period while nothing changed: the web app's overview computes twelve months of every client,
and a client's page, its history, its report's charts and plan against fact then find them.
Only what is missing goes to the engine, in one call for all the periods and clients
(``compute.compute_periods``).

>>> from smmkpi.workspace import Workspace
>>> agency = Workspace.open(folder)  # the demo agency, whose settings count more social sources
>>> with agency.open_store(read_only=True) as store:
...     found = kpi_values(store, [Period.month("2026-10")], ["homedecor"], agency.social_rules())
>>> found[0]["homedecor"]["leads"]
103
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import Any

from smmkpi.metrics.attribution import SocialRules
from smmkpi.metrics.catalogue import KPIS
from smmkpi.metrics.compute import compute_periods
from smmkpi.metrics.periods import Period
from smmkpi.store import versions
from smmkpi.store.database import Store

MAX_ENTRIES = 20_000
"""Client-periods kept (about 3 KB each: 1,000 clients × 20 periods, 60 MB)."""

Values = dict[str, Any]  # KPI id → value
_IDS = tuple(k.id for k in KPIS)


class KeptValues:
    """Client values by (database, data version, rules, client, period); the least recently used
    go beyond ``max_entries``. Safe to share between threads."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._values: OrderedDict[Hashable, tuple[Any, ...]] = OrderedDict()
        self._lock = threading.Lock()
        self.computed = 0  # client-periods computed by the engine (for tests and benchmarks)

    def values(
        self,
        store: Store,
        periods: Sequence[Period],
        client_ids: Sequence[str],
        rules: SocialRules | None = None,
    ) -> list[dict[str, Values]]:
        """For each of ``periods``, each client's ``{kpi_id: value}`` — kept ones as they are,
        the missing ones computed in one call."""
        rules = rules or SocialRules()
        scope = (str(store.path), versions.last_import(store.con), rules)
        found: dict[tuple[str, Period], tuple[Any, ...]] = {}
        with self._lock:
            for period in periods:
                for client in client_ids:
                    kept = self._values.get((scope, client, period))
                    if kept is not None:
                        found[client, period] = kept
                        self._values.move_to_end((scope, client, period))
        missing_periods = list(
            dict.fromkeys(p for p in periods for c in client_ids if (c, p) not in found)
        )
        if missing_periods:
            missing_clients = [c for c in client_ids if any((c, p) not in found for p in periods)]
            computed = compute_periods(store.backend, missing_periods, missing_clients, rules)
            fresh = {
                (client, result.period): tuple(values[k] for k in _IDS)
                for result in computed
                for client, values in result.client_values().items()
            }
            found.update(fresh)
            with self._lock:
                self.computed += len(fresh)
                for (client, period), row in fresh.items():
                    self._values[scope, client, period] = row
                while len(self._values) > self.max_entries:
                    self._values.popitem(last=False)
        return [
            {c: dict(zip(_IDS, found[c, p], strict=True)) for c in client_ids if (c, p) in found}
            for p in periods
        ]

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


KEPT = KeptValues()


def kpi_values(
    store: Store,
    periods: Sequence[Period],
    client_ids: Sequence[str],
    rules: SocialRules | None = None,
) -> list[dict[str, Values]]:
    """Each client's KPI values in each of ``periods``, from the process's kept values
    (:class:`KeptValues`) or the engine."""
    return KEPT.values(store, periods, client_ids, rules)
