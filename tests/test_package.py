"""The package as a user installs it: ``uv build`` makes a wheel and an sdist, the wheel installed
into a fresh virtual environment with only the core's locked dependencies (no extras, no
development tools) gives a working ``smmkpi``, and what needs a missing extra names it.

Nothing is downloaded: the build and the environment come from uv's cache, which the project's
own set-up (``make install``) filled.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import smmkpi
from tests.conftest import copy_workspace

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
UV = Path(sys.executable).with_name("uv")
EXTRA_MODULES = ("psycopg", "psycopg_pool", "fastapi", "uvicorn", "pyspark", "telethon", "pandas")


class Installed:
    """A fresh virtual environment holding the built wheel."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.venv = root / "venv"
        self.dist = root / "dist"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("SMMKPI", "VIRTUAL"))}
        self.env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{os.defpath}"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, cwd=self.root, env=self.env, capture_output=True, text=True, check=check
        )

    def smmkpi(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run(str(self.venv / "bin" / "smmkpi"), *args, check=check)

    def python(self, code: str) -> str:
        return self.run(str(self.venv / "bin" / "python"), "-c", code).stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    box = Installed(tmp_path_factory.mktemp("package"))
    uv = {**box.env, "UV_PYTHON_DOWNLOADS": "never", "UV_PROJECT_ENVIRONMENT": str(box.venv)}
    build = [str(UV), "build", "--offline", "--quiet", "--out-dir", str(box.dist)]
    subprocess.run(build, cwd=ROOT, env=uv, check=True, capture_output=True)
    # the core's locked dependencies only, then the wheel itself
    sync = [str(UV), "sync", "--frozen", "--offline", "--quiet", "--no-dev", "--no-install-project"]
    subprocess.run(sync, cwd=ROOT, env=uv, check=True, capture_output=True)
    (wheel,) = box.dist.glob("*.whl")
    install = [str(UV), "pip", "install", "--offline", "--quiet", "--no-deps"]
    python = ["--python", str(box.venv / "bin" / "python")]
    subprocess.run([*install, *python, str(wheel)], env=uv, check=True, capture_output=True)
    # the wheel's declared dependencies are all satisfied by the core's locked set
    subprocess.run([str(UV), "pip", "check", *python], env=uv, check=True, capture_output=True)
    return box


def test_the_build_makes_a_wheel_and_an_sdist_of_the_one_version(installed: Installed) -> None:
    version = smmkpi.__version__
    names = sorted(p.name for p in installed.dist.iterdir() if not p.name.startswith("."))
    assert names == [f"smmkpi-{version}-py3-none-any.whl", f"smmkpi-{version}.tar.gz"]
    with zipfile.ZipFile(installed.dist / names[0]) as wheel:
        inside = set(wheel.namelist())
    assert {"smmkpi/py.typed", "smmkpi/locale/ru/LC_MESSAGES/smmkpi.po"} <= inside
    assert "smmkpi/report/templates/report.html.j2" in inside
    with tarfile.open(installed.dist / names[1]) as sdist:
        files = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    assert {
        "pyproject.toml",
        "CHANGELOG.md",
        "src/smmkpi/__init__.py",
        "tests/conftest.py",
    } <= files
    assert not any(f.startswith(".import_linter_cache") for f in files)
    assert installed.smmkpi("--version").stdout.strip() == f"smmkpi {version}"
    metadata = (
        "import importlib.metadata as m, smmkpi; print(m.version('smmkpi'), smmkpi.__version__)"
    )
    assert installed.python(metadata).split() == [version, version]


def test_the_core_holds_no_extra(installed: Installed) -> None:
    code = (
        "import importlib.util as u; "
        f"print(' '.join(m for m in {EXTRA_MODULES!r} if u.find_spec(m) is not None))"
    )
    assert installed.python(code).strip() == ""


@pytest.fixture(scope="module")
def agency(installed: Installed) -> Path:
    """The demo agency, built by the installed command."""
    result = installed.smmkpi("demo", "agency", "--as-of", "2026-11-26", "--lang", "en")
    assert "— 4 clients, 18,768 rows of data from 2025-08-01 to 2026-11-25" in result.stdout
    return installed.root / "agency"


def test_the_installed_cli_builds_the_demo_and_computes_as_the_source(
    installed: Installed, agency: Path, tmp_path: Path
) -> None:
    reports = {p.name for p in (agency / "reports" / "2026-10").glob("*.pdf")}
    assert {"coffeelab-2026-10-ru.pdf", "pacificbrew-2026-10-en.pdf"} <= reports
    args = ("kpi", "--month", "2026-10", "--kpis", "all", "--format", "json")
    wheel = json.loads(installed.smmkpi("-w", "agency", *args).stdout)
    # the same workspace, computed by this source tree: the wheel lacks nothing it needs
    copy = copy_workspace(agency, tmp_path / "agency")
    source = subprocess.run(
        [str(Path(sys.executable).with_name("smmkpi")), "-w", str(copy), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    assert wheel == json.loads(source.stdout)
    assert [c["client_id"] for c in wheel] == ["coffeelab", "fitnest", "homedecor", "pacificbrew"]
    fitnest = wheel[1]["accounts"]
    assert fitnest["fitnest-tg"]["followers"] is None  # its follower count never came


def test_a_missing_extra_is_named(installed: Installed, agency: Path) -> None:
    result = installed.smmkpi("-w", "agency", "serve", "--lang", "en", check=False)
    assert result.returncode == 1
    assert "The web app needs smmkpi's web extra: pip install 'smmkpi[web]'." in result.stderr
    to = ("--to", "postgresql://smm@127.0.0.1:9/agency")
    result = installed.smmkpi("-w", "agency", "migrate", *to, "--lang", "en", check=False)
    assert result.returncode == 1
    needs = (
        "A PostgreSQL workspace needs smmkpi's postgresql extra: pip install 'smmkpi[postgresql]'."
    )
    assert needs in " ".join(result.stderr.split())
    code = (
        "import smmkpi\n"
        "try:\n"
        "    smmkpi.open('postgresql://smm@127.0.0.1:9/agency')\n"
        "except smmkpi.UserError as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    assert installed.python(code).strip() == f"MissingExtraError {needs}"
