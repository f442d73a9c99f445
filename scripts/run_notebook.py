"""Execute docs/notebook.ipynb (nbclient, the ``python3`` kernel of this environment) with a
working folder, and write the executed notebook — its outputs — to ``--out``.

    python scripts/run_notebook.py                     # in the repository: docs/notebook.ipynb
    python scripts/run_notebook.py --cwd DIR --out X   # the test's way: a folder of its own

The notebook builds the demo agency in its working folder when it is not there yet.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "notebook.ipynb"


def run(cwd: Path, out: Path, timeout: int = 600) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": cwd}}
    )
    client.execute()
    for cell in notebook.cells:  # no run-dependent noise in a committed notebook
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cwd", type=Path, default=ROOT)
    parser.add_argument("--out", type=Path, default=NOTEBOOK)
    args = parser.parse_args()
    run(args.cwd.resolve(), args.out)
    print(f"executed {NOTEBOOK.relative_to(ROOT)} → {args.out}")


if __name__ == "__main__":
    main()
