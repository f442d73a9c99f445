"""Every command of docs/tutorial.md and of the README's "Using it", run as written, in order,
on a copy of the repository's sample files (examples/) — a newcomer's first hour without a
stumble. Each command must succeed; a few outcomes are checked on the way."""

from __future__ import annotations

import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smmkpi.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
SMMKPI = ("smmkpi", ".venv/bin/smmkpi")


def console_blocks(markdown: str) -> list[list[str]]:
    """The command lines of each ```console block (the ``$ `` prompt taken off)."""
    blocks = re.findall(r"```console\n(.*?)```", markdown, re.S)
    return [
        [line.removeprefix("$ ") for line in block.splitlines() if line.strip()] for block in blocks
    ]


class Shell:
    """Runs the documented lines: ``smmkpi …`` in process, ``cd``, ``export``, ``> file``, and
    ``make demo`` as the Makefile's demo target runs it (``smmkpi demo demo-workspace``)."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folder = folder
        self.monkeypatch = monkeypatch
        self.outputs: dict[str, str] = {}
        monkeypatch.chdir(folder)
        monkeypatch.delenv("SMMKPI_WORKSPACE", raising=False)
        monkeypatch.setenv("SMMKPI__DISPLAY__LANG", "en")

    def run(self, line: str) -> str:
        words = shlex.split(line, comments=True)
        if not words:
            return ""
        if words[0] == "cd":
            self.monkeypatch.chdir(words[1])
            return ""
        if words[0] == "export":
            name, _eq, value = words[1].partition("=")
            self.monkeypatch.setenv(name, value)
            return ""
        if words == ["make", "demo"]:
            words = ["smmkpi", "demo", "demo-workspace"]
        target = None
        if ">" in words:
            at = words.index(">")
            words, target = words[:at], words[at + 1]
        assert words[0] in SMMKPI, line
        if words[1:] and words[-1] == "serve":
            return self.serve(words[1:])
        result = CliRunner().invoke(app, words[1:], catch_exceptions=False)
        assert result.exit_code == 0, f"{line}\n{result.output}"
        if target:
            Path(target).write_text(result.stdout, encoding="utf-8")
        self.outputs[" ".join(words)] = result.output
        return result.output

    def serve(self, arguments: list[str]) -> str:
        """The server as documented (port 8000): up until its sign-in page answers."""
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", 8000)) == 0:
                pytest.fail("port 8000 is taken: the documented `serve` cannot start")
        command = [str(Path(sys.executable).parent / "smmkpi"), *arguments]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            for _attempt in range(150):
                try:
                    with urllib.request.urlopen("http://127.0.0.1:8000/signin") as response:
                        assert response.status == 200
                        return response.read().decode("utf-8")
                except OSError:
                    assert server.poll() is None, server.stderr.read()  # type: ignore[union-attr]
                    time.sleep(0.2)
            pytest.fail("smmkpi serve did not answer within 30 s")
        finally:
            server.terminate()
            server.wait(timeout=10)


def test_the_tutorial_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shell = Shell(tmp_path, monkeypatch)
    blocks = console_blocks((ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8"))
    lines = [line for block in blocks for line in block]
    assert any(line.startswith("make demo") for line in lines)
    for line in lines:
        shell.run(line)
    # what the newcomer should see on the way
    imported = shell.outputs["smmkpi import vk-responses/ instagram_posts.csv --as-of 2025-03-31"]
    assert "account_daily: 4 new" in imported and "posts: 3 new" in imported
    table = shell.outputs["smmkpi kpi --client coffeelab --month 2025-03"]
    assert "Кофелаб (coffeelab) — March 2025" in table
    assert (tmp_path / "october.json").read_text().startswith("[")
    assert (tmp_path / "examples" / "links.csv").is_file()
    assert "plan coffeelab-next" in shell.outputs["smmkpi status coffeelab"]
    reports = list((tmp_path / "demo-workspace" / "reports").rglob("coffeelab-2026-Q3-*.pdf"))
    assert len(reports) == 1


def test_the_readme_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shell = Shell(tmp_path / "examples", monkeypatch)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    using = readme[readme.index("## Using it") : readme.index("## Where to go next")]
    (lines,) = console_blocks(using)
    for line in lines:
        shell.run(line)
    explained = shell.outputs[
        "smmkpi -w my-agency kpi --client coffeelab --month 2025-03 --explain reach"
    ]
    assert "reach" in explained
    folder = tmp_path / "examples" / "my-agency" / "reports" / "2025-03"
    assert {p.suffix for p in folder.iterdir()} == {".pdf", ".xlsx", ".html"}


def test_the_russian_tutorial_runs_the_same_commands() -> None:
    """docs/tutorial.ru.md is the same walk: the same commands in the same order (its comments
    are in Russian), so what this module runs holds for both."""

    def commands(name: str) -> list[list[str]]:
        blocks = console_blocks((ROOT / "docs" / name).read_text("utf-8"))
        return [[re.sub(r"\s+#.*$", "", line) for line in block] for block in blocks]

    english, russian = commands("tutorial.md"), commands("tutorial.ru.md")
    assert len(english) == 8
    assert russian == english
