"""Fixtures every test package shares: a data directory, a store, a CA, CSRs.

Everything lives under pytest's ``tmp_path``; nothing depends on the current
directory or the user's real data directory.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from tests.support import postgres
from tests.support.softhsm import softhsm  # noqa: F401 - a fixture for every test package
from zmconsole.core import ca, paths
from zmconsole.core.store import Store, describe_url

PASSPHRASE = "correct horse battery staple"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.PostgresServer]:
    """A throw-away PostgreSQL cluster for the session (tests/support/postgres.py); skips without PostgreSQL."""
    import importlib.util

    missing = ("PostgreSQL's server" if postgres.find_bin_dir() is None
               else "psycopg (zmconsole[postgres])" if importlib.util.find_spec("psycopg") is None else None)
    if missing is not None:
        if postgres.wanted():
            pytest.fail(f"{postgres.ENV_STORE}=postgres, but {missing} is not installed")
        pytest.skip(f"{missing} is not installed (scripts/setup.sh --test installs it)")
    server = postgres.start_server()
    yield server
    server.stop()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ZM_TEST_STORE=postgres, tests of the SQLite file itself (marked sqlite_only) are skipped."""
    if postgres.wanted():
        skip = pytest.mark.skip(reason="tests the SQLite file itself; this run uses PostgreSQL")
        for item in items:
            if "sqlite_only" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated_environment(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the real per-user data directory or inherit a passphrase.

    With ZM_TEST_STORE=postgres every test gets a fresh PostgreSQL database as its store, in this process and
    in the command-line processes it starts (tests/support/cli.py passes the URL on).
    """
    monkeypatch.setenv("ZMCONSOLE_HOME", str(tmp_path / "default-home"))
    monkeypatch.delenv("ZMCONSOLE_PASSPHRASE", raising=False)
    monkeypatch.delenv("ZMCONSOLE_OPERATOR", raising=False)
    monkeypatch.delenv("ZMCONSOLE_OPERATOR_PASSWORD", raising=False)
    monkeypatch.delenv("ZMCONSOLE_DATABASE_URL", raising=False)
    if postgres.wanted() and "sqlite_only" not in request.keywords:
        shared = [_SHARED_DATABASES[name] for name in request.fixturenames if name in _SHARED_DATABASES]
        if shared:  # a test of a module-wide store (shared_database) works on that store
            monkeypatch.setenv("ZMCONSOLE_DATABASE_URL", shared[-1])
            return
        server: postgres.PostgresServer = request.getfixturevalue("postgres_server")
        monkeypatch.setenv("ZMCONSOLE_DATABASE_URL", server.create_database())


# The databases of fixtures wider than one test, by fixture name (shared_database).
_SHARED_DATABASES: dict[str, str] = {}


@contextmanager
def shared_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """For a module- or session-wide fixture that makes a store (a running service, a full CLI run): on
    PostgreSQL a database of its own, the store while the fixture is set up and for every test that uses the
    fixture; on SQLite the fixture's data directory already is one."""
    if not postgres.wanted():
        yield
        return
    server: postgres.PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database()
    _SHARED_DATABASES[request.fixturename] = url
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("ZMCONSOLE_DATABASE_URL", url)
            yield
    finally:
        _SHARED_DATABASES.pop(request.fixturename, None)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return paths.ensure_home(tmp_path / "home")


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    opened = Store.open(home)
    yield opened
    opened.dispose()


@pytest.fixture
def new_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], Store]]:
    """Other sites' stores beside ``store``, as many as a test needs: ``new_store(name)`` has its own data
    directory (``tmp_path / name``) and, on PostgreSQL, its own database."""
    opened: list[Store] = []

    def make(name: str) -> Store:
        other_home = paths.ensure_home(tmp_path / name)
        if postgres.wanted():
            url = request.getfixturevalue("postgres_server").create_database()
            made = Store(url, label=describe_url(url), home=other_home)
            made.migrate()
        else:
            made = Store.open(other_home)
        opened.append(made)
        return made

    yield make
    for made in opened:
        made.dispose()


@pytest.fixture
def other_store(new_store: Callable[[str], Store]) -> Store:
    """Another site's store beside ``store``."""
    return new_store("other-home")


@pytest.fixture
def ca_subject() -> x509.Name:
    return ca.build_subject(cn="Z-Monitor-CA", org="Hospital", ou="IT", country="US", state="State")


@pytest.fixture
def unlocked(store: Store, ca_subject: x509.Name) -> ca.UnlockedCa:
    """A fresh EC P-384 CA (fast to make); tests that need RSA-4096 make their own."""
    return ca.create(store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384")


CsrFactory = Callable[..., bytes]


def build_csr(common_name: str = "ZM-001", *, key: object | None = None, country: str | None = "US",
              org: str | None = "Hospital", ou: str | None = "ICU", extra: list[x509.NameAttribute] | None = None,
              extensions: list[tuple[x509.ExtensionType, bool]] | None = None, der: bool = False) -> bytes:
    """A PKCS#10 request shaped like a monitor's, with every part overridable for negative tests."""
    private = key or ec.generate_private_key(ec.SECP256R1())
    attributes = []
    if country:
        attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, country))
    if org:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if ou:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    attributes.extend(extra or [])
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    builder = x509.CertificateSigningRequestBuilder().subject_name(x509.Name(attributes))
    for extension, critical in extensions or []:
        builder = builder.add_extension(extension, critical=critical)
    assert isinstance(private, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey)
    csr = builder.sign(private, hashes.SHA256())
    return csr.public_bytes(serialization.Encoding.DER if der else serialization.Encoding.PEM)


@pytest.fixture
def make_csr() -> CsrFactory:
    return build_csr
