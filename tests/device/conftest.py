"""Fixtures for the device agent's tests: an in-memory PKI, a fake provisioning service, a CRL point."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.device.pki import Pki
from tests.device.servers import CrlPoint, FakeService, http_crl
from zmconsole.device import enroll, keystore

SECRET = b"device keystore secret"
CODE = "40721937"


@pytest.fixture(scope="module")
def pki() -> Pki:
    return Pki()


@pytest.fixture
def crl_point(pki: Pki) -> Iterator[CrlPoint]:
    with http_crl(pki.crl()) as point:
        yield point


@pytest.fixture
def service(pki: Pki, tmp_path: Path, crl_point: CrlPoint) -> Iterator[FakeService]:
    with FakeService(pki, tmp_path, crl_url=crl_point.url).running() as running:
        yield running


@pytest.fixture
def keystore_dir(tmp_path: Path) -> Path:
    return tmp_path / "keystore"


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def enrolled(service: FakeService, keystore_dir: Path) -> keystore.Identity:
    """A keystore paired through the fake service (device key mode)."""
    done = enroll.enroll(qr_text=service.pair("ZM-001"), code=CODE, directory=keystore_dir, secret=SECRET,
                         now=now(), device_id="ZM-001")
    return done.identity
