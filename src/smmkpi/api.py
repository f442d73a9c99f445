"""The Python API (``shared/spec/python-api.md``, contract v1): a workspace from a notebook or a
script, through the same services as the CLI and the web app.

The examples run as doctests (``tests/test_doctests.py``) on the demo agency as ``smmkpi demo
FOLDER --as-of 2026-11-26`` builds it; ``folder`` is that folder:

>>> import smmkpi
>>> ws = smmkpi.open(folder)
>>> [client.id for client in ws.clients]
['coffeelab', 'fitnest', 'homedecor', 'pacificbrew']
>>> res = ws.kpis(client="fitnest", month="2026-10")
>>> res
<smmkpi.KpiResult fitnest, 2026-10-01 … 2026-10-31: 1 client, 3 accounts>
>>> round(res.value("er"), 2)
5.78
>>> ws.kpis(client="nobody", month="2026-10")
Traceback (most recent call last):
  ...
smmkpi.errors.UnknownChoiceError: Unknown client 'nobody'. Known: coffeelab, fitnest,
homedecor, pacificbrew. Import the client first (clients.csv).

Everything not named in the contract is private.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from smmkpi.errors import InvalidArgumentError, MissingExtraError, UnknownChoiceError
from smmkpi.extras import require
from smmkpi.i18n import Language, parse_language, use_language
from smmkpi.metrics.catalogue import KPIS, KPIS_BY_ID
from smmkpi.metrics.compute import compute_kpis
from smmkpi.metrics.output import client_objects
from smmkpi.metrics.periods import Period, last_full_month
from smmkpi.metrics.results import KpiResults
from smmkpi.settings import Settings
from smmkpi.store.urls import is_postgres_url, safe_url
from smmkpi.workspace import Workspace as _Folder

__all__ = ["Account", "Client", "KpiResult", "Workspace", "open"]


@dataclass(frozen=True)
class Client:
    """A client of the agency."""

    id: str
    name: str
    timezone: str
    currency: str | None
    goal: str | None


@dataclass(frozen=True)
class Account:
    """A social account of a client."""

    id: str
    client: str
    platform: str
    handle: str | None
    name: str | None


class KpiResult:
    """The KPIs of one or more clients over one period (``Workspace.kpis``)."""

    def __init__(self, results: KpiResults, single: bool) -> None:
        self._results = results
        self._single = single

    def __repr__(self) -> str:
        """``<smmkpi.KpiResult fitnest, 2026-10-01 … 2026-10-31: 1 client, 2 accounts>``"""
        clients = self._results.clients
        accounts = sum(len(c.accounts) for c in clients)
        whose = f"{clients[0].client_id}, " if self._single and clients else ""
        period = self._results.period
        counted = f"{_count(len(clients), 'client')}, {_count(accounts, 'account')}"
        return f"<smmkpi.KpiResult {whose}{period.start} … {period.end}: {counted}>"

    def to_dict(self) -> dict[str, Any]:
        """For one client: exactly the JSON object of ``smmkpi kpi … --format json``; for
        several: ``{client_id: that object}``.

        Examples:
            >>> one = ws.kpis(client="fitnest", month="2026-10").to_dict()
            >>> list(one)
            ['client_id', 'period', 'kpis', 'accounts']
            >>> one["period"]
            {'start': '2026-10-01', 'end': '2026-10-31', 'timezone': 'Asia/Yekaterinburg'}
            >>> list(ws.kpis(month="2026-10").to_dict())
            ['coffeelab', 'fitnest', 'homedecor', 'pacificbrew']
        """
        objects = json.loads(json.dumps(client_objects(self._results)))
        if self._single:
            return dict(objects[0]) if objects else {}
        return {o["client_id"]: o for o in objects}

    def value(self, kpi: str, account: str | None = None, client: str | None = None) -> Any:
        """A client-level value, or with ``account`` an account-level one; None when unknown.
        With several clients, ``client`` says whose (not needed with ``account``).

        Examples:
            >>> res = ws.kpis(client="fitnest", month="2026-10")
            >>> round(res.value("er", account="fitnest-vk"), 2)
            2.85
            >>> print(res.value("followers", account="fitnest-tg"))  # its count never came
            None
            >>> ws.kpis(month="2026-10").value("leads", client="homedecor")
            103
        """
        if kpi not in KPIS_BY_ID:
            raise UnknownChoiceError("KPI", kpi, [k.id for k in KPIS])
        clients, accounts = self._results.values()
        if account is not None:
            for found in accounts.values():
                if account in found:
                    return found[account].get(kpi)
            raise UnknownChoiceError(
                "account", account, sorted(a for found in accounts.values() for a in found)
            )
        if client is None:
            if len(clients) != 1:
                raise InvalidArgumentError(
                    "These KPIs are of several clients: say whose, value(kpi, client=…)."
                )
            client = next(iter(clients))
        if client not in clients:
            raise UnknownChoiceError("client", client, list(clients))
        return clients[client].get(kpi)

    def to_arrow(self) -> Any:
        """One row per client, account and KPI: ``client``, ``account`` (null at client level),
        ``kpi``, ``value`` (float64, null when unknown), ``unit``.

        Examples:
            >>> table = ws.kpis(client="fitnest", month="2026-10").to_arrow()
            >>> table.num_rows, table.column_names
            (145, ['client', 'account', 'kpi', 'value', 'unit'])
            >>> table.slice(0, 2).to_pylist()
            [{'client': 'fitnest', 'account': None, 'kpi': 'followers', 'value': 18178.0,
              'unit': 'count'},
             {'client': 'fitnest', 'account': None, 'kpi': 'followers_start', 'value': 17860.0,
              'unit': 'count'}]
        """
        import pyarrow as pa

        clients, accounts = self._results.values()
        rows: dict[str, list[Any]] = {k: [] for k in ("client", "account", "kpi", "value", "unit")}

        def add(client: str, account: str | None, values: dict[str, Any]) -> None:
            for kpi_id, value in values.items():
                rows["client"].append(client)
                rows["account"].append(account)
                rows["kpi"].append(kpi_id)
                rows["value"].append(None if value is None else float(value))
                rows["unit"].append(KPIS_BY_ID[kpi_id].unit.value)

        for client_id, values in clients.items():
            add(client_id, None, values)
            for account_id, account_values in accounts.get(client_id, {}).items():
                add(client_id, account_id, account_values)
        schema = pa.schema(
            [("client", pa.string()), ("account", pa.string()), ("kpi", pa.string()),
             ("value", pa.float64()), ("unit", pa.string())]
        )  # fmt: skip
        return pa.table(rows, schema=schema)

    def to_pandas(self) -> Any:
        """:meth:`to_arrow` as a pandas DataFrame (pandas is optional)."""
        _needs("pandas", "pandas")
        return self.to_arrow().to_pandas()

    def to_polars(self) -> Any:
        """:meth:`to_arrow` as a polars DataFrame (polars is optional)."""
        return _needs("polars", "polars").from_arrow(self.to_arrow())


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _needs(module: str, package: str) -> Any:
    """The module, or the error that says how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(
            f"This needs {package}, which smmkpi does not install: pip install {package}"
        ) from None


