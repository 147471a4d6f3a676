"""A throwaway PostgreSQL 15 for the suites (issue 22), the Python twin of
tests/unit/store/postgres_server.cpp: Debian's initdb and pg_ctl (/usr/lib/postgresql/15/bin, or
$INKAN_PG_BIN) in a temporary directory, a Unix socket in that directory only (no TCP), fsync and
synchronous_commit off. initdb refuses root and the suites run as root in CI, so as root the
server runs as `nobody` (setpriv --reuid=nobody --regid=nogroup --clear-groups, the directory
chowned to it).

    with PostgresServer(tmp_path / "pg") as pg:
        uri = pg.create_database("inkan")      # postgresql:///inkan?host=...&user=inkan
        pg.sql("inkan", "SELECT 1")

or the `postgres` fixture (one server per test module) from conftest-style use:
    from postgres_support import postgres  # noqa: F401  (pytest fixture)
"""
from __future__ import annotations

import os
import pwd
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("INKAN_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "inkan"


class PostgresServer:
    def __init__(self, directory: Path | None = None):
        self._own_tmp = directory is None
        self.dir = Path(tempfile.mkdtemp(prefix="inkan-pg-")) if directory is None else Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self._as = []
        self.startup_seconds = 0.0

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> "PostgresServer":
        assert (PG_BIN / "initdb").exists(), f"no {PG_BIN}/initdb: install postgresql-15 (tools/setup.sh)"
        started = time.monotonic()
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.dir, nobody.pw_uid, nobody.pw_gid)
            self._as = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        os.chmod(self.dir, 0o700)
        self._run([PG_BIN / "initdb", "-D", self.dir / "data", "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                   "--locale=C.UTF-8", "--no-sync"], "initdb")
        options = (f"-c listen_addresses='' -c unix_socket_directories={self.dir} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run([PG_BIN / "pg_ctl", "-D", self.dir / "data", "-l", self.dir / "server.log", "-w", "-s",
                   "-o", options, "start"], "pg_ctl start")
        self.startup_seconds = time.monotonic() - started
        return self

    def stop(self) -> None:
        subprocess.run(self._as + [str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "-s",
                                   "stop"], capture_output=True)
        if self._own_tmp:
            subprocess.run(["rm", "-rf", str(self.dir)])

    def __enter__(self) -> "PostgresServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- use ---------------------------------------------------------------------------------
    def uri(self, database: str, user: str = SUPERUSER) -> str:
        return f"postgresql:///{database}?host={self.dir}&user={user}"

    def create_database(self, name: str) -> str:
        self.sql("postgres", f"CREATE DATABASE {name}")
        return self.uri(name)

    def sql(self, database: str, statement: str) -> str:
        """Runs one statement with psql as the superuser; returns its unaligned output."""
        proc = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d",
                               f"host={self.dir} user={SUPERUSER} dbname={database}", "-c", statement],
                              capture_output=True, text=True)
        assert proc.returncode == 0, f"psql failed: {statement}\n{proc.stderr}"
        return proc.stdout.strip()

    def _run(self, cmd, what: str) -> None:
        proc = subprocess.run(self._as + [str(c) for c in cmd], capture_output=True, text=True)
        if proc.returncode != 0:
            log = (self.dir / "server.log").read_text() if (self.dir / "server.log").exists() else ""
            raise AssertionError(f"throwaway PostgreSQL: {what} failed\n{proc.stdout}\n{proc.stderr}\n{log}")


@pytest.fixture(scope="module")
def postgres():
    """One throwaway server per test module; stopped after it."""
    with PostgresServer() as server:
        yield server
