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
from tests.support.numbers import approx

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


def install(box: Installed, wheel: Path, *extras: str) -> None:
    """The wheel into ``box``'s fresh environment, with the locked dependencies of the core and
    of ``extras`` only; the wheel's declared dependencies must all be satisfied by them."""
    uv = {**box.env, "UV_PYTHON_DOWNLOADS": "never", "UV_PROJECT_ENVIRONMENT": str(box.venv)}
    sync = [str(UV), "sync", "--frozen", "--offline", "--quiet", "--no-dev", "--no-install-project"]
    sync += [f"--extra={extra}" for extra in extras]
    subprocess.run(sync, cwd=ROOT, env=uv, check=True, capture_output=True)
    install = [str(UV), "pip", "install", "--offline", "--quiet", "--no-deps"]
    python = ["--python", str(box.venv / "bin" / "python")]
    subprocess.run([*install, *python, str(wheel)], env=uv, check=True, capture_output=True)
    subprocess.run([str(UV), "pip", "check", *python], env=uv, check=True, capture_output=True)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    box = Installed(tmp_path_factory.mktemp("package"))
    build = [str(UV), "build", "--offline", "--quiet", "--out-dir", str(box.dist)]
    env = {**box.env, "UV_PYTHON_DOWNLOADS": "never"}
    subprocess.run(build, cwd=ROOT, env=env, check=True, capture_output=True)
    (wheel,) = box.dist.glob("*.whl")
    install(box, wheel)
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
    assert wheel == approx(json.loads(source.stdout))  # computed twice: floats to the last bits
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
    telegram = (
        "from smmkpi.settings import Settings\n"
        "from smmkpi.sync.telegram import open_client\n"
        "try:\n"
        "    open_client('agency', Settings().sync)\n"
        "except smmkpi.UserError as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    assert installed.python("import smmkpi\n" + telegram).strip() == (
        "MissingExtraError Reading Telegram needs smmkpi's telegram extra: "
        "pip install 'smmkpi[telegram]'."
    )


WEB_CHECK = """
import re, sys, warnings
from pathlib import Path
warnings.simplefilter("ignore")
from fastapi.testclient import TestClient
from smmkpi.web.app import create_app
from smmkpi.workspace import Workspace

client = TestClient(create_app(Workspace.open(Path(sys.argv[1]))))
form = client.get("/signin").text
csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
data = {"username": "anna", "password": "demo-anna-2026", "csrf": csrf}
assert client.post("/signin", data=data, follow_redirects=False).status_code == 303
page = client.get("/clients/fitnest")
print(page.status_code, "FitNest" in page.text, "pandas" in sys.modules)
"""


def test_the_web_extra_serves_the_demo(
    installed: Installed, agency: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    box = Installed(tmp_path_factory.mktemp("web"))
    install(box, next(installed.dist.glob("*.whl")), "web")
    copy = copy_workspace(agency, box.root / "agency")
    result = box.run(str(box.venv / "bin" / "python"), "-c", WEB_CHECK, str(copy), check=False)
    assert result.stdout.split() == ["200", "True", "False"], result.stderr
    code = "import importlib.util as u; print(u.find_spec('pandas'))"
    assert box.python(code).strip() == "None"  # the web app needs no pandas


def test_the_spark_extra_computes_as_duckdb(
    installed: Installed, agency: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    box = Installed(tmp_path_factory.mktemp("spark"))
    install(box, next(installed.dist.glob("*.whl")), "spark")
    copy = copy_workspace(agency, box.root / "agency")
    box.smmkpi("-w", str(copy), "export", str(box.root / "lake"), "--format", "parquet")
    args = ("-w", str(copy), "kpi", "--month", "2026-10", "--client", "fitnest", "--format", "json")
    on_duckdb = json.loads(box.smmkpi(*args).stdout)
    on_spark = box.smmkpi(*args, "--engine", "spark", "--lake", str(box.root / "lake"))
    assert json.loads(on_spark.stdout) == approx(on_duckdb)
    assert on_duckdb["kpis"]["followers"] == 18178  # as smmkpi.api's doctest shows


def test_the_postgresql_extra_moves_the_demo_there(
    installed: Installed, agency: Path, postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    box = Installed(tmp_path_factory.mktemp("postgresql"))
    install(box, next(installed.dist.glob("*.whl")), "postgresql")
    copy = copy_workspace(agency, box.root / "agency")
    moved = box.smmkpi("-w", str(copy), "migrate", "--to", postgres_url, "--lang", "en")
    assert "are the same on both engines" in " ".join(moved.stdout.split())
    assert f'url = "{postgres_url}"' in (copy / "smmkpi.toml").read_text("utf-8")  # now there
    args = ("kpi", "--month", "2026-10", "--client", "fitnest", "--format", "json")
    on_postgresql = json.loads(box.smmkpi("-w", str(copy), *args).stdout)
    assert on_postgresql["kpis"]["followers"] == 18178
