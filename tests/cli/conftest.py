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
def _ca_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("template") / "home"
    cli.ok(home, *CA_INIT)
    return home


@pytest.fixture
def ca_home(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A data directory holding an EC P-384 CA made by the CLI (passphrase: tests.conftest.PASSPHRASE).

    On PostgreSQL (ZM_TEST_STORE=postgres) the CA is made in the test's own database instead of copied.
    """
    home = tmp_path / "home"
    if postgres.wanted():
        cli.ok(home, *CA_INIT)
        return home
    shutil.copytree(request.getfixturevalue("_ca_template"), home)
    return home


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
