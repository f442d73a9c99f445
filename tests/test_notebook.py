"""docs/notebook.ipynb, executed as a user runs it (a Jupyter kernel, in an empty folder, where it
builds the demo agency itself): its table of facts and targets, its chart and its Parquet file
are what the API says they are."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import nbformat
import pyarrow.parquet as pq
import pytest

import smmkpi
from smmkpi.errors import NoPlanError
from tests.support.numbers import approx

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PNG = b"\x89PNG\r\n\x1a\n"


def outputs(notebook: nbformat.NotebookNode) -> list[dict[str, object]]:
    return [o for cell in notebook.cells for o in cell.get("outputs", [])]


def test_the_notebook_runs_and_its_numbers_are_the_apis(tmp_path: Path) -> None:
    out = tmp_path / "executed.ipynb"
    script = [sys.executable, str(ROOT / "scripts" / "run_notebook.py")]
    subprocess.run([*script, "--cwd", str(tmp_path), "--out", str(out)], check=True)
    executed = nbformat.read(out, as_version=4)
    assert not [o for o in outputs(executed) if o["output_type"] == "error"]
    streams = ["".join(o["text"]) for o in outputs(executed) if o["output_type"] == "stream"]
    clients, table, parquet = streams

    ws = smmkpi.open(tmp_path / "demo-workspace")
    assert [line.split()[0] for line in clients.splitlines()] == [c.id for c in ws.clients]

    history = ws.history("fitnest", months=12)
    months = history["months"]
    facts = dict(zip(months, history["kpis"]["er"]["values"], strict=True))
    targets = {}
    for month in [*months, *next_months(months[-1])]:
        try:
            status = ws.status("fitnest", month=month)
        except NoPlanError:
            continue
        targets[month] = next(r["target"] for r in status["kpis"] if r["kpi"] == "er")
    assert len(targets) >= 2  # the demo's plan covers the last full month and after
    printed = {line.split()[0]: line.split()[1:] for line in table.splitlines()[1:]}
    assert list(printed) == [*months, *next_months(months[-1])]
    for month, (fact, target) in printed.items():
        assert fact == (f"{facts[month]:.2f}" if facts.get(month) is not None else "—")
        assert target == (f"{targets[month]:.2f}" if month in targets else "—")

    (chart,) = [o for o in outputs(executed) if "image/png" in o.get("data", {})]
    assert base64.b64decode(chart["data"]["image/png"]).startswith(PNG)

    written = pq.read_table(tmp_path / f"kpis-{months[-1]}.parquet")
    computed = ws.kpis(month=months[-1]).to_arrow()  # again: floats may differ in their last bits
    assert written.schema == computed.schema
    assert written.to_pylist() == approx(computed.to_pylist())
    assert parquet.splitlines()[0] == (
        f"kpis-{months[-1]}.parquet: {written.num_rows} rows, columns "
        "['client', 'account', 'kpi', 'value', 'unit']"
    )
    followers = ws.kpis(client="fitnest", month=months[-1]).value("followers")
    assert parquet.splitlines()[1].split() == ["followers", f"{followers:,.2f}", "count"]


def next_months(label: str) -> list[str]:
    year, month = map(int, label.split("-"))
    first = (year + month // 12, month % 12 + 1)
    second = (first[0] + first[1] // 12, first[1] % 12 + 1)
    return [f"{y}-{m:02d}" for y, m in (first, second)]
