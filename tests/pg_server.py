"""A throw-away PostgreSQL server for the store tests, from Debian's package (apt-get install postgresql).

`PgServer.start()` runs initdb in a temporary directory, starts the server on a free port of
127.0.0.1 with its unix socket in that directory, creates the database `legeplan` and gives its URL;
`stop()` stops the server and removes the directory. PostgreSQL refuses to run as root, so when the
tests run as root the server runs as the `postgres` user the package creates (or `nobody`).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SKIP_ENV = "LEGEPLAN_TEST_SKIP_POSTGRES"  # =1: skip the PostgreSQL tests (locally only; CI runs them)


def bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin with initdb and pg_ctl (or initdb on PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="legeplan-pg-")))
    port: int = field(default_factory=_free_port)
    user: str | None = None  # the system user the server runs as when we are root

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql://legeplan@/legeplan?host={self.root}&port={self.port}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self.user is not None:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)

    def _check(self, what: str, done: subprocess.CompletedProcess[str]) -> None:
        if done.returncode != 0:
            log = (self.root / "server.log")
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{what} failed ({done.returncode}): {done.stdout}{done.stderr}{tail}")

    def start(self) -> str:
        bindir = bin_dir()
        if bindir is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install -y postgresql)")
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    entry = pwd.getpwnam(name)
                except KeyError:
                    continue
                self.user = name
                os.chown(self.root, entry.pw_uid, entry.pw_gid)
                break
        self._check("initdb", self._run(str(bindir / "initdb"), "-D", str(self.data), "-U", "legeplan",
                                        "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"))
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._check("pg_ctl start", self._run(str(bindir / "pg_ctl"), "-D", str(self.data), "-o", options,
                                              "-l", str(self.root / "server.log"), "-w", "-t", "60", "start"))
        self._check("createdb", self._run(str(bindir / "createdb"), "-h", str(self.root), "-p", str(self.port),
                                          "-U", "legeplan", "legeplan"))
        return self.url

    def stop(self) -> None:
        bindir = bin_dir()
        if bindir is not None and (self.data / "postmaster.pid").exists():
            self._run(str(bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
