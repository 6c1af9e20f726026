"""Fixtures for the command-line tests: a data directory with a CA, made once by ``zmconsole ca init`` and copied."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.support import cli, postgres
from zmconsole.core import ca
from zmconsole.core.store import Store

CA_INIT = ("ca", "init", "--cn", "Z-Monitor-CA", "--org", "Hospital", "--ou", "IT", "--country", "US",
           "--state", "State", "--key", "ec-p384")


@pytest.fixture(scope="session")
def _ca_template(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str | None]:
    """The data directory ``zmconsole ca init`` made, and on PostgreSQL the URL of the database it wrote."""
    home = tmp_path_factory.mktemp("template") / "home"
    if not postgres.wanted():
        cli.ok(home, *CA_INIT)
        return home, None
    server: postgres.PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database()
    cli.ok(home, *CA_INIT, env={"ZMCONSOLE_DATABASE_URL": url})
    return home, url


@pytest.fixture
def ca_home(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory holding an EC P-384 CA made by the CLI (passphrase: tests.conftest.PASSPHRASE).

    A copy of the one made once per session; on PostgreSQL (ZM_TEST_STORE=postgres) with a copy of its database
    as the test's store.
    """
    home = tmp_path / "home"
    template, url = request.getfixturevalue("_ca_template")
    shutil.copytree(template, home)
    if url is not None:
        server: postgres.PostgresServer = request.getfixturevalue("postgres_server")
        monkeypatch.setenv("ZMCONSOLE_DATABASE_URL", server.create_database(template=url))
    return home


@pytest.fixture
def empty_store_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """The environment of a command on another, empty store beside the test's own: on SQLite a new data
    directory is one; on PostgreSQL it needs a database of its own as well."""
    if not postgres.wanted():
        return {}
    server: postgres.PostgresServer = request.getfixturevalue("postgres_server")
    return {"ZMCONSOLE_DATABASE_URL": server.create_database()}


@pytest.fixture
def ca_store(ca_home: Path) -> Iterator[Store]:
    """The same store opened in this process, to set up states through the core API."""
    opened = Store.open(ca_home)
    yield opened
    opened.dispose()


@pytest.fixture
def ca_unlocked(ca_store: Store) -> ca.UnlockedCa:
    return ca.unlock(ca_store, PASSPHRASE)


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n")
    return path


@pytest.fixture
def key_password_file(tmp_path: Path) -> Path:
    path = tmp_path / "key-password.txt"
    path.write_text("delivery password 1\n")
    return path
