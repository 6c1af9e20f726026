"""Fixtures for the core acceptance tests (the shared ones live in tests/conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.support import pki
from zmconsole.core import ca
from zmconsole.core.store import Store


@pytest.fixture
def rsa_unlocked(store: Store) -> ca.UnlockedCa:
    """The session's one RSA-4096 CA, imported into this test's store."""
    cert_pem, key_pem = pki.rsa4096_ca()
    return ca.import_existing(store, cert_pem=cert_pem, key_pem=key_pem, passphrase=PASSPHRASE)


@pytest.fixture(params=["ec-p384", "rsa4096"])
def any_ca(request: pytest.FixtureRequest, store: Store) -> ca.UnlockedCa:
    """Each CA key type in turn."""
    if request.param == "rsa4096":
        return request.getfixturevalue("rsa_unlocked")  # type: ignore[no-any-return]
    return request.getfixturevalue("unlocked")  # type: ignore[no-any-return]


@pytest.fixture
def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n")
    return path