class Workspace:
    """An smmkpi workspace: a folder (its ``smmkpi.toml`` and database), or a PostgreSQL
    database named by its URL."""

    def __init__(self, folder: _Folder) -> None:
        self._folder = folder

    def __repr__(self) -> str:
        url = self._folder.settings.store.url
        where = safe_url(url) if url else str(self._folder.path)  # never a password
        return f"smmkpi.Workspace({where!r})"

    @property
    def clients(self) -> list[Client]:
        from smmkpi.store.directory import load_directory

        with self._folder.open_store(read_only=True) as store:
            found = load_directory(store.con).clients
        return [
            Client(c.client_id, c.name, c.timezone, c.currency, c.goal)
            for c in sorted(found.values(), key=lambda c: c.client_id)
        ]

    @property
    def accounts(self) -> list[Account]:
        from smmkpi.metrics.scope import load_clients

        with self._folder.open_store(read_only=True) as store:
            clients = load_clients(store.backend)
        return [
            Account(a.account_id, c.client_id, a.platform, a.handle, a.name)
            for c in clients
            for a in c.accounts
        ]

    def kpis(
        self,
        client: str | None = None,
        month: str | None = None,
        period: str | None = None,
        start: date | str | None = None,
        end: date | str | None = None,
    ) -> KpiResult:
        """Every KPI of the catalogue for ``client`` (None: every client) over ``month``
        (YYYY-MM), ``period`` (2025-Q1, 2025-H1, 2025) or ``start``–``end``.

        Examples:
            >>> ws.kpis(client="homedecor", period="2026-Q3").value("leads")
            248
            >>> ws.kpis(client="homedecor", start="2026-07-01", end="2026-09-30").value("leads")
            248
        """
        chosen = _period(month, period, start, end)
        with self._folder.open_store(read_only=True) as store:
            results = compute_kpis(
                store.backend,
                chosen,
                [client] if client else None,
                self._folder.social_rules(),
            )
        return KpiResult(results, single=client is not None)

    def import_files(
        self,
        paths: Iterable[str | Path],
        client: str | None = None,
        account: str | None = None,
        format: str | None = None,
    ) -> list[dict[str, Any]]:
        """Import files or export folders as ``smmkpi import`` does: each one atomic and
        idempotent. Returns one summary per import; the first refused import raises its
        error (the others are imported).

        Examples:
            >>> export = folder / "demo-data" / "exports" / "metrica" / "homedecor_utm_by_day.csv"
            >>> (summary,) = ws.import_files([export], client="homedecor")  # imported by the demo
            >>> summary["importer"], summary["changed"], summary["inserted"], summary["unchanged"]
            ('metrica', False, 0, 3856)
        """
        from smmkpi.ingest.context import ImportContext
        from smmkpi.ingest.service import import_paths

        context = ImportContext(client_id=client, account_id=account)
        found: list[dict[str, Any]] = []
        refused: BaseException | None = None
        with self._folder.open_store() as store:
            for report in import_paths(
                store, [Path(p) for p in paths], context, file_format=format
            ):
                if report.error is not None:
                    refused = refused or report.error
                    continue
                assert report.outcome is not None
                totals = report.outcome.totals
                found.append(
                    {
                        "source": str(report.path),
                        "importer": report.importer.name if report.importer else None,
                        "changed": report.outcome.changed,
                        "inserted": totals.inserted,
                        "replaced": totals.replaced,
                        "unchanged": totals.unchanged + totals.ignored,
                        "warnings": list(report.outcome.record.warnings),
                    }
                )
        if refused is not None:
            raise refused
        return found

    def history(
        self, client: str, months: int = 12, as_of: date | str | None = None
    ) -> dict[str, Any]:
        """The object of ``smmkpi history CLIENT --format json``: the last ``months`` full
        months before ``as_of`` (default: today in the client's zone).

        Examples:
            >>> found = ws.history("fitnest", months=3, as_of="2026-11-26")
            >>> found["months"], [round(v, 2) for v in found["kpis"]["er"]["values"]]
            (['2026-08', '2026-09', '2026-10'], [2.67, 4.81, 5.78])
        """
        from smmkpi.planning import service

        if not 1 <= months <= 36:
            raise InvalidArgumentError("months is between 1 and 36.")
        with self._folder.open_store(read_only=True) as store:
            today = _day(as_of) or _today(service.client_info(store, client).timezone)
            found = service.history(
                store, client, None, months, last_full_month(today), self._folder.social_rules()
            )
        return service.history_json(found)

    def status(
        self, client: str, month: str | None = None, as_of: date | str | None = None
    ) -> dict[str, Any]:
        """Plan against fact, the object of ``smmkpi status CLIENT --format json``: ``month``
        (default: this month) as of ``as_of`` (default: today in the client's zone).

        Examples:
            >>> found = ws.status("fitnest", month="2026-11", as_of="2026-11-26")
            >>> er = found["kpis"][0]
            >>> found["plan_id"], er["kpi"], er["target"], round(er["fact"], 2), er["status"]
            ('fitnest-2026-10', 'er', 3.79, 4.59, 'on_track')
        """
        from smmkpi.planning import service
        from smmkpi.planning.status import status_json

        with self._folder.open_store(read_only=True) as store:
            today = _day(as_of) or _today(service.client_info(store, client).timezone)
            chosen = Period.month(month) if month else Period.of_month(today)
            plan = service.plan_for(store, client, chosen)
            found = service.status(
                store, plan, chosen, today, self._folder.social_rules(),
                tolerance=self._folder.settings.planning.tolerance,
            )  # fmt: skip
        return dict(json.loads(json.dumps(status_json(client, plan.plan_id, chosen, found),
                                          default=str)))  # fmt: skip

    def report(
        self,
        client: str,
        month: str,
        formats: Sequence[str] = ("pdf",),
        lang: str = "ru",
        edition: str = "client",
        out: str | Path | None = None,
        as_of: date | str | None = None,
    ) -> dict[str, bytes] | dict[str, Path]:
        """The month's report of ``client``: ``{format: bytes}``, or with ``out`` the files
        written into that folder (``{format: path}``).

        Examples:
            >>> files = ws.report("fitnest", month="2026-10", formats=("pdf", "xlsx"), lang="en")
            >>> {kind: content[:2] for kind, content in files.items()}
            {'pdf': b'%P', 'xlsx': b'PK'}
            >>> ws.report("fitnest", month="2026-10", formats=("html",), out=tmp)["html"].name
            'fitnest-2026-10-ru.html'
        """
        from smmkpi.report.render import compose_all, report_bytes

        wrong = [f for f in formats if f not in ("pdf", "xlsx", "html")]
        if wrong:
            raise UnknownChoiceError("format", wrong[0], ["pdf", "xlsx", "html"])
        if edition not in ("client", "internal"):
            raise UnknownChoiceError("edition", edition, ["client", "internal"])
        language: Language = parse_language(lang)
        period = Period.month(month)
        with self._folder.open_store(read_only=True) as store:
            (found,) = compose_all(
                self._folder, store, client, period, [language],
                _day(as_of) or date.today(), edition,
            )  # fmt: skip
        with use_language(language):
            data = report_bytes(found, list(formats))
        if out is None:
            return data
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        written = {}
        for kind, content in data.items():
            path = folder / f"{found.file_stem}.{kind}"
            path.write_bytes(content)
            written[kind] = path
        return written


