"""A throw-away PostgreSQL server for the tests: Debian's binaries, a cluster in a temporary directory.

The server listens on a free port of 127.0.0.1 (trust authentication, nothing else can reach it) and on a
unix socket inside its own directory. initdb refuses to run as root, so under root the cluster belongs to the
``postgres`` system user (Debian's package creates it) and every server command runs through ``runuser``.
Each test gets a fresh database (:meth:`PostgresServer.create_database`), so tests stay independent while the
server starts once per session.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest

ENV_STORE = "ZM_TEST_STORE"  # "postgres": the store and home fixtures, and CLI subprocesses, use PostgreSQL
_SUPERUSER = "zmtest"

# Data directories with a database of their own (data_directory), by absolute path: the CLI processes started
# for such a directory (tests/support/cli.py) and storestate's look at it use that database, not the test's.
_DATABASES: dict[Path, str] = {}


def wanted() -> bool:
    return os.environ.get(ENV_STORE, "").lower() in ("postgres", "postgresql")


def database_of(home: Path | None) -> str | None:
    """The URL of the database a data directory was given by :func:`data_directory`, or None."""
    return None if home is None else _DATABASES.get(home.absolute())


def data_directory(request: pytest.FixtureRequest, home: Path, *, copy_of: Path | None = None) -> Path:
    """``home`` as another site's data directory beside the test's own, empty or a copy of ``copy_of``.

    On SQLite the directory is the store, so a copy of the directory is a copy of the store. On PostgreSQL the
    store lives in the server: ``home`` gets a database of its own, a clone of ``copy_of``'s (CREATE DATABASE
    ... TEMPLATE; no one may be connected to it) or an empty one, and every command run for ``home`` uses it.
    """
    if copy_of is not None:
        shutil.copytree(copy_of, home)
    if wanted():
        template = None
        if copy_of is not None:
            template = database_of(copy_of)
            if template is None:
                raise ValueError(f"{copy_of} was not made by data_directory: its database is not known")
        server: PostgresServer = request.getfixturevalue("postgres_server")
        _DATABASES[home.absolute()] = server.create_database(template=template)
    return home


def find_bin_dir() -> Path | None:
    """Debian's server binaries (the newest installed major version), or None when PostgreSQL is missing."""
    explicit = os.environ.get("ZM_TEST_PG_BIN")
    candidates = [explicit] if explicit else sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                                    key=lambda p: int(Path(p).parent.name), reverse=True)
    for candidate in candidates:
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One running cluster; :meth:`stop` removes it."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="zm-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._names = itertools.count(1)
        self._owner: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            self._owner = pwd.getpwnam("postgres")
            os.chown(self.root, self._owner.pw_uid, self._owner.pw_gid)
        os.chmod(self.root, 0o700 if self._owner is None else 0o755)

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / argv[0]), *argv[1:]]
        if self._owner is not None:
            command = ["runuser", "-u", self._owner.pw_name, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", _SUPERUSER, "-A", "trust", "-E", "UTF8",
                  "--no-sync", "--no-instructions")
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options, "-w",
                  "-t", "60", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{_SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, template: str | None = None) -> str:
        """A new database, empty or a copy of the one the URL ``template`` names (no one may be connected to
        it); its SQLAlchemy URL."""
        name = f"zm_{os.getpid()}_{next(self._names)}"
        copy = "" if template is None else f" TEMPLATE {template.rsplit('/', 1)[1]}"
        self.sql(f"CREATE DATABASE {name}{copy}")
        return self.url(name)

    def sql(self, statement: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=_SUPERUSER, dbname=database,
                             autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]  # test-made statements, never user input


def start_server() -> PostgresServer:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise RuntimeError(f"{ENV_STORE}=postgres, but PostgreSQL's server is not installed "
                           "(apt-get install postgresql, or scripts/setup.sh --test)")
    server = PostgresServer(bin_dir)
    for attempt in range(3):  # the free port may be taken between probing and binding
        try:
            server.start()
            return server
        except subprocess.CalledProcessError:
            if attempt == 2:
                raise
            shutil.rmtree(server.data, ignore_errors=True)
            server.port = _free_port()
            time.sleep(0.5)
    return server
