"""A throw-away PostgreSQL server for the tests and benchmarks: ``initdb`` into a temporary
folder, ``pg_ctl start`` on a free loopback port (no Unix socket outside the folder), one
database, trust authentication for the local user only; ``stop()`` shuts it down and removes
the folder. PostgreSQL refuses to run as root: under root the server runs as the ``postgres``
user that Debian's ``postgresql`` package creates (scripts/system-deps.sh installs it).

    with running_server() as server:
        server.url   # postgresql://smmkpi@127.0.0.1:PORT/smmkpi
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

USER = "smmkpi"
DATABASE = "smmkpi"


@dataclass(frozen=True)
class PostgresServer:
    folder: Path
    port: int
    bin: Path
    as_user: tuple[str, ...]  # the command prefix that runs as the server's owner

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{DATABASE}"

    def run(self, *command: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / command[0]), *command[1:]],
            check=True,
            capture_output=True,
            cwd=self.folder,
        )

    def new_database(self, name: str) -> str:
        """A fresh, empty database on this server; its URL."""
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, name)
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{name}"

    def restart(self) -> None:
        """Stop the server — every connection is cut, as when its machine restarts (``fast``: the
        test server does not sync its writes, so a crash would lose them) — and start it again
        with the same options."""
        data, log = str(self.folder / "data"), str(self.folder / "log")
        self.run("pg_ctl", "-D", data, "-l", log, "-m", "fast", "-w", "restart")

    def stop(self) -> None:
        try:
            self.run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def binaries() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl`` (Debian keeps them out of PATH), if installed."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start() -> PostgresServer:
    folder_bin = binaries()
    if folder_bin is None:
        raise RuntimeError(
            "PostgreSQL is not installed: run scripts/system-deps.sh (package postgresql)"
        )
    folder = Path(tempfile.mkdtemp(prefix="smmkpi-pg-"))
    as_user: tuple[str, ...] = ()
    if os.geteuid() == 0:  # the server will not run as root
        shutil.chown(folder, "postgres", "postgres")
        as_user = ("runuser", "-u", "postgres", "--")
    server = PostgresServer(folder, free_port(), folder_bin, as_user)
    data = str(folder / "data")
    server.run("initdb", "-D", data, "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync")
    options = (
        f"-c listen_addresses=127.0.0.1 -p {server.port} -c unix_socket_directories={folder} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40"
    )
    try:
        server.run("pg_ctl", "-D", data, "-o", options, "-l", str(folder / "log"), "-w", "start")
        server.run("createdb", "-h", "127.0.0.1", "-p", str(server.port), "-U", USER, DATABASE)
    except subprocess.CalledProcessError as error:
        log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {error.stderr!r}\n{log}") from error
    return server


@contextmanager
def running_server() -> Iterator[PostgresServer]:
    server = start()
    try:
        yield server
    finally:
        server.stop()