def open(target: str | Path) -> Workspace:
    """The workspace in the folder ``target``, or the PostgreSQL database of the URL
    ``target`` (``postgresql://…``; the ``postgresql`` extra), which is connected to once here
    so that an unreachable server or a missing extra is said at once."""
    text = str(target)
    if is_postgres_url(text):
        require("postgresql")
        settings = Settings.model_validate({"store": {"url": text}})
        folder = _Folder(Path(tempfile.gettempdir()), settings)
        with folder.open_store(read_only=True):
            pass
        return Workspace(folder)
    return Workspace(_Folder.open(Path(target)))


def _period(
    month: str | None, period: str | None, start: date | str | None, end: date | str | None
) -> Period:
    chosen = [x is not None for x in (month, period)] + [start is not None or end is not None]
    if sum(chosen) != 1:
        raise InvalidArgumentError("Give month=, period= or start= and end=.")
    if month is not None:
        return Period.month(month)
    if period is not None:
        return Period.from_options(None, None, None, period)
    if start is None or end is None:
        raise InvalidArgumentError("start= and end= go together.")
    return Period(_day(start) or date.min, _day(end) or date.min)


def _day(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise InvalidArgumentError(f"'{value}' is not a day (YYYY-MM-DD).") from error


def _today(zone: str) -> date:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(zone)).date()
